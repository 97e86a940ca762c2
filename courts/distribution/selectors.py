"""Distribution reads: each partner's state per shared hearing, the undelivered worklist, and the
reconciliation of what was owed against what was delivered."""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.clock import LONDON, now
from courts.distribution.enums import DeliveryState
from courts.distribution.models import Delivery, Partner

OPEN = (DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.DEAD)


def deliveries_for_hearing(*, hearing_id) -> list[Delivery]:
    return list(Delivery.objects.filter(hearing_id=hearing_id).select_related("partner").order_by(
        "created_at", "partner__name"))


def deliveries_for_case(*, case_id) -> list[Delivery]:
    return list(Delivery.objects.filter(case_id=case_id).select_related("partner").order_by(
        "-created_at", "partner__name"))


def _undelivered(court_centre_ids: Iterable[uuid.UUID] | None = None) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(Q(state=DeliveryState.DEAD) | Q(
        state__in=(DeliveryState.PENDING, DeliveryState.RETRYING), deadline__lt=now()))
    if court_centre_ids is not None:
        rows = rows.filter(_at_court_centres(list(court_centre_ids)))
    return rows


def _at_court_centres(ids: list) -> Q:
    """A message about a hearing of one of these centres; one about a case alone (no hearing), about
    a case sent to or listed at one of them."""
    from courts.cases.models import ProsecutionCase
    from courts.listing.models import Hearing, HearingDefendant

    hearings = Hearing.objects.filter(court_centre_id__in=ids).values("id")
    cases = ProsecutionCase.objects.filter(
        Q(requested_court_centre_id__in=ids)
        | Q(id__in=HearingDefendant.objects.filter(hearing__court_centre_id__in=ids).values("case_id"))).values("id")
    return Q(hearing_id__in=hearings) | Q(hearing_id__isnull=True, case_id__in=cases)


def undelivered_worklist(*, partner_id=None, limit: int = 500,
                         court_centre_ids: Iterable[uuid.UUID] | None = None) -> list[Delivery]:
    """Everything not delivered by its deadline (and every dead one), oldest deadline first; of the
    hearings and cases of `court_centre_ids` (None: every centre)."""
    rows = _undelivered(court_centre_ids)
    if partner_id:
        rows = rows.filter(partner_id=partner_id)
    return list(rows.select_related("partner").order_by("deadline")[:limit])


def undelivered_count(*, court_centre_ids: Iterable[uuid.UUID] | None = None) -> int:
    return _undelivered(court_centre_ids).count()


def partner_states() -> list[dict]:
    counts = {(r["partner_id"], r["state"]): r["n"] for r in
              Delivery.objects.values("partner_id", "state").annotate(n=Count("id"))}
    return [{"partner": p, **{s: counts.get((p.id, s), 0) for s in DeliveryState.values}}
            for p in Partner.objects.all()]


@dataclass
class Reconciliation:
    shares: int = 0
    owed: int = 0
    delivered: int = 0
    gaps: list[str] = field(default_factory=list)


def reconcile(*, since: dt.date) -> Reconciliation:
    """Work out again, from each share event, what every active partner was owed, and compare it with
    the deliveries actually acknowledged."""
    from courts.distribution.routing import owed

    start = dt.datetime.combine(since, dt.time.min, tzinfo=LONDON)
    report = Reconciliation()
    for event in Event.objects.filter(type=EventType.RESULTS_SHARED, occurred_at__gte=start).order_by("occurred_at"):
        report.shares += 1
        delivered = Counter(Delivery.objects.filter(event=event, state=DeliveryState.DELIVERED)
                            .values_list("partner_id", flat=True))
        for partner, count in owed(event=event):
            if not count:
                continue
            report.owed += count
            got = min(delivered.get(partner.id, 0), count)
            report.delivered += got
            if got < count:
                states = list(Delivery.objects.filter(event=event, partner=partner).exclude(
                    state=DeliveryState.DELIVERED).values_list("state", flat=True))
                report.gaps.append(f"{event.occurred_at:%Y-%m-%d %H:%M} {event.summary} → {partner.name}: "
                                   f"{count - got} of {count} not delivered ({', '.join(states) or 'never written'})")
    return report
