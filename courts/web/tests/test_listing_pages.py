"""The listing officer's pages: court rooms, sittings and patterns, the diary, the worklist, listing,
moving, reordering and vacating hearings, and the first-hearing rules."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courts.audit.models import Event
from courts.cases.models import Defendant
from courts.cases.tests.factories import COURT_OU
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.enums import HearingStatus, JudiciaryType, Session, SittingKind
from courts.listing.models import CourtRoom, Hearing, HearingDay, ListingRules, NonSittingDay, Sitting
from courts.listing.services import (
    SittingSpec,
    court_room_create,
    hearing_list,
    listing_rules_update,
    non_sitting_day_declare,
    sitting_create,
    sitting_reorder,
)
from courts.reference.models import CourtCentre
from courts.web.tests.conftest import make_case

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 2, 15)
OTHER_OFFICER = Actor(label="Other officer", is_court_staff=True, national=True)
STALE = "was changed by someone else since you opened it"


@pytest.fixture
def centre(db) -> CourtCentre:
    return CourtCentre.objects.get(ou_code=COURT_OU)


def a_room(centre: CourtCentre, name: str = "Courtroom 1") -> CourtRoom:
    return court_room_create(court_centre=centre, name=name, actor=OTHER_OFFICER)


def a_sitting(room: CourtRoom, day: dt.date = MONDAY, **fields) -> Sitting:
    values = dict(session=Session.MORNING, kind=SittingKind.ADULT, judiciary_type=JudiciaryType.BENCH,
                  capacity_minutes=180, judiciary=["Mrs A Chair", "Mr B Winger"])
    values.update(fields)
    return sitting_create(court_room=room, date=day, spec=SittingSpec(**values), actor=OTHER_OFFICER,
                          acknowledge_conflicts=True)


def a_waiting_hearing(prosecutor, n: int = 0, last_name: str = "Doe") -> Hearing:
    """A case from a prosecutor: intake leaves its first hearing on the worklist (no sitting that day)."""
    case = make_case(prosecutor=prosecutor, urn=f"01AB12345{n:02d}", last_name=last_name,
                     asn_sequence=400000 + 1000 * n)
    hearing = Hearing.objects.get(hearing_defendants__case=case)
    assert hearing.status == HearingStatus.UNALLOCATED
    return hearing


def listed(hearing: Hearing, sitting: Sitting) -> Hearing:
    return hearing_list(hearing=hearing, sitting=sitting, actor=OTHER_OFFICER, expected_sitting_version=None,
                        acknowledge_conflicts=True)


def version(sitting: Sitting) -> int:
    return Sitting.objects.get(pk=sitting.pk).version


def order_of(sitting: Sitting) -> list:
    return list(HearingDay.objects.filter(sitting=sitting).order_by("list_order").values_list("hearing_id", flat=True))


def url(name: str, **kwargs) -> str:
    return reverse(f"web:{name}", kwargs={"ou_code": COURT_OU, **kwargs})


def diary_url(day: dt.date = MONDAY) -> str:
    return url("listing-diary", day=day)


def summary_of(html: str) -> str:
    """The error summary's text, or empty when the page has none."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def banner(client, response) -> str:
    page = client.get(response["Location"]).content.decode()
    match = re.search(r'govuk-notification-banner__heading">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


# --- Who may use the pages -----------------------------------------------------------------------


def test_listing_pages_are_for_court_staff_only(prosecutor_client, prosecutor, centre):
    # given
    hearing = a_waiting_hearing(prosecutor)
    sitting = a_sitting(a_room(centre))
    pages = [
        reverse("web:listing-home"), url("listing-centre"), diary_url(), url("listing-worklist"),
        url("listing-rooms"), url("listing-sitting-create"), url("listing-sitting-pattern"),
        url("listing-non-sitting-day"), url("listing-rules"),
        url("listing-hearing-list", hearing_id=hearing.id), url("listing-hearing-vacate", hearing_id=hearing.id),
    ]
    # when / then
    for page in pages:
        assert prosecutor_client.get(page).status_code == 403, page
    response = prosecutor_client.post(url("listing-sitting-reorder", sitting_id=sitting.id),
                                      {"expected_version": sitting.version})
    assert response.status_code == 403
    response = prosecutor_client.post(url("listing-rooms"), {"name": "Courtroom 9"})
    assert response.status_code == 403
    assert not CourtRoom.objects.filter(name="Courtroom 9").exists()


def test_an_unknown_court_centre_or_date_is_not_found(staff_client):
    assert staff_client.get(reverse("web:listing-diary", kwargs={"ou_code": "ZZZ9999", "day": MONDAY})) \
        .status_code == 404
    assert staff_client.get(f"/listing/{COURT_OU}/2027-02-30/").status_code == 404


def test_a_sign_in_is_needed(client):
    response = client.get(diary_url())
    assert response.status_code == 302 and "sign-in" in response["Location"]


# --- Choosing a court centre and a day -----------------------------------------------------------


def test_choosing_a_court_centre_opens_todays_diary(staff_client):
    response = staff_client.get(reverse("web:listing-home"), {"court_centre": COURT_OU})
    assert response.status_code == 302
    assert response["Location"] == diary_url(court_today())


def test_choosing_no_court_centre_shows_an_error(staff_client):
    response = staff_client.get(reverse("web:listing-home"), {"court_centre": ""})
    assert response.status_code == 422
    assert '<a href="#court_centre">Select the court centre</a>' in response.content.decode()


def test_going_to_a_date_opens_its_diary_and_a_wrong_date_is_explained(staff_client):
    response = staff_client.get(url("listing-centre"), date_fields("diary_date", MONDAY))
    assert response["Location"] == diary_url()
    response = staff_client.get(url("listing-centre"), {"diary_date-day": "31", "diary_date-month": "2",
                                                        "diary_date-year": "2027"})
    assert response.status_code == 422
    assert "The date must be a real date" in response.content.decode()


# --- Court rooms ---------------------------------------------------------------------------------


def test_adding_a_court_room_lists_it_and_records_the_event(staff_client, centre):
    # when
    response = staff_client.post(url("listing-rooms"), {"name": "Courtroom 5", "welsh_name": "Ystafell llys 5"})
    # then
    assert response.status_code == 302
    room = CourtRoom.objects.get(court_centre=centre, name="Courtroom 5")
    assert room.welsh_name == "Ystafell llys 5"
    event = Event.objects.get(type="listing.court_room_created")
    assert event.actor_label == "Alex Adviser" and event.payload["name"] == "Courtroom 5"
    assert banner(staff_client, response) == "Courtroom 5 added to Lavender Hill Magistrates&#x27; Court"
    assert '<th scope="row" class="govuk-table__header">Courtroom 5</th>' in staff_client.get(url("listing-rooms")) \
        .content.decode()


def test_a_court_room_needs_a_new_name(staff_client, centre):
    a_room(centre, "Courtroom 1")
    response = staff_client.post(url("listing-rooms"), {"name": " "})
    assert response.status_code == 422
    assert '<a href="#name">Enter the court room&#x27;s name</a>' in summary_of(response.content.decode())
    response = staff_client.post(url("listing-rooms"), {"name": "courtroom 1"})
    assert response.status_code == 422
    assert "already has a room called courtroom 1" in summary_of(response.content.decode())
    assert CourtRoom.objects.filter(court_centre=centre).count() == 1


# --- Sittings ------------------------------------------------------------------------------------


def sitting_form(room: CourtRoom, day: dt.date = MONDAY, **overrides) -> dict:
    form = {"court_room": str(room.id), **date_fields("sitting_date", day), "session": "AM", "kind": "ADULT",
            "judiciary_type": "BENCH", "judiciary": "Mrs A Chair\nMr B Winger\n", "capacity_minutes": "180"}
    form.update(overrides)
    return form


def test_creating_a_sitting_saves_it_with_its_judiciary_and_records_the_event(staff_client, centre):
    # given
    room = a_room(centre)
    # when
    response = staff_client.post(url("listing-sitting-create"),
                                 {**sitting_form(room, kind="YOUTH"), "hearing_types": ["PLE", "SEN"]})
    # then
    assert response.status_code == 302
    sitting = Sitting.objects.get(court_room=room)
    assert response["Location"] == f"{diary_url()}#sitting-{sitting.id}"
    assert (sitting.date, sitting.session, sitting.kind) == (MONDAY, Session.MORNING, SittingKind.YOUTH)
    assert sitting.judiciary == ["Mrs A Chair", "Mr B Winger"]
    assert sitting.hearing_type_codes == ["PLE", "SEN"]
    assert sitting.capacity_minutes == 180
    assert Event.objects.get(type="listing.sitting_created").payload["sitting_id"] == str(sitting.id)
    assert banner(staff_client, response) == "Sitting created: Courtroom 1, 15 February 2027, morning"


def test_the_sitting_form_starts_with_the_room_and_date_it_was_opened_for(staff_client, centre):
    room = a_room(centre)
    html = staff_client.get(url("listing-sitting-create"), {"court_room": room.id, "date": "2027-02-15"}) \
        .content.decode()
    assert f'<option value="{room.id}" selected>' in html
    assert 'name="sitting_date-day" type="text" inputmode="numeric" value="15"' in html


def test_a_sitting_with_nothing_chosen_shows_every_problem(staff_client, centre):
    a_room(centre)
    response = staff_client.post(url("listing-sitting-create"), {"capacity_minutes": "lots"})
    assert response.status_code == 422
    summary = summary_of(response.content.decode())
    for anchor, message in [
        ("#court_room", "Choose the court room"),
        ("#sitting_date-day", "Enter the date of the sitting"),
        ("#session", "Choose morning, afternoon or all day"),
        ("#kind", "Choose an adult court, a custody court or a youth court"),
        ("#judiciary_type", "Choose who sits: a bench, a district judge, a judge or a recorder"),
        ("#capacity_minutes", "Capacity must be a whole number of minutes, like 180"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in summary
    assert "<title>Error: Add a sitting" in response.content.decode()
    assert not Sitting.objects.exists()


def test_the_services_rules_for_a_sitting_are_shown_on_their_fields(staff_client, centre):
    room = a_room(centre)
    response = staff_client.post(url("listing-sitting-create"), sitting_form(room, capacity_minutes="900"))
    assert response.status_code == 422
    assert '<a href="#capacity_minutes">Capacity must be between 1 and 720 minutes</a>' in \
        summary_of(response.content.decode())


def test_a_judge_in_two_rooms_is_shown_before_saving_and_can_be_accepted(staff_client, centre):
    # given: DJ Khan sits in Courtroom 1 that morning
    a_sitting(a_room(centre, "Courtroom 1"), judiciary_type=JudiciaryType.DISTRICT_JUDGE, judiciary=["DJ Khan"])
    room = a_room(centre, "Courtroom 2")
    form = sitting_form(room, judiciary_type="DISTRICT_JUDGE", judiciary="DJ Khan")
    # when
    response = staff_client.post(url("listing-sitting-create"), form)
    # then: shown, nothing saved, the choice offered
    html = response.content.decode()
    assert response.status_code == 409
    assert "Dj Khan also sits in Lavender Hill Magistrates&#x27; Court, Courtroom 1 that morning" in summary_of(html)
    assert 'name="acknowledge_conflicts" value="yes"' in html and "Create anyway" in html
    assert not Sitting.objects.filter(court_room=room).exists()
    # when: the officer accepts it
    response = staff_client.post(url("listing-sitting-create"), {**form, "acknowledge_conflicts": "yes"})
    # then
    assert response.status_code == 302
    assert Sitting.objects.filter(court_room=room).exists()


def test_a_sitting_on_a_bank_holiday_is_refused_without_a_way_round(staff_client, centre):
    room = a_room(centre)
    response = staff_client.post(url("listing-sitting-create"),
                                 {**sitting_form(room, dt.date(2026, 12, 25)), "acknowledge_conflicts": "yes"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Friday 25 December 2026 is a weekend or bank holiday" in summary_of(html)
    assert "Create anyway" not in html
    assert not Sitting.objects.exists()


def test_a_room_cannot_sit_twice_in_one_session(staff_client, centre):
    room = a_room(centre)
    a_sitting(room)
    response = staff_client.post(url("listing-sitting-create"), sitting_form(room, session="DAY"))
    assert response.status_code == 409
    assert "Courtroom 1 already sits on 15 February 2027 at that time" in summary_of(response.content.decode())
    assert Sitting.objects.count() == 1


# --- Sitting patterns ----------------------------------------------------------------------------


def pattern_form(rooms, start: dt.date, **overrides) -> dict:
    form = {"court_rooms": [str(r.id) for r in rooms], **date_fields("start_date", start), "weeks": "8",
            "weekdays": ["0", "1", "2", "3", "4"], "session": "AM", "kind": "ADULT", "judiciary_type": "BENCH",
            "judiciary": "", "capacity_minutes": "180"}
    form.update(overrides)
    return form


def test_a_pattern_creates_rooms_1_to_4_monday_to_friday_for_eight_weeks_and_shows_what_it_skipped(
        staff_client, centre):
    # given
    rooms = [a_room(centre, f"Courtroom {n}") for n in range(1, 5)]
    non_sitting_day_declare(court_centre=centre, date=dt.date(2026, 12, 31), reason="Heating repairs",
                            actor=OTHER_OFFICER)
    # when
    response = staff_client.post(url("listing-sitting-pattern"), pattern_form(rooms, dt.date(2026, 12, 7)))
    # then: 40 weekdays less Christmas Day, the Boxing Day substitute, New Year's Day and the closure
    assert response.status_code == 302
    assert Sitting.objects.count() == 36 * 4
    assert Event.objects.get(type="listing.sitting_pattern_created").payload["created"] == 144
    page = staff_client.get(response["Location"]).content.decode()
    assert "144 sittings created, 16 skipped" in page
    assert "144 sittings created from 7 December 2026 for 8 weeks" in page
    assert "Friday 25 December 2026 is a weekend or bank holiday" in page
    assert "31 December 2026 is a declared non-sitting day: Heating repairs" in page
    assert page.count("Thursday 31 December 2026") == 4
    assert re.search(r"Courtroom 3</th>\s*<td[^>]*>36</td>\s*<td[^>]*>7 December 2026</td>\s*"
                     r"<td[^>]*>29 January 2027</td>", page)
    # the outcome is shown once
    assert "sittings created from" not in staff_client.get(url("listing-sitting-pattern")).content.decode()


def test_a_pattern_needs_rooms_weeks_and_weekdays(staff_client, centre):
    a_room(centre)
    form = pattern_form([], MONDAY, weeks="0", weekdays=[])
    response = staff_client.post(url("listing-sitting-pattern"), form)
    assert response.status_code == 422
    summary = summary_of(response.content.decode())
    assert '<a href="#court_rooms">Choose at least one court room</a>' in summary
    assert '<a href="#weekdays">Choose the days of the week the rooms sit</a>' in summary
    response = staff_client.post(url("listing-sitting-pattern"),
                                 pattern_form(CourtRoom.objects.all(), MONDAY, weeks="60"))
    assert response.status_code == 422
    assert '<a href="#weeks">A pattern runs for 1 to 52 weeks</a>' in summary_of(response.content.decode())
    assert not Sitting.objects.exists()


# --- Non-sitting days ----------------------------------------------------------------------------


def test_declaring_a_non_sitting_day_shows_it_in_the_diary(staff_client, centre):
    response = staff_client.post(url("listing-non-sitting-day"),
                                 {**date_fields("non_sitting_date", MONDAY), "reason": "Building closed"})
    assert response.status_code == 302 and response["Location"] == diary_url()
    assert NonSittingDay.objects.get(court_centre=centre).date == MONDAY
    assert Event.objects.get(type="listing.non_sitting_day_declared").payload["reason"] == "Building closed"
    page = staff_client.get(diary_url()).content.decode()
    assert "The court does not sit: 15 February 2027 is a declared non-sitting day: Building closed." in page


def test_a_non_sitting_day_needs_a_date_and_a_reason_and_is_declared_once(staff_client, centre):
    response = staff_client.post(url("listing-non-sitting-day"), {"reason": ""})
    summary = summary_of(response.content.decode())
    assert response.status_code == 422
    assert '<a href="#non_sitting_date-day">Enter the date the court does not sit</a>' in summary
    assert '<a href="#reason">Give the reason the court does not sit</a>' in summary
    non_sitting_day_declare(court_centre=centre, date=MONDAY, reason="Closed", actor=OTHER_OFFICER)
    response = staff_client.post(url("listing-non-sitting-day"),
                                 {**date_fields("non_sitting_date", MONDAY), "reason": "Closed again"})
    assert response.status_code == 422
    assert "15 February 2027 is already a non-sitting day" in summary_of(response.content.decode())


# --- The diary -----------------------------------------------------------------------------------


def a_day_in_court(prosecutor, centre, *, hearings_per_sitting: int):
    """Three sittings (Courtroom 1 morning and afternoon, Courtroom 2 all day) with their hearings."""
    waiting = [a_waiting_hearing(prosecutor, n, last_name=f"Person{n}") for n in range(hearings_per_sitting * 3)]
    one, two = a_room(centre, "Courtroom 1"), a_room(centre, "Courtroom 2")
    a_room(centre, "Courtroom 3")
    sittings = [a_sitting(one), a_sitting(one, session=Session.AFTERNOON),
                a_sitting(two, session=Session.ALL_DAY, kind=SittingKind.CUSTODY,
                          judiciary_type=JudiciaryType.DISTRICT_JUDGE, judiciary=["DJ Khan"], capacity_minutes=300)]
    for i, hearing in enumerate(waiting):
        listed(hearing, sittings[i % 3])
    return sittings, waiting


def test_the_diary_shows_rooms_sittings_and_their_hearings_in_order(staff_client, prosecutor, centre):
    # given
    sittings, hearings = a_day_in_court(prosecutor, centre, hearings_per_sitting=2)
    # when
    response = staff_client.get(diary_url())
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Court diary, Monday 15 February 2027: Lavender Hill Magistrates&#x27; Court - Courts</title>" \
        in html
    assert "3 sittings, 6 hearings listed." in html
    # rooms × sessions, with a room that does not sit
    assert re.search(r"Courtroom 3</th>\s*<td[^>]*><span class=\"govuk-hint govuk-!-margin-0\">Not sitting", html)
    morning = html.split(f'id="sitting-{sittings[0].id}"')[1].split("</section>")[0]
    assert "Courtroom 1: morning, from 10:00am" in morning
    assert "Bench of magistrates: Mrs A Chair (chair), Mr B Winger" in morning
    assert "180 minutes: 40 booked,\n      <strong>140 minutes left</strong>" in morning
    first, second = hearings[0], hearings[3]
    assert morning.index(f'id="hearing-{first.id}"') < morning.index(f'id="hearing-{second.id}"')
    assert "10:20am" in morning
    assert "01AB1234500</a><br>Jane Person0" in morning
    assert "<td class=\"govuk-table__cell\">Plea</td>" in morning or ">Plea<" in morning
    custody = html.split(f'id="sitting-{sittings[2].id}"')[1].split("</section>")[0]
    assert "Custody court" in custody and "District judge (magistrates&#x27; courts): DJ Khan" in custody
    # every action is a form or a link, with the sitting's version
    assert f'name="expected_version" value="{version(sittings[0])}"' in morning
    assert url("listing-hearing-vacate", hearing_id=first.id) in morning
    assert url("listing-hearing-list", hearing_id=first.id) in morning
    assert "accesskey" not in html
    # the days either side (the weekend is skipped)
    assert diary_url(dt.date(2027, 2, 12)) in html and diary_url(dt.date(2027, 2, 16)) in html


def test_the_diary_shows_a_sitting_over_capacity(staff_client, prosecutor, centre):
    hearing = a_waiting_hearing(prosecutor)
    sitting = a_sitting(a_room(centre), capacity_minutes=10)
    listed(hearing, sitting)
    html = staff_client.get(diary_url()).content.decode()
    assert "over by 10 minutes" in html


def test_the_diarys_queries_do_not_grow_with_its_hearings(staff_client, prosecutor, centre,
                                                           django_assert_max_num_queries):
    # given: a day with three sittings and two hearings in each
    a_day_in_court(prosecutor, centre, hearings_per_sitting=2)
    staff_client.get(diary_url())
    with CaptureQueriesContext(connection) as small:
        staff_client.get(diary_url())
    # when: three more hearings in each sitting
    more = [a_waiting_hearing(prosecutor, 10 + n, last_name=f"More{n}") for n in range(9)]
    sittings = list(Sitting.objects.filter(date=MONDAY))
    for i, hearing in enumerate(more):
        listed(hearing, sittings[i % 3])
    # then
    with django_assert_max_num_queries(14):
        response = staff_client.get(diary_url())
    assert response.content.decode().count('<tr class="govuk-table__row" id="hearing-') == 15
    with CaptureQueriesContext(connection) as big:
        staff_client.get(diary_url())
    assert len(big) == len(small)


# --- The worklist and listing a hearing ----------------------------------------------------------


def test_the_worklist_shows_hearings_waiting_with_their_week_and_note(staff_client, prosecutor, centre):
    hearing = a_waiting_hearing(prosecutor)
    html = staff_client.get(url("listing-worklist")).content.decode()
    assert "1 hearing, soonest first" in html
    assert f"Week commencing {hearing.week_commencing.day} " in html
    assert "First hearing: bailed to attend on this date" in html
    assert "01AB1234500</a><br>Jane Doe" in html
    assert f'href="{url("listing-hearing-list", hearing_id=hearing.id)}">List<span class="govuk-visually-hidden">' \
           f' 01AB1234500 Jane Doe</span>' in html


def test_listing_a_hearing_from_the_worklist_puts_it_in_the_sitting(staff_client, prosecutor, centre):
    # given
    hearing = a_waiting_hearing(prosecutor)
    sitting = a_sitting(a_room(centre))
    page = url("listing-hearing-list", hearing_id=hearing.id)
    html = staff_client.get(page, date_fields("list_date", MONDAY)).content.decode()
    assert "List here<span class=\"govuk-visually-hidden\"> in Courtroom 1, morning" in html
    # when
    response = staff_client.post(page, {"sitting": sitting.id, "expected_version": sitting.version,
                                        **date_fields("list_date", MONDAY)})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{diary_url()}#hearing-{hearing.id}"
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.LISTED
    assert order_of(sitting) == [hearing.id]
    event = Event.objects.get(type="listing.hearing_listed")
    assert event.actor_label == "Alex Adviser" and event.payload["sitting_id"] == str(sitting.id)
    assert banner(staff_client, response) == \
        "01AB1234500 Jane Doe listed in Courtroom 1, 15 February 2027, morning, at 10:00am"
    assert "No hearings are waiting" in staff_client.get(url("listing-worklist")).content.decode()


def test_listing_into_a_sitting_that_changed_since_the_page_was_read_changes_nothing(
        staff_client, prosecutor, centre):
    # given: the page was read at version 1; another officer then listed a hearing there
    mine, theirs = a_waiting_hearing(prosecutor, 0), a_waiting_hearing(prosecutor, 1, "Smith")
    sitting = a_sitting(a_room(centre))
    read_at = sitting.version
    listed(theirs, sitting)
    # when
    response = staff_client.post(url("listing-hearing-list", hearing_id=mine.id),
                                 {"sitting": sitting.id, "expected_version": read_at})
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert "The list for Courtroom 1 on 15 February was changed by someone else since you opened it" \
           in summary_of(html)
    mine.refresh_from_db()
    assert mine.status == HearingStatus.UNALLOCATED and order_of(sitting) == [theirs.id]
    assert not Event.objects.filter(type="listing.hearing_listed", payload__hearing_id=str(mine.id)).exists()
    # the page now carries the sitting's current version
    assert f'name="expected_version" value="{version(sitting)}"' in html


def test_a_sitting_over_capacity_is_a_warning_shown_before_saving_that_can_be_accepted(
        staff_client, prosecutor, centre):
    # given: 10 minutes left; the hearing needs 20
    first, second = a_waiting_hearing(prosecutor, 0), a_waiting_hearing(prosecutor, 1, "Smith")
    sitting = a_sitting(a_room(centre), capacity_minutes=30)
    listed(first, sitting)
    form = {"sitting": sitting.id, "expected_version": version(sitting), **date_fields("list_date", MONDAY)}
    page = url("listing-hearing-list", hearing_id=second.id)
    # when
    response = staff_client.post(page, form)
    # then: shown, nothing saved, "List anyway" offered with the same version
    html = response.content.decode()
    assert response.status_code == 409
    assert "Courtroom 1 has 10 minutes left; this hearing needs 20" in summary_of(html)
    assert "List anyway" in html and 'name="acknowledge_conflicts" value="yes"' in html
    second.refresh_from_db()
    assert second.status == HearingStatus.UNALLOCATED and order_of(sitting) == [first.id]
    # when: the officer lists it anyway
    response = staff_client.post(page, {**form, "acknowledge_conflicts": "yes"})
    # then
    assert response.status_code == 302
    assert order_of(sitting) == [first.id, second.id]
    assert Event.objects.get(type="listing.hearing_listed", payload__hearing_id=str(second.id)) \
        .payload["acknowledged_conflicts"] is True


def test_a_youth_in_an_adult_court_and_a_defendant_in_two_places_are_shown(staff_client, prosecutor, centre):
    # given: a 17-year-old already listed in Courtroom 1 that morning
    hearing = a_waiting_hearing(prosecutor)
    Defendant.objects.filter(hearing_defendants__hearing=hearing).update(date_of_birth=dt.date(2010, 1, 1))
    other = a_waiting_hearing(prosecutor, 1, "Smith")
    Defendant.objects.filter(hearing_defendants__hearing=other).update(date_of_birth=dt.date(2010, 1, 1))
    one, two = a_sitting(a_room(centre, "Courtroom 1"), kind=SittingKind.YOUTH), a_sitting(a_room(centre, "Courtroom 2"))
    listed(hearing, one)
    # a second hearing for the same defendant
    from courts.listing.services import hearing_create

    again = hearing_create(hearing_type=hearing.hearing_type, court_centre=centre,
                           defendants=[hearing.hearing_defendants.get().defendant], actor=OTHER_OFFICER)
    # when
    response = staff_client.post(url("listing-hearing-list", hearing_id=again.id),
                                 {"sitting": two.id, "expected_version": two.version})
    # then
    summary = summary_of(response.content.decode())
    assert response.status_code == 409
    assert "Jane Doe will be 17 on 15 February 2027 and this is not a youth court" in summary
    assert "A defendant is already listed in Lavender Hill Magistrates&#x27; Court, Courtroom 1 at 10:00 that day" \
        in summary
    assert not again.hearing_days.exists()
    # the diary marks the youth
    assert "Youth<span class=\"govuk-visually-hidden\">: Jane Doe</span>" in staff_client.get(diary_url()) \
        .content.decode()


def test_a_hearing_on_a_non_sitting_day_is_refused_without_a_way_round(staff_client, prosecutor, centre):
    hearing = a_waiting_hearing(prosecutor)
    sitting = a_sitting(a_room(centre))
    non_sitting_day_declare(court_centre=centre, date=MONDAY, reason="Building closed", actor=OTHER_OFFICER)
    response = staff_client.post(url("listing-hearing-list", hearing_id=hearing.id),
                                 {"sitting": sitting.id, "expected_version": sitting.version,
                                  "acknowledge_conflicts": "yes"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "15 February 2027 is a declared non-sitting day: Building closed" in summary_of(html)
    assert "List anyway" not in html
    assert not HearingDay.objects.exists()


def test_moving_a_hearing_to_another_sitting_records_the_move(staff_client, prosecutor, centre):
    # given
    hearing = a_waiting_hearing(prosecutor)
    one, two = a_sitting(a_room(centre, "Courtroom 1")), a_sitting(a_room(centre, "Courtroom 2"), MONDAY + dt.timedelta(days=1))
    listed(hearing, one)
    page = url("listing-hearing-list", hearing_id=hearing.id)
    html = staff_client.get(page).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Move a hearing</h1>" in html
    assert "Listed here" in html  # it opens on the day the hearing is listed
    # when: moved to another date
    response = staff_client.post(page, {"sitting": two.id, "expected_version": two.version})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{diary_url(two.date)}#hearing-{hearing.id}"
    assert order_of(one) == [] and order_of(two) == [hearing.id]
    assert Event.objects.filter(type="listing.hearing_moved").count() == 1
    assert banner(staff_client, response).startswith("01AB1234500 Jane Doe moved to Courtroom 2, 16 February 2027")


def test_a_stale_move_changes_nothing(staff_client, prosecutor, centre):
    hearing, theirs = a_waiting_hearing(prosecutor), a_waiting_hearing(prosecutor, 1, "Smith")
    one, two = a_sitting(a_room(centre, "Courtroom 1")), a_sitting(a_room(centre, "Courtroom 2"))
    listed(hearing, one)
    read_at = version(two)
    listed(theirs, two)
    response = staff_client.post(url("listing-hearing-list", hearing_id=hearing.id),
                                 {"sitting": two.id, "expected_version": read_at})
    assert response.status_code == 409
    assert STALE in summary_of(response.content.decode())
    assert order_of(one) == [hearing.id] and order_of(two) == [theirs.id]


# --- Reordering ----------------------------------------------------------------------------------


def test_moving_a_hearing_down_the_list_swaps_it_with_the_next_and_retimes_them(staff_client, prosecutor, centre):
    # given
    first, second = a_waiting_hearing(prosecutor, 0), a_waiting_hearing(prosecutor, 1, "Smith")
    sitting = a_sitting(a_room(centre))
    listed(first, sitting)
    listed(second, sitting)
    html = staff_client.get(diary_url()).content.decode()
    # the "Down" button of the first hearing posts the hearing, the direction and the version (not the
    # whole order, which would make the page grow with the square of a sitting's size)
    row = html.split(f'id="hearing-{first.id}"')[1].split("</tr>")[0]
    forms = re.findall(r"<form.*?</form>", row, re.S)
    assert len(forms) == 1  # the first hearing cannot move up
    form = forms[0]
    assert 'value="down"' in form and url("listing-sitting-reorder", sitting_id=sitting.id) in form
    assert f'name="moved" value="{first.id}"' in form and 'name="hearing"' not in form
    assert f'name="expected_version" value="{version(sitting)}"' in form
    # when
    response = staff_client.post(url("listing-sitting-reorder", sitting_id=sitting.id),
                                 {"expected_version": version(sitting), "moved": first.id, "direction": "down"})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{diary_url()}#hearing-{first.id}"
    assert order_of(sitting) == [second.id, first.id]
    assert HearingDay.objects.get(hearing=first).start_time == dt.time(10, 20)
    assert Event.objects.get(type="listing.sitting_reordered").payload["order"] == [str(second.id), str(first.id)]
    assert banner(staff_client, response) == "01AB1234500 Jane Doe moved down: now at 10:20am in Courtroom 1"


def test_a_stale_reorder_shows_the_conflict_in_the_diary_and_changes_nothing(staff_client, prosecutor, centre):
    # given: the diary was read; another officer then reordered the list
    first, second = a_waiting_hearing(prosecutor, 0), a_waiting_hearing(prosecutor, 1, "Smith")
    sitting = a_sitting(a_room(centre))
    listed(first, sitting)
    listed(second, sitting)
    read_at = version(sitting)
    sitting_reorder(sitting=sitting, hearing_ids=[second.id, first.id], actor=OTHER_OFFICER, expected_version=read_at)
    # when: our "Down" on the first hearing, as read
    response = staff_client.post(url("listing-sitting-reorder", sitting_id=sitting.id),
                                 {"hearing": [second.id, first.id], "expected_version": read_at,
                                  "moved": first.id, "direction": "down"})
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Court diary" in html
    assert "The list for Courtroom 1 on 15 February was changed by someone else" in summary_of(html)
    assert order_of(sitting) == [second.id, first.id]
    assert Event.objects.filter(type="listing.sitting_reordered").count() == 1
    assert f'name="expected_version" value="{version(sitting)}"' in html


def test_a_reorder_read_before_someone_listed_another_hearing_gets_the_stale_message(
        staff_client, prosecutor, centre):
    first, second, third = (a_waiting_hearing(prosecutor, n, name) for n, name in enumerate(["Doe", "Smith", "Jones"]))
    sitting = a_sitting(a_room(centre))
    listed(first, sitting)
    listed(second, sitting)
    read_at = version(sitting)
    listed(third, sitting)
    response = staff_client.post(url("listing-sitting-reorder", sitting_id=sitting.id),
                                 {"hearing": [second.id, first.id], "expected_version": read_at})
    assert response.status_code == 409
    assert STALE in summary_of(response.content.decode())


# --- Vacating ------------------------------------------------------------------------------------


def test_vacating_a_hearing_puts_it_back_on_the_worklist_with_its_reason(staff_client, prosecutor, centre):
    # given
    hearing = a_waiting_hearing(prosecutor)
    sitting = a_sitting(a_room(centre))
    hearing = listed(hearing, sitting)
    page = url("listing-hearing-vacate", hearing_id=hearing.id)
    html = staff_client.get(page).content.decode()
    assert f'name="expected_version" value="{hearing.version}"' in html
    assert "Listed in Courtroom 1, Monday 15 February 2027 morning, at 10:00am" in html
    # when
    response = staff_client.post(page, {"reason": "Prosecution not ready", "reason_details": "File not served",
                                        "expected_version": hearing.version})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{diary_url()}#sitting-{sitting.id}"
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.VACATED
    assert hearing.vacated_reason == "Prosecution not ready: File not served"
    assert order_of(sitting) == []
    assert Event.objects.get(type="listing.hearing_vacated").payload["reason"] == hearing.vacated_reason
    assert "vacated (Prosecution not ready: File not served)" in banner(staff_client, response)
    worklist = staff_client.get(url("listing-worklist")).content.decode()
    assert "Vacated</strong><br>Prosecution not ready: File not served" in worklist


def test_vacating_needs_a_reason_and_other_needs_its_words(staff_client, prosecutor, centre):
    hearing = listed(a_waiting_hearing(prosecutor), a_sitting(a_room(centre)))
    page = url("listing-hearing-vacate", hearing_id=hearing.id)
    response = staff_client.post(page, {"expected_version": hearing.version})
    assert response.status_code == 422
    assert '<a href="#reason">Choose why the hearing is vacated</a>' in summary_of(response.content.decode())
    response = staff_client.post(page, {"reason": "Other", "expected_version": hearing.version})
    assert response.status_code == 422
    assert '<a href="#reason_details">Give the reason the hearing is vacated</a>' in \
        summary_of(response.content.decode())
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.LISTED


def test_a_stale_vacate_changes_nothing(staff_client, prosecutor, centre):
    hearing = listed(a_waiting_hearing(prosecutor), a_sitting(a_room(centre, "Courtroom 1")))
    read_at = hearing.version
    other = a_sitting(a_room(centre, "Courtroom 2"))
    listed(hearing, other)  # another officer moved it
    response = staff_client.post(url("listing-hearing-vacate", hearing_id=hearing.id),
                                 {"reason": "Listed in error", "expected_version": read_at})
    html = response.content.decode()
    assert response.status_code == 409
    assert "This hearing was changed by someone else since you opened it" in summary_of(html)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.LISTED and order_of(other) == [hearing.id]
    assert "Listed in Courtroom 2" in html  # as it is now


# --- Listing rules -------------------------------------------------------------------------------


def rules_form(**overrides) -> dict:
    form = {"custody_next_sitting_day": "yes", "guilty_anticipated_days": "10", "not_guilty_anticipated_days": "35",
            "first_hearing_type": "PLE", "expected_version": "1"}
    form.update(overrides)
    return form


def test_the_rules_page_says_the_rules_in_words(staff_client, centre):
    html = staff_client.get(url("listing-rules")).content.decode()
    assert "A defendant in custody goes to the next sitting day's custody court" in html
    assert "the first sitting day on or after 14 days from charge" in html
    assert "the first sitting day on or after 28 days from charge" in html
    assert "Plea" in html  # the default first hearing type
    assert "within 21 days" in html


def test_changing_the_rules_saves_them_and_records_the_event(staff_client, centre):
    response = staff_client.post(url("listing-rules"), rules_form())
    assert response.status_code == 302
    rules = ListingRules.objects.get(court_centre=centre)
    assert (rules.guilty_anticipated_days, rules.not_guilty_anticipated_days, rules.first_hearing_type_code) == \
        (10, 35, "PLE")
    assert Event.objects.get(type="listing.rules_updated").payload["to"]["guilty_anticipated_days"] == 10
    page = staff_client.get(response["Location"]).content.decode()
    assert "Listing rules changed for Lavender Hill" in page
    assert "after 10 days from charge" in page and "First hearings are listed as Plea (PLE)." in page
    response = staff_client.post(url("listing-rules"), rules_form(custody_next_sitting_day="no",
                                                                  expected_version=str(rules.version)))
    assert response.status_code == 302
    assert "A defendant in custody is listed like a defendant on bail." in \
        staff_client.get(url("listing-rules")).content.decode()


def test_wrong_rules_are_shown_on_their_fields(staff_client, centre):
    response = staff_client.post(url("listing-rules"), rules_form(guilty_anticipated_days="two",
                                                                  not_guilty_anticipated_days="200",
                                                                  first_hearing_type=""))
    summary = summary_of(response.content.decode())
    assert response.status_code == 422
    assert "Enter the number of days after charge for a guilty plea, from 1 to 90" in summary
    assert '<a href="#first_hearing_type">Choose the hearing type of first hearings</a>' in summary
    response = staff_client.post(url("listing-rules"), rules_form(not_guilty_anticipated_days="200"))
    assert response.status_code == 422
    assert '<a href="#not_guilty_anticipated_days">Enter a number of days from 1 to 90</a>' in \
        summary_of(response.content.decode())
    assert not ListingRules.objects.exists()


def test_a_stale_rules_change_is_refused_and_changes_nothing(staff_client, centre):
    # given: another officer saved twice after we read version 1... then version 2
    rules = listing_rules_update(court_centre=centre, actor=OTHER_OFFICER, expected_version=1,
                                 guilty_anticipated_days=7, not_guilty_anticipated_days=21,
                                 custody_next_sitting_day=True, first_hearing_type_code="PLE")
    read_at = rules.version
    listing_rules_update(court_centre=centre, actor=OTHER_OFFICER, expected_version=read_at,
                         guilty_anticipated_days=8, not_guilty_anticipated_days=21,
                         custody_next_sitting_day=True, first_hearing_type_code="PLE")
    # when
    response = staff_client.post(url("listing-rules"), rules_form(expected_version=str(read_at)))
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert "These rules were changed by someone else since you opened them" in summary_of(html)
    assert ListingRules.objects.get(court_centre=centre).guilty_anticipated_days == 8
    assert f'name="expected_version" value="{ListingRules.objects.get().version}"' in html


def test_two_officers_saving_the_default_rules_do_not_overwrite_each_other(staff_client, centre):
    listing_rules_update(court_centre=centre, actor=OTHER_OFFICER, expected_version=1, guilty_anticipated_days=7,
                         not_guilty_anticipated_days=21, custody_next_sitting_day=True, first_hearing_type_code="PLE")
    response = staff_client.post(url("listing-rules"), rules_form(expected_version="1"))
    assert response.status_code == 409
    assert ListingRules.objects.get(court_centre=centre).guilty_anticipated_days == 7
