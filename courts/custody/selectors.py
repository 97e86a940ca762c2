"""Custody reads: current remand status, custody time limits, warrants and the CTL worklist."""

import datetime as dt
from dataclasses import dataclass

from courts.cases.models import Defendant
from courts.common.clock import court_today
from courts.custody.models import CustodyTimeLimit, Remand, Warrant
from courts.listing.models import Hearing

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


def ctl_worklist(*, today: dt.date | None = None, within_days: int = WORKLIST_DAYS,
                 court_centre_id=None) -> list[CtlWorklistRow]:
    """Running custody time limits expiring within `within_days` (expired ones first: they need bail
    or an extension now)."""
    today = today or court_today()
    rows = (CustodyTimeLimit.objects.filter(running=True, expiry__lte=today + dt.timedelta(days=within_days))
            .select_related("offence", "defendant__case").order_by("expiry", "defendant__last_name"))
    if court_centre_id:
        rows = rows.filter(defendant__case__requested_court_centre_id=court_centre_id)
    return [CtlWorklistRow(c, (c.expiry - today).days) for c in rows]
