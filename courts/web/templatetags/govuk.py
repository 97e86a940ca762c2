"""Dates and times as GOV.UK writes them: "17 May 1990", "25 November 2026 at 2:05pm" (London time)."""

import datetime as dt

from django import template

from courts.common.clock import LONDON

register = template.Library()


@register.filter
def govuk_date(value: dt.date | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_time(value: dt.time | dt.datetime | None) -> str:
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    return f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{govuk_date(local.date())} at {govuk_time(local)}"


@register.filter
def london_iso(value: dt.datetime | None) -> str:
    """The machine-readable form for a <time> element, with London's offset."""
    if value is None:
        return ""
    return value.astimezone(LONDON).isoformat(timespec="seconds")


@register.filter
def enum_label(value: str | None) -> str:
    """A stored code such as NOT_GUILTY or SENT_CROWN as the words a page shows."""
    from courts.hearings.enums import DECISION_CHOICES

    for choices in DECISION_CHOICES.values():
        if value in choices.values:
            return str(choices(value).label)
    return (value or "").replace("_", " ").capitalize()
