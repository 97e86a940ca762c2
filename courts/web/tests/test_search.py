import datetime as dt

import pytest
from django.urls import reverse

from courts.common.clock import court_today
from courts.listing.tests.factories import room, sitting
from courts.reference.calendar import on_or_after_working_day
from courts.web.tests.conftest import make_case

pytestmark = pytest.mark.django_db

SEARCH = reverse("web:case-search")


def dob(day: int = 17, month: int = 5, year: int = 1990) -> dict[str, str]:
    return {"date_of_birth-day": str(day), "date_of_birth-month": str(month), "date_of_birth-year": str(year)}


@pytest.fixture
def cases(prosecutor):
    return {
        "doe": make_case(prosecutor=prosecutor, urn="01AB1234525", last_name="Doe"),
        "smith": make_case(prosecutor=prosecutor, urn="01AB1234526", last_name="Smith", asn_sequence=700000),
    }


def result_urns(html: str) -> list[str]:
    table = html[html.index('id="results"'):]
    return [part.split("</a>")[0].split(">")[-1] for part in table.split('class="govuk-link" href="/cases/')[1:]]


def test_the_search_form_posts_so_that_names_stay_out_of_urls(staff_client):
    html = staff_client.get(SEARCH).content.decode()
    assert f'<form method="post" action="{SEARCH}" novalidate>' in html
    assert "csrfmiddlewaretoken" in html
    assert 'id="results"' not in html


def test_search_by_urn_in_any_case(staff_client, cases):
    # when
    html = staff_client.post(SEARCH, {"urn": "01ab1234525"}).content.decode()
    # then
    assert "1 case found" in html
    assert result_urns(html) == ["01AB1234525"]
    assert reverse("web:case-detail", kwargs={"case_id": cases["doe"].id}) in html
    assert "Jane Doe" in html
    assert "17 May 1990" in html
    assert "Lavender Hill Magistrates&#x27; Court" in html


def test_search_by_asn(staff_client, cases):
    asn = cases["smith"].defendants.get().asn
    html = staff_client.post(SEARCH, {"asn": asn}).content.decode()
    assert result_urns(html) == ["01AB1234526"]


def test_search_by_pnc_id_finds_every_case_of_that_person(staff_client, cases):
    html = staff_client.post(SEARCH, {"pnc_id": "2004/0046583U"}).content.decode()
    assert "2 cases found" in html
    assert sorted(result_urns(html)) == ["01AB1234525", "01AB1234526"]


def test_search_by_the_start_of_a_surname_with_date_of_birth(staff_client, cases):
    html = staff_client.post(SEARCH, {"surname": "smi", **dob()}).content.decode()
    assert result_urns(html) == ["01AB1234526"]
    assert 'value="smi"' in html


def test_a_search_that_matches_nothing_says_so(staff_client, cases):
    response = staff_client.post(SEARCH, {"surname": "Smith", **dob(year=1991)})
    assert response.status_code == 200
    assert "No cases match" in response.content.decode()


def test_a_surname_without_a_date_of_birth_is_an_error_on_the_date(staff_client, cases):
    response = staff_client.post(SEARCH, {"surname": "Smith"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Find a case - Courts</title>" in html
    assert ('<a href="#date_of_birth-day">Search by surname needs both the start of the surname and the date of '
            "birth</a>") in html
    assert 'id="results"' not in html


def test_an_invalid_identifier_is_an_error_on_its_field(staff_client):
    html = staff_client.post(SEARCH, {"pnc_id": "2004/0046583A"}).content.decode()
    assert "<a href=\"#pnc_id\">The PNC ID&#x27;s check letter is wrong: A should be U</a>" in html


def test_an_empty_search_asks_for_a_term(staff_client):
    html = staff_client.post(SEARCH, {}).content.decode()
    assert '<a href="#urn">Enter at least one search term</a>' in html


def test_a_date_of_birth_that_is_not_a_date_is_an_error(staff_client):
    html = staff_client.post(SEARCH, {"surname": "Smith", **dob(day=32)}).content.decode()
    assert '<a href="#date_of_birth-day">Date of birth must be a real date</a>' in html


def test_a_prosecutor_finds_only_its_own_cases(client, cases, other_prosecutor):
    from courts.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(organisation=other_prosecutor))
    html = client.post(SEARCH, {"urn": "01AB1234525"}).content.decode()
    assert "No cases match" in html


def test_until_listed_the_next_hearing_is_the_one_requested(staff_client, cases):
    html = staff_client.post(SEARCH, {"urn": "01AB1234525"}).content.decode()
    requested = cases["doe"].requested_hearing_date
    assert f"{requested.day} {requested:%B %Y} (requested, not yet listed)" in html


def test_once_listed_the_next_hearing_is_the_listed_court_room_and_day(staff_client, prosecutor):
    # given: a sitting on the day the defendant was bailed to, so intake lists the first hearing there
    day = on_or_after_working_day(court_today() + dt.timedelta(days=10))
    sitting(room("Courtroom 3"), day)
    make_case(prosecutor=prosecutor, hearing_date=day)
    # when
    html = staff_client.post(SEARCH, {"urn": "01AB1234525"}).content.decode()
    # then
    assert "Lavender Hill Magistrates&#x27; Court, Courtroom 3" in html
    assert f"{day.day} {day:%B %Y} at " in html
    assert "not yet listed" not in html
