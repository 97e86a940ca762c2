"""Who is calling: an organisation's system with a bearer token, or a logged-in person (session and
CSRF). Either way the request gets an `Actor` as `request.auth`."""

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from courts.accounts.services import actor_for_token, actor_for_user, api_token_authenticate
from courts.common.actor import Actor


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class BearerToken(HttpBearer):
    openapi_description = "An organisation's API token from `courts token create`"

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        api_token = api_token_authenticate(token=token)
        if api_token is None:
            return None
        return actor_for_token(api_token, ip_address=client_ip(request))


class StaffSession(APIKeyCookie):
    """The staff pages' session cookie; ninja enforces CSRF for it."""

    param_name = "sessionid"
    openapi_description = "A logged-in user's session (the pages use it)"

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return actor_for_user(user, ip_address=client_ip(request))


API_AUTH = [BearerToken(), StaffSession()]
