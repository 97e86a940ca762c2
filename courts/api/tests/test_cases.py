import pytest

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import api_token_create, organisation_get_or_create
from courts.audit.models import Event
from courts.cases.models import ProsecutionCase
from courts.cases.tests.factories import case_payload
from courts.common.actor import Actor

pytestmark = pytest.mark.django_db


def make_token(name: str = "Metropolitan Police") -> str:
    organisation, _ = organisation_get_or_create(name=name, kind=OrganisationKind.PROSECUTOR, actor=Actor.system())
    return api_token_create(organisation=organisation, name="test", actor=Actor.system())[1]


def post_case(client, token, payload, **headers):
    return client.post("/api/v1/cases", payload, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def test_create_case_returns_common_platform_shape_and_records_event(client):
    # given
    token = make_token()
    # when
    response = post_case(client, token, case_payload())
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["prosecutionCaseIdentifier"]["caseURN"] == "01AB1234525"
    assert body["initiationCode"] == "C"
    defendant = body["defendants"][0]
    assert defendant["personDefendant"]["personDetails"]["lastName"] == "Doe"
    assert defendant["offences"][0]["offenceCode"] == "TH68010"
    event = Event.objects.get(type="case.created")
    assert str(event.case_id) == body["id"]


def test_missing_token_reads_nothing(client):
    response = client.get("/api/v1/cases?urn=01AB1234525")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_validation_errors_name_each_field_and_change_nothing(client):
    token = make_token()
    payload = case_payload(urn="XX")
    payload["defendants"][0]["asn"] = "1101ZD0100000448754A"
    payload["defendants"][0]["offences"][0]["offenceCode"] = "ZZ99999"
    response = post_case(client, token, payload)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"urn", "defendants/0/asn", "defendants/0/offences/0/offenceCode"}
    assert ProsecutionCase.objects.count() == 0
    assert not Event.objects.filter(type="case.created").exists()


def test_get_case_validates_against_common_platform_prosecution_case_schema(client):
    from tests.cp_schemas import schema_errors

    token = make_token()
    created = post_case(client, token, case_payload()).json()
    response = client.get(f"/api/v1/cases/{created['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert schema_errors("global/apiProsecutionCase.json", response.json()) == []
