"""Reads of the court calendar for the judiciary portal: a day's sittings at the court centres where a
judicial office holder sits, each with its hearings in list order."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Prefetch

from courts.listing.models import HearingDay, HearingDefendant, Sitting
from courts.listing.selectors import DiarySitting


def court_day_for_centres(*, court_centre_ids: Iterable[uuid.UUID], date: dt.date) -> list[DiarySitting]:
    """Every sitting at these court centres on the date (by centre, court room and start time), with
    its hearings in list order and their defendants. Three queries whatever the size of the day."""
    sittings = list(
        Sitting.objects.filter(court_centre_id__in=list(court_centre_ids), date=date)
        .select_related("court_room", "court_centre")
        .order_by("court_centre__name", "court_room__name", "start_time", "id")
    )
    days = (
        HearingDay.objects.filter(sitting__in=sittings)
        .select_related("hearing__hearing_type")
        .prefetch_related(Prefetch("hearing__hearing_defendants", queryset=HearingDefendant.objects.select_related(
            "defendant", "case").order_by("case__urn", "defendant__sequence")))
        .order_by("list_order", "id")
    )
    by_sitting: dict = {s.id: [] for s in sittings}
    for day in days:
        by_sitting[day.sitting_id].append(day)
    return [DiarySitting(s, by_sitting[s.id], sum(d.duration_minutes for d in by_sitting[s.id])) for s in sittings]
