"""The hearing with its results in Common Platform's shapes, checked against the published schemas:

- the hearing-resulted payload against the LAA adaptor's `api/hearing-resulted.json` (which resolves
  to `global/apiHearing.json` and the rest), after a fine with costs and surcharge (then amended), a
  remand in custody to a next hearing, and a custodial sentence;
- the case with its offences' outcomes and custody time limits against `apiProsecutionCase.json`;
- the published hearing results contract against its OpenAPI (`api-cp-crime-hearing-results`), for
  200 (with results and empty), 400, 401 and 404."""

import copy
import datetime as dt
import uuid
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client
from jsonschema import Draft7Validator, FormatChecker

from courts.accounts.tests.factories import UserFactory
from courts.api.cp_results import hearing_resulted_payload, result_type
from courts.api.tests.test_cases import make_token
from courts.api.tests.test_listing import API, assert_problem, post, staff_client
from courts.api.tests.test_resulting_api import (
    missing_answers,
    next_court_day,
    offence_id,
    one_line,
    remand_in_custody,
    results_url,
    save_draft,
    share,
)
from courts.custody.models import CustodyTimeLimit
from courts.hearings.models import JudicialResult
from courts.hearings.tests.factories import COMMON_ASSAULT, listed_case
from courts.listing.models import Hearing
from courts.listing.tests.factories import room, sitting
from tests.cp_schemas import schema_errors

pytestmark = pytest.mark.django_db

HEARING_RESULTED = "api/hearing-resulted.json"
CONTRACT = "api-cp-crime-hearing-results/src/main/resources/openapi/openapi-spec.yml"
CONTRACT_PATH = "/hearing-results/hearings/{hearingId}"


# --- The contract's OpenAPI as JSON Schema -------------------------------------------------------


@cache
def _spec() -> dict:
    return yaml.safe_load((Path(settings.REFERENCE_DIR) / CONTRACT).read_text())


def _strict(schema: object) -> None:
    """Every object the contract describes has only the properties it names (the published schemas
    leave extra properties open; ours must not add any)."""
    if isinstance(schema, dict):
        if "properties" in schema and schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _strict(value)
    elif isinstance(schema, list):
        for value in schema:
            _strict(value)


_FORMATS = FormatChecker()


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


@cache
def response_validator(status: str) -> Draft7Validator:
    """A validator for the contract's response `status` of GET /hearing-results/hearings/{hearingId}:
    OpenAPI 3.0 `#/components/...` references resolve within the spec itself."""
    spec = copy.deepcopy(_spec())
    _strict(spec["components"]["schemas"])
    response = spec["paths"][CONTRACT_PATH]["get"]["responses"][status]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = response["content"]["application/json"]["schema"]
    return Draft7Validator({**schema, "components": spec["components"]}, format_checker=_FORMATS)


def contract_errors(status: int, body: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in response_validator(str(status)).iter_errors(body)]


def contract_get(client: Client, hearing_id: str, **headers):
    response = client.get(f"{API}/hearing-results/hearings/{hearing_id}", **headers)
    assert response["Content-Type"].startswith("application/json"), response.content
    return response


# --- A resulted hearing --------------------------------------------------------------------------


@pytest.fixture
def resulted():
    """One hearing, three defendants of one case, each resulted and shared through the API: Doe fined
    with costs and surcharge (then amended with a second person's approval), Roe remanded in custody to
    a next hearing, Poe imprisoned."""
    clerk, senior = staff_client(), Client()
    senior.force_login(UserFactory(first_name="Sam", last_name="Senior"))
    case, hearing = listed_case(defendants=3, codes=(COMMON_ASSAULT,), bail_status="C")
    doe, roe, poe = case.defendants.order_by("sequence")
    next_day = next_court_day(hearing.hearing_days.get().date)
    sitting(room("Courtroom 2"), next_day, capacity_minutes=600)

    save_draft(clerk, hearing, doe, one_line(doe, "plea=G FO 200 FCPC 85 FVS"), version=1)
    share(clerk, hearing, doe)
    remanded = remand_in_custody(clerk, hearing, roe, next_day)
    view = save_draft(clerk, hearing, poe, one_line(poe, "plea=G imp 6m FVS", prison="HMP Brixton"), version=1)
    tagged_days = missing_answers(view, "imp", "0")  # bail remand days to count
    save_draft(clerk, hearing, poe, one_line(poe, "plea=G imp 6m FVS", prison="HMP Brixton", answers=tagged_days))
    share(clerk, hearing, poe)

    view = save_draft(clerk, hearing, doe, one_line(doe, "plea=G FO 150 FCPC 85 FVS"))
    amendment = post(clerk, results_url(hearing, doe, "/amendments"),
                     {"expectedVersion": view["version"], "reason": "Fine misheard: £150"}).json()
    assert post(senior, f"/result-amendments/{amendment['id']}/approve", {"note": ""}).status_code == 200
    return {"case": case, "hearing": hearing, "doe": doe, "roe": roe, "poe": poe, "clerk": clerk,
            "next_hearing_id": remanded["nextHearingIds"][0], "amendment_id": amendment["id"]}


def _offence(payload: dict, defendant) -> dict:
    [case] = payload["hearing"]["prosecutionCases"]
    found = next(d for d in case["defendants"] if d["id"] == str(defendant.id))
    [offence] = found["offences"]
    return offence


def _defendant(payload: dict, defendant) -> dict:
    [case] = payload["hearing"]["prosecutionCases"]
    return next(d for d in case["defendants"] if d["id"] == str(defendant.id))


def test_the_hearing_resulted_payload_validates_and_carries_every_current_result(resulted):
    hearing, doe, roe, poe = resulted["hearing"], resulted["doe"], resulted["roe"], resulted["poe"]
    # when
    response = resulted["clerk"].get(f"{API}/hearings/{hearing.id}/resulted")
    # then
    assert response.status_code == 200, response.content
    payload = response.json()
    assert schema_errors(HEARING_RESULTED, payload) == []
    latest = max(JudicialResult.objects.filter(hearing=hearing, is_current=True).values_list("shared_at", flat=True))
    assert dt.datetime.fromisoformat(payload["sharedTime"]) == latest
    assert payload["hearing"]["id"] == str(hearing.id) and payload["hearing"]["hasSharedResults"] is True
    # Doe: the amended fine only (the £200 fine is superseded), with who approved it and why
    doe_offence = _offence(payload, doe)
    [fine] = doe_offence["judicialResults"]
    assert (fine["label"], fine["category"], fine["cjsCode"], fine["isConvictedResult"]) == ("Fine", "FINAL", "1015",
                                                                                               True)
    assert fine["judicialResultPrompts"][0] | {"judicialResultPromptTypeId": None} == {
        "judicialResultPromptTypeId": None, "label": "Amount of fine", "value": "£150.00", "promptReference": "AOF",
        "isAvailableForCourtExtract": True, "promptSequence": 100, "isFinancialImposition": True}
    assert fine["orderedHearingId"] == str(hearing.id) and fine["isFinancialResult"] is True
    assert fine["amendmentReason"] == "Fine misheard: £150"
    assert (fine["fourEyesApproval"]["firstName"], fine["fourEyesApproval"]["lastName"]) == ("Sam", "Senior")
    assert fine["resultText"] == "Fine\nAmount of fine: £150.00"
    assert doe_offence["plea"] | {"pleaDate": None} == {"offenceId": doe_offence["id"], "pleaDate": None,
                                                         "pleaValue": "GUILTY", "originatingHearingId": str(hearing.id)}
    assert doe_offence["convictionDate"] == fine["orderedDate"]
    # Costs and surcharge are case-level results: the defendant's judicialResults
    case_level = {r["label"]: r for r in _defendant(payload, doe)["judicialResults"]}
    assert set(case_level) == {"Costs to Crown Prosecution Service", "Surcharge"}
    assert case_level["Surcharge"]["judicialResultPrompts"][0]["value"] == "£60.00"
    assert case_level["Costs to Crown Prosecution Service"]["category"] == "FINAL"
    # Roe: remanded in custody to the next hearing the share listed; the custody time limit runs
    roe_offence = _offence(payload, roe)
    results = {r["label"]: r for r in roe_offence["judicialResults"]}
    assert results["Remanded in custody"]["postHearingCustodyStatus"] == "C"
    assert results["Remanded in custody"]["category"] == "ANCILLARY"
    next_hearing = results["Next hearing in magistrates' court"]["nextHearing"]
    assert next_hearing["existingHearingId"] == resulted["next_hearing_id"]
    assert next_hearing["type"]["description"] == "Plea" and next_hearing["estimatedMinutes"] == 20
    listed = Hearing.objects.get(pk=resulted["next_hearing_id"]).hearing_days.get()
    assert next_hearing["listedStartDateTime"].startswith(listed.date.isoformat())
    ctl = CustodyTimeLimit.objects.get(offence_id=roe_offence["id"])
    assert ctl.running
    assert roe_offence["custodyTimeLimit"] == {"timeLimit": ctl.expiry.isoformat(), "daysSpent": ctl.days_spent}
    assert roe_offence["plea"]["pleaValue"] == "NOT_GUILTY" and "convictionDate" not in roe_offence
    # Poe: imprisoned; no running custody time limit after conviction
    poe_offence = _offence(payload, poe)
    [prison] = poe_offence["judicialResults"]
    assert prison["label"] == "Imprisonment" and "custodyTimeLimit" not in poe_offence
    # the API and the share's outbox see one and the same payload
    assert hearing_resulted_payload(Hearing.objects.get(pk=hearing.id), shared_time=latest) == payload


def test_a_hearing_without_shared_results_has_no_resulted_payload():
    staff = staff_client()
    _, hearing = listed_case()
    assert_problem(staff.get(f"{API}/hearings/{hearing.id}/resulted"), 404, "not_resulted")
    assert_problem(staff.get(f"{API}/hearings/{uuid.uuid4()}/resulted"), 404, "not_found")


def test_a_prosecutor_reads_the_resulted_payload_of_its_own_case_only(resulted, client):
    hearing = resulted["hearing"]
    own = client.get(f"{API}/hearings/{hearing.id}/resulted", HTTP_AUTHORIZATION=f"Bearer {make_token('CPS')}")
    assert own.status_code == 200 and schema_errors(HEARING_RESULTED, own.json()) == []
    other = client.get(f"{API}/hearings/{hearing.id}/resulted",
                       HTTP_AUTHORIZATION=f"Bearer {make_token('Transport for London')}")
    assert_problem(other, 404, "not_found")


def test_the_case_shows_each_offences_outcome_and_running_custody_time_limit(resulted):
    case, roe, doe = resulted["case"], resulted["roe"], resulted["doe"]
    response = resulted["clerk"].get(f"{API}/cases/{case.id}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert schema_errors("global/apiProsecutionCase.json", body) == []
    offences = {o["id"]: o for d in body["defendants"] for o in d["offences"]}
    roe_offence, doe_offence = offences[offence_id(roe)], offences[offence_id(doe)]
    ctl = CustodyTimeLimit.objects.get(offence_id=offence_id(roe))
    assert roe_offence["custodyTimeLimit"] == {"timeLimit": ctl.expiry.isoformat(), "daysSpent": ctl.days_spent}
    assert roe_offence["plea"]["pleaValue"] == "NOT_GUILTY" and "convictionDate" not in roe_offence
    assert doe_offence["plea"]["pleaValue"] == "GUILTY" and doe_offence["convictionDate"]
    assert doe_offence["proceedingsConcluded"] is True and "custodyTimeLimit" not in doe_offence
    doe_out = next(d for d in body["defendants"] if d["id"] == str(doe.id))
    assert doe_out["proceedingsConcluded"] is True


def test_custody_time_limits_are_read_in_one_query_whatever_the_number_of_offences():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = staff_client()
    one, hearing = listed_case(codes=(COMMON_ASSAULT,))
    three, _ = listed_case(codes=(COMMON_ASSAULT,) * 3, urn="01AB1234526", asn_base=600000,
                           the_sitting=hearing.hearing_days.get().sitting)

    def queries(case) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(f"{API}/cases/{case.id}").status_code == 200
        return len(captured.captured_queries)

    assert queries(one) == queries(three)


def test_allocation_and_verdict_appear_in_common_platforms_shape():
    staff = staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    draft = {"offences": {offence_id(defendant): {"notepad": "FO 100 FVS", "allocation": "SUMMARY_TRIAL",
                                                  "plea": "NOT_GUILTY", "verdict": "GUILTY"}}}
    view = save_draft(staff, hearing, defendant, draft, version=1)
    assert view["canShare"], view["checks"]
    share(staff, hearing, defendant)
    body = staff.get(f"{API}/cases/{case.id}").json()
    assert schema_errors("global/apiProsecutionCase.json", body) == []
    [offence] = body["defendants"][0]["offences"]
    assert offence["allocationDecision"] | {"allocationDecisionDate": None} == {
        "offenceId": offence["id"], "motReasonId": offence["allocationDecision"]["motReasonId"],
        "motReasonCode": "3", "motReasonDescription": "Defendant consents to summary trial", "sequenceNumber": 30,
        "allocationDecisionDate": None}
    assert offence["verdict"]["verdictType"]["categoryType"] == "GUILTY"
    payload = staff.get(f"{API}/hearings/{hearing.id}/resulted").json()
    assert schema_errors(HEARING_RESULTED, payload) == []
    assert _offence(payload, defendant)["verdict"]["originatingHearingId"] == str(hearing.id)


# --- The published hearing results contract ------------------------------------------------------


def test_hearing_results_follow_the_contract_with_one_result_per_offence(resulted):
    hearing, doe, roe, poe = resulted["hearing"], resulted["doe"], resulted["roe"], resulted["poe"]
    # when
    response = contract_get(resulted["clerk"], str(hearing.id))
    # then
    assert response.status_code == 200, response.content
    view = response.json()
    assert contract_errors(200, view) == []
    case = resulted["case"]
    assert view["id"] == str(hearing.id) and view["pcr"] == {"id": str(case.id), "reference": case.urn}
    assert view["courtApplicationResults"] == []
    by_offence = {o["id"]: o for o in view["offences"]}
    assert list(by_offence) == [offence_id(doe), offence_id(roe), offence_id(poe)]
    fine = by_offence[offence_id(doe)]
    assert fine["code"] == "CJ88116"
    assert fine["result"] | {"date": None} == {
        "id": f"{offence_id(doe)}_result", "type": "Convicted", "date": None,
        "sentence": {"id": f"{offence_id(doe)}_sentence", "type": "Financial", "custodyStatus": "A",
                     "financialAmount": 150.0, "periodLengths": []}}
    remand = by_offence[offence_id(roe)]["result"]
    assert remand["type"] == "Adjourned" and "sentence" not in remand
    prison = by_offence[offence_id(poe)]["result"]
    assert prison["type"] == "Convicted"
    assert prison["sentence"] == {"id": f"{offence_id(poe)}_sentence", "type": "Custodial", "custodyStatus": "C",
                                  "periodLengths": [{"months": 6}]}


def test_a_hearing_without_results_has_empty_lists():
    staff = staff_client()
    _, hearing = listed_case()
    response = contract_get(staff, str(hearing.id))
    assert response.status_code == 200
    assert response.json() == {"id": str(hearing.id), "offences": [], "courtApplicationResults": []}
    assert contract_errors(200, response.json()) == []


def test_a_malformed_id_is_400_an_unknown_hearing_404_and_no_credentials_401_in_the_contracts_error_body(client):
    staff = staff_client()
    # malformed
    response = contract_get(staff, "not-a-uuid", HTTP_X_REQUEST_ID="trace-123")
    assert response.status_code == 400
    body = response.json()
    assert contract_errors(400, body) == []
    assert (body["error"], body["details"], body["traceId"]) == ("BAD_REQUEST", {"parameter": "hearingId"},
                                                                 "trace-123")
    # unknown
    unknown = str(uuid.uuid4())
    response = contract_get(staff, unknown)
    assert response.status_code == 404
    body = response.json()
    assert contract_errors(404, body) == []
    assert (body["error"], body["details"]) == ("NOT_FOUND", {"hearingId": unknown})
    assert body["message"] == "No hearing found for the supplied hearing ID" and len(body["traceId"]) == 16
    # no credentials, or a wrong token
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer crt_wrong"}):
        response = contract_get(client, unknown, **headers)
        assert response.status_code == 401
        assert contract_errors(401, response.json()) == []
        assert response.json()["error"] == "UNAUTHORIZED" and response["WWW-Authenticate"] == "Bearer"


def test_another_prosecutors_hearing_is_not_found_and_the_own_is_read(resulted, client):
    hearing = resulted["hearing"]
    other = contract_get(client, str(hearing.id), HTTP_AUTHORIZATION=f"Bearer {make_token('Transport for London')}")
    assert other.status_code == 404 and contract_errors(404, other.json()) == []
    own = contract_get(client, str(hearing.id), HTTP_AUTHORIZATION=f"Bearer {make_token('CPS')}")
    assert own.status_code == 200 and len(own.json()["offences"]) == 3


def test_the_contract_operation_is_in_our_openapi_document(client):
    spec = client.get(f"{API}/openapi.json").json()
    operation = spec["paths"][f"/api/v1{CONTRACT_PATH}"]["get"]
    assert operation["operationId"] == "getHearingResult"
    assert {"200", "400", "401", "404"} <= set(operation["responses"])


# --- Result types --------------------------------------------------------------------------------


def _row(short_code: str, category: str, cjs: str = "", **published) -> JudicialResult:
    from courts.reference.models import ResultDefinition

    definition = ResultDefinition(definition=published)
    return JudicialResult(short_code=short_code, label=published.pop("label", short_code), category=category,
                          cjs_code=cjs, definition=definition, prompts=[], rank=0)


@pytest.mark.parametrize(("rows", "decisions", "expected"), [
    ([("WDRN", "F", "2063", {"label": "Withdrawn"})], {}, "Withdrawn"),
    ([("DISM", "F", "2006", {"label": "Dismissed"})], {}, "Acquitted"),
    ([("FO", "F", "1015", {"convicted": "Y"})], {"PLEA": "GUILTY"}, "Convicted"),
    ([("NHMC", "I", "", {})], {"PLEA": "GUILTY"}, "Convicted"),  # convicted, sentence adjourned
    ([("NHMC", "I", "", {})], {"VERDICT": "NOT_GUILTY"}, "Acquitted"),
    ([("NHCCS", "I", "", {})], {"ALLOCATION": "SENT_CROWN"}, "Sent to Crown Court"),
    ([("RI", "A", "4028", {}), ("NHMC", "I", "", {})], {"PLEA": "NOT_GUILTY"}, "Adjourned"),
    ([("DEADS", "F", "2503", {"label": "Defendant committed suicide"})], {}, "Concluded"),
    ([("CTLE", "A", "", {})], {}, "Other"),
])
def test_result_types(rows, decisions, expected):
    built = [_row(code, category, cjs, **published) for code, category, cjs, published in rows]
    assert result_type(built, decisions) == expected
