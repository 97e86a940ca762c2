"""Today's court for the demo: a few hearings brought forward into today's sittings, so that a
legal adviser can open a sitting and result it straight away."""

from django.db import transaction

from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.enums import HearingStatus, SittingKind
from courts.listing.models import Hearing, Sitting
from courts.listing.services import ListingConflicts, hearing_list
from courts.reference.calendar import on_or_after_working_day

PER_SITTING = 6


def demo_court_day(*, ou_codes: list[str], actor: Actor) -> int:
    """Move up to PER_SITTING listed hearings into each centre's first adult and custody sitting on
    the court day (today, or the next working day); returns how many were moved."""
    day = on_or_after_working_day(court_today())
    moved = 0
    sittings = Sitting.objects.filter(court_centre__ou_code__in=ou_codes, date=day,
                                      kind__in=(SittingKind.ADULT, SittingKind.CUSTODY)).order_by(
        "court_centre_id", "kind", "start_time", "court_room__name")
    seen: set[tuple] = set()
    for sitting in sittings:
        key = (sitting.court_centre_id, sitting.kind)
        if key in seen:
            continue
        seen.add(key)
        later = (Hearing.objects.filter(court_centre_id=sitting.court_centre_id, status=HearingStatus.LISTED,
                                        hearing_days__sitting__kind=sitting.kind, hearing_days__date__gt=day)
                 .distinct().order_by("hearing_days__date", "created_at")[:PER_SITTING])
        for hearing in later:
            try:
                with transaction.atomic():
                    hearing_list(hearing=hearing, sitting=sitting, actor=actor, expected_sitting_version=None)
                    moved += 1
            except ListingConflicts:
                continue
    return moved
