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


def test_idempotency_key_retry_returns_same_case_with_200(client):
    token = make_token()
    first = post_case(client, token, case_payload(), HTTP_IDEMPOTENCY_KEY="abc-1")
    retry = post_case(client, token, case_payload(), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert ProsecutionCase.objects.count() == 1


def test_second_case_with_existing_urn_is_409_problem(client):
    token = make_token()
    post_case(client, token, case_payload())
    response = post_case(client, token, case_payload())
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "already has a case with URN 01AB1234525" in response.json()["detail"]


def test_a_prosecutor_reads_and_searches_only_its_own_cases(client):
    met = make_token("Metropolitan Police")
    tfl = make_token("Transport for London")
    case_id = post_case(client, met, case_payload()).json()["id"]
    assert client.get(f"/api/v1/cases/{case_id}", HTTP_AUTHORIZATION=f"Bearer {tfl}").status_code == 404
    assert client.get("/api/v1/cases?urn=01AB1234525", HTTP_AUTHORIZATION=f"Bearer {tfl}").json() == []
    found = client.get("/api/v1/cases?urn=01ab1234525", HTTP_AUTHORIZATION=f"Bearer {met}").json()
    assert [c["id"] for c in found] == [case_id]


def test_wrong_token_is_401(client):
    response = client.get("/api/v1/cases?urn=01AB1234525", HTTP_AUTHORIZATION="Bearer crt_not-a-real-token")
    assert response.status_code == 401


def search(client, token, criteria):
    return client.post("/api/v1/cases/search", criteria, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize(
    "criteria",
    [{"urn": "01ab1234525"}, {"asn": "1101ZD0100000448754K"}, {"pncId": "2004/0046583U"},
     {"surname": "do", "dateOfBirth": "1990-05-17"}, {"urn": "01AB1234525", "surname": "DOE", "dateOfBirth": "1990-05-17"}],
)
def test_search_by_urn_asn_pnc_and_surname_with_date_of_birth_in_the_body(client, criteria):
    token = make_token()
    payload = case_payload()
    payload["defendants"][0]["asn"] = "1101ZD0100000448754K"
    assert post_case(client, token, payload).status_code == 201
    found = search(client, token, criteria)
    assert found.status_code == 200, found.json()
    assert [c["prosecutionCaseIdentifier"]["caseURN"] for c in found.json()] == ["01AB1234525"]
    # the same shape as the case itself
    assert found.json()[0] == client.get(f"/api/v1/cases/{found.json()[0]['id']}",
                                         HTTP_AUTHORIZATION=f"Bearer {token}").json()


def test_get_and_post_search_answer_the_same_for_a_urn_and_log_the_access(client):
    token = make_token()
    case_id = post_case(client, token, case_payload()).json()["id"]
    by_get = client.get("/api/v1/cases?urn=01AB1234525", HTTP_AUTHORIZATION=f"Bearer {token}")
    by_post = search(client, token, {"urn": "01AB1234525"})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json() and [c["id"] for c in by_post.json()] == [case_id]
    from courts.audit.models import AccessLogEntry

    assert set(AccessLogEntry.objects.filter(case_id=case_id).values_list("what", flat=True)) >= {
        "api:cases_search", "api:cases_search_post"}


def test_the_post_search_finds_only_the_callers_cases(client):
    met = make_token("Metropolitan Police")
    tfl = make_token("Transport for London")
    case_id = post_case(client, met, case_payload()).json()["id"]
    by_person = {"surname": "Doe", "dateOfBirth": "1990-05-17"}
    assert search(client, tfl, by_person).json() == []
    assert search(client, tfl, {"pncId": "2004/0046583U"}).json() == []
    assert [c["id"] for c in search(client, met, by_person).json()] == [case_id]
    anonymous = client.post("/api/v1/cases/search", by_person, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"


def test_search_needs_a_term_and_surname_needs_a_date_of_birth(client):
    token = make_token()
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 422
    assert search(client, token, {}).status_code == 422
    response = search(client, token, {"surname": "Doe"})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "dateOfBirth"


@pytest.mark.parametrize(
    ("criteria", "field"),
    [({"dateOfBirth": "17/05/1990", "surname": "Doe"}, "dateOfBirth"), ({"asn": "NOT-AN-ASN"}, "asn"),
     ({"pncId": "2004/0046583A"}, "pncId"), ({"surname": "D" * 101, "dateOfBirth": "1990-05-17"}, "surname"),
     ({"urn": 5}, "urn"), ({"date_of_birth": "1990-05-17", "surname": "Doe"}, "date_of_birth")],
)
def test_a_bad_search_body_is_a_422_problem_naming_the_field(client, criteria, field):
    response = search(client, make_token(), criteria)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'"Doe"'])
def test_a_search_body_that_is_not_a_json_object_is_a_problem_never_a_500(client, body):
    response = client.post("/api/v1/cases/search", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_token()}")
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "fields"),
    [("surname=Doe&dateOfBirth=1990-05-17", {"surname", "dateOfBirth"}), ("surname=do", {"surname"}),
     ("asn=1101ZD0100000448754K", {"asn"}), ("pncId=2004/0046583U", {"pncId"}),
     ("urn=01AB1234525&date_of_birth=1990-05-17", {"date_of_birth"}), ("PNC_ID=2004/0046583U", {"PNC_ID"})],
)
def test_the_get_search_refuses_personal_data_in_the_query_string_pointing_to_the_post(client, query, fields):
    token = make_token()
    payload = case_payload()
    payload["defendants"][0]["asn"] = "1101ZD0100000448754K"
    assert post_case(client, token, payload).status_code == 201
    response = client.get(f"/api/v1/cases?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "personal_data_in_url"
    assert "POST /api/v1/cases/search" in body["detail"]
    assert {e["field"] for e in body["errors"]} == fields
    for value in ("Doe", "1990-05-17", "0046583U", "448754K"):  # the answer does not repeat them either
        assert value not in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"urn": 5}', b'{"defendants": "x"}'],
)
def test_malformed_bodies_are_422_never_500(client, body):
    token = make_token()
    response = client.post("/api/v1/cases", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert ProsecutionCase.objects.count() == 0
