"""Intake lists first hearings by the court centre's rules, in the intake's own transaction."""

import datetime as dt

import pytest

from courts.cases.enums import IntakeChannel
from courts.cases.services import case_intake
from courts.cases.tests.test_services import intake, prosecutor
from courts.common.clock import court_today
from courts.listing.enums import HearingStatus, SittingKind
from courts.listing.models import Hearing
from courts.listing.tests.factories import ACTOR, room, sitting
from courts.reference.calendar import on_or_after_working_day

pytestmark = pytest.mark.django_db


def create(case):
    return case_intake(intake=case, prosecutor=prosecutor(), actor=ACTOR, channel=IntakeChannel.API).case


def test_bail_case_with_a_police_bail_date_is_listed_in_that_days_sitting():
    day = on_or_after_working_day(court_today() + dt.timedelta(days=10))
    s = sitting(room(), day)
    new = intake()
    new.hearing_date = day
    case = create(new)
    hearing = Hearing.objects.get(hearing_defendants__case=case)
    assert hearing.status == HearingStatus.LISTED
    assert hearing.hearing_days.get().sitting == s
    assert hearing.listing_note == "First hearing: bailed to attend on this date"


def test_no_sitting_with_room_leaves_the_hearing_on_the_worklist_never_dropped():
    new = intake()
    new.hearing_date = None
    new.anticipated_plea = "NOT_GUILTY"
    case = create(new)
    hearing = Hearing.objects.get(hearing_defendants__case=case)
    assert hearing.status == HearingStatus.UNALLOCATED
    assert hearing.week_commencing is not None and hearing.week_commencing.weekday() == 0
    assert "not guilty anticipated" in hearing.listing_note


def test_custody_case_goes_to_the_next_sitting_days_custody_court():
    next_day = on_or_after_working_day(court_today() + dt.timedelta(days=1))
    sitting(room("Courtroom 1"), next_day)
    custody = sitting(room("Courtroom 2"), next_day, kind=SittingKind.CUSTODY)
    case = create(intake(bail_status="C"))
    hearing = Hearing.objects.get(hearing_defendants__case=case)
    assert hearing.hearing_days.get().sitting == custody


def test_sjp_notice_case_gets_no_hearing():
    new = intake()
    new.initiation_type = "J"
    case = create(new)
    assert not Hearing.objects.filter(hearing_defendants__case=case).exists()
