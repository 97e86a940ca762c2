"""The defence portal and the access log, through the Django test client; the API's association and
disassociation beside them."""

import json

import pytest
from django.urls import reverse

from courts.accounts.services import api_token_create
from courts.audit.models import AccessLogEntry
from courts.common.actor import Actor
from courts.defence import services
from courts.defence.models import Representation
from courts.defence.tests.factories import DOB, actor, firm, person
from courts.hearings.models import AdvocateAppearance
from courts.hearings.tests.factories import listed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    return listed_case(defendants=2)  # Jo Doe and Jo Roe on 01AB1234525


@pytest.fixture
def solicitor_user():
    return person(firm())


@pytest.fixture
def defence_client(client, solicitor_user):
    client.force_login(solicitor_user)
    return client


def post_associate(client, urn="01AB1234525", surname="Doe", dob=DOB):
    return client.post(reverse("web:defence-associate"), {
        "urn": urn, "surname": surname, "date_of_birth-day": str(dob.day) if dob else "",
        "date_of_birth-month": str(dob.month) if dob else "", "date_of_birth-year": str(dob.year) if dob else ""})


def test_associate_then_my_cases_lists_the_defendant(listed, defence_client):
    case, _ = listed
    response = post_associate(defence_client)
    doe = case.defendants.get(last_name="Doe")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:defence-case", kwargs={"defendant_id": doe.id})
    home = defence_client.get(reverse("web:defence-home")).content.decode()
    assert "Jo Doe" in home and "01AB1234525" in home and "Jo Roe" not in home


def test_bad_input_shows_the_govuk_error_summary(listed, defence_client):
    response = defence_client.post(reverse("web:defence-associate"), {
        "urn": "", "surname": "", "date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "1985"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Associate with a defendant - Courts</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#urn">Enter the URN</a>' in html
    assert '<a href="#surname">Enter the defendant&#x27;s surname</a>' in html
    assert "Date of birth must be a real date" in html


def test_a_wrong_guess_says_the_same_whether_the_case_exists_or_not(listed, defence_client):
    exists = post_associate(defence_client, surname="Smith")
    missing = post_associate(defence_client, urn="99ZZ9999999")
    assert exists.status_code == missing.status_code == 422
    message = services.NO_MATCH
    for response in (exists, missing):
        assert f'<a href="#urn">{message}</a>' in response.content.decode()


def test_after_five_wrong_guesses_the_page_says_wait(listed, defence_client):
    for _ in range(services.FAILED_ATTEMPTS_PER_USER):
        post_associate(defence_client, surname="Smith")
    response = post_associate(defence_client)
    assert response.status_code == 429
    assert services.THROTTLED in response.content.decode()
    assert not Representation.objects.exists()


def test_a_second_firm_sees_whom_to_ask(listed, client, solicitor_user):
    services.representation_associate(urn="01AB1234525", surname="Doe", date_of_birth=DOB,
                                      actor=actor(solicitor_user))
    client.force_login(person(firm("Jones Defence LLP"), username="rival"))
    response = post_associate(client)
    assert response.status_code == 409
    assert "Smith &amp; Co Solicitors is on record for this defendant" in response.content.decode()


def test_the_portal_case_page_shows_hearings_and_checks_in(listed, defence_client, solicitor_user):
    case, hearing = listed
    post_associate(defence_client)
    doe = case.defendants.get(last_name="Doe")
    page = defence_client.get(reverse("web:defence-case", kwargs={"defendant_id": doe.id}))
    html = page.content.decode()
    assert page.status_code == 200 and "Jo Doe" in html and "Jo Roe" not in html
    check_in = reverse("web:defence-check-in", kwargs={"defendant_id": doe.id, "hearing_id": hearing.id})
    assert check_in in html
    # A name left empty is an error in the summary.
    bad = defence_client.post(check_in, {"advocate_name": " "})
    assert bad.status_code == 422 and '<a href="#advocate_name">Enter the advocate&#x27;s name</a>' in bad.content.decode()
    done = defence_client.post(check_in, {"advocate_name": "Dana Defender"})
    assert done.status_code == 302
    appearance = AdvocateAppearance.objects.get()
    assert appearance.role == "DEFENCE" and list(appearance.defendants.all()) == [doe]
    assert "Dana Defender (Smith &amp; Co Solicitors)" in defence_client.get(done["Location"]).content.decode()


def test_disassociation_takes_effect_on_the_next_request(listed, defence_client):
    case, _ = listed
    post_associate(defence_client)
    doe = case.defendants.get(last_name="Doe")
    assert defence_client.get(reverse("web:case-detail", kwargs={"case_id": case.id})).status_code == 200
    assert defence_client.get(f"/api/v1/cases/{case.id}").status_code == 200
    response = defence_client.post(reverse("web:defence-disassociate", kwargs={"defendant_id": doe.id}))
    assert response.status_code == 302
    assert defence_client.get(reverse("web:case-detail", kwargs={"case_id": case.id})).status_code == 404
    assert defence_client.get(f"/api/v1/cases/{case.id}").status_code == 404
    assert defence_client.get(reverse("web:defence-case", kwargs={"defendant_id": doe.id})).status_code == 404


def test_the_case_page_shows_the_defence_its_defendant_only_and_no_history(listed, defence_client):
    case, _ = listed
    post_associate(defence_client)
    html = defence_client.get(reverse("web:case-detail", kwargs={"case_id": case.id})).content.decode()
    assert "Jo Doe" in html and "Jo Roe" not in html
    assert "Case 01AB1234525 created" not in html


def test_the_portal_is_for_the_defence(staff_client):
    assert staff_client.get(reverse("web:defence-home")).status_code == 403


def test_advocate_grant_and_revoke_from_the_portal(listed, defence_client):
    case, hearing = listed
    post_associate(defence_client)
    doe = case.defendants.get(last_name="Doe")
    barrister = person(firm("Ms A Barrister"), username="barrister", first_name="Ann", last_name="Barrister")
    url = reverse("web:defence-grant", kwargs={"defendant_id": doe.id})
    unknown = defence_client.post(url, {"advocate": "nobody", "hearing": ""})
    assert unknown.status_code == 422 and '<a href="#advocate">No advocate has that username</a>' in unknown.content.decode()
    assert defence_client.post(url, {"advocate": "barrister", "hearing": str(hearing.id)}).status_code == 302
    grant = barrister.advocate_grants.get()
    assert grant.hearing_id == hearing.id
    revoke = reverse("web:defence-grant-revoke", kwargs={"defendant_id": doe.id, "grant_id": grant.id})
    assert defence_client.post(revoke).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


# --- The access log ---------------------------------------------------------------------------------


def test_a_defence_view_is_logged_and_court_staff_read_the_log(listed, defence_client, client, staff_user):
    case, hearing = listed
    post_associate(defence_client)
    doe = case.defendants.get(last_name="Doe")
    defence_client.get(reverse("web:case-detail", kwargs={"case_id": case.id}), REMOTE_ADDR="198.51.100.4")
    defence_client.get(reverse("web:defence-case", kwargs={"defendant_id": doe.id}))
    defence_client.get(f"/api/v1/cases/{case.id}")
    defence_client.get(f"/api/v1/hearing-results/hearings/{hearing.id}")
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert [e.what for e in entries] == ["web:case-detail", "web:defence-case", "api:cases_get",
                                         "api:getHearingResult"]
    assert {e.case_id for e in entries} == {case.id}
    assert entries[0].actor_label == "Dana Defender" and entries[0].organisation_name == "Smith & Co Solicitors"
    assert entries[0].ip_address == "198.51.100.4"
    # Court staff views are not logged; court staff read the log.
    client.force_login(staff_user)
    client.get(reverse("web:case-detail", kwargs={"case_id": case.id}))
    assert AccessLogEntry.objects.count() == 4
    log = client.get(reverse("web:case-access-log", kwargs={"case_id": case.id}))
    html = log.content.decode()
    assert log.status_code == 200 and html.count("Dana Defender") == 4 and "198.51.100.4" in html


def test_the_access_log_is_for_court_staff(listed, defence_client):
    case, _ = listed
    post_associate(defence_client)
    assert defence_client.get(reverse("web:case-access-log", kwargs={"case_id": case.id})).status_code == 403


def test_a_prosecutors_api_read_is_logged(listed):
    case, _ = listed
    from django.test import Client

    token = api_token_create(organisation=case.prosecutor, name="test", actor=Actor.system())[1]
    response = Client().get(f"/api/v1/cases/{case.id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.what == "api:cases_get" and entry.organisation_name == case.prosecutor.name


# --- The API -----------------------------------------------------------------------------------------


def test_api_associate_and_disassociate(listed, solicitor_user):
    case, _ = listed
    from django.test import Client

    token = api_token_create(organisation=solicitor_user.organisation, name="case system", actor=Actor.system())[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    wrong = api.post("/api/v1/defence/associations", json.dumps(
        {"urn": "01AB1234525", "surname": "Smith", "dateOfBirth": DOB.isoformat()}), content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["code"] == "no_match"
    made = api.post("/api/v1/defence/associations", json.dumps(
        {"urn": "01AB1234525", "surname": "Doe", "dateOfBirth": DOB.isoformat()}), content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["caseId"] == str(case.id) and body["defendantName"] == "Jo Doe"
    assert api.get(f"/api/v1/cases/{case.id}").status_code == 200
    assert [a["representationId"] for a in api.get("/api/v1/defence/associations").json()] == [body["representationId"]]
    gone = api.delete(f"/api/v1/defence/associations/{body['representationId']}")
    assert gone.status_code == 204
    assert api.get(f"/api/v1/cases/{case.id}").status_code == 404
    assert api.delete(f"/api/v1/defence/associations/{body['representationId']}").status_code == 404
