"""A court administrator's page of people and roles at the court centres they administer: grant and
revoke staff roles, record and remove judicial office holders.

Only a court administrator of at least one centre sees the page (anyone else: 403). The services
(`courts.accounts.services`) decide again, per centre, that the actor administers it; this page only
offers those centres and turns posted strings into the services' arguments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts import role_selectors as selectors
from courts.accounts import services
from courts.accounts.enums import JudicialOfficeKind, StaffRoleKind
from courts.common.actor import Actor
from courts.common.errors import NotFound, PermissionDenied, ValidationFailed
from courts.reference.models import CourtCentre
from courts.web.forms import FormState
from courts.web.views.common import actor_of
from courts.web.views.worklists import administered_centre_ids

NOT_ADMINISTRATOR = "Only a court administrator can grant and revoke roles"
FIELDS = ["username", "court_centre", "role", "judicial_username", "judicial_kind", "judicial_court_centre"]


def _centre_of(form: FormState, name: str, centres: list[CourtCentre]) -> CourtCentre | None:
    """One of the centres the actor administers, by OU code."""
    chosen = form.text(name).upper()
    centre = next((c for c in centres if c.ou_code == chosen), None)
    if centre is None:
        form.add(name, "Select a court centre you administer")
    return centre


def _user_of(form: FormState, name: str):
    username = form.text(name)
    if not username:
        form.add(name, "Enter the person's username")
        return None
    user = selectors.active_user_by_username(username=username)
    if user is None:
        form.add(name, f"No active account has the username {username[:150]}")
    return user


def _choice(form: FormState, name: str, choices, message: str) -> str:
    value = form.text(name)
    if value not in choices.values:
        form.add(name, message)
        return ""
    return value


def _grant(form: FormState, actor: Actor, centres: list[CourtCentre]) -> str:
    user = _user_of(form, "username")
    centre = _centre_of(form, "court_centre", centres)
    role = _choice(form, "role", StaffRoleKind, "Select a role")
    if form.has_errors:
        return ""
    try:
        services.staff_role_grant(user=user, court_centre=centre, role=role, actor=actor)
    except ValidationFailed as error:
        form.add("username", error.detail)
        return ""
    return f"{user.username} is {StaffRoleKind(role).label.lower()} at {centre.name}"


def _revoke(form: FormState, actor: Actor, centres: list[CourtCentre]) -> str:
    user = selectors.user_by_public_id(public_id=form.text("user"))
    centre = next((c for c in centres if c.ou_code == form.text("revoke_court_centre").upper()), None)
    role = form.text("revoke_role")
    if user is None or centre is None or role not in StaffRoleKind.values:
        form.add_general("That role is not held at a court centre you administer")
        return ""
    try:
        services.staff_role_revoke(user=user, court_centre=centre, role=role, actor=actor)
    except NotFound as error:
        form.add_general(error.detail)
        return ""
    return f"{user.username} is no longer {StaffRoleKind(role).label.lower()} at {centre.name}"


def _judicial_grant(form: FormState, actor: Actor, centres: list[CourtCentre]) -> str:
    user = _user_of(form, "judicial_username")
    kind = _choice(form, "judicial_kind", JudicialOfficeKind, "Select the judicial office")
    centre = _centre_of(form, "judicial_court_centre", centres)
    if form.has_errors:
        return ""
    try:
        services.judicial_office_grant(user=user, kind=kind, court_centres=[centre], actor=actor)
    except ValidationFailed as error:
        form.add("judicial_username", error.detail)
        return ""
    return f"{user.username} sits as {JudicialOfficeKind(kind).label.lower()} at {centre.name}"


def _judicial_revoke(form: FormState, actor: Actor, centres: list[CourtCentre]) -> str:
    user = selectors.user_by_public_id(public_id=form.text("user"))
    kind = form.text("kind")
    if user is None or kind not in JudicialOfficeKind.values:
        form.add_general("That judicial office is not recorded")
        return ""
    try:
        services.judicial_office_revoke(user=user, kind=kind, actor=actor)
    except NotFound as error:
        form.add_general(error.detail)
        return ""
    return f"{user.username} no longer sits as {JudicialOfficeKind(kind).label.lower()}"


ACTIONS = {"grant": _grant, "revoke": _revoke, "judicial-grant": _judicial_grant,
           "judicial-revoke": _judicial_revoke}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roles_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    administered = administered_centre_ids(actor)
    if not actor.is_court_staff or not administered:
        raise Forbidden(NOT_ADMINISTRATOR)
    centres = selectors.court_centres_by_ids(court_centre_ids=administered)
    form = FormState(request.POST.dict() if request.method == "POST" else {}, order=FIELDS)
    status = 200
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            form.add_general("Choose what to do")
            done = ""
        else:
            try:
                done = action(form, actor, centres)
            except PermissionDenied as error:
                form.add_general(error.detail)
                done, status = "", 403
        if done:
            messages.success(request, done)
            return redirect("web:court-administration-roles")
        status = status if status != 200 else 422
    return render(request, "web/roles.html", {
        "form": form,
        "centres": centres,
        "centre_options": [(c.ou_code, f"{c.name} ({c.ou_code})") for c in centres],
        "role_options": StaffRoleKind.choices,
        "judicial_options": JudicialOfficeKind.choices,
        "staff_roles": selectors.staff_roles_at(court_centre_ids=administered),
        # An office is removed by a court administrator of every centre where its holder sits.
        "judicial_offices": [
            {"office": office, "centres": list(office.court_centres.all()),
             "can_remove": all(c.pk in administered for c in office.court_centres.all())}
            for office in selectors.judicial_offices_at(court_centre_ids=administered)],
    }, status=status)
