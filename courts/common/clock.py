"""Time in one place: aware UTC instants, and court dates in Europe/London."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> dt.datetime:
    return timezone.now()


def court_today() -> dt.date:
    """Today's date where the courts sit (a hearing at 00:30 BST is on the London date)."""
    return timezone.now().astimezone(LONDON).date()
