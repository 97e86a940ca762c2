"""An organisation administrator's pages for their own organisation's people: the list (active and
left), a joiner (shown their one-time set-up code once), and each person (change their details or
administrator role, mark them as left, reactivate them, give a new set-up code).

Every page reads through `courts.accounts.selectors` and writes through `courts.accounts.services`;
anyone who is not an organisation administrator is refused (403), and a person of another organisation
is not found (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from courts.accounts import selectors, services
from courts.accounts.models import Organisation, User
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import ApplicationError, ValidationFailed
from courts.web.forms import FormState
from courts.web.views import auth
from courts.web.views.common import actor_of

PERSON_FIELDS = ["first_name", "last_name", "email"]
NEW_ORDER = [*PERSON_FIELDS, "username", "is_organisation_admin"]
CHANGE_ORDER = [*PERSON_FIELDS, "is_organisation_admin"]
YES_NO = [("yes", "Yes"), ("no", "No")]
ACTIONS = ("change", "leave", "reactivate", "new_code")


def _refused(error: ApplicationError) -> Exception:
    if error.status == 403:
        return PermissionDenied(error.detail)
    return Http404(error.detail)


def _admin(request: HttpRequest) -> tuple[Actor, Organisation]:
    actor = actor_of(request)
    try:
        return actor, selectors.organisation_administered_by(actor=actor)
    except ApplicationError as error:
        raise _refused(error) from error


def _person(actor: Actor, user_id) -> User:
    try:
        return selectors.organisation_user_get_for_actor(actor=actor, user_id=user_id)[1]
    except ApplicationError as error:
        raise _refused(error) from error


def _admin_choice(form: FormState) -> bool | None:
    value = form.text("is_organisation_admin")
    if value not in ("yes", "no"):
        form.add("is_organisation_admin", "Select yes if they will manage your organisation's people")
        return None
    return value == "yes"


def _code_page(request: HttpRequest, person: User, code: str, heading: str) -> HttpResponse:
    # Shown once: the code is in this response only (never stored, never cached).
    return render(request, "web/organisation/setup_code.html", {
        "person": person, "code": code, "heading": heading, "expires_at": person.setup_code_expires_at,
    })


@never_cache
@login_required
@require_http_methods(["GET"])
def organisation_users(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    try:
        organisation, people = selectors.organisation_users_for_actor(actor=actor)
    except ApplicationError as error:
        raise _refused(error) from error
    return render(request, "web/organisation/users.html", {
        "organisation": organisation, "people": people, "now": now(),
    })


@sensitive_variables("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def organisation_user_add(request: HttpRequest) -> HttpResponse:
    actor, organisation = _admin(request)
    form = FormState(request.POST.dict() if request.method == "POST" else {"is_organisation_admin": "no"},
                     order=NEW_ORDER)
    status = 200
    if request.method == "POST":
        status = 422
        # The radios start at "No": a missing answer is a crafted request, answered before anything is made.
        is_admin = _admin_choice(form)
        if is_admin is not None:
            try:
                person, code = services.organisation_user_add(
                    username=form.text("username"), first_name=form.text("first_name"),
                    last_name=form.text("last_name"), email=form.text("email"), is_organisation_admin=is_admin,
                    actor=actor)
                return _code_page(request, person, code, f"{person.get_full_name()} has been added")
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="username")
            except ApplicationError as error:
                if error.status in (403, 404):
                    raise _refused(error) from error
                form.add_general(error.detail)
                status = error.status
    return render(request, "web/organisation/user_new.html", {"form": form, "organisation": organisation,
                                                               "yes_no": YES_NO}, status=status)


def _change_form(person: User, data: dict | None = None) -> FormState:
    return FormState(data if data is not None else {
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "is_organisation_admin": "yes" if person.is_organisation_admin else "no",
    }, order=CHANGE_ORDER)


@sensitive_variables("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def organisation_user(request: HttpRequest, user_id) -> HttpResponse:
    actor, organisation = _admin(request)
    person = _person(actor, user_id)
    form = _change_form(person)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            form.add_general("Choose what to do")
            status = 422
        elif action == "change":
            form = _change_form(person, request.POST.dict())
            is_admin = _admin_choice(form)
            status = 422
            if not form.has_errors:
                try:
                    services.organisation_user_update(
                        user=person, first_name=form.text("first_name"), last_name=form.text("last_name"),
                        email=form.text("email"), is_organisation_admin=is_admin, actor=actor)
                except ValidationFailed as error:
                    form.add_service_errors(error)
                except ApplicationError as error:
                    if error.status in (403, 404):
                        raise _refused(error) from error
                    if error.code == "last_admin":
                        form.add("is_organisation_admin", error.detail)
                    else:
                        form.add_general(error.detail)
                    status = error.status
                else:
                    messages.success(request, f"{form.text('first_name')} {form.text('last_name')}'s details "
                                              "have been changed")
                    return redirect("web:organisation-user", user_id=person.public_id)
        else:
            try:
                if action == "leave":
                    services.organisation_user_deactivate(user=person, actor=actor)
                    messages.success(request, f"{person.get_full_name()} has left {organisation.name}: they are "
                                              "signed out and can no longer sign in")
                    return redirect("web:organisation-users")
                if action == "reactivate":
                    person, code = services.organisation_user_reactivate(user=person, actor=actor)
                    return _code_page(request, person, code, f"{person.get_full_name()} has been reactivated")
                person, code = services.organisation_user_setup_code_reissue(user=person, actor=actor)
                return _code_page(request, person, code, f"A new set-up code for {person.get_full_name()}")
            except ApplicationError as error:
                if error.status in (403, 404):
                    raise _refused(error) from error
                form.add_general(error.detail)
                status = error.status
    return render(request, "web/organisation/user.html", {
        "form": form, "organisation": organisation, "person": person, "yes_no": YES_NO, "now": now(),
        "is_self": person.pk == request.user.pk,
    }, status=status)


# The person's side: choosing a password with the set-up code (a step of signing in, `web:account-setup`).

SETUP_ORDER = ["username", "code", "password", "password_confirm"]


@sensitive_post_parameters("code", "password", "password_confirm")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def account_setup(request: HttpRequest) -> HttpResponse:
    """A new (or reactivated) person of an organisation chooses their password with the one-time set-up
    code their administrator gave them, and is signed in. Wrong codes are throttled and counted as failed
    sign-ins; the answer is the same whether the username or the code was wrong."""
    form = FormState({"username": request.POST.get("username", "")}, order=SETUP_ORDER)
    status = 200
    if request.method == "POST":
        username, code = form.text("username"), request.POST.get("code", "").strip()
        password, confirm = request.POST.get("password", ""), request.POST.get("password_confirm", "")
        if not username:
            form.add("username", "Enter your username")
        if not code:
            form.add("code", "Enter the set-up code your administrator gave you")
        if not password:
            form.add("password", "Enter a new password")
        elif password != confirm:
            form.add("password_confirm", "Enter the same password twice")
        if not form.has_errors:
            ip_address = auth.client_ip(request)
            if services.sign_in_throttled(username=username, ip_address=ip_address):
                form.add("code", auth.SIGN_IN_PAUSED)
                status = 429
            else:
                try:
                    user = services.account_set_up(username=username, code=code, password=password,
                                                   ip_address=ip_address)
                except ValidationFailed as error:
                    if any(e.code == "no_match" for e in error.errors):
                        services.sign_in_failure_record(username=username, ip_address=ip_address)
                    form.add_service_errors(error, fallback="code")
                else:
                    if services.user_requires_two_factor(user):
                        return redirect("web:login")
                    return auth._complete_sign_in(request, user, "", auth.TWO_FACTOR_NOT_REQUIRED)
    return render(request, "web/account_setup.html", {"form": form},
                  status=status if status != 200 else (422 if form.has_errors else 200))


urlpatterns = [
    path("", organisation_users, name="organisation-users"),
    path("new/", organisation_user_add, name="organisation-user-add"),
    path("<uuid:user_id>/", organisation_user, name="organisation-user"),
]
