import pytest

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import api_token_create, organisation_get_or_create
from courts.audit.models import Event
from courts.cases.models import ProsecutionCase
from courts.cases.tests.factories import COMMON_ASSAULT, valid_asn
from courts.cases.tests.test_spi import defendant_xml, in_route_data, new_case_message, offence_xml
from courts.common.actor import Actor

pytestmark = pytest.mark.django_db


def make_token(name: str = "Metropolitan Police", kind: OrganisationKind = OrganisationKind.PROSECUTOR) -> str:
    organisation, _ = organisation_get_or_create(name=name, kind=kind, actor=Actor.system())
    return api_token_create(organisation=organisation, name="test", actor=Actor.system())[1]


def post_spi(client, token: str | None, body: bytes | str, content_type: str = "application/xml"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    # CONTENT_TYPE as well: the test client drops the content type of an empty body.
    return client.post("/api/v1/spi/cases", body, content_type=content_type, CONTENT_TYPE=content_type, **headers)


def test_new_case_message_creates_case_in_common_platform_shape(client):
    # given
    token = make_token()
    # when
    response = post_spi(client, token, new_case_message(urn="01ZD0000007"))
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["prosecutionCaseIdentifier"]["caseURN"] == "01ZD0000007"
    assert body["initiationCode"] == "C"
    person = body["defendants"][0]["personDefendant"]
    assert person["personDetails"]["lastName"] == "Doe"
    assert person["bailStatus"]["code"] == "B"
    assert body["defendants"][0]["pncId"] == "2004/0046583U"
    assert response["Location"] == f"/api/v1/cases/{body['id']}"
    event = Event.objects.get(type="case.created")
    assert (str(event.case_id), event.payload["channel"]) == (body["id"], "spi")


def test_message_in_cjse_route_data_envelope_is_accepted_as_text_xml(client):
    # given
    token = make_token()
    # when
    response = post_spi(client, token, in_route_data(new_case_message()), content_type="text/xml; charset=utf-8")
    # then
    assert response.status_code == 201, response.json()


def test_message_for_a_urn_the_prosecutor_has_adds_new_defendants_and_answers_200(client):
    # given
    token = make_token()
    first = defendant_xml(valid_asn(1))
    post_spi(client, token, new_case_message(defendants=first))
    # when
    response = post_spi(client, token, new_case_message(
        defendants=first + defendant_xml(valid_asn(2), "Roe", "Richard", offence_xml(COMMON_ASSAULT))))
    # then
    assert response.status_code == 200, response.json()
    assert [d["personDefendant"]["personDetails"]["lastName"] for d in response.json()["defendants"]] == ["Doe", "Roe"]
    assert Event.objects.filter(type="case.defendant_added").count() == 1


def test_wrong_content_type_is_415_problem(client):
    # given
    token = make_token()
    # when
    response = post_spi(client, token, new_case_message(), content_type="application/json")
    # then
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unsupported_media_type"
    assert ProsecutionCase.objects.count() == 0


def test_missing_token_is_401(client):
    # when
    response = post_spi(client, None, new_case_message())
    # then
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert ProsecutionCase.objects.count() == 0


def test_token_of_an_organisation_that_does_not_prosecute_is_403(client):
    # given
    token = make_token("Smith & Co Solicitors", OrganisationKind.DEFENCE)
    # when
    response = post_spi(client, token, new_case_message())
    # then
    assert response.status_code == 403
    assert ProsecutionCase.objects.count() == 0


def test_invalid_message_is_422_problem_listing_each_located_error(client):
    # given a missing URN (schema) and an unknown offence code (rule) in separate messages
    token = make_token()
    no_urn = new_case_message().replace("<PTIURN>01ZD0000001</PTIURN>", "")
    unknown_offence = new_case_message(defendants=defendant_xml(valid_asn(), offences=offence_xml("ZZ99999")))
    # when
    schema = post_spi(client, token, no_urn)
    rule = post_spi(client, token, unknown_offence)
    # then
    for response in (schema, rule):
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
    schema_errors = schema.json()["errors"]
    assert schema_errors[0]["field"] == "NewCaseMessage/Case"
    assert "'PTIURN' expected" in schema_errors[0]["message"]
    assert schema_errors[0]["code"] == "schema_invalid"
    assert [e["field"] for e in rule.json()["errors"]] == [
        "NewCaseMessage/Case/Defendant[1]/Offence[1]/BaseOffenceDetails/OffenceCode"]
    assert ProsecutionCase.objects.count() == 0
    assert not Event.objects.filter(type="case.created").exists()


@pytest.mark.parametrize("body", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"<html><body>hello</body></html>"])
def test_garbage_is_422_never_500(client, body):
    # when
    response = post_spi(client, make_token(), body)
    # then
    assert response.status_code == 422
    assert response.json()["errors"]


def test_body_over_the_limit_is_413(client):
    # when
    response = post_spi(client, make_token(), b"<a/>" + b" " * (5 * 1024 * 1024))
    # then
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
