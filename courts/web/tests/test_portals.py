"""The portals: prosecution (cases, rejected cases to fix, results), judiciary (today's lists, case at a
glance) and partner agencies (defendants and results). Each shows exactly the cases and results its
user's role allows, refuses everyone else, and writes what it showed to the access log."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.services import api_token_create, judicial_office_grant, staff_role_grant
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.audit.models import AccessLogEntry, Event
from courts.cases.enums import IntakeChannel
from courts.cases.models import IntakeRejection
from courts.cases.services import case_intake
from courts.cases.tests.factories import COURT_OU
from courts.cases.tests.test_services import intake
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.common.errors import ValidationFailed
from courts.hearings.models import DefendantResulting
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK, listed_case
from courts.listing.tests.factories import room, sitting
from courts.reference.models import CourtCentre
from courts.web.tests.conftest import make_case

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("portal tests")
OTHER_OU = "B01IX00"  # another London magistrates' court


ROOMS = iter(range(10, 10_000))


def listed(urn: str, asn_base: int = 500000, **kwargs):
    """`listed_case` in a court room of its own (each test may list several)."""
    if "the_sitting" not in kwargs:
        from courts.hearings.tests.factories import court_day

        kwargs["the_sitting"] = sitting(room(name=f"Courtroom {next(ROOMS)}"), kwargs.get("day") or court_day(),
                                        capacity_minutes=600)
    return listed_case(urn=urn, asn_base=asn_base, **kwargs)


def share(case, hearing, line: str):
    defendant = case.defendants.order_by("sequence").first()
    offence = defendant.offences.get()
    draft = {"offences": {str(offence.id): {"notepad": line}}, "defendant": {}}
    version = DefendantResulting.objects.filter(hearing=hearing, defendant=defendant).values_list(
        "version", flat=True).first() or 1
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=version,
                                         actor=CLERK)
    assert work.can_share, [c.message for c in work.errors]
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)
    return defendant


def next_sitting_day(hearing, days: int) -> dt.date:
    """A working day `days` after the hearing, with a sitting at its court centre to list the next hearing in."""
    from courts.reference.calendar import on_or_after_working_day

    day = on_or_after_working_day(hearing.hearing_days.first().date + dt.timedelta(days=days))
    sitting(room(name=f"Courtroom {next(ROOMS)}", ou=hearing.court_centre.ou_code), day, capacity_minutes=600)
    return day


def adjourned_for_reports(case, hearing):
    """Convicted, adjourned for sentence with a bail condition to be available for reports (PORAR6)."""
    next_day = next_sitting_day(hearing, 21)
    return share(case, hearing, f'plea=G PORAR6 NHMC {next_day:%d/%m/%Y} htype=SEN hest="20 minutes"')


def remanded_in_custody(case, hearing, prison: str):
    defendant = case.defendants.order_by("sequence").first()
    offence = defendant.offences.get()
    next_day = next_sitting_day(hearing, 7)
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    draft = {"offences": {str(offence.id): {"notepad": line}}, "defendant": {"prison": prison}}
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                         actor=CLERK)
    draft["offences"][str(offence.id)]["answers"] = {
        f"RI:{s.id}": "Fail to surrender" for r in work.offences[0].results for s in r.missing}
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft,
                                         expected_version=resulting.version, actor=CLERK)
    assert work.can_share, [c.message for c in work.errors]
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)


def fined(case, hearing):
    return share(case, hearing, "plea=G FO 200 FCPC 85 FVS")


def case_elsewhere(*, urn: str, asn_base: int, day: dt.date | None = None):
    """A case sent to another court centre and listed there."""
    from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
    from courts.cases.tests.factories import THEFT_FROM_SHOP, valid_asn
    from courts.cases.tests.test_services import prosecutor
    from courts.hearings.tests.factories import court_day
    from courts.listing.models import Hearing
    from courts.listing.services import hearing_list

    day = day or court_day()
    offence_date = min(day, court_today()) - dt.timedelta(days=30)
    new = CaseIntake(urn=urn, initiation_type="C", court_centre_ou_code=OTHER_OU, hearing_date=None, defendants=[
        DefendantIntake(kind="person", first_name="Jo", last_name="Far", date_of_birth=dt.date(1985, 2, 3),
                        asn=valid_asn(sequence=asn_base), bail_status="B",
                        offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole", start_date=offence_date,
                                                charge_date=offence_date + dt.timedelta(days=1))])])
    case = case_intake(intake=new, prosecutor=prosecutor(), actor=CLERK, channel=IntakeChannel.API).case
    hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
    the_sitting = sitting(room(name="Court 9", ou=OTHER_OU), day, capacity_minutes=600)
    hearing = hearing_list(hearing=hearing, sitting=the_sitting, actor=CLERK, expected_sitting_version=None,
                           acknowledge_conflicts=True)
    return case, hearing


def judge(username="dj.jones", ou=COURT_OU):
    user = UserFactory(username=username, national_access=False)
    judicial_office_grant(user=user, kind=JudicialOfficeKind.DISTRICT_JUDGE,
                          court_centres=[CourtCentre.objects.get(ou_code=ou)], actor=SYSTEM)
    return user


def legal_adviser(username="adviser.local", ou=COURT_OU):
    user = UserFactory(username=username, national_access=False)
    staff_role_grant(user=user, court_centre=CourtCentre.objects.get(ou_code=ou), role=StaffRoleKind.LEGAL_ADVISER,
                     actor=SYSTEM)
    return user


def agency(kind, name, ou=COURT_OU):
    organisation = OrganisationFactory(name=name, kind=kind, prosecuting_authority_code="")
    organisation.court_centres.add(CourtCentre.objects.get(ou_code=ou))
    return organisation


def logged(user, what) -> set:
    return set(AccessLogEntry.objects.filter(user_id=user.pk, what=what).values_list("case_id", flat=True))


# --- Prosecution --------------------------------------------------------------------------------


@pytest.fixture
def cps():
    from courts.cases.tests.test_services import prosecutor

    return prosecutor()  # the prosecutor `listed_case` uses


@pytest.fixture
def cps_user(cps):
    return UserFactory(username="cps.lawyer", organisation=cps)


def test_prosecution_home_lists_only_the_organisations_cases_newest_first_with_next_hearing(client, cps, cps_user):
    tfl = OrganisationFactory(name="Transport for London", prosecuting_authority_code="TFL")
    older, hearing = listed(urn="01AB1234525")
    newer = make_case(prosecutor=cps, urn="02CD7654321", last_name="Newer", asn_sequence=600000)
    theirs = make_case(prosecutor=tfl, urn="03EF1111111", last_name="Theirs", asn_sequence=700000)
    client.force_login(cps_user)
    response = client.get(reverse("web:prosecution-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "02CD7654321" in html and "01AB1234525" in html and "03EF1111111" not in html
    assert html.index("02CD7654321") < html.index("01AB1234525")  # newest first
    day = hearing.hearing_days.get()
    assert day.sitting.court_room.name in html  # the listed case's next hearing
    assert "Jane Newer" in html and "Theirs" not in html
    assert logged(cps_user, "web:prosecution-home") == {older.id, newer.id}
    assert theirs.id not in logged(cps_user, "web:prosecution-home")


def test_prosecution_home_is_paginated_and_a_bad_page_number_is_the_first_page(client, cps, cps_user,
                                                                              django_assert_max_num_queries):
    from courts.cases.portal_selectors import PAGE_SIZE

    for i in range(PAGE_SIZE + 2):
        make_case(prosecutor=cps, urn=f"01AB{1000000 + i}", asn_sequence=100000 + i * 3)
    client.force_login(cps_user)
    with django_assert_max_num_queries(20):
        first = client.get(reverse("web:prosecution-home"), {"page": "x"})
    assert first.status_code == 200
    assert first.content.decode().count('class="govuk-table__row"') == PAGE_SIZE + 1  # and the header row
    assert 'href="?page=2"' in first.content.decode()
    last = client.get(reverse("web:prosecution-home"), {"page": "99"})
    assert last.status_code == 200 and last.content.decode().count('class="govuk-table__row"') == 3


def test_a_rejected_api_case_is_kept_shown_and_closed_when_the_fixed_case_arrives(client, cps, cps_user):
    token_actor = Actor(label="CPS system", organisation_id=cps.pk, organisation_kind=OrganisationKind.PROSECUTOR)
    bad = intake(urn="01AB1234525", asn="NOT-AN-ASN")
    with pytest.raises(ValidationFailed):
        case_intake(intake=bad, prosecutor=cps, actor=token_actor, channel=IntakeChannel.API)
    rejection = IntakeRejection.objects.get()
    assert rejection.urn == "01AB1234525" and rejection.is_open and rejection.errors
    assert rejection.errors[0]["field"].endswith("asn")
    event = Event.objects.get(type="case.intake_rejected")
    assert event.payload["rejection"] == str(rejection.id) and event.actor_organisation_id == cps.pk

    client.force_login(cps_user)
    page = client.get(reverse("web:prosecution-intake-errors")).content.decode()
    assert "URN 01AB1234525" in page and rejection.errors[0]["message"].replace("'", "&#x27;") in page
    assert "1 case your systems sent was rejected" in client.get(reverse("web:prosecution-home")).content.decode()

    case = case_intake(intake=intake(urn="01ab1234525"), prosecutor=cps, actor=token_actor,
                       channel=IntakeChannel.API).case
    rejection.refresh_from_db()
    assert not rejection.is_open and rejection.resolved_case_id == case.id
    assert "There are no rejected cases to fix" in client.get(reverse("web:prosecution-intake-errors")
                                                               ).content.decode()
    everything = client.get(reverse("web:prosecution-intake-errors"), {"show": "all"}).content.decode()
    assert "01AB1234525" in everything and "arrived" in everything


def test_a_rejected_spi_message_is_kept_with_its_line_numbers(client, cps_user):
    from courts.cases.spi import spi_case_intake

    police = OrganisationFactory(name="Kent Police", kind=OrganisationKind.PROSECUTOR)
    with pytest.raises(ValidationFailed):
        spi_case_intake(data=b"<NotSpi/>", prosecutor=police, actor=Actor(label="Kent Police system",
                                                                          organisation_id=police.pk))
    rejection = IntakeRejection.objects.get(prosecutor=police)
    assert rejection.channel == IntakeChannel.SPI and rejection.urn == "" and rejection.errors
    # Another prosecutor's people never see it.
    client.force_login(cps_user)
    assert "no URN we could read" not in client.get(reverse("web:prosecution-intake-errors")).content.decode()


def test_staff_page_rejections_and_court_staff_submissions_are_not_kept(cps):
    with pytest.raises(ValidationFailed):
        case_intake(intake=intake(asn="BAD"), prosecutor=cps, actor=CLERK, channel=IntakeChannel.STAFF)
    assert not IntakeRejection.objects.exists()


def test_marking_a_rejection_dealt_with_and_the_error_summary_for_a_wrong_one(client, cps, cps_user):
    tfl = OrganisationFactory(name="Transport for London", prosecuting_authority_code="TFL")
    for organisation in (cps, tfl):
        with pytest.raises(ValidationFailed):
            case_intake(intake=intake(asn="BAD"), prosecutor=organisation, channel=IntakeChannel.API,
                        actor=Actor(label="system", organisation_id=organisation.pk))
    mine, theirs = IntakeRejection.objects.get(prosecutor=cps), IntakeRejection.objects.get(prosecutor=tfl)
    client.force_login(cps_user)
    url = reverse("web:prosecution-intake-errors")
    refused = client.post(url, {"rejection": str(theirs.id)})
    assert refused.status_code == 422
    assert 'class="govuk-error-summary"' in refused.content.decode()
    assert "Choose one of your rejected cases" in refused.content.decode()
    assert client.post(url, {"rejection": "not-a-uuid"}).status_code == 422
    theirs.refresh_from_db()
    assert theirs.is_open
    done = client.post(url, {"rejection": str(mine.id)})
    assert done.status_code == 302
    mine.refresh_from_db()
    assert not mine.is_open and mine.resolved_by == "Alex Adviser"
    assert Event.objects.filter(type="case.intake_rejection_closed").count() == 1


def test_prosecution_results_are_the_organisations_most_recent_first_and_link_to_the_case(client, cps, cps_user):
    first, first_hearing = listed(urn="01AB1234525")
    fined(first, first_hearing)
    second, second_hearing = listed(urn="02CD7654321", asn_base=510000)
    adjourned_for_reports(second, second_hearing)
    other, other_hearing = listed(urn="03EF1111111", asn_base=520000)
    tfl = OrganisationFactory(name="Transport for London", prosecuting_authority_code="TFL")
    type(other).objects.filter(pk=other.pk).update(prosecutor=tfl)
    fined(other, other_hearing)
    client.force_login(cps_user)
    response = client.get(reverse("web:prosecution-results"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "01AB1234525" in html and "02CD7654321" in html and "03EF1111111" not in html
    assert html.index("02CD7654321") < html.index("01AB1234525")  # shared later, shown first
    assert reverse("web:case-detail", kwargs={"case_id": first.id}) in html
    assert "Fine" in html
    assert logged(cps_user, "web:prosecution-results") == {first.id, second.id}


@pytest.mark.parametrize("who", ["staff", "judge", "defence", "probation"])
def test_the_prosecution_portal_refuses_everyone_else(client, who):
    users = {
        "staff": lambda: legal_adviser(),
        "judge": lambda: judge(),
        "defence": lambda: UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.DEFENCE)),
        "probation": lambda: UserFactory(organisation=agency(OrganisationKind.PROBATION, "Probation")),
    }
    client.force_login(users[who]())
    for name in ("web:prosecution-home", "web:prosecution-intake-errors", "web:prosecution-results"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("web:prosecution-intake-errors"), {"rejection": "x"}).status_code == 403


def test_the_portals_need_a_signed_in_person_not_a_token(client, cps):
    _, token = api_token_create(organisation=cps, name="case system", actor=SYSTEM)
    response = client.get(reverse("web:prosecution-home"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- Judiciary ----------------------------------------------------------------------------------


@pytest.fixture
def todays_lists():
    """Today: two cases in one sitting here (in list order), and one at another court centre."""
    today = court_today()
    here = sitting(room(name="Courtroom 3"), today, capacity_minutes=600)
    first, hearing = listed(urn="01AB1234525", day=today, the_sitting=here)
    second, _ = listed(urn="02CD7654321", day=today, the_sitting=here, asn_base=510000)
    far, _ = case_elsewhere(urn="03EF1111111", day=today, asn_base=520000)
    return {"first": first, "hearing": hearing, "second": second, "far": far}


def test_judiciary_home_shows_todays_sittings_where_the_judge_sits_in_list_order(client, todays_lists,
                                                                               django_assert_max_num_queries):
    dj = judge()
    client.force_login(dj)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("web:judiciary-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Courtroom 3" in html and "Court 9" not in html
    assert html.index("01AB1234525") < html.index("02CD7654321") and "03EF1111111" not in html
    assert reverse("web:judiciary-case", kwargs={"case_id": todays_lists["first"].id}) in html
    assert logged(dj, "web:judiciary-home") == {todays_lists["first"].id, todays_lists["second"].id}


def test_case_at_a_glance_is_read_only_with_results_and_next_hearing(client, todays_lists):
    case, hearing = todays_lists["first"], todays_lists["hearing"]
    adjourned_for_reports(case, hearing)
    dj = judge()
    client.force_login(dj)
    response = client.get(reverse("web:judiciary-case", kwargs={"case_id": case.id}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jo Doe" in html and "Theft from a shop" in html
    assert "Guilty" in html  # the plea
    assert "make available for reports to be prepared" in html  # the shared result
    assert "Next hearing" in html and "None listed" not in html
    assert "<form" not in html.split('id="main-content"')[1]  # nothing to change here
    assert logged(dj, "web:judiciary-case") == {case.id}
    # A case at a court centre where the judge does not sit is not found.
    assert client.get(reverse("web:judiciary-case", kwargs={"case_id": todays_lists["far"].id})).status_code == 404


def test_a_judge_is_refused_every_page_that_changes_a_case(client, todays_lists):
    case, hearing = todays_lists["first"], todays_lists["hearing"]
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    client.force_login(judge())
    sitting_id = hearing.hearing_days.get().sitting_id
    pages = [
        reverse("web:case-create"),
        reverse("web:defendant-edit", kwargs={"case_id": case.id, "defendant_id": defendant.id}),
        reverse("web:offence-add", kwargs={"case_id": case.id, "defendant_id": defendant.id}),
        reverse("web:offence-withdraw", kwargs={"case_id": case.id, "offence_id": offence.id}),
        reverse("web:offence-wording", kwargs={"case_id": case.id, "offence_id": offence.id}),
        reverse("web:court-sitting", kwargs={"sitting_id": sitting_id}),
        reverse("web:court-resulting", kwargs={"hearing_id": hearing.id}),
        reverse("web:court-results", kwargs={"hearing_id": hearing.id, "defendant_id": defendant.id}),
        reverse("web:listing-sitting-create", kwargs={"ou_code": COURT_OU}),
        reverse("web:listing-hearing-vacate", kwargs={"ou_code": COURT_OU, "hearing_id": hearing.id}),
        reverse("web:partner-create"),
    ]
    for url in pages:
        # Refused whichever way it is asked (a page that takes only one method is 405 to the other).
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        assert 403 in statuses and statuses <= {403, 405}, (url, statuses)
    # The case page itself is theirs to read, without the links to change it.
    page = client.get(reverse("web:case-detail", kwargs={"case_id": case.id})).content.decode()
    assert "Change details" not in page and "Withdraw" not in page


@pytest.mark.parametrize("who", ["staff", "prosecutor", "probation"])
def test_the_judiciary_portal_refuses_everyone_else(client, todays_lists, who):
    users = {
        "staff": lambda: legal_adviser(),
        "prosecutor": lambda: UserFactory(organisation=todays_lists["first"].prosecutor),
        "probation": lambda: UserFactory(organisation=agency(OrganisationKind.PROBATION, "Probation")),
    }
    client.force_login(users[who]())
    assert client.get(reverse("web:judiciary-home")).status_code == 403
    assert client.get(reverse("web:judiciary-case", kwargs={"case_id": todays_lists["first"].id})).status_code == 403


# --- Partner agencies ---------------------------------------------------------------------------


@pytest.fixture
def resulted():
    """Here: a case fined, then one adjourned for reports (shared later). Elsewhere: one fined."""
    fined_case, fined_hearing = listed(urn="01AB1234525")
    fined(fined_case, fined_hearing)
    reports_case, reports_hearing = listed(urn="02CD7654321", asn_base=510000)
    adjourned_for_reports(reports_case, reports_hearing)
    far_case, far_hearing = case_elsewhere(urn="03EF1111111", asn_base=520000)
    fined(far_case, far_hearing)
    return {"fined": fined_case, "reports": reports_case, "far": far_case}


def test_probation_sees_its_areas_resulted_defendants_most_recent_first_and_report_requests(
        client, resulted, django_assert_max_num_queries):
    probation = agency(OrganisationKind.PROBATION, "London Probation")
    officer = UserFactory(username="probation.officer", organisation=probation)
    unresulted, _ = listed(urn="04GH2222222", asn_base=530000)
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("web:partner-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "01AB1234525" in html and "02CD7654321" in html
    assert "04GH2222222" not in html  # no result yet: probation has nothing to do for it
    defendants = html.split('id="defendants"')[1]
    assert defendants.index("02CD7654321") < defendants.index("01AB1234525")  # most recent result first
    reports = html.split('id="report-requests"')[1].split('id="defendants"')[0]
    assert "Report requested" in reports and "02CD7654321" in reports and "01AB1234525" not in reports
    assert "03EF1111111" not in html  # resulted at another court centre
    assert logged(officer, "web:partner-home") == {resulted["fined"].id, resulted["reports"].id}
    assert unresulted.id not in logged(officer, "web:partner-home")


def test_probation_of_another_area_sees_none_of_them(client, resulted):
    officer = UserFactory(organisation=agency(OrganisationKind.PROBATION, "Kent Probation", ou="B46IR00"))
    client.force_login(officer)
    html = client.get(reverse("web:partner-home")).content.decode()
    assert "There are no defendants for your agency yet" in html
    assert "01AB1234525" not in html and not AccessLogEntry.objects.filter(user_id=officer.pk).exists()


def test_the_police_see_defendants_listed_in_their_area_without_report_requests(client, resulted,
                                                                                 django_assert_max_num_queries):
    unresulted, _ = listed(urn="04GH2222222", asn_base=530000)
    officer = UserFactory(organisation=agency(OrganisationKind.POLICE, "Metropolitan Police"))
    client.force_login(officer)
    with django_assert_max_num_queries(16):  # 13 whether 3 defendants or 7: nothing per defendant
        html = client.get(reverse("web:partner-home")).content.decode()
    assert "04GH2222222" in html and "01AB1234525" in html
    assert 'id="report-requests"' not in html
    # Those with results come first; one without any shows that nothing is shared yet.
    assert html.index("01AB1234525") < html.index("04GH2222222")
    assert "No results have been shared yet" in html


def test_a_youth_is_initials_to_the_police_and_named_to_the_youth_offending_team(client):
    today = court_today()
    youth, _ = listed(urn="01AB1234525", date_of_birth=today.replace(year=today.year - 16) - dt.timedelta(days=1))
    police = UserFactory(organisation=agency(OrganisationKind.POLICE, "Metropolitan Police"))
    yot = UserFactory(organisation=agency(OrganisationKind.YOT, "Wandsworth YOT"))
    client.force_login(police)
    html = client.get(reverse("web:partner-home")).content.decode()
    assert "01AB1234525" in html and "Jo Doe" not in html and "J. D." in html
    client.force_login(yot)
    assert "Jo Doe" in client.get(reverse("web:partner-home")).content.decode()


def test_a_prison_sees_only_the_defendants_remanded_to_it(client):
    case, hearing = listed(urn="01AB1234525")
    other, _ = listed(urn="02CD7654321", asn_base=510000)
    remanded_in_custody(case, hearing, "HMP Wandsworth")
    prison = OrganisationFactory(name="HMP Wandsworth", kind=OrganisationKind.PRISON, prosecuting_authority_code="")
    client.force_login(UserFactory(organisation=prison))
    html = client.get(reverse("web:partner-home")).content.decode()
    assert "01AB1234525" in html and "02CD7654321" not in html


@pytest.mark.parametrize("who", ["staff", "judge", "prosecutor", "defence"])
def test_the_partner_portal_refuses_everyone_else(client, who, cps_user):
    users = {
        "staff": lambda: legal_adviser(),
        "judge": lambda: judge(),
        "prosecutor": lambda: cps_user,
        "defence": lambda: UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.DEFENCE)),
    }
    client.force_login(users[who]())
    assert client.get(reverse("web:partner-home")).status_code == 403


# --- The start page -----------------------------------------------------------------------------


def test_the_start_page_links_each_kind_of_user_to_their_portal(client, cps_user):
    expected = {
        cps_user: "web:prosecution-home",
        judge(): "web:judiciary-home",
        UserFactory(organisation=agency(OrganisationKind.YOT, "Youth Offending Team")): "web:partner-home",
    }
    portals = {"web:prosecution-home", "web:judiciary-home", "web:partner-home"}
    for user, portal in expected.items():
        client.force_login(user)
        html = client.get(reverse("web:home")).content.decode()
        assert f'href="{reverse(portal)}"' in html, portal
        for other in portals - {portal}:
            assert f'href="{reverse(other)}"' not in html, (portal, other)
    client.force_login(legal_adviser())
    assert 'id="portals"' not in client.get(reverse("web:home")).content.decode()


def test_rejections_in_json(cps):
    # The stored errors are JSON the page can show as they were given.
    with pytest.raises(ValidationFailed):
        case_intake(intake=intake(asn="BAD"), prosecutor=cps, channel=IntakeChannel.API,
                    actor=Actor(label="system", organisation_id=cps.pk))
    assert json.loads(json.dumps(IntakeRejection.objects.get().errors))[0]["code"]
