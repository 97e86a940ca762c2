"""Signing in and out, and the home page."""

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courts.accounts.services import actor_for_user
from courts.web.forms import FormState

# One message whatever was wrong, so that a failed sign-in tells nobody whether the username exists.
SIGN_IN_FAILED = "Enter a correct username and password"


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
    if request.method == "POST":
        username = form.text("username")
        password = request.POST.get("password", "")
        if not username:
            form.add("username", "Enter your username")
        if not password:
            form.add("password", "Enter your password")
        if not form.has_errors:
            user = authenticate(request, username=username, password=password)
            if user is None:
                form.add("username", SIGN_IN_FAILED)
            else:
                login(request, user)
                return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "web/sign_in.html", {"form": form, "next": next_url},
                  status=422 if form.has_errors else 200)


@never_cache
@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if actor_for_user(request.user).is_court_staff:
        from courts.distribution.selectors import undelivered_count

        context["undelivered"] = undelivered_count()
    return render(request, "web/home.html", context)
