"""What every staff page needs: who is asking, and the case record they may see."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from courts.accounts.services import actor_for_user
from courts.cases import selectors
from courts.cases.enums import Gender
from courts.cases.models import Defendant, Offence, ProsecutionCase
from courts.common.actor import Actor
from courts.common.errors import NotFound
from courts.reference import selectors as reference
from courts.web.forms import ADDRESS_LINES, FormState


def actor_of(request: HttpRequest) -> Actor:
    return actor_for_user(request.user, ip_address=request.META.get("REMOTE_ADDR"))


def staff_actor_of(request: HttpRequest) -> Actor:
    """Court staff only: the pages that change a case are theirs (prosecutors use their systems)."""
    actor = actor_of(request)
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can change cases here")
    return actor


def case_or_404(actor: Actor, case_id: object) -> ProsecutionCase:
    try:
        return selectors.case_get_for_actor(actor=actor, case_id=str(case_id))
    except NotFound as error:
        raise Http404(error.detail) from error


def defendant_or_404(actor: Actor, case_id: object, defendant_id: object) -> Defendant:
    try:
        defendant = selectors.defendant_get_for_actor(actor=actor, defendant_id=str(defendant_id))
    except NotFound as error:
        raise Http404(error.detail) from error
    if str(defendant.case_id) != str(case_id):
        raise Http404("No such defendant on this case")
    return defendant


def offence_or_404(actor: Actor, case_id: object, offence_id: object) -> Offence:
    try:
        offence = selectors.offence_get_for_actor(actor=actor, offence_id=str(offence_id))
    except NotFound as error:
        raise Http404(error.detail) from error
    if str(offence.defendant.case_id) != str(case_id):
        raise Http404("No such offence on this case")
    return offence


def posted_version(request: HttpRequest) -> int:
    """The case version the page was rendered with; a page without one cannot write."""
    try:
        return int(request.POST.get("expected_version", ""))
    except ValueError:
        return 0


def defendant_form_context(form: FormState) -> dict:
    """What the defendant fields partial needs beyond the form: address lines and the choices."""
    return {
        "address_fields": [(f"Address line {i}", form[f"address_line_{i}"]) for i in range(1, ADDRESS_LINES + 1)],
        "genders": Gender.choices,
        "bail_statuses": [(b.code, f"{b.description} ({b.code})") for b in reference.bail_status_list()],
    }
