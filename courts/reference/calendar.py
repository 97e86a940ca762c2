"""Working days in England and Wales: not a Saturday, a Sunday or a bank holiday (bank holidays
include Christmas Day, Boxing Day, Good Friday and Easter Monday). CrimPR 2020 r.2.2 ("business day")."""

import datetime as dt
from functools import lru_cache

from courts.reference.models import BankHoliday


@lru_cache(maxsize=1)
def _bank_holidays_cached(_token: int) -> frozenset[dt.date]:
    return frozenset(BankHoliday.objects.values_list("date", flat=True))


def bank_holidays() -> frozenset[dt.date]:
    # Keyed on the row count so that a reference reload is seen without a restart.
    return _bank_holidays_cached(BankHoliday.objects.count())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def on_or_after_working_day(day: dt.date) -> dt.date:
    return day if is_working_day(day) else next_working_day(day)


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day strictly before `day`."""
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day
