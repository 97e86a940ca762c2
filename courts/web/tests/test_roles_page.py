"""The court administrator's page of people and roles: grant and revoke court roles and judicial
offices at the centres they administer; bad input names each problem and changes nothing; anyone who
is not a court administrator is refused."""

import pytest
from django.urls import reverse

from courts.accounts.enums import JudicialOfficeKind, StaffRoleKind
from courts.accounts.models import JudicialOffice, StaffRole
from courts.accounts.services import judicial_office_grant, staff_role_grant
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.cases.tests.factories import COURT_OU
from courts.common.actor import Actor
from courts.reference.models import CourtCentre

SYSTEM = Actor.system("roles page test")
URL = "/court-administration/roles/"


@pytest.fixture
def world(db):
    here = CourtCentre.objects.get(ou_code=COURT_OU)
    there = CourtCentre.objects.filter(jurisdiction=here.jurisdiction).exclude(pk=here.pk).order_by("ou_code").first()
    admin = UserFactory(username="roles-admin", first_name="Ann", last_name="Admin", national_access=False)
    staff_role_grant(user=admin, court_centre=here, role=StaffRoleKind.COURT_ADMINISTRATOR, actor=SYSTEM)
    adviser = UserFactory(username="roles-adviser", first_name="Ada", last_name="Adviser", national_access=False)
    staff_role_grant(user=adviser, court_centre=here, role=StaffRoleKind.LEGAL_ADVISER, actor=SYSTEM)
    elsewhere = UserFactory(username="roles-elsewhere", first_name="Eli", last_name="Where", national_access=False)
    staff_role_grant(user=elsewhere, court_centre=there, role=StaffRoleKind.LISTING_OFFICER, actor=SYSTEM)
    newcomer = UserFactory(username="roles-newcomer", first_name="Nia", last_name="Newcomer", national_access=False)
    return {"here": here, "there": there, "admin": admin, "adviser": adviser, "elsewhere": elsewhere,
            "newcomer": newcomer}


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["admin"])
    return client


def _events(kind) -> int:
    return Event.objects.filter(type=kind).count()


def test_the_url_is_the_one_documented():
    assert reverse("web:court-administration-roles") == URL


def test_a_court_administrator_sees_the_roles_at_their_centres_only(admin_client, world):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "roles-adviser" in html and "roles-admin" in html
    assert "roles-elsewhere" not in html
    # Only the centres they administer are offered.
    assert f'value="{world["here"].ou_code}"' in html and f'value="{world["there"].ou_code}"' not in html
    home = admin_client.get(reverse("web:home")).content.decode()
    assert URL in home


def test_granting_a_role_through_the_page(admin_client, world):
    granted = _events(EventType.STAFF_ROLE_GRANTED)
    response = admin_client.post(URL, {"action": "grant", "username": " Roles-Newcomer ",
                                       "court_centre": world["here"].ou_code, "role": "court_associate"})
    assert response.status_code == 302 and response["Location"] == URL
    assert StaffRole.objects.filter(user=world["newcomer"], court_centre=world["here"],
                                    role=StaffRoleKind.COURT_ASSOCIATE).exists()
    assert _events(EventType.STAFF_ROLE_GRANTED) == granted + 1
    page = admin_client.get(URL).content.decode()
    assert "roles-newcomer is court associate at" in page and "roles-newcomer" in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"username": "", "court_centre": "HERE", "role": "legal_adviser"}, "username", "Enter the person"),
    ({"username": "nobody-at-all", "court_centre": "HERE", "role": "legal_adviser"}, "username",
     "No active account has the username nobody-at-all"),
    ({"username": "roles-newcomer", "court_centre": "THERE", "role": "legal_adviser"}, "court_centre",
     "Select a court centre you administer"),
    ({"username": "roles-newcomer", "court_centre": "", "role": "legal_adviser"}, "court_centre",
     "Select a court centre you administer"),
    ({"username": "roles-newcomer", "court_centre": "HERE", "role": "judge"}, "role", "Select a role"),
    ({"username": "roles-cps", "court_centre": "HERE", "role": "legal_adviser"}, "username",
     "is not HMCTS staff"),
])
def test_a_bad_grant_names_the_problem_and_changes_nothing(admin_client, world, data, field, message):
    UserFactory(username="roles-cps", organisation=OrganisationFactory(name="Roles CPS 2"))
    centres = {"HERE": world["here"].ou_code, "THERE": world["there"].ou_code, "": ""}
    data = {**data, "court_centre": centres[data["court_centre"]], "action": "grant"}
    roles, events = StaffRole.objects.count(), Event.objects.count()
    response = admin_client.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html and f'href="#{field}"' in html
    assert StaffRole.objects.count() == roles and Event.objects.count() == events


def test_revoking_a_role_through_the_page(admin_client, world):
    adviser = world["adviser"]
    response = admin_client.post(URL, {"action": "revoke", "user": str(adviser.public_id),
                                       "revoke_court_centre": world["here"].ou_code,
                                       "revoke_role": "legal_adviser"})
    assert response.status_code == 302
    assert not StaffRole.objects.filter(user=adviser).exists()
    assert _events(EventType.STAFF_ROLE_REVOKED) == 1


@pytest.mark.parametrize("change", [
    {"revoke_role": "court_associate"},  # not held
    {"revoke_court_centre": "THERE"},  # a centre they do not administer
    {"user": "not-a-uuid"},
    {"revoke_role": "nonsense"},
])
def test_a_bad_revoke_is_refused_and_changes_nothing(admin_client, world, change):
    elsewhere_role = {"user": str(world["elsewhere"].public_id), "revoke_court_centre": world["there"].ou_code,
                      "revoke_role": "listing_officer"}
    data = {"action": "revoke", "user": str(world["adviser"].public_id),
            "revoke_court_centre": world["here"].ou_code, "revoke_role": "legal_adviser", **change}
    if data["revoke_court_centre"] == "THERE":
        data = {"action": "revoke", **elsewhere_role}
    roles, events = StaffRole.objects.count(), Event.objects.count()
    response = admin_client.post(URL, data)
    assert response.status_code == 422
    assert "govuk-error-summary" in response.content.decode()
    assert StaffRole.objects.count() == roles and Event.objects.count() == events


def test_an_unknown_action_is_refused(admin_client, world):
    response = admin_client.post(URL, {"action": "promote"})
    assert response.status_code == 422 and "Choose what to do" in response.content.decode()


def test_recording_and_removing_a_judicial_office(admin_client, world):
    response = admin_client.post(URL, {"action": "judicial-grant", "judicial_username": "roles-newcomer",
                                       "judicial_kind": "magistrate", "judicial_court_centre": world["here"].ou_code})
    assert response.status_code == 302
    office = JudicialOffice.objects.get(user=world["newcomer"], kind=JudicialOfficeKind.MAGISTRATE)
    assert list(office.court_centres.all()) == [world["here"]]
    assert _events(EventType.JUDICIAL_OFFICE_GRANTED) == 1
    assert "roles-newcomer" in admin_client.get(URL).content.decode()

    response = admin_client.post(URL, {"action": "judicial-revoke", "user": str(world["newcomer"].public_id),
                                       "kind": "magistrate"})
    assert response.status_code == 302
    assert not JudicialOffice.objects.filter(user=world["newcomer"]).exists()
    assert _events(EventType.JUDICIAL_OFFICE_REVOKED) == 1


def test_a_bad_judicial_office_grant_names_each_problem(admin_client, world):
    response = admin_client.post(URL, {"action": "judicial-grant", "judicial_username": "",
                                       "judicial_kind": "bishop", "judicial_court_centre": world["there"].ou_code})
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("judicial_username", "judicial_kind", "judicial_court_centre"):
        assert f'href="#{field}"' in html
    assert not JudicialOffice.objects.exists() and _events(EventType.JUDICIAL_OFFICE_GRANTED) == 0


def test_an_office_sitting_at_a_centre_they_do_not_administer_is_not_theirs_to_remove(admin_client, world):
    judge = UserFactory(username="roles-judge", national_access=False)
    judicial_office_grant(user=judge, kind=JudicialOfficeKind.DISTRICT_JUDGE,
                          court_centres=[world["here"], world["there"]], actor=SYSTEM)
    page = admin_client.get(URL).content.decode()
    assert "roles-judge" in page and "a court administrator of each centre removes the office" in page
    response = admin_client.post(URL, {"action": "judicial-revoke", "user": str(judge.public_id),
                                       "kind": "district_judge"})
    assert response.status_code == 403 and "govuk-error-summary" in response.content.decode()
    assert JudicialOffice.objects.filter(user=judge).exists()
    assert _events(EventType.JUDICIAL_OFFICE_REVOKED) == 0


@pytest.mark.parametrize("who", ["adviser", "national", "prosecutor"])
def test_anyone_but_a_court_administrator_is_refused(client, world, who):
    user = {"adviser": world["adviser"], "national": UserFactory(username="roles-national", national_access=True),
            "prosecutor": UserFactory(username="roles-cps-2", organisation=OrganisationFactory(name="Roles P"))}[who]
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"action": "grant", "username": "roles-newcomer",
                                 "court_centre": world["here"].ou_code, "role": "court_administrator"})
    assert response.status_code == 403
    assert not StaffRole.objects.filter(user=world["newcomer"]).exists()
    assert URL not in client.get(reverse("web:home")).content.decode()


def test_signed_out_goes_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("web:login") in response["Location"]
