"""Distribution reads: each partner's state per shared hearing, the undelivered worklist, and the
reconciliation of what was owed against what was delivered."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

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


def undelivered_worklist(*, partner_id=None, limit: int = 500) -> list[Delivery]:
    """Everything not delivered by its deadline (and every dead one), oldest deadline first."""
    rows = Delivery.objects.filter(Q(state=DeliveryState.DEAD) | Q(
        state__in=(DeliveryState.PENDING, DeliveryState.RETRYING), deadline__lt=now()))
    if partner_id:
        rows = rows.filter(partner_id=partner_id)
    return list(rows.select_related("partner").order_by("deadline")[:limit])


def undelivered_count() -> int:
    return Delivery.objects.filter(Q(state=DeliveryState.DEAD) | Q(
        state__in=(DeliveryState.PENDING, DeliveryState.RETRYING), deadline__lt=now())).count()


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
