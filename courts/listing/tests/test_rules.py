"""First-hearing listing rules with worked dates across Easter and Christmas."""

import datetime as dt

import pytest

from courts.cases.enums import AnticipatedPlea
from courts.cases.models import ProsecutionCase
from courts.listing.enums import SittingKind
from courts.listing.models import ListingRules
from courts.listing.services import first_hearing_plan
from courts.reference.calendar import next_working_day, previous_working_day

pytestmark = pytest.mark.django_db


class FakeOffences:
    def __init__(self, charge_date):
        self._offences = [type("O", (), {"charge_date": charge_date})()]

    def all(self):
        return self._offences


def defendant(bail_status="U", date_of_birth=dt.date(1990, 1, 1), charge_date=None):
    d = type("D", (), {})()
    d.bail_status, d.date_of_birth, d.offences = bail_status, date_of_birth, FakeOffences(charge_date)
    return d


def plan(*, today, bail_status="U", plea=AnticipatedPlea.GUILTY, initiation="C", requested=None, dob=dt.date(1990, 1, 1)):
    case = ProsecutionCase(initiation_type=initiation, requested_hearing_date=requested)
    rules = ListingRules(guilty_anticipated_days=14, not_guilty_anticipated_days=28, custody_next_sitting_day=True)
    return first_hearing_plan(case=case, defendants=[defendant(bail_status, dob, today)], anticipated_plea=plea,
                              rules=rules, today=today)


def test_working_days_skip_easter_and_christmas():
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert next_working_day(dt.date(2027, 3, 25)) == dt.date(2027, 3, 30)
    # Christmas 2026: Friday 25 December, Boxing Day substitute Monday 28 December.
    assert next_working_day(dt.date(2026, 12, 24)) == dt.date(2026, 12, 29)
    assert previous_working_day(dt.date(2026, 12, 29)) == dt.date(2026, 12, 24)


def test_custody_case_charged_on_the_thursday_before_easter_goes_to_tuesdays_custody_court():
    result = plan(today=dt.date(2027, 3, 25), bail_status="C")
    assert result.target_date == dt.date(2027, 3, 30)
    assert result.kinds == (SittingKind.CUSTODY,)


def test_custody_case_charged_on_christmas_eve_goes_to_the_tuesday_after_boxing_day():
    result = plan(today=dt.date(2026, 12, 24), bail_status="C")
    assert result.target_date == dt.date(2026, 12, 29)


def test_bail_guilty_anticipated_lists_about_14_days_after_charge_on_a_working_day():
    # Charged Monday 14 December 2026: +14 days is Monday 28 December, the Boxing Day substitute.
    result = plan(today=dt.date(2026, 12, 14))
    assert result.target_date == dt.date(2026, 12, 29)
    assert result.kinds == (SittingKind.ADULT,)


def test_bail_not_guilty_anticipated_lists_about_28_days_after_charge():
    # Charged Friday 26 February 2027: +28 days is Friday 26 March, Good Friday; next working day Tuesday.
    result = plan(today=dt.date(2027, 2, 26), plea=AnticipatedPlea.NOT_GUILTY)
    assert result.target_date == dt.date(2027, 3, 30)


def test_police_bail_to_a_date_is_honoured():
    result = plan(today=dt.date(2026, 12, 1), requested=dt.date(2026, 12, 9))
    assert result.target_date == dt.date(2026, 12, 9)


def test_sjp_notice_gets_no_hearing():
    assert plan(today=dt.date(2026, 12, 1), initiation="J") is None


def test_youth_custody_goes_to_the_youth_court():
    result = plan(today=dt.date(2026, 12, 1), bail_status="C", dob=dt.date(2010, 6, 1))
    assert result.kinds == (SittingKind.YOUTH,)
