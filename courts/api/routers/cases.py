import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from courts.accounts.selectors import organisation_get, prosecutor_get
from courts.api.cp_shapes import prosecution_case_cp
from courts.api.schemas.cases import CaseCreateIn
from courts.audit.services import access_log_record
from courts.cases import selectors
from courts.cases.enums import IntakeChannel
from courts.cases.services import case_intake, request_digest
from courts.common.actor import Actor
from courts.common.errors import PermissionDenied
from courts.reference.selectors import bail_status_descriptions

router = Router(tags=["cases"])


def _cp(case) -> dict:
    return prosecution_case_cp(case, bail_status_descriptions())


@router.post("/cases", response={200: dict, 201: dict}, operation_id="cases_create",
             summary="Create a prosecution case (idempotent with an Idempotency-Key header)")
def cases_create(request: HttpRequest, response: HttpResponse, payload: CaseCreateIn):
    actor: Actor = request.auth
    if actor.is_court_staff:
        # Court staff create a case on a prosecutor's behalf, naming it.
        prosecutor = prosecutor_get(code_or_name=payload.prosecutingAuthority)
    elif actor.organisation_id is not None:
        prosecutor = organisation_get(organisation_id=actor.organisation_id)
    else:
        raise PermissionDenied("Cases are created with a prosecuting organisation's token")
    key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
    outcome = case_intake(
        intake=payload.to_intake(),
        prosecutor=prosecutor,
        actor=actor,
        channel=IntakeChannel.API,
        idempotency_key=key,
        digest=request_digest(payload.dict()),
    )
    case = selectors.case_get_for_actor(actor=actor, case_id=outcome.case.id)
    response["Location"] = f"/api/v1/cases/{case.id}"
    return Status(201 if outcome.created else 200, _cp(case))


@router.get("/cases/{case_id}", response=dict, operation_id="cases_get",
            summary="A case in Common Platform's prosecution-case shape")
def cases_get(request: HttpRequest, case_id: str):
    case = selectors.case_get_for_actor(actor=request.auth, case_id=case_id)
    access_log_record(actor=request.auth, case_ids=[case.id], what="api:cases_get")
    return _cp(case)


class CaseSearchQuery(Schema):
    urn: str = Field(default="", max_length=20)
    asn: str = Field(default="", max_length=25)
    pncId: str = Field(default="", max_length=14)
    surname: str = Field(default="", max_length=100)
    dateOfBirth: dt.date | None = None


@router.get("/cases", response=list[dict], operation_id="cases_search",
            summary="Find cases by URN, ASN, PNC ID, or surname prefix with date of birth")
def cases_search(request: HttpRequest, filters: Query[CaseSearchQuery]):
    search = selectors.CaseSearch(urn=filters.urn, asn=filters.asn, pnc_id=filters.pncId,
                                  surname=filters.surname, date_of_birth=filters.dateOfBirth)
    found = selectors.case_search(actor=request.auth, search=search)
    access_log_record(actor=request.auth, case_ids=[case.id for case in found], what="api:cases_search")
    return [_cp(case) for case in found]
