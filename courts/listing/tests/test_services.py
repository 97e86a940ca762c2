import datetime as dt

import pytest

from courts.audit.models import Event
from courts.cases.enums import IntakeChannel
from courts.cases.services import case_intake
from courts.common.errors import Conflict, ValidationFailed
from courts.listing.enums import ConflictKind, HearingStatus, JudiciaryType, Session, SittingKind
from courts.listing.models import HearingDay, Sitting
from courts.listing.services import (
    ListingConflicts,
    hearing_create,
    hearing_list,
    hearing_vacate,
    non_sitting_day_declare,
    sitting_create,
    sitting_pattern_create,
    sitting_reorder,
)
from courts.listing.tests.factories import ACTOR, room, sitting, spec
from courts.reference.models import CourtCentre, HearingType

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 14)


def a_defendant(urn="01AB1234525", dob=dt.date(1990, 1, 1)):
    from courts.accounts.enums import OrganisationKind
    from courts.accounts.services import organisation_get_or_create
    from courts.cases.tests.test_services import intake

    org = organisation_get_or_create(name="CPS", kind=OrganisationKind.PROSECUTOR, actor=ACTOR)[0]
    case = case_intake(intake=intake(urn, date_of_birth=dob), prosecutor=org, actor=ACTOR,
                       channel=IntakeChannel.API).case
    return case.defendants.get()


def unallocated(defendant, code="PLE", minutes=None):
    return hearing_create(hearing_type=HearingType.objects.filter(code=code).first(),
                          court_centre=CourtCentre.objects.get(ou_code="B01LY00"), defendants=[defendant],
                          actor=ACTOR, estimate_minutes=minutes)


def test_pattern_creates_rooms_monday_to_friday_for_eight_weeks_skipping_christmas():
    rooms = [room(f"Courtroom {n}") for n in range(1, 5)]
    outcome = sitting_pattern_create(court_rooms=rooms, start_date=dt.date(2026, 12, 7), weeks=8,
                                     weekdays=range(5), spec=spec(), actor=ACTOR)
    # 40 weekdays less Christmas Day, Boxing Day substitute and New Year's Day: 37 days x 4 rooms.
    assert len(outcome.created) == 37 * 4
    skipped_days = {d for d, _, _ in outcome.skipped}
    assert skipped_days == {dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2027, 1, 1)}
    assert Event.objects.filter(type="listing.sitting_pattern_created").count() == 1


def test_pattern_skips_declared_non_sitting_days_and_existing_sittings():
    r = room()
    centre = r.court_centre
    non_sitting_day_declare(court_centre=centre, date=MONDAY, reason="Building closed", actor=ACTOR)
    sitting(r, MONDAY + dt.timedelta(days=1))
    outcome = sitting_pattern_create(court_rooms=[r], start_date=MONDAY, weeks=1, weekdays=range(5), spec=spec(),
                                     actor=ACTOR)
    assert len(outcome.created) == 3
    reasons = {d: why for d, _, why in outcome.skipped}
    assert "Building closed" in reasons[MONDAY]
    assert reasons[MONDAY + dt.timedelta(days=1)] == "the room already sits then"


def test_sitting_on_a_bank_holiday_is_blocked():
    with pytest.raises(ListingConflicts) as error:
        sitting(room(), dt.date(2026, 12, 25))
    assert error.value.conflicts[0].kind == ConflictKind.NON_SITTING_DAY
    assert not Sitting.objects.exists()


def test_judge_in_two_rooms_is_shown_and_needs_acknowledgement():
    sitting(room("Courtroom 1"), MONDAY, judiciary_type=JudiciaryType.DISTRICT_JUDGE, judiciary=["DJ Khan"])
    second = room("Courtroom 2")
    with pytest.raises(ListingConflicts) as error:
        sitting(second, MONDAY, session=Session.ALL_DAY, judiciary_type=JudiciaryType.DISTRICT_JUDGE,
                judiciary=["dj khan"])
    assert error.value.conflicts[0].kind == ConflictKind.JUDGE_DOUBLE_BOOKED
    sitting_create(court_room=second, date=MONDAY, actor=ACTOR, acknowledge_conflicts=True,
                   spec=spec(session=Session.AFTERNOON, judiciary=["DJ Khan"]))


def test_listing_over_capacity_is_a_warning_the_officer_can_accept():
    s = sitting(room(), MONDAY, capacity_minutes=30)
    first = unallocated(a_defendant(), minutes=20)
    hearing_list(hearing=first, sitting=s, actor=ACTOR, expected_sitting_version=1)
    second = unallocated(a_defendant("01AB1234526"), minutes=20)
    with pytest.raises(ListingConflicts) as error:
        hearing_list(hearing=second, sitting=s, actor=ACTOR, expected_sitting_version=2)
    assert [c.kind for c in error.value.conflicts] == [ConflictKind.OVER_CAPACITY]
    assert "10 minutes left" in error.value.conflicts[0].message
    hearing_list(hearing=second, sitting=s, actor=ACTOR, expected_sitting_version=2, acknowledge_conflicts=True)
    assert list(HearingDay.objects.filter(sitting=s).values_list("start_time", flat=True)) == [
        dt.time(10, 0), dt.time(10, 20)]


def test_defendant_who_is_17_on_the_hearing_date_is_a_youth_but_one_who_turned_18_the_day_before_is_not():
    s = sitting(room(), MONDAY)
    youth = unallocated(a_defendant(dob=dt.date(2008, 12, 15)))  # 18 tomorrow
    with pytest.raises(ListingConflicts) as error:
        hearing_list(hearing=youth, sitting=s, actor=ACTOR, expected_sitting_version=1)
    assert [c.kind for c in error.value.conflicts] == [ConflictKind.YOUTH_IN_ADULT_COURT]
    adult = unallocated(a_defendant("01AB1234526", dob=dt.date(2008, 12, 13)))  # turned 18 yesterday
    hearing_list(hearing=adult, sitting=s, actor=ACTOR, expected_sitting_version=1)
    youth_court = sitting(room("Youth court"), MONDAY, kind=SittingKind.YOUTH)
    hearing_list(hearing=youth, sitting=youth_court, actor=ACTOR, expected_sitting_version=1)


def test_defendant_listed_in_two_places_at_once_is_shown():
    defendant = a_defendant()
    one = sitting(room("Courtroom 1"), MONDAY)
    two = sitting(room("Courtroom 2"), MONDAY)
    hearing_list(hearing=unallocated(defendant), sitting=one, actor=ACTOR, expected_sitting_version=1)
    with pytest.raises(ListingConflicts) as error:
        hearing_list(hearing=unallocated(defendant), sitting=two, actor=ACTOR, expected_sitting_version=1)
    assert [c.kind for c in error.value.conflicts] == [ConflictKind.DEFENDANT_DOUBLE_BOOKED]


def test_stale_sitting_version_is_a_conflict_and_changes_nothing():
    s = sitting(room(), MONDAY)
    hearing_list(hearing=unallocated(a_defendant()), sitting=s, actor=ACTOR, expected_sitting_version=1)
    late = unallocated(a_defendant("01AB1234526"))
    with pytest.raises(Conflict, match="changed by someone else"):
        hearing_list(hearing=late, sitting=s, actor=ACTOR, expected_sitting_version=1)
    late.refresh_from_db()
    assert late.status == HearingStatus.UNALLOCATED and HearingDay.objects.filter(sitting=s).count() == 1


def test_move_reorder_and_vacate_keep_times_in_order_and_record_events():
    one = sitting(room("Courtroom 1"), MONDAY)
    two = sitting(room("Courtroom 2"), MONDAY)
    a = hearing_list(hearing=unallocated(a_defendant(), minutes=30), sitting=one, actor=ACTOR,
                     expected_sitting_version=1)
    b = hearing_list(hearing=unallocated(a_defendant("01AB1234526"), minutes=20), sitting=one, actor=ACTOR,
                     expected_sitting_version=2)
    sitting_reorder(sitting=one, hearing_ids=[b.id, a.id], actor=ACTOR, expected_version=3)
    times = dict(HearingDay.objects.filter(sitting=one).values_list("hearing_id", "start_time"))
    assert times == {b.id: dt.time(10, 0), a.id: dt.time(10, 20)}
    hearing_list(hearing=b, sitting=two, actor=ACTOR, expected_sitting_version=1)  # move
    assert HearingDay.objects.get(hearing=a).start_time == dt.time(10, 0)
    hearing_vacate(hearing=a, reason="Prosecution not ready", actor=ACTOR, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == HearingStatus.VACATED and not a.hearing_days.exists()
    case_events = Event.objects.filter(case_id=b.hearing_defendants.get().case_id).values_list("type", flat=True)
    assert "listing.hearing_moved" in case_events


def test_reorder_must_name_every_hearing():
    s = sitting(room(), MONDAY)
    hearing_list(hearing=unallocated(a_defendant()), sitting=s, actor=ACTOR, expected_sitting_version=1)
    with pytest.raises(ValidationFailed):
        sitting_reorder(sitting=s, hearing_ids=[], actor=ACTOR, expected_version=2)


def test_only_court_staff_change_the_calendar():
    from courts.common.actor import Actor
    from courts.common.errors import PermissionDenied

    prosecutor = Actor(label="CPS system", organisation_id=1)
    with pytest.raises(PermissionDenied):
        sitting_create(court_room=room(), date=MONDAY, spec=spec(), actor=prosecutor)


def test_a_trial_can_sit_over_several_days():
    from courts.listing.services import hearing_day_add

    trial = unallocated(a_defendant(), code="TRL", minutes=180)
    day_one = sitting(room(), MONDAY, session=Session.ALL_DAY, capacity_minutes=300)
    day_two = sitting(day_one.court_room, MONDAY + dt.timedelta(days=1), session=Session.ALL_DAY, capacity_minutes=300)
    hearing_list(hearing=trial, sitting=day_one, actor=ACTOR, expected_sitting_version=1)
    hearing_day_add(hearing=trial, sitting=day_two, actor=ACTOR, expected_sitting_version=1)
    assert list(trial.hearing_days.values_list("date", flat=True)) == [MONDAY, MONDAY + dt.timedelta(days=1)]
    with pytest.raises(Conflict, match="already sits"):
        hearing_day_add(hearing=trial, sitting=day_two, actor=ACTOR, expected_sitting_version=2)
    # moving the hearing puts it back to one day
    hearing_list(hearing=trial, sitting=day_two, actor=ACTOR, expected_sitting_version=2)
    assert trial.hearing_days.count() == 1
