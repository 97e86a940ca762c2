"""Resulting through the API, for systems that result in bulk: a defendant's draft results, pleas,
verdicts and allocation decisions written into the draft, sharing, and four-eyes amendments, all
through the hearings services. Court staff only.

Also the hearing with its results in Common Platform's shapes: the hearing-resulted payload
(`GET /hearings/{id}/resulted`) and the published hearing results contract
(`GET /hearing-results/hearings/{hearingId}`, api-cp-crime-hearing-results, with its own error body)."""

import copy
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from courts.api.auth import API_AUTH
from courts.api.cp_results import (
    hearing_result_view,
    hearing_resulted_payload,
    hearing_results_load,
    new_trace_id,
)
from courts.api.routers.hearings import _cases_of, _shown, _visible_defendant_ids
from courts.api.routers.listing import court_staff
from courts.api.schemas.resulting import (
    AllocationIn,
    AmendmentDecisionIn,
    AmendmentOut,
    AmendmentRequestIn,
    DraftIn,
    ErrorResponse,
    HearingResultView,
    PleaIn,
    ResultingOut,
    ShareIn,
    VerdictIn,
)
from courts.audit.services import access_log_record
from courts.cases import selectors as case_selectors
from courts.cases.models import Defendant, Offence
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import FieldError, NotFound, ValidationFailed
from courts.common.ids import get_by_uuid_or_not_found
from courts.hearings import services
from courts.hearings.enums import AmendmentStatus, DecisionKind
from courts.hearings.models import DefendantResulting, JudicialResult, ResultAmendment
from courts.hearings.resulting import DefendantWork
from courts.listing import selectors
from courts.listing.models import Hearing

router = Router(tags=["resulting"])

RESULTS = "/hearings/{hearing_id}/defendants/{defendant_id}"
INDICATED = {"GUILTY": "INDICATED_GUILTY", "NOT_GUILTY": "INDICATED_NOT_GUILTY", "NO_PLEA": "NO_INDICATION"}


def _hearing_and_defendant(actor: Actor, hearing_id: str, defendant_id: str) -> tuple[Hearing, Defendant]:
    hearing = selectors.hearing_get_for_actor(actor=actor, hearing_id=hearing_id)
    defendant = case_selectors.defendant_get_for_actor(actor=actor, defendant_id=defendant_id)
    return hearing, defendant


def _view(resulting: DefendantResulting, work: DefendantWork | None = None) -> ResultingOut:
    work = work or services.resulting_work(resulting)
    shared = list(JudicialResult.objects.filter(resulting=resulting, is_current=True).order_by("rank", "shared_at"))
    pending = ResultAmendment.objects.filter(resulting=resulting, status=AmendmentStatus.PENDING).select_related(
        "resulting").first()
    return ResultingOut.of(resulting, work, shared, pending)


@router.get(f"{RESULTS}/results", response=ResultingOut, operation_id="results_get",
            summary="A defendant's results at a hearing: the draft and its version, the results worked out from "
                    "it, the checks (each with its source), the shared record and any amendment waiting")
def results_get(request: HttpRequest, hearing_id: str, defendant_id: str):
    actor = court_staff(request)
    hearing, defendant = _hearing_and_defendant(actor, hearing_id, defendant_id)
    return _view(services.resulting_get(hearing=hearing, defendant=defendant))


@router.put(f"{RESULTS}/results/draft", response=ResultingOut, operation_id="results_draft_save",
            summary="Save the whole draft (kept even with problems: the checks say what stops sharing). "
                    "409 stale_version when someone else saved since you read it")
def results_draft_put(request: HttpRequest, hearing_id: str, defendant_id: str, payload: DraftIn):
    actor = court_staff(request)
    hearing, defendant = _hearing_and_defendant(actor, hearing_id, defendant_id)
    resulting, work = services.results_draft_save(hearing=hearing, defendant=defendant, draft=payload.draft,
                                                  expected_version=payload.expectedVersion, actor=actor)
    return _view(resulting, work)


@router.post(f"{RESULTS}/results/share", response=ResultingOut, operation_id="results_share",
             summary="Share the draft: it becomes the court record with its consequences. 422 results_not_ready "
                     "lists every check that fails (field offences/<id> or defendant, message with its source)")
def results_share(request: HttpRequest, hearing_id: str, defendant_id: str, payload: ShareIn):
    actor = court_staff(request)
    hearing, defendant = _hearing_and_defendant(actor, hearing_id, defendant_id)
    outcome = services.results_share(hearing=hearing, defendant=defendant, expected_version=payload.expectedVersion,
                                     actor=actor)
    return _view(outcome.resulting, outcome.work)


def _decide(request: HttpRequest, hearing_id: str, defendant_id: str, *, expected_version: int,
            offence_id: uuid.UUID, kind: str, value: str) -> ResultingOut:
    """Write one decision on one offence into the draft, through the draft's compare-and-swap."""
    actor = court_staff(request)
    hearing, defendant = _hearing_and_defendant(actor, hearing_id, defendant_id)
    if not Offence.objects.filter(pk=offence_id, defendant=defendant).exists():
        raise ValidationFailed("The offence is not one of this defendant's",
                               errors=[FieldError("offenceId", "Not an offence of this defendant")])
    resulting = services.resulting_get(hearing=hearing, defendant=defendant)
    draft: dict[str, Any] = copy.deepcopy(resulting.draft) if isinstance(resulting.draft, dict) else {}
    offences = draft.setdefault("offences", {})
    offences.setdefault(str(offence_id), {})[kind.lower()] = value
    resulting, work = services.results_draft_save(hearing=hearing, defendant=defendant, draft=draft,
                                                  expected_version=expected_version, actor=actor)
    return _view(resulting, work)


@router.post(f"{RESULTS}/pleas", response=ResultingOut, operation_id="results_plea",
             summary="Record a plea (or, with indicated: true, an indicated plea) on an offence, in the draft")
def results_plea(request: HttpRequest, hearing_id: str, defendant_id: str, payload: PleaIn):
    # An indicated value (INDICATED_GUILTY, NO_INDICATION) is an indicated plea whatever `indicated` says.
    indicated = payload.indicated or payload.plea not in INDICATED
    value = INDICATED.get(payload.plea, payload.plea) if indicated else payload.plea
    kind = DecisionKind.INDICATED_PLEA if indicated else DecisionKind.PLEA
    return _decide(request, hearing_id, defendant_id, expected_version=payload.expectedVersion,
                   offence_id=payload.offenceId, kind=kind, value=value)


@router.post(f"{RESULTS}/verdicts", response=ResultingOut, operation_id="results_verdict",
             summary="Record a verdict on an offence, in the draft")
def results_verdict(request: HttpRequest, hearing_id: str, defendant_id: str, payload: VerdictIn):
    return _decide(request, hearing_id, defendant_id, expected_version=payload.expectedVersion,
                   offence_id=payload.offenceId, kind=DecisionKind.VERDICT, value=payload.verdict)


@router.post(f"{RESULTS}/allocations", response=ResultingOut, operation_id="results_allocation",
             summary="Record the allocation decision on an either-way offence, in the draft")
def results_allocation(request: HttpRequest, hearing_id: str, defendant_id: str, payload: AllocationIn):
    return _decide(request, hearing_id, defendant_id, expected_version=payload.expectedVersion,
                   offence_id=payload.offenceId, kind=DecisionKind.ALLOCATION, value=payload.allocation)


@router.post(f"{RESULTS}/results/amendments", response={201: AmendmentOut}, operation_id="results_amendment_request",
             summary="Ask to replace the shared results with the current draft, with a reason; "
                     "a different person approves it")
def results_amendment_request(request: HttpRequest, response: HttpResponse, hearing_id: str, defendant_id: str,
                              payload: AmendmentRequestIn):
    actor = court_staff(request)
    hearing, defendant = _hearing_and_defendant(actor, hearing_id, defendant_id)
    amendment = services.amendment_request(hearing=hearing, defendant=defendant, reason=payload.reason,
                                           expected_version=payload.expectedVersion, actor=actor)
    response["Location"] = f"/api/v1/result-amendments/{amendment.id}"
    return Status(201, AmendmentOut.of(amendment))


def _amendment(actor: Actor, amendment_id: str) -> ResultAmendment:
    """An amendment of a hearing at the actor's court centres, or NotFound."""
    amendment = get_by_uuid_or_not_found(ResultAmendment.objects.select_related("resulting__hearing"),
                                         amendment_id, "result amendment")
    if not actor.works_at(amendment.resulting.hearing.court_centre_id):
        raise NotFound("No such result amendment")
    return amendment


@router.get("/result-amendments/{amendment_id}", response=AmendmentOut, operation_id="result_amendment_get",
            summary="An amendment of shared results and its decision")
def result_amendment_get(request: HttpRequest, amendment_id: str):
    return AmendmentOut.of(_amendment(court_staff(request), amendment_id))


@router.post("/result-amendments/{amendment_id}/approve", response=AmendmentOut,
             operation_id="result_amendment_approve",
             summary="Approve an amendment (not the person who asked for it): the amended results are shared")
def result_amendment_approve(request: HttpRequest, amendment_id: str, payload: AmendmentDecisionIn):
    actor = court_staff(request)
    services.amendment_approve(amendment=_amendment(actor, amendment_id), actor=actor, note=payload.note)
    return AmendmentOut.of(_amendment(actor, amendment_id))


@router.post("/result-amendments/{amendment_id}/reject", response=AmendmentOut,
             operation_id="result_amendment_reject",
             summary="Reject an amendment with a note (the person who asked for it withdraws it)")
def result_amendment_reject(request: HttpRequest, amendment_id: str, payload: AmendmentDecisionIn):
    actor = court_staff(request)
    services.amendment_reject(amendment=_amendment(actor, amendment_id), actor=actor, note=payload.note)
    return AmendmentOut.of(_amendment(actor, amendment_id))


# --- The hearing with its results in Common Platform's shapes ------------------------------------


@router.get("/hearings/{hearing_id}/resulted", response=dict, operation_id="hearings_resulted",
            summary="The hearing with its current shared results, as Common Platform's hearing-resulted message "
                    "(validates against the LAA adaptor's api/hearing-resulted.json)")
def hearings_resulted(request: HttpRequest, hearing_id: str):
    hearing = selectors.hearing_get(hearing_id=hearing_id)
    visible = _visible_defendant_ids(request.auth, [hearing])
    if not _shown(hearing, visible):
        raise NotFound("No such hearing")
    shared_time = hearing_results_load(hearing, visible_defendant_ids=visible).shared_time
    if shared_time is None:
        raise NotFound("No results have been shared for this hearing yet", code="not_resulted")
    _log_access(request, hearing, visible, "api:hearings_resulted")
    return hearing_resulted_payload(hearing, shared_time=shared_time, visible_case_ids=_cases_of([hearing], visible),
                                    visible_defendant_ids=visible, actor=request.auth)


def _log_access(request: HttpRequest, hearing: Hearing, visible: set | None, what: str) -> None:
    """A hearing's results are a view of each of its cases the caller may see: logged per case."""
    if visible is None:  # national court staff: not logged
        return
    case_ids = _cases_of([hearing], visible)
    access_log_record(actor=request.auth, case_ids=sorted(case_ids, key=str), what=what)


class _Anonymous:
    """Lets a request without credentials reach the contract's operation, which answers 401 in the
    contract's own error body."""

    def __bool__(self) -> bool:
        return True


ANONYMOUS = _Anonymous()


def _anonymous(request: HttpRequest) -> _Anonymous:
    return ANONYMOUS


def _error(request: HttpRequest, status: int, error: str, message: str, details: dict | None = None) -> Status:
    body = ErrorResponse(error=error, message=message, details=details, timestamp=now(),
                         traceId=request.headers.get("X-Request-ID", "")[:64] or new_trace_id())
    return Status(status, body)


@router.get("/hearing-results/hearings/{hearingId}", auth=[*API_AUTH, _anonymous], exclude_none=True,
            response={200: HearingResultView, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse},
            operation_id="getHearingResult", tags=["hearing-results"],
            summary="The results recorded at a hearing, as the published api-cp-crime-hearing-results contract "
                    "(HearingResultView; errors in its ErrorResponse body)")
def hearing_results_get(request: HttpRequest, response: HttpResponse, hearingId: str):
    if request.auth is ANONYMOUS:
        response["WWW-Authenticate"] = "Bearer"
        return _error(request, 401, "UNAUTHORIZED", "Access token is missing or invalid")
    try:
        hearing_uuid = uuid.UUID(hearingId)
    except ValueError:
        return _error(request, 400, "BAD_REQUEST", "The supplied hearingId is not a valid UUID",
                      {"parameter": "hearingId"})
    hearing = Hearing.objects.filter(pk=hearing_uuid).prefetch_related("hearing_defendants").first()
    visible = _visible_defendant_ids(request.auth, [hearing]) if hearing else None
    if hearing is None or not _shown(hearing, visible):
        return _error(request, 404, "NOT_FOUND", "No hearing found for the supplied hearing ID",
                      {"hearingId": hearingId})
    _log_access(request, hearing, visible, "api:getHearingResult")
    return hearing_result_view(hearing, visible_defendant_ids=visible)
