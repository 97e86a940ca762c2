"""Listing conflicts, found before anything is saved and shown to the listing officer.

Blocking conflicts stop the change; warnings need the officer's acknowledgement."""

import datetime as dt
from dataclasses import dataclass

from courts.listing.enums import ConflictKind, Session, SittingKind
from courts.listing.models import Hearing, HearingDay, NonSittingDay, Sitting
from courts.reference.calendar import is_working_day

BLOCKING = {ConflictKind.NON_SITTING_DAY}


@dataclass(frozen=True)
class ListingConflict:
    kind: ConflictKind
    message: str

    @property
    def is_blocking(self) -> bool:
        return self.kind in BLOCKING


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def is_youth_on(defendant, day: dt.date) -> bool:
    """Under 18 on that day: a youth for the youth court and for reporting (CYPA 1933 ss.46, 49).
    A defendant without a date of birth is treated as an adult, as Common Platform does."""
    return bool(defendant.date_of_birth and age_on(defendant.date_of_birth, day) < 18)


def _sessions_overlap(a: str, b: str) -> bool:
    return a == b or Session.ALL_DAY in (a, b)


def non_sitting_day_reason(court_centre_id, day: dt.date) -> str | None:
    if not is_working_day(day):
        return f"{day:%A %-d %B %Y} is a weekend or bank holiday"
    declared = NonSittingDay.objects.filter(court_centre_id=court_centre_id, date=day).first()
    if declared:
        return f"{day:%-d %B %Y} is a declared non-sitting day: {declared.reason}"
    return None


def sitting_conflicts(sitting: Sitting) -> list[ListingConflict]:
    """Conflicts of a sitting itself: its day, and its judiciary sitting elsewhere at the same time."""
    conflicts = []
    if reason := non_sitting_day_reason(sitting.court_centre_id, sitting.date):
        conflicts.append(ListingConflict(ConflictKind.NON_SITTING_DAY, reason))
    names = {n.strip().upper() for n in sitting.judiciary if n.strip()}
    if names:
        others = Sitting.objects.filter(date=sitting.date).exclude(pk=sitting.pk).exclude(court_room=sitting.court_room)
        for other in others.select_related("court_room__court_centre"):
            clash = names & {n.strip().upper() for n in other.judiciary}
            if clash and _sessions_overlap(sitting.session, other.session):
                conflicts.append(ListingConflict(
                    ConflictKind.JUDGE_DOUBLE_BOOKED,
                    f"{', '.join(sorted(clash)).title()} also sits in {other.court_room} that {other.get_session_display().lower()}",
                ))
    return conflicts


def hearing_conflicts(*, hearing: Hearing, sitting: Sitting, duration_minutes: int) -> list[ListingConflict]:
    """What listing `hearing` in `sitting` would break."""
    conflicts = []
    if reason := non_sitting_day_reason(sitting.court_centre_id, sitting.date):
        conflicts.append(ListingConflict(ConflictKind.NON_SITTING_DAY, reason))
    booked = sum(
        HearingDay.objects.filter(sitting=sitting).exclude(hearing=hearing).values_list("duration_minutes", flat=True)
    )
    if booked + duration_minutes > sitting.capacity_minutes:
        conflicts.append(ListingConflict(
            ConflictKind.OVER_CAPACITY,
            f"{sitting.court_room.name} has {max(sitting.capacity_minutes - booked, 0)} minutes left; "
            f"this hearing needs {duration_minutes}",
        ))
    if sitting.hearing_type_codes and hearing.hearing_type.code not in sitting.hearing_type_codes:
        conflicts.append(ListingConflict(
            ConflictKind.HEARING_TYPE_NOT_TAKEN,
            f"This sitting takes {', '.join(sitting.hearing_type_codes)}, not {hearing.hearing_type.description}",
        ))
    defendants = [hd.defendant for hd in hearing.hearing_defendants.select_related("defendant")]
    for defendant in defendants:
        # Children and young persons are heard in the youth court (CYPA 1933 s.46).
        if is_youth_on(defendant, sitting.date) and sitting.kind != SittingKind.YOUTH:
            conflicts.append(ListingConflict(
                ConflictKind.YOUTH_IN_ADULT_COURT,
                f"{defendant.name} will be {age_on(defendant.date_of_birth, sitting.date)} on {sitting.date:%-d %B %Y}"
                f" and this is not a youth court",
            ))
    elsewhere = (
        HearingDay.objects.filter(date=sitting.date, hearing__hearing_defendants__defendant__in=defendants)
        .exclude(hearing=hearing)
        .exclude(sitting=sitting)
        .select_related("sitting__court_room__court_centre")
        .distinct()
    )
    for day in elsewhere:
        if _sessions_overlap(day.sitting.session, sitting.session):
            conflicts.append(ListingConflict(
                ConflictKind.DEFENDANT_DOUBLE_BOOKED,
                f"A defendant is already listed in {day.sitting.court_room} at {day.start_time:%H:%M} that day",
            ))
    return conflicts
