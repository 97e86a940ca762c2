import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from courts.accounts.selectors import organisation_get, prosecutor_get
from courts.api.cp_shapes import prosecution_case_cp
from courts.api.schemas.cases import CaseCreateIn
from courts.audit.services import access_log_record
from courts.cases import selectors
from courts.cases.enums import IntakeChannel
from courts.cases.services import case_intake, request_digest
from courts.common.actor import Actor
from courts.common.errors import ApplicationError, FieldError, PermissionDenied
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


# --- Search ----------------------------------------------------------------------------------------
# Names, dates of birth and a person's identifiers (ASN, PNC ID) are personal data: they go in the body
# of `POST /cases/search`, never in a URL, which clients, proxies and browsers log (docs/api.md). The
# URN names a case, not a person, and stays a GET. Both call `_search`, one code path. Declared before
# `/cases/{case_id}`: Django takes the first path that matches, and that one has no POST (a 405).

SEARCH_POST = "/api/v1/cases/search"
# The query parameters the GET refuses, compared in lower case without "_" and "-" (so `date_of_birth`
# and `pnc-id` are refused as well as `dateOfBirth` and `pncId`).
PERSONAL_QUERY_PARAMETERS = {"surname": "surname", "lastname": "surname", "dateofbirth": "dateOfBirth",
                             "dob": "dateOfBirth", "asn": "asn", "pncid": "pncId"}


class CaseSearchQuery(Schema):
    urn: str = Field(default="", max_length=20, description="The case's URN; letter case is ignored")


class CaseSearchIn(Schema):
    """The criteria combine: every one given must match. A surname needs the date of birth."""

    model_config = ConfigDict(extra="forbid")  # a misspelt criterion would silently widen the search

    urn: str = Field(default="", max_length=20, description="The case's URN; letter case is ignored")
    asn: str = Field(default="", max_length=25, description="A defendant's Arrest/Summons Number")
    pncId: str = Field(default="", max_length=14, description="A defendant's PNC ID, e.g. 2004/0046583U")
    surname: str = Field(default="", max_length=100, description="The start of a defendant's surname")
    dateOfBirth: dt.date | None = Field(default=None, description="The defendant's date of birth (with surname)")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: list[dict] = Field(default_factory=list)


def _search(request: HttpRequest, search: selectors.CaseSearch, *, what: str) -> list[dict]:
    found = selectors.case_search(actor=request.auth, search=search)
    access_log_record(actor=request.auth, case_ids=[case.id for case in found], what=what)
    return [_cp(case) for case in found]


class PersonalDataInURL(ApplicationError):
    status = 400
    code = "personal_data_in_url"
    title = "Personal data is not accepted in the URL"


def _refuse_personal_data_in_query(request: HttpRequest) -> None:
    named = {}
    for key in request.GET:
        field = PERSONAL_QUERY_PARAMETERS.get(key.lower().replace("_", "").replace("-", ""))
        if field:
            named[key] = field
    if named:
        raise PersonalDataInURL(
            "Names, dates of birth, ASNs and PNC IDs are not accepted in the URL: send them as JSON in the body "
            f'of POST {SEARCH_POST}, e.g. {{"surname": "…", "dateOfBirth": "YYYY-MM-DD"}}. '
            "GET /api/v1/cases takes only urn.",
            errors=[FieldError(key, f"Send {field} in the body of POST {SEARCH_POST}", "personal_data_in_url")
                    for key, field in named.items()],
        )


@router.get("/cases", response={200: list[dict], 400: Problem}, operation_id="cases_search",
            summary="Find cases by URN (search by a person with POST /cases/search)",
            description="A surname, date of birth, ASN or PNC ID in the query string is refused with "
                        "400 personal_data_in_url: send them in the body of POST /api/v1/cases/search.")
def cases_search(request: HttpRequest, filters: Query[CaseSearchQuery]):
    _refuse_personal_data_in_query(request)
    return _search(request, selectors.CaseSearch(urn=filters.urn), what="api:cases_search")


@router.post("/cases/search", response=list[dict], operation_id="cases_search_post",
             summary="Find cases by URN, ASN, PNC ID, or surname prefix with date of birth, sent in the body")
def cases_search_post(request: HttpRequest, payload: CaseSearchIn):
    search = selectors.CaseSearch(urn=payload.urn, asn=payload.asn, pnc_id=payload.pncId,
                                  surname=payload.surname, date_of_birth=payload.dateOfBirth)
    return _search(request, search, what="api:cases_search_post")


@router.get("/cases/{case_id}", response=dict, operation_id="cases_get",
            summary="A case in Common Platform's prosecution-case shape")
def cases_get(request: HttpRequest, case_id: str):
    case = selectors.case_get_for_actor(actor=request.auth, case_id=case_id)
    access_log_record(actor=request.auth, case_ids=[case.id], what="api:cases_get")
    return _cp(case)


# --- Reporting restrictions (court staff of the case's court) -------------------------------------


class RestrictionIn(Schema):
    basis: str = Field(max_length=20, description="cypa_1933_s49, yjcea_1999_s45, cja_2009_s86, yjcea_1999_s46, "
                                                  "soaa_1992_s1, cca_1981_s4_2 or cca_1981_s11")
    defendantId: str | None = Field(default=None, max_length=40)
    offenceId: str | None = Field(default=None, max_length=40)
    details: str = Field(default="", max_length=500, description="The terms of the order; never a protected name")
    expectedVersion: int | None = Field(default=None, description="The case version read; a stale one is a 409")


class RestrictionLiftIn(Schema):
    restrictionId: str = Field(max_length=40)
    reason: str = Field(max_length=500)
    expectedVersion: int | None = None


def _restriction_out(row) -> dict:
    from courts.cases.restrictions import BASES

    basis = BASES.get(row.basis)
    return {
        "id": str(row.id), "caseId": str(row.case_id), "kind": row.kind, "basis": row.basis,
        "label": basis.label if basis else row.basis, "act": basis.act if basis else "",
        "defendantId": str(row.defendant_id) if row.defendant_id else None,
        "offenceId": str(row.offence_id) if row.offence_id else None, "details": row.details,
        "imposedAt": row.imposed_at.isoformat(), "imposedBy": row.imposed_by,
        "liftedAt": row.lifted_at.isoformat() if row.lifted_at else None, "liftReason": row.lift_reason or None,
    }


@router.post("/cases/{case_id}/reporting-restrictions", response={201: dict}, operation_id="restrictions_create",
             summary="Record a reporting restriction on the case, a defendant or an offence (court staff of its court)")
def restrictions_create(request: HttpRequest, case_id: str, payload: RestrictionIn):
    from courts.cases.services import reporting_restriction_impose
    from courts.common.errors import ValidationFailed

    actor: Actor = request.auth
    case = selectors.case_get_for_actor(actor=actor, case_id=case_id)
    defendants = {str(d.id): d for d in case.defendants.all()}
    offences = {str(o.id): o for d in defendants.values() for o in d.offences.all()}
    errors = []
    if payload.defendantId and payload.defendantId not in defendants:
        errors.append(FieldError("defendantId", "No such defendant on this case"))
    if payload.offenceId and payload.offenceId not in offences:
        errors.append(FieldError("offenceId", "No such offence on this case"))
    if errors:
        raise ValidationFailed("The reporting restriction was not recorded: fix the fields listed", errors=errors)
    row = reporting_restriction_impose(case=case, actor=actor, expected_version=payload.expectedVersion,
                                       basis=payload.basis, defendant=defendants.get(payload.defendantId or ""),
                                       offence=offences.get(payload.offenceId or ""), details=payload.details)
    return Status(201, _restriction_out(row))


@router.post("/cases/{case_id}/reporting-restrictions/lift", response=dict, operation_id="restrictions_lift",
             summary="Lift a reporting restriction, with the reason (court staff of the case's court)")
def restrictions_lift(request: HttpRequest, case_id: str, payload: RestrictionLiftIn):
    from courts.cases.services import reporting_restriction_lift
    from courts.common.errors import NotFound

    actor: Actor = request.auth
    case = selectors.case_get_for_actor(actor=actor, case_id=case_id)
    row = next((r for r in case.restrictions.all() if str(r.id) == payload.restrictionId), None)
    if row is None:
        raise NotFound("No such reporting restriction on this case")
    row.case = case
    return _restriction_out(reporting_restriction_lift(restriction=row, actor=actor,
                                                       expected_version=payload.expectedVersion,
                                                       reason=payload.reason))
