"""GET /api/v1/court-lists: the public list for anyone, press and internal lists for court staff, as
CaTH JSON or as a PDF; problem+json for a wrong centre, date, type or jurisdiction."""

import pytest
from django.test import Client

from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.api.tests.test_cases import make_token
from courts.publishing.tests.factories import (
    CROWN_OU,
    HEARING_DAY,
    MAGISTRATES_OU,
    crown_day,
    magistrates_day,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/court-lists"


def court_list(client: Client, list_type: str = "public", ou: str = MAGISTRATES_OU, date: str = "2026-03-16",
               **extra):
    params = {"courtCentre": ou, "date": date, "type": list_type}
    params.update({k: v for k, v in extra.items() if not k.startswith("HTTP_")})
    return client.get(URL, params, **{k: v for k, v in extra.items() if k.startswith("HTTP_")})


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(username="listing-officer"))
    return client


def surnames(body: dict) -> list[str]:
    return [p["individualDetails"]["individualSurname"]
            for room in body["courtLists"][0]["courtHouse"]["courtRoom"] for session in room["session"]
            for sitting in session["sittings"] for hearing in sitting["hearing"] for case in hearing["case"]
            for p in case["party"] if "individualDetails" in p]


def test_anyone_reads_the_public_list_without_signing_in(client):
    # given
    magistrates_day()
    # when
    response = court_list(client)
    # then
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    assert surnames(response.json()) == ["Doe", "Eighteen", "Cohen"]


def test_public_list_as_a_pdf_by_accept_header_or_format(client):
    magistrates_day()
    by_header = court_list(client, HTTP_ACCEPT="application/pdf")
    by_format = court_list(client, format="pdf")
    for response in (by_header, by_format):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"] == 'inline; filename="B01LY00-2026-03-16-public.pdf"'


def test_press_and_internal_lists_need_a_signed_in_user(client):
    for list_type in ("press", "internal"):
        response = court_list(client, list_type)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "unauthenticated"


def test_press_list_is_refused_to_a_prosecutors_token_and_a_prosecutors_user(client):
    token = make_token()
    response = court_list(client, "press", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    lawyer = Client()
    lawyer.force_login(UserFactory(organisation=OrganisationFactory()))
    assert court_list(lawyer, "internal").status_code == 403


def test_court_staff_read_the_press_list_with_names_withheld_and_never_cached(staff):
    magistrates_day()
    response = court_list(staff, "press")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert "Seventeen" not in response.content.decode()
    assert surnames(body) == ["Doe", "Eighteen", "Cohen"]
    assert body["courtLists"][0]["courtHouse"]["courtHouseName"] == "Lavender Hill Magistrates' Court"


def test_court_staff_read_the_internal_list_with_everyone(staff):
    magistrates_day()
    response = court_list(staff, "internal")
    assert response.status_code == 200
    assert {"Seventeen", "Teen", "Restricted", "Youth"} <= set(surnames(response.json()))


def test_crown_lists_at_a_crown_court(client, staff):
    crown_day()
    daily = court_list(client, "crown-daily", CROWN_OU)
    assert daily.status_code == 200
    assert daily.json()["DailyList"]["ListHeader"]["StartDate"] == HEARING_DAY.isoformat()
    assert court_list(client, "crown-firm", CROWN_OU).status_code == 401
    assert "FirmList" in court_list(staff, "crown-firm", CROWN_OU).json()
    warned = court_list(staff, "crown-warned", CROWN_OU, date="2026-03-18").json()["WarnedList"]
    assert (warned["ListHeader"]["StartDate"], warned["ListHeader"]["EndDate"]) == ("2026-03-16", "2026-03-20")


def test_a_crown_list_for_a_magistrates_court_is_422_with_a_clear_message(client):
    response = court_list(client, "crown-daily")
    assert response.status_code == 422
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "type"
    assert "only for a Crown Court centre" in body["detail"]
    assert "Lavender Hill Magistrates' Court is a magistrates' court" in body["detail"]


def test_unknown_centre_is_404(client):
    response = court_list(client, ou="ZZ99ZZ9")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_bad_date_or_type_is_422_naming_the_field(client):
    bad_date = court_list(client, date="2026-02-30")
    assert bad_date.status_code == 422
    assert [e["field"] for e in bad_date.json()["errors"]] == ["date"]
    bad_type = court_list(client, "youth")
    assert bad_type.status_code == 422
    assert [e["field"] for e in bad_type.json()["errors"]] == ["type"]
    missing = client.get(URL, {"type": "public"})
    assert {e["field"] for e in missing.json()["errors"]} == {"courtCentre", "date"}


def test_the_operation_is_in_the_openapi_document_without_authentication(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/court-lists"]["get"]
    assert operation["operationId"] == "court_lists_get"
    assert "security" not in operation
    assert "application/pdf" in operation["responses"]["200"]["content"]
