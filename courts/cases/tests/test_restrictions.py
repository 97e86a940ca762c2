"""Restricted cases: recording and lifting reporting restrictions, and what each surface withholds from
people who do not need the restricted parts (docs/access.md "Restricted cases", docs/adr/0004)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.services import (
    actor_for_user,
    api_token_create,
    judicial_office_grant,
    organisation_get_or_create,
    staff_role_grant,
)
from courts.accounts.tests.factories import UserFactory
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.cases import selectors
from courts.cases.enums import IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import ReportingRestriction
from courts.cases.services import case_intake, reporting_restriction_impose, reporting_restriction_lift
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.common.errors import Conflict, PermissionDenied, ValidationFailed
from courts.reference.models import CourtCentre
from courts.web.middleware import TWO_FACTOR_KEY, TWO_FACTOR_VERIFIED

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("restrictions test")
YOUTH_SURNAME = "Quillfeather"
COMPLAINANT = "Zelda Nightingale"
SOA = "Sexual Offences (Amendment) Act 1992 s.1"


def _youth_dob() -> dt.date:
    today = court_today()
    return today.replace(year=today.year - 16, day=min(today.day, 28))


@pytest.fixture
def world(db):
    centre = CourtCentre.objects.get(ou_code=COURT_OU)
    other = CourtCentre.objects.filter(jurisdiction=centre.jurisdiction).exclude(pk=centre.pk).order_by("ou_code").first()
    org = {name: organisation_get_or_create(name=name, kind=kind, actor=SYSTEM)[0] for name, kind in [
        ("R CPS", OrganisationKind.PROSECUTOR), ("R Solicitors", OrganisationKind.DEFENCE),
        ("R Police", OrganisationKind.POLICE), ("R YOT", OrganisationKind.YOT)]}
    org["R Police"].court_centres.add(centre)
    org["R YOT"].court_centres.add(centre)
    today = court_today()
    offence_day = today - dt.timedelta(days=20)
    intake = CaseIntake(urn="01RR1234525", initiation_type="C", court_centre_ou_code=COURT_OU,
                        hearing_date=today + dt.timedelta(days=7), defendants=[
        DefendantIntake(kind="person", first_name="Tia", last_name=YOUTH_SURNAME, date_of_birth=_youth_dob(),
                        address_lines=["7 Hidden Road"], postcode="SW11 9ZZ", asn=valid_asn(sequence=930001),
                        bail_status="B", bail_conditions="Live at 7 Hidden Road",
                        offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole sweets", start_date=offence_day)]),
        DefendantIntake(kind="person", first_name="Adam", last_name="Adultman", date_of_birth=dt.date(1980, 1, 2),
                        asn=valid_asn(sequence=930002),
                        offences=[OffenceIntake(cjs_code=COMMON_ASSAULT, wording=f"Assaulted {COMPLAINANT}",
                                                start_date=offence_day)]),
    ])
    case = case_intake(intake=intake, prosecutor=org["R CPS"], actor=SYSTEM, channel=IntakeChannel.API).case
    youth, adult = case.defendants.order_by("sequence")
    staff_user = UserFactory(username="r-adviser", national_access=False)
    staff_role_grant(user=staff_user, court_centre=centre, role=StaffRoleKind.LEGAL_ADVISER, actor=SYSTEM)
    elsewhere_user = UserFactory(username="r-elsewhere", national_access=False)
    staff_role_grant(user=elsewhere_user, court_centre=other, role=StaffRoleKind.LEGAL_ADVISER, actor=SYSTEM)
    judge_user = UserFactory(username="r-judge", national_access=False)
    judicial_office_grant(user=judge_user, kind=JudicialOfficeKind.DISTRICT_JUDGE, court_centres=[centre], actor=SYSTEM)
    users = {
        "staff": staff_user, "elsewhere": elsewhere_user, "judge": judge_user,
        "prosecutor": UserFactory(username="r-cps", organisation=org["R CPS"]),
        "defence": UserFactory(username="r-solicitor", organisation=org["R Solicitors"]),
        "police": UserFactory(username="r-police", organisation=org["R Police"]),
        "yot": UserFactory(username="r-yot", organisation=org["R YOT"]),
    }
    actors = {role: actor_for_user(user) for role, user in users.items()}
    from courts.defence.services import representation_associate

    representation_associate(urn=case.urn, surname=YOUTH_SURNAME, date_of_birth=youth.date_of_birth,
                             actor=actors["defence"])
    reporting_restriction_impose(case=case, actor=actors["staff"], expected_version=None, basis="soaa_1992_s1",
                                 offence=adult.offences.get())
    return {"case": case, "youth": youth, "adult": adult, "users": users, "actors": actors, "org": org}


def loaded(case, sequence: int):
    """A defendant of a case as it was loaded for its reader (not read again from the database)."""
    return next(d for d in case.defendants.all() if d.sequence == sequence)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_KEY] = TWO_FACTOR_VERIFIED
    session.save()
    return client


# --- Recording and lifting -------------------------------------------------------------------------


def test_court_staff_of_the_case_court_record_a_restriction_with_its_event(world):
    case, youth = world["case"], world["youth"]
    version = selectors.case_get_for_actor(actor=SYSTEM, case_id=case.id).version
    row = reporting_restriction_impose(case=case, actor=world["actors"]["staff"], expected_version=version,
                                       basis="cypa_1933_s49", defendant=youth, details="Until further order")
    assert row.kind == "youth" and row.defendant_id == youth.id and row.is_active
    event = Event.objects.filter(type=EventType.REPORTING_RESTRICTION_IMPOSED, case_id=case.id).latest("occurred_at")
    assert event.payload["restriction_id"] == str(row.id)
    assert event.summary == "Youth court proceedings (Children and Young Persons Act 1933 s.49) recorded on defendant 1"
    assert YOUTH_SURNAME not in event.summary


@pytest.mark.parametrize("who", ["elsewhere", "judge", "prosecutor", "defence", "police"])
def test_only_court_staff_of_the_case_court_record_one(world, who):
    with pytest.raises(PermissionDenied):
        reporting_restriction_impose(case=world["case"], actor=world["actors"][who], expected_version=None,
                                     basis="cca_1981_s4_2")
    assert ReportingRestriction.objects.filter(case=world["case"]).count() == 1


def test_a_basis_goes_only_where_the_law_puts_it(world):
    staff = world["actors"]["staff"]
    with pytest.raises(ValidationFailed) as error:
        reporting_restriction_impose(case=world["case"], actor=staff, expected_version=None, basis="soaa_1992_s1",
                                     defendant=world["youth"])
    assert [e.field for e in error.value.errors] == ["target"]
    with pytest.raises(ValidationFailed) as error:
        reporting_restriction_impose(case=world["case"], actor=staff, expected_version=None, basis="made_up")
    assert [e.field for e in error.value.errors] == ["basis"]
    with pytest.raises(Conflict):
        reporting_restriction_impose(case=world["case"], actor=staff, expected_version=None, basis="soaa_1992_s1",
                                     offence=world["adult"].offences.get())
    with pytest.raises(Conflict):  # a stale version
        reporting_restriction_impose(case=world["case"], actor=staff, expected_version=1, basis="cca_1981_s4_2")


def test_lifting_needs_a_reason_and_keeps_the_row_with_its_event(world):
    row = ReportingRestriction.objects.get(case=world["case"])
    staff = world["actors"]["staff"]
    with pytest.raises(ValidationFailed) as error:
        reporting_restriction_lift(restriction=row, actor=staff, expected_version=None, reason="  ")
    assert error.value.errors[0].field == "reason"
    with pytest.raises(PermissionDenied):
        reporting_restriction_lift(restriction=row, actor=world["actors"]["elsewhere"], expected_version=None,
                                   reason="Waived")
    reporting_restriction_lift(restriction=row, actor=staff, expected_version=None,
                               reason="Complainant waived anonymity in writing")
    row.refresh_from_db()
    assert row.lifted_at is not None and row.lift_reason == "Complainant waived anonymity in writing"
    assert Event.objects.filter(type=EventType.REPORTING_RESTRICTION_LIFTED, case_id=world["case"].id).exists()
    with pytest.raises(Conflict):
        reporting_restriction_lift(restriction=row, actor=staff, expected_version=None, reason="Again")
    # and the police now read the wording
    police_case = selectors.case_get_for_actor(actor=world["actors"]["police"], case_id=world["case"].id)
    assert COMPLAINANT in loaded(police_case, 2).offences.all()[0].wording


# --- Who needs the restricted parts ----------------------------------------------------------------


@pytest.mark.parametrize("who, youth_needed, adult_needed", [
    ("staff", True, True), ("judge", True, True), ("prosecutor", True, True),
    ("defence", True, False),  # on record for the youth only
    ("yot", True, False),
    ("police", False, False),
])
def test_who_needs_the_restricted_parts(world, who, youth_needed, adult_needed):
    case = world["case"]
    view = selectors.restricted_view_for_actor(actor=world["actors"][who], case_id=case.id,
                                               prosecutor_id=case.prosecutor_id,
                                               defendant_ids=[world["youth"].id, world["adult"].id])
    assert (view.needs(world["youth"].id), view.needs(world["adult"].id)) == (youth_needed, adult_needed)


def test_the_police_see_initials_and_withheld_wording_and_court_staff_see_everything(world):
    police = selectors.case_get_for_actor(actor=world["actors"]["police"], case_id=world["case"].id)
    youth = loaded(police, 1)
    assert (youth.name, youth.date_of_birth, youth.address_lines, youth.postcode, youth.bail_conditions) == (
        "T. Q.", None, [], "", "")
    assert loaded(police, 2).offences.all()[0].wording == f"Wording withheld: reporting restriction ({SOA})"
    with pytest.raises(RuntimeError):
        youth.save()  # withheld instances are read-only
    staff = selectors.case_get_for_actor(actor=world["actors"]["staff"], case_id=world["case"].id)
    assert loaded(staff, 1).last_name == YOUTH_SURNAME
    assert COMPLAINANT in loaded(staff, 2).offences.all()[0].wording


def test_search_by_name_does_not_find_a_withheld_identity(world):
    dob = world["youth"].date_of_birth
    search = selectors.CaseSearch(surname=YOUTH_SURNAME[:5], date_of_birth=dob)
    assert selectors.case_search(actor=world["actors"]["police"], search=search) == []
    assert len(selectors.case_search(actor=world["actors"]["staff"], search=search)) == 1
    by_urn = selectors.case_search(actor=world["actors"]["police"], search=selectors.CaseSearch(urn=world["case"].urn))
    assert loaded(by_urn[0], 1).name == "T. Q."


# --- Each surface ------------------------------------------------------------------------------------


def _shows(body: bytes) -> tuple[bool, bool]:
    text = body.decode()
    return YOUTH_SURNAME in text, COMPLAINANT in text


def test_the_case_page_withholds_for_the_police_and_shows_court_staff(world):
    url = reverse("web:case-detail", kwargs={"case_id": world["case"].id})
    police = client_for(world["users"]["police"]).get(url)
    assert police.status_code == 200 and _shows(police.content) == (False, False)
    assert "withheld: reporting restriction" in police.content.decode()
    staff = client_for(world["users"]["staff"]).get(url)
    assert _shows(staff.content) == (True, True)
    assert reverse("web:case-restrictions", kwargs={"case_id": world["case"].id}) in staff.content.decode()


def test_the_search_page_withholds_for_the_police(world):
    response = client_for(world["users"]["police"]).post(reverse("web:case-search"), {"urn": world["case"].urn})
    assert response.status_code == 200 and world["case"].urn in response.content.decode()
    assert _shows(response.content) == (False, False)


def _token(world, name: str) -> str:
    return api_token_create(organisation=world["org"][name], name="t", actor=SYSTEM)[1]


def test_the_case_api_and_search_api_withhold_for_the_police_token(world, client):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(world, 'R Police')}"}
    got = client.get(f"/api/v1/cases/{world['case'].id}", **headers)
    assert got.status_code == 200 and _shows(got.content) == (False, False)
    person = got.json()["defendants"][0]["personDefendant"]["personDetails"]
    assert person["lastName"] == "Q." and "dateOfBirth" not in person and "address" not in person
    found = client.get("/api/v1/cases", {"urn": world["case"].urn}, **headers)
    assert found.status_code == 200 and _shows(found.content) == (False, False)
    cps = {"HTTP_AUTHORIZATION": f"Bearer {_token(world, 'R CPS')}"}
    assert _shows(client.get(f"/api/v1/cases/{world['case'].id}", **cps).content) == (True, True)


def test_the_hearing_api_and_court_schedule_withhold_for_the_police_token(world, client):
    from courts.listing.models import HearingDefendant

    hearing_id = HearingDefendant.objects.filter(case=world["case"]).values_list("hearing_id", flat=True).first()
    police = {"HTTP_AUTHORIZATION": f"Bearer {_token(world, 'R Police')}"}
    got = client.get(f"/api/v1/hearings/{hearing_id}", **police)
    assert got.status_code == 200 and _shows(got.content) == (False, False)
    schedule = client.get(f"/api/v1/case/{world['case'].urn}/courtschedule", **police)
    assert schedule.status_code == 200 and _shows(schedule.content) == (False, False)
    assert "T. Q." in schedule.content.decode()
    cps = {"HTTP_AUTHORIZATION": f"Bearer {_token(world, 'R CPS')}"}
    assert _shows(client.get(f"/api/v1/hearings/{hearing_id}", **cps).content) == (True, True)


# --- The page and the API that record and lift ------------------------------------------------------


def test_the_restrictions_page_records_and_lifts_with_govuk_errors(world):
    case = world["case"]
    url = reverse("web:case-restrictions", kwargs={"case_id": case.id})
    staff = client_for(world["users"]["staff"])
    assert staff.get(url).status_code == 200
    version = selectors.case_get_for_actor(actor=SYSTEM, case_id=case.id).version
    missing = staff.post(url, {"action": "impose", "expected_version": version, "target": "case"})
    assert missing.status_code == 422 and "There is a problem" in missing.content.decode()
    assert "Choose the restriction the court made" in missing.content.decode()
    wrong = staff.post(url, {"action": "impose", "expected_version": version, "basis": "soaa_1992_s1",
                             "target": "case"})
    assert wrong.status_code == 422 and "is recorded on an offence" in wrong.content.decode()
    made = staff.post(url, {"action": "impose", "expected_version": version, "basis": "cca_1981_s11",
                            "target": f"defendant:{world['adult'].id}", "details": "Name not to be published"})
    assert made.status_code == 302
    row = ReportingRestriction.objects.get(case=case, basis="cca_1981_s11")
    no_reason = staff.post(url, {"action": "lift", "restriction": str(row.id), "expected_version": version + 1})
    assert no_reason.status_code == 422 and "Give the reason the restriction is lifted" in no_reason.content.decode()
    lifted = staff.post(url, {"action": "lift", "restriction": str(row.id), "expected_version": version + 1,
                              "reason": "Order discharged"})
    assert lifted.status_code == 302
    row.refresh_from_db()
    assert row.lift_reason == "Order discharged"


@pytest.mark.parametrize("who, status", [("judge", 403), ("police", 403), ("prosecutor", 403), ("elsewhere", 404)])
def test_the_restrictions_page_is_for_court_staff_of_the_case_court(world, who, status):
    url = reverse("web:case-restrictions", kwargs={"case_id": world["case"].id})
    assert client_for(world["users"][who]).get(url).status_code == status


def test_the_api_records_and_lifts_with_problem_json(world, client):
    case = world["case"]
    staff = client_for(world["users"]["staff"])
    url = f"/api/v1/cases/{case.id}/reporting-restrictions"
    bad = staff.post(url, {"basis": "soaa_1992_s1", "defendantId": str(world["youth"].id)},
                     content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    made = staff.post(url, {"basis": "yjcea_1999_s45", "defendantId": str(world["youth"].id)},
                      content_type="application/json")
    assert made.status_code == 201 and made.json()["act"] == "Youth Justice and Criminal Evidence Act 1999 s.45"
    lifted = staff.post(f"{url}/lift", {"restrictionId": made.json()["id"], "reason": "Turned 18"},
                        content_type="application/json")
    assert lifted.status_code == 200 and lifted.json()["liftReason"] == "Turned 18"
    cps = {"HTTP_AUTHORIZATION": f"Bearer {_token(world, 'R CPS')}"}
    refused = client.post(url, {"basis": "cca_1981_s4_2"}, content_type="application/json", **cps)
    assert refused.status_code == 403
