"""Signing in and out, and the home page."""

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courts.accounts import services as accounts
from courts.accounts import totp
from courts.accounts.models import User
from courts.accounts.services import actor_for_user
from courts.common.clock import now
from courts.web.forms import FormState
from courts.web.middleware import PENDING_KEY, TWO_FACTOR_KEY, TWO_FACTOR_NOT_REQUIRED, TWO_FACTOR_VERIFIED

# One message whatever was wrong, so that a failed sign-in tells nobody whether the username exists.
SIGN_IN_FAILED = "Enter a correct username and password"
# After repeated failures, for a username (whether or not it exists) or an address.
SIGN_IN_PAUSED = "You have tried to sign in too many times. Wait 15 minutes, then try again"
CODE_FAILED = "Enter the code your authenticator app shows now"
PENDING_SECONDS = 5 * 60


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = FormState({"username": request.POST.get("username", "")}, order=["username", "password"])
    status = 200
    if request.method == "POST":
        username = form.text("username")
        password = request.POST.get("password", "")
        if not username:
            form.add("username", "Enter your username")
        if not password:
            form.add("password", "Enter your password")
        if not form.has_errors:
            ip_address = client_ip(request)
            if accounts.sign_in_throttled(username=username, ip_address=ip_address):
                # Asked before the password is checked: the same answer whether or not the account exists.
                form.add("username", SIGN_IN_PAUSED)
                status = 429
            else:
                user = authenticate(request, username=username, password=password)
                if user is None:
                    accounts.sign_in_failure_record(username=username, ip_address=ip_address)
                    form.add("username", SIGN_IN_FAILED)
                elif accounts.user_requires_two_factor(user):
                    # The password alone signs nobody in: the second step finishes the sign-in.
                    if request.user.is_authenticated:
                        logout(request)
                    request.session[PENDING_KEY] = {"user": user.pk, "at": now().timestamp(), "next": next_url}
                    step = "web:sign-in-code" if accounts.totp_is_enrolled(user) else "web:two-factor-setup"
                    return redirect(step)
                else:
                    return _complete_sign_in(request, user, next_url, TWO_FACTOR_NOT_REQUIRED)
    return render(request, "web/sign_in.html", {"form": form, "next": next_url},
                  status=status if status != 200 else (422 if form.has_errors else 200))


def _complete_sign_in(request: HttpRequest, user, next_url: str, two_factor: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[TWO_FACTOR_KEY] = two_factor
    accounts.sign_in_succeeded(user=user)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    """The person who gave the right password and has yet to give a code (for 5 minutes)."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None, ""
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, str(pending.get("next") or "")


def _code_step(request: HttpRequest, *, template: str, check, context: dict) -> HttpResponse:
    """A code form: throttled with the password, one message for any wrong code."""
    user, next_url = context["pending_user"], context["next"]
    form = FormState({}, order=["code"])
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "").replace(" ", "").strip()
        ip_address = client_ip(request)
        if not code:
            form.add("code", "Enter the 6-digit code from your authenticator app")
        elif accounts.sign_in_throttled(username=user.username, ip_address=ip_address):
            form.add("code", SIGN_IN_PAUSED)
            status = 429
        elif check(user, code, ip_address):
            return _complete_sign_in(request, user, next_url, TWO_FACTOR_VERIFIED)
        else:
            accounts.sign_in_failure_record(username=user.username, ip_address=ip_address)
            form.add("code", CODE_FAILED)
        if status == 200:
            status = 422
    return render(request, template, {**context, "form": form}, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user, next_url = _pending_user(request)
    if user is None:
        return redirect("web:login")
    if not accounts.totp_is_enrolled(user):
        return redirect("web:two-factor-setup")
    return _code_step(request, template="web/sign_in_code.html",
                      check=lambda u, code, ip: accounts.totp_verify(user=u, code=code),
                      context={"pending_user": user, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff and judiciary not yet set up do this straight after their password, before anything else."""
    user, next_url = _pending_user(request)
    if user is None:
        return redirect("web:login")
    if accounts.totp_is_enrolled(user):
        return redirect("web:sign-in-code")
    secret = accounts.totp_enrolment_begin(user=user)
    return _code_step(
        request,
        template="web/two_factor_setup.html",
        check=lambda u, code, ip: accounts.totp_enrolment_confirm(
            user=u, code=code, actor=accounts.actor_for_user(u, ip_address=ip)),
        context={"pending_user": user, "next": next_url, "secret": totp.secret_grouped(secret),
                 "otpauth_uri": accounts.totp_uri(user=user, secret=secret)},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    actor = actor_for_user(request.user)
    if actor.is_court_staff:
        from courts.web.views.worklists import staff_worklists

        # Their worklists, scoped to their court centres (every centre for national staff).
        context["worklists"] = worklists = staff_worklists(actor)
        context["undelivered"] = worklists.undelivered_count
    return render(request, "web/home.html", context)
