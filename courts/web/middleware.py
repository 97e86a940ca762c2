"""Two-factor sign-in, enforced for every request (pages and the API's session cookie alike).

The sign-in pages write how the session was signed in (`TWO_FACTOR_KEY`). A signed-in session
without that mark (one that predates two-factor sign-in, or that was made some other way) is ended
if the person must use two-factor authentication, so a password alone never reaches a page."""

from django.contrib.auth import SESSION_KEY, logout

PENDING_KEY = "courts.sign_in.pending"
TWO_FACTOR_KEY = "courts.sign_in.two_factor"
TWO_FACTOR_VERIFIED = "verified"
TWO_FACTOR_NOT_REQUIRED = "not-required"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session and TWO_FACTOR_KEY not in session:
            from courts.accounts.services import user_requires_two_factor

            user = request.user
            if user.is_authenticated and user_requires_two_factor(user):
                logout(request)
            elif user.is_authenticated:
                session[TWO_FACTOR_KEY] = TWO_FACTOR_NOT_REQUIRED
        return self.get_response(request)


class GovukAssetsMiddleware:
    """GOV.UK Frontend's compiled stylesheet asks for its fonts and images at /assets/: send them to
    the static files before the session is touched. Through the session middleware a font requested
    while a sign-in replaces the session would be refused (400, the session was deleted mid-request)."""

    PREFIX = "/assets/"

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.target = f"{settings.STATIC_URL}govuk/assets/"

    def __call__(self, request):
        from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect

        if request.path.startswith(self.PREFIX):
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotFound()
            return HttpResponsePermanentRedirect(self.target + request.path[len(self.PREFIX):])
        return self.get_response(request)
