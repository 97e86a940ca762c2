"""Custody reads: current remand status, custody time limits, warrants and the CTL worklist."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from courts.cases.models import Defendant
from courts.common.clock import court_today
from courts.custody.models import CustodyTimeLimit, Remand, Warrant
from courts.listing.models import Hearing, HearingDefendant

CUSTODY = ("C", "L", "S")
WORKLIST_DAYS = 28


def previously_remanded_in_custody(*, defendant: Defendant, before_hearing: Hearing) -> bool:
    """Remanded in custody for this case at an earlier hearing (MCA 1980 s.128A needs it)."""
    return Remand.objects.filter(defendant=defendant, is_current=True, status__in=CUSTODY).exclude(
        hearing=before_hearing).exists()


def remand_current(*, defendant: Defendant) -> Remand | None:
    return remand_current_for_defendants(defendant_ids=[defendant.id]).get(defendant.id)


def remand_current_for_defendants(*, defendant_ids: list) -> dict:
    """Defendant id → their current remand (the most restrictive decision of their latest hearing)."""
    order = "CSLPBUA"
    latest: dict = {}
    for remand in Remand.objects.filter(defendant_id__in=defendant_ids, is_current=True).order_by(
            "defendant_id", "-from_date", "-created_at"):
        best = latest.get(remand.defendant_id)
        if best is None:
            latest[remand.defendant_id] = remand
        elif best.hearing_id == remand.hearing_id and order.find(remand.status) < order.find(best.status):
            latest[remand.defendant_id] = remand
    return latest


def ctl_for_defendants(*, defendant_ids: list) -> dict:
    """Offence id → its custody time limit, for the case page and the API."""
    return {c.offence_id: c for c in CustodyTimeLimit.objects.filter(defendant_id__in=defendant_ids)}


def warrants_for_defendants(*, defendant_ids: list) -> list[Warrant]:
    return list(Warrant.objects.filter(defendant_id__in=defendant_ids, is_current=True).select_related("hearing"))


def warrant_get(*, warrant_id) -> Warrant:
    from courts.common.ids import get_by_uuid_or_not_found

    return get_by_uuid_or_not_found(Warrant.objects.select_related("defendant__case"), warrant_id, "warrant")


@dataclass
class CtlWorklistRow:
    ctl: CustodyTimeLimit
    days_left: int


def _ctl_rows(*, today: dt.date, within_days: int, court_centre_id, court_centre_ids: Iterable[uuid.UUID] | None):
    rows = CustodyTimeLimit.objects.filter(running=True, expiry__lte=today + dt.timedelta(days=within_days))
    if court_centre_id:
        rows = rows.filter(defendant__case__requested_court_centre_id=court_centre_id)
    if court_centre_ids is not None:
        # A case belongs to the centre it was sent to and every centre it is listed at (as for case access).
        ids = list(court_centre_ids)
        listed = HearingDefendant.objects.filter(hearing__court_centre_id__in=ids).values("case_id")
        rows = rows.filter(Q(defendant__case__requested_court_centre_id__in=ids) | Q(defendant__case_id__in=listed))
    return rows


def ctl_worklist(*, today: dt.date | None = None, within_days: int = WORKLIST_DAYS,
                 court_centre_id=None, court_centre_ids: Iterable[uuid.UUID] | None = None,
                 limit: int | None = None) -> list[CtlWorklistRow]:
    """Running custody time limits expiring within `within_days` (expired ones first: they need bail
    or an extension now). `court_centre_id`: of the cases sent to that centre; `court_centre_ids`: of
    the cases of those centres, sent or listed there (None: every centre); `limit`: the first few."""
    today = today or court_today()
    rows = (_ctl_rows(today=today, within_days=within_days, court_centre_id=court_centre_id,
                      court_centre_ids=court_centre_ids)
            .select_related("offence", "defendant__case").order_by("expiry", "defendant__last_name"))
    if limit is not None:
        rows = rows[:limit]
    return [CtlWorklistRow(c, (c.expiry - today).days) for c in rows]


def ctl_worklist_count(*, today: dt.date | None = None, within_days: int = WORKLIST_DAYS,
                       court_centre_ids: Iterable[uuid.UUID] | None = None) -> int:
    """How many rows `ctl_worklist` has for these centres (None: every centre)."""
    return _ctl_rows(today=today or court_today(), within_days=within_days, court_centre_id=None,
                     court_centre_ids=court_centre_ids).count()
