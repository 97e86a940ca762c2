"""`GET /api/v1/case/{case_urn}/courtschedule` against Common Platform's published court schedule
contract (reference/api-cp-crime-schedulingandlisting-courtschedule): its OpenAPI response schema,
and the JSON schema published beside it."""

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft7Validator, Draft202012Validator

from courts.api.cp_hearing import judicial_id
from courts.api.tests.test_cases import make_token
from courts.api.tests.test_listing import (
    API,
    a_case,
    add_hearing,
    add_room,
    add_sitting,
    assert_problem,
    defendant_ids,
    list_hearing,
    post,
    sitting_day,
    staff_client,
)
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

CONTRACT = "api-cp-crime-schedulingandlisting-courtschedule/src/main/resources/openapi"


@pytest.fixture
def staff():
    return staff_client()


def _json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema (draft 7): `nullable` becomes a null type, and every
    object that names its properties refuses others, so a field the contract does not have fails."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    schema = {k: _json_schema(v) for k, v in node.items() if k not in ("example", "examples", "nullable")}
    if node.get("nullable") and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    return schema


@cache
def openapi_response_validator() -> Draft7Validator:
    yaml = pytest.importorskip("yaml", reason="PyYAML reads the contract's OpenAPI document")
    spec = yaml.safe_load((Path(settings.REFERENCE_DIR) / CONTRACT / "openapi-spec.yml").read_text())
    response = spec["paths"]["/case/{case_urn}/courtschedule"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    document = {**_json_schema(copy.deepcopy(schema)), "components": _json_schema(spec["components"])}
    return Draft7Validator(document, format_checker=Draft7Validator.FORMAT_CHECKER)


@cache
def published_schema_validator() -> Draft202012Validator:
    schema = json.loads((Path(settings.REFERENCE_DIR) / CONTRACT / "schema/courtSchedule.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def contract_errors(body: Any) -> list[str]:
    errors = [*openapi_response_validator().iter_errors(body), *published_schema_validator().iter_errors(body)]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_the_contract_check_refuses_a_body_off_the_contract():
    # The check itself: the spec's own example passes, a misspelt or mistyped field fails.
    example = json.loads((Path(settings.REFERENCE_DIR) / CONTRACT / "schema/courtSchedule.schema.example.json")
                         .read_text())
    assert contract_errors(example) == []
    misspelt = copy.deepcopy(example)
    misspelt["courtSchedule"][0]["hearings"][0]["listNotes"] = "x"
    assert contract_errors(misspelt)
    mistyped = copy.deepcopy(example)
    mistyped["courtSchedule"][0]["hearings"][0]["courtSittings"][0]["courtRoom"] = "Courtroom 1"
    assert contract_errors(mistyped)


def test_a_cases_court_schedule_matches_the_contract_with_listed_and_waiting_hearings(staff, client):
    # given: the case's first hearing waits (intake found no sitting); a sentence hearing is listed
    token = make_token()
    case = a_case(client, token)
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day(), judiciaryType="DISTRICT_JUDGE",
                          judiciary=["DJ Khan"])
    listed = add_hearing(staff, defendant_ids(case), code="SEN", estimateMinutes=45, note="Interpreter: Polish")
    assert list_hearing(staff, listed["id"], sitting["id"], 1).status_code == 200
    centre = CourtCentre.objects.get(ou_code="B01LY00")
    # when
    response = client.get(f"{API}/case/01ab1234525/courtschedule", HTTP_AUTHORIZATION=f"Bearer {token}")
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert contract_errors(body) == []
    [schedule] = body["courtSchedule"]
    by_id = {h["hearingId"]: h for h in schedule["hearings"]}
    assert len(by_id) == 2
    sentence = by_id.pop(listed["id"])
    assert (sentence["hearingType"], sentence["hearingDescription"], sentence["listNote"]) == (
        "Sentence", "Sentence for Jane Doe", "Interpreter: Polish")
    [court_sitting] = sentence["courtSittings"]
    start, end = (dt.datetime.fromisoformat(court_sitting[k]) for k in ("sittingStart", "sittingEnd"))
    assert start.date().isoformat() == sitting["date"] and start.time() == dt.time(10, 0)
    assert start.utcoffset() is not None and end - start == dt.timedelta(minutes=45)
    assert court_sitting["judiciaryId"] == judicial_id("DJ Khan")
    assert (court_sitting["courtHouse"], court_sitting["courtRoom"]) == (str(centre.id), sitting["courtRoomId"])
    assert "weekCommencing" not in sentence
    [first] = by_id.values()
    assert first["courtSittings"] == []
    week = first["weekCommencing"]
    start_date = dt.date.fromisoformat(week["startDate"])
    assert start_date.weekday() == 0 and week["endDate"] == (start_date + dt.timedelta(days=6)).isoformat()
    assert (week["durationInWeeks"], week["courtHouse"]) == (1, str(centre.id))


def test_a_vacated_hearing_leaves_the_schedule(staff, client):
    token = make_token()
    case = a_case(client, token)
    hearing = add_hearing(staff, defendant_ids(case))
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    listed = list_hearing(staff, hearing["id"], sitting["id"], sitting["version"]).json()
    vacated = post(staff, f"/hearings/{hearing['id']}/vacate", {"reason": "Listed in error", "version": listed["version"]})
    assert vacated.status_code == 200, vacated.json()
    body = staff.get(f"{API}/case/{case['prosecutionCaseIdentifier']['caseURN']}/courtschedule").json()
    assert contract_errors(body) == []
    assert hearing["id"] not in {h["hearingId"] for h in body["courtSchedule"][0]["hearings"]}
    assert len(body["courtSchedule"][0]["hearings"]) == 1  # the first hearing intake left waiting


def test_court_schedule_of_an_unknown_case_or_another_prosecutors_case_is_404(staff, client):
    met, tfl = make_token("Metropolitan Police"), make_token("Transport for London")
    a_case(client, met)
    assert_problem(client.get(f"{API}/case/01AB1234525/courtschedule", HTTP_AUTHORIZATION=f"Bearer {tfl}"), 404,
                   "not_found")
    assert_problem(client.get(f"{API}/case/99ZZ9999999/courtschedule", HTTP_AUTHORIZATION=f"Bearer {met}"), 404,
                   "not_found")
    assert_problem(client.get(f"{API}/case/01AB1234525/courtschedule"), 401, "unauthenticated")
    assert staff.get(f"{API}/case/01AB1234525/courtschedule").status_code == 200
