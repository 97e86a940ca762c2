"""Reads of the court calendar for the diary, the worklist, the API and the court lists."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum

from courts.common.errors import NotFound
from courts.common.ids import get_by_uuid_or_not_found
from courts.listing.enums import HearingStatus
from courts.listing.models import CourtRoom, Hearing, HearingDay, HearingDefendant, ListingRules, Sitting
from courts.reference.models import CourtCentre


def court_centre_get_or_404(*, ou_code: str) -> CourtCentre:
    centre = CourtCentre.objects.filter(ou_code=(ou_code or "").strip().upper()).first()
    if centre is None:
        raise NotFound(f"No court centre has the OU code {ou_code!r}")
    return centre


def court_room_list(*, court_centre: CourtCentre) -> QuerySet[CourtRoom]:
    return CourtRoom.objects.filter(court_centre=court_centre, is_active=True).order_by("name")


def court_room_get(*, court_room_id) -> CourtRoom:
    return get_by_uuid_or_not_found(CourtRoom.objects.select_related("court_centre"), court_room_id, "court room")


def sitting_get(*, sitting_id) -> Sitting:
    return get_by_uuid_or_not_found(Sitting.objects.select_related("court_room", "court_centre"), sitting_id,
                                    "sitting")


def _hearing_queryset() -> QuerySet[Hearing]:
    return Hearing.objects.select_related("hearing_type", "court_centre").prefetch_related(
        Prefetch("hearing_defendants", queryset=HearingDefendant.objects.select_related(
            "defendant", "case", "case__prosecutor").order_by("case__urn", "defendant__sequence")),
        Prefetch("hearing_days", queryset=HearingDay.objects.select_related(
            "sitting__court_room", "sitting__court_centre").order_by("date", "list_order")),
    )


def hearing_get(*, hearing_id) -> Hearing:
    return get_by_uuid_or_not_found(_hearing_queryset(), hearing_id, "hearing")


def sitting_get_for_actor(*, actor, sitting_id) -> Sitting:
    """A sitting of the actor's court centres (court staff and the judiciary; all for national staff),
    or NotFound."""
    sitting = sitting_get(sitting_id=sitting_id)
    if not actor.works_at(sitting.court_centre_id):
        raise NotFound("No such sitting")
    return sitting


def hearing_get_for_actor(*, actor, hearing_id) -> Hearing:
    """A hearing of the actor's court centres, or NotFound: the court's own view of its hearings."""
    hearing = hearing_get(hearing_id=hearing_id)
    if not actor.works_at(hearing.court_centre_id):
        raise NotFound("No such hearing")
    return hearing


def hearing_list_for_court_day(*, court_centre: CourtCentre, date: dt.date) -> list[Hearing]:
    ids = HearingDay.objects.filter(sitting__court_centre=court_centre, date=date).values("hearing_id")
    return list(_hearing_queryset().filter(pk__in=ids))


def hearing_list_for_case(*, case_id) -> list[Hearing]:
    ids = HearingDefendant.objects.filter(case_id=case_id).values("hearing_id")
    return list(_hearing_queryset().filter(pk__in=ids).order_by("created_at"))


def _unallocated(hearings: QuerySet[Hearing], court_centre_ids: Iterable[uuid.UUID] | None) -> QuerySet[Hearing]:
    hearings = hearings.filter(status__in=[HearingStatus.UNALLOCATED, HearingStatus.VACATED])
    return hearings if court_centre_ids is None else hearings.filter(court_centre_id__in=list(court_centre_ids))


def unallocated_worklist(*, court_centre: CourtCentre | None = None,
                         court_centre_ids: Iterable[uuid.UUID] | None = None, limit: int | None = None
                         ) -> list[Hearing]:
    """Hearings waiting for a slot (including vacated ones to relist), soonest week first: of one
    court centre, or of `court_centre_ids` (None: every centre), the first `limit` of them."""
    if court_centre is not None:
        court_centre_ids = [court_centre.pk]
    rows = _unallocated(_hearing_queryset(), court_centre_ids).order_by(
        "is_date_to_be_fixed", "week_commencing", "created_at")
    return list(rows[:limit] if limit is not None else rows)


def unallocated_counts(*, court_centre_ids: Iterable[uuid.UUID] | None = None) -> list[dict]:
    """How many hearings wait for a slot at each court centre of `court_centre_ids` (None: every
    centre) that has any: [{"ou_code", "name", "count"}], by centre name. One query."""
    return [{"ou_code": row["court_centre__ou_code"], "name": row["court_centre__name"], "count": row["count"]}
            for row in _unallocated(Hearing.objects.all(), court_centre_ids).values("court_centre__ou_code", "court_centre__name")
            .annotate(count=Count("id")).order_by("court_centre__name")]


@dataclass
class DiarySitting:
    sitting: Sitting
    days: list[HearingDay]
    booked_minutes: int

    @property
    def remaining_minutes(self) -> int:
        return self.sitting.capacity_minutes - self.booked_minutes


def court_diary(*, court_centre: CourtCentre, date: dt.date) -> list[DiarySitting]:
    """Every sitting of the centre on the date, with its hearings in list order. A fixed number of
    queries whatever the size of the day."""
    sittings = list(
        Sitting.objects.filter(court_centre=court_centre, date=date)
        .select_related("court_room")
        .order_by("court_room__name", "start_time")
    )
    days = (
        HearingDay.objects.filter(sitting__in=sittings)
        .select_related("hearing__hearing_type")
        .prefetch_related(Prefetch("hearing__hearing_defendants",
                                   queryset=HearingDefendant.objects.select_related("defendant", "case")))
        .order_by("list_order")
    )
    by_sitting: dict = {s.id: [] for s in sittings}
    for day in days:
        by_sitting[day.sitting_id].append(day)
    return [DiarySitting(s, by_sitting[s.id], sum(d.duration_minutes for d in by_sitting[s.id])) for s in sittings]


def sitting_hearing_order(*, sitting: Sitting) -> list:
    """The ids of the hearings in a sitting, in list order."""
    return list(HearingDay.objects.filter(sitting=sitting).order_by("list_order", "id")
                .values_list("hearing_id", flat=True))


def sitting_booked_minutes(*, sitting: Sitting) -> int:
    return HearingDay.objects.filter(sitting=sitting).aggregate(m=Sum("duration_minutes"))["m"] or 0


def listing_rules_get(*, court_centre: CourtCentre) -> ListingRules:
    from courts.listing.services import listing_rules_for

    return listing_rules_for(court_centre)


def next_hearing_for_defendants(*, defendant_ids: list) -> dict:
    """defendant id → its next listed hearing day (today or later), for search results and case pages."""
    from courts.common.clock import court_today

    days = (
        HearingDay.objects.filter(hearing__hearing_defendants__defendant_id__in=defendant_ids,
                                  date__gte=court_today(), hearing__status=HearingStatus.LISTED)
        .select_related("sitting__court_room", "sitting__court_centre", "hearing__hearing_type")
        .order_by("date", "start_time")
        .values_list("hearing__hearing_defendants__defendant_id", "id")
    )
    first: dict = {}
    for defendant_id, day_id in days:
        first.setdefault(defendant_id, day_id)
    loaded = HearingDay.objects.select_related("sitting__court_room", "sitting__court_centre",
                                               "hearing__hearing_type").in_bulk(set(first.values()))
    return {d: loaded[day] for d, day in first.items()}
