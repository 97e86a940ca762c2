"""Custody date rules over random dates from 2013 to 2027, Easter and Christmas drawn on purpose, against the
bank holidays of England and Wales loaded into the test database (the reference calendar):

- a custody time limit never expires on a Saturday, a Sunday, a bank holiday, Christmas Day or Good Friday
  (reg. 2(5) of the 1987 Regs); it is moved back to the last working day on or before the day the
  arithmetic gives, never forward; only a court's extension sets another day;
- a remand in custody never runs past its maximum: 8 clear days before conviction (MCA 1980 s.128(6)),
  28 clear days on a later remand once the date of the next stage is fixed, or that date if sooner
  (s.128A), 3 weeks after conviction (s.10(3)); and the check before sharing flags exactly the next
  hearings beyond it.

The oracle for "working day" is the PyPI govuk-bank-holidays data read directly, not the loaded table, so
a loader that dropped a holiday would fail here too.
"""

import datetime as dt
from dataclasses import replace
from functools import cache
from types import SimpleNamespace

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courts.custody.rules import (
    EITHER_WAY_ALLOCATED_DAYS,
    EITHER_WAY_DAYS,
    RETRIAL_DAYS,
    SENT_DAYS,
    SUMMARY_ONLY_DAYS,
    VOLUNTARY_BILL_DAYS,
    CtlFacts,
    CustodyPeriod,
    ctl_expiry_day,
    custody_time_limit,
    easter_sunday,
    remand_custody_maximum,
)
from courts.hearings.resulting import CUSTODY_STATUSES, _check_remand_period
from courts.reference.enums import ModeOfTrial

pytestmark = pytest.mark.django_db
FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

FIRST, LAST = dt.date(2013, 1, 1), dt.date(2027, 6, 30)  # the loaded calendar runs 2012-2028
LIMITS = {SUMMARY_ONLY_DAYS, EITHER_WAY_DAYS, EITHER_WAY_ALLOCATED_DAYS, SENT_DAYS, VOLUNTARY_BILL_DAYS,
          RETRIAL_DAYS}


@cache
def holidays() -> frozenset[dt.date]:
    data = BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return frozenset(h["date"] for h in data)


def working(day: dt.date) -> bool:
    good_friday = easter_sunday(day.year) - dt.timedelta(days=2)
    return day.weekday() < 5 and day not in holidays() and (day.month, day.day) != (12, 25) and day != good_friday


def _near(anchor: dt.date, spread: int):
    return st.integers(-spread, spread).map(lambda n: anchor + dt.timedelta(days=n))


# Any day, or one within a fortnight of Easter Sunday or Christmas Day of some year.
DATES = st.one_of(
    st.dates(FIRST, LAST),
    st.integers(FIRST.year, LAST.year - 1).flatmap(lambda y: _near(easter_sunday(y), 14)),
    st.integers(FIRST.year, LAST.year - 1).flatmap(lambda y: _near(dt.date(y, 12, 25), 14)),
)


@FIXTURES
@given(DATES)
def test_an_expiry_day_is_the_last_working_day_on_or_before_the_day_given(raw):
    expiry = ctl_expiry_day(raw)
    assert working(expiry), f"{raw} expires on {expiry:%a %d %b %Y}, not a working day"
    assert expiry <= raw
    assert all(not working(expiry + dt.timedelta(days=n)) for n in range(1, (raw - expiry).days + 1))
    assert ctl_expiry_day(expiry) == expiry


@st.composite
def ctl_facts(draw) -> tuple[CtlFacts, dt.date]:
    """One offence's custody history: up to three periods in order (the last perhaps open), a mode of trial,
    perhaps a sending, a voluntary bill, a retrial, an allocation, a conviction; and the day it is asked."""
    start = draw(DATES)
    periods, day = [], start
    for _ in range(draw(st.integers(1, 3))):
        day += dt.timedelta(days=draw(st.integers(0, 60)))
        length = draw(st.one_of(st.none(), st.integers(0, 120)))
        end = None if length is None else day + dt.timedelta(days=length)
        periods.append(CustodyPeriod(day, end))
        if end is None:
            break
        day = end + dt.timedelta(days=1)

    def maybe_after(days: int) -> dt.date | None:
        return draw(st.one_of(st.none(), st.integers(0, days).map(lambda n: start + dt.timedelta(days=n))))

    facts = CtlFacts(
        mode_of_trial=draw(st.sampled_from([m.value for m in ModeOfTrial])),
        custody=tuple(draw(st.permutations(periods))),  # the rules sort them
        allocated_summary_on=maybe_after(120),
        sent_on=maybe_after(120),
        voluntary_bill_on=maybe_after(200) if draw(st.integers(0, 5)) == 0 else None,
        retrial_ordered_on=maybe_after(300) if draw(st.integers(0, 5)) == 0 else None,
        first_appearance_on=draw(st.one_of(st.none(), st.just(start))),
        convicted_on=maybe_after(300) if draw(st.integers(0, 3)) == 0 else None,
        extended_to=maybe_after(400) if draw(st.integers(0, 3)) == 0 else None,
        concluded=draw(st.integers(0, 9)) == 0,
    )
    return facts, draw(_near(start, 250))


@FIXTURES
@given(ctl_facts())
def test_a_running_custody_time_limit_never_expires_on_a_non_working_day(case):
    facts, today = case
    result = custody_time_limit(facts, today=today)
    assert result.days_spent >= 0
    assert result.limit_days in LIMITS
    if not result.running:
        assert result.expiry is None
        return
    assert result.expiry is not None and result.explanation
    if facts.extended_to is not None and result.expiry == facts.extended_to:
        return  # the court's own date (POA 1985 s.22(3)); it is never earlier than the statutory one
    assert working(result.expiry), f"expires on {result.expiry:%a %d %b %Y}: {result.explanation}"
    # the arithmetic day, moved back over non-working days only
    raw = ctl_expiry_day(result.expiry)
    assert raw == result.expiry


@FIXTURES
@given(ctl_facts(), DATES)
def test_an_extension_never_brings_the_expiry_forward(case, extended_to):
    facts, today = case
    without = custody_time_limit(replace(facts, extended_to=None), today=today)
    facts = replace(facts, extended_to=extended_to)
    with_extension = custody_time_limit(facts, today=today)
    assert with_extension.running == without.running
    if without.running:
        assert with_extension.expiry >= without.expiry


def clear_days(first: dt.date, last: dt.date) -> int:
    """Days strictly between the day of remand and the day of the next hearing."""
    return (last - first).days - 1


@given(DATES, st.booleans(), st.booleans(), st.booleans(), st.one_of(st.none(), st.integers(-5, 60)))
def test_a_remand_in_custody_never_exceeds_its_maximum(remanded_on, convicted, previously, fixed, next_in):
    next_stage_on = None if next_in is None else remanded_on + dt.timedelta(days=next_in)
    latest, source = remand_custody_maximum(remanded_on=remanded_on, convicted=convicted,
                                            previously_remanded_in_custody=previously,
                                            next_stage_date_fixed=fixed, next_stage_on=next_stage_on)
    assert source.startswith("MCA 1980")
    if convicted:
        assert (latest - remanded_on).days == 21  # s.10(3): three weeks at a time
    elif previously and fixed:
        assert clear_days(remanded_on, latest) <= 28  # s.128A
        if next_stage_on is not None:
            assert latest <= next_stage_on
        else:
            assert clear_days(remanded_on, latest) == 28
    else:
        assert clear_days(remanded_on, latest) == 8  # s.128(6): not more than 8 clear days, and no fewer


def _work(hearing_date: dt.date, next_hearing: dt.date, status: str, convicted: bool):
    offence = SimpleNamespace(decisions={"PLEA": "GUILTY"} if convicted else {},
                              offence=SimpleNamespace(conviction_date=None))
    return SimpleNamespace(remand_status=status, hearing_date=hearing_date, offences=[offence],
                           next_hearings=[SimpleNamespace(date=next_hearing)])


@given(DATES, st.integers(1, 45), st.sampled_from(sorted(CUSTODY_STATUSES) + ["B", "U"]), st.booleans(),
       st.booleans())
def test_sharing_flags_exactly_the_next_hearings_beyond_the_remand_maximum(day, days_to_next, status, convicted,
                                                                          previously):
    next_hearing = day + dt.timedelta(days=days_to_next)
    checks: list = []
    _check_remand_period(_work(day, next_hearing, status, convicted), checks, previously_in_custody=previously)
    flagged = [c for c in checks if c.code == "remand_too_long"]
    if status not in CUSTODY_STATUSES:
        assert not flagged
        return
    maximum = 21 if convicted else (29 if previously else 9)  # days from the remand to the latest hearing
    assert bool(flagged) == (days_to_next > maximum), (days_to_next, maximum, checks)
