"""Working days in England and Wales: not a Saturday, a Sunday or a bank holiday (bank holidays
include Christmas Day, Boxing Day, Good Friday and Easter Monday). CrimPR 2020 r.2.2 ("business day")."""

import datetime as dt
import time

from courts.reference.models import BankHoliday

# Bank holidays change once a year: each process keeps them for a few minutes (so a reload reaches
# every web and worker process soon), and the loader clears this process's copy at once.
_CACHE_SECONDS = 300
_cache: dict[str, object] = {}


def bank_holidays() -> frozenset[dt.date]:
    loaded_at = _cache.get("at")
    if loaded_at is None or time.monotonic() - float(loaded_at) > _CACHE_SECONDS:  # type: ignore[arg-type]
        _cache["dates"] = frozenset(BankHoliday.objects.values_list("date", flat=True))
        _cache["at"] = time.monotonic()
    return _cache["dates"]  # type: ignore[return-value]


def bank_holidays_changed() -> None:
    _cache.clear()


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
