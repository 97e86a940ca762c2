"""The court list pages: choose a list, read it as a GOV.UK page by court room, with its PDF and JSON."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.publishing.tests.factories import CROWN_OU, MAGISTRATES_OU, crown_day, magistrates_day

pytestmark = pytest.mark.django_db

CHOOSE = reverse("web:court-lists")


def list_url(list_type: str = "public", ou: str = MAGISTRATES_OU, date: str = "2026-03-16") -> str:
    return reverse("web:court-list", kwargs={"ou_code": ou, "date": date, "list_type": list_type})


def choose(client: Client, *, centre=MAGISTRATES_OU, day="16", month="3", year="2026", list_type="public"):
    return client.get(CHOOSE, {"court_centre": centre, "list_date-day": day, "list_date-month": month,
                               "list_date-year": year, "list_type": list_type})


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_anyone_can_choose_a_public_list_without_signing_in(client):
    # when
    page = client.get(CHOOSE)
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="get" action="/court-lists/" novalidate>' in html
    assert '<option value="B01LY00">Lavender Hill Magistrates&#x27; Court (B01LY00)</option>' in html
    assert 'value="public" checked' in html
    assert 'value="press"' not in html and 'value="internal"' not in html
    assert "sign in</a> for press and internal lists" in html


def test_court_staff_see_every_list_to_choose(staff_client):
    html = staff_client.get(CHOOSE).content.decode()
    for value in ("public", "press", "internal", "crown-daily", "crown-firm", "crown-warned"):
        assert f'value="{value}"' in html


def test_choosing_a_list_goes_to_its_page(client):
    response = choose(client)
    assert response.status_code == 302
    assert response["Location"] == "/court-lists/B01LY00/2026-03-16/public/"


def test_choosing_with_mistakes_shows_each_beside_its_field(client):
    response = choose(client, centre="", day="30", month="2", list_type="press")
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Court lists - Courts</title>" in html
    assert '<a href="#court_centre">Select a court centre</a>' in html
    assert '<a href="#list_date-day">Date must be a real date</a>' in html
    assert '<a href="#list_type">Sign in as court staff to see press and internal lists</a>' in html


def test_choosing_a_crown_list_at_a_magistrates_court_explains_why_not(staff_client):
    response = choose(staff_client, list_type="crown-firm")
    assert response.status_code == 422
    assert "Lavender Hill Magistrates&#x27; Court is a magistrates&#x27; court: select a public, press or internal list" \
        in response.content.decode()


def test_the_public_list_page_shows_each_court_room_in_order_without_what_the_law_hides(client):
    # given
    magistrates_day()
    # when
    page = client.get(list_url())
    # then
    assert page.status_code == 200
    assert page["Cache-Control"] == "public, max-age=300"
    body = text(page)
    assert "Public list" in body and "Monday 16 March 2026" in body
    assert "Courtroom 1" in body and "Ms A Patel, Mr B Jones, Mrs C Lee" in body
    assert body.index("Jane Doe") < body.index("Ella Eighteen") < body.index("Acme Haulage Ltd") < body.index("Carl Cohen")
    assert "10:00am" in body and "10:40am" in body
    for hidden in ("Sam Seventeen", "Tom Teen", "Rob Restricted", "Yasmin Youth", "01AB1234531", "Mary Victim",
                   "17 May 1990", "Name withheld", "Courtroom 3"):
        assert hidden not in body, hidden
    html = page.content.decode()
    assert re.findall(r'<h2 class="govuk-heading-m[^"]*">([^<]*)</h2>', html) == ["Courtroom 1"]
    assert 'href="/api/v1/court-lists?courtCentre=B01LY00&amp;date=2026-03-16&amp;type=public&amp;format=pdf"' in html
    assert 'href="/api/v1/court-lists?courtCentre=B01LY00&amp;date=2026-03-16&amp;type=public"' in html


def test_the_pdf_and_json_links_work_for_a_signed_in_staff_member(staff_client):
    magistrates_day()
    html = staff_client.get(list_url("press")).content.decode()
    pdf_link = re.search(r'href="(/api/v1/court-lists\?[^"]*format=pdf)"', html).group(1).replace("&amp;", "&")
    json_link = re.search(r'href="(/api/v1/court-lists\?[^"]*type=press)"', html).group(1).replace("&amp;", "&")
    assert staff_client.get(pdf_link).content.startswith(b"%PDF")
    assert "courtLists" in staff_client.get(json_link).json()


def test_press_and_internal_pages_send_an_anonymous_visitor_to_sign_in(client):
    response = client.get(list_url("press"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/court-lists/B01LY00/2026-03-16/press/")


def test_press_page_is_not_for_someone_outside_the_court(client):
    client.force_login(UserFactory(username="cps-lawyer", organisation=OrganisationFactory()))
    assert client.get(list_url("internal")).status_code == 403


def test_the_press_page_withholds_names_and_says_it_is_not_for_publication(staff_client):
    magistrates_day()
    page = staff_client.get(list_url("press"))
    body = text(page)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "Not for publication" in body
    assert "Name withheld" in body and "Under 18 on the hearing date" in body
    assert "Reporting restriction Sexual Offences (Amendment) Act 1992 s.1" in body
    assert "Born 17 May 1990 (age 35)" in body and "Assaulted Mary Victim by beating her" in body
    assert "Sam Seventeen" not in body and "Rob Restricted" not in body and "Sexually assaulted" not in body


def test_the_internal_page_shows_everyone_and_every_sitting(staff_client):
    magistrates_day()
    body = text(staff_client.get(list_url("internal")))
    assert "Courtroom 3" in body and "No hearings listed." in body
    for name in ("Sam Seventeen", "Tom Teen", "Rob Restricted", "Yasmin Youth"):
        assert name in body
    assert "Not on public lists Under 18 on the hearing date" in body


def test_crown_warned_list_page_for_the_week(staff_client):
    crown_day()
    body = text(staff_client.get(list_url("crown-warned", CROWN_OU, "2026-03-18")))
    assert "Crown Court warned list: week commencing Monday 16 March 2026" in body
    assert "Court 2, Monday 16 March 2026" in body


def test_unknown_centre_date_or_list_is_not_found(client):
    assert client.get(list_url(ou="ZZ99ZZ9")).status_code == 404
    assert client.get(list_url(date="2026-02-30")).status_code == 404
    assert client.get(list_url("youth")).status_code == 404
    assert client.get(list_url("crown-daily")).status_code == 404


def test_an_empty_day_says_so(client):
    assert "No hearings are listed." in text(client.get(list_url()))


def test_the_list_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    # given a full day
    magistrates_day()
    # then: the court centre, then the list (sittings, hearing days, defendants, offences, prosecutors,
    # recorded reporting restrictions)
    with django_assert_num_queries(7):
        assert client.get(list_url()).status_code == 200
