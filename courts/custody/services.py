"""Custody writes: remand status, warrants and custody time limits, as shared results leave them.

Called by sharing inside its transaction, so results and their custody consequences are written
together or not at all."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.enums import OffenceStatus
from courts.cases.models import Defendant, Offence
from courts.common.actor import Actor
from courts.common.clock import court_today, now
from courts.common.errors import PermissionDenied, ValidationFailed
from courts.custody.models import CustodyTimeLimit, Remand, Warrant, WarrantKind
from courts.custody.rules import CtlFacts, CustodyPeriod, ctl_extension_check, custody_time_limit
from courts.listing.models import Hearing

if TYPE_CHECKING:
    from courts.hearings.models import JudicialResult
    from courts.hearings.resulting import DefendantWork

# Remand statuses under which the custody time limit runs (Common Platform: C, L, S and P).
CTL_STATUSES = frozenset({"C", "L", "S", "P"})
CTL_EXTENDED_CODE = "CTLE"
CTL_EXTENDED_LABEL = "custody time limit extended until"


def custody_after_share(*, work: "DefendantWork", hearing: Hearing, share_number: int,
                        results: list["JudicialResult"], next_hearing: Hearing | None, actor: Actor) -> None:
    from courts.hearings.resulting import is_custody_result

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("custody_after_share runs inside the share's transaction")
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can change a defendant's remand status")
    defendant = work.defendant
    # An amendment replaces what this hearing decided before.
    Remand.objects.filter(defendant=defendant, hearing=hearing, is_current=True).update(is_current=False)
    Warrant.objects.filter(defendant=defendant, hearing=hearing, is_current=True).update(is_current=False)
    remands = []
    for o in work.offences:
        if o.remand_status:
            # The prison the remand result names, else the one given for the defendant.
            named = next((r.value_by_label("prison") for r in o.results if r.value_by_label("prison")), "")
            remands.append(Remand(defendant=defendant, offence=o.offence, hearing=hearing, status=o.remand_status,
                                  from_date=work.hearing_date, until_hearing=next_hearing,
                                  prison=(named or work.prison) if o.remand_status in CTL_STATUSES else "",
                                  share_number=share_number, created_at=now()))
    for r in work.defendant_results:
        if r.remand_status:
            remands.append(Remand(defendant=defendant, hearing=hearing, status=r.remand_status,
                                  from_date=work.hearing_date, until_hearing=next_hearing, share_number=share_number,
                                  created_at=now()))
    Remand.objects.bulk_create(remands)
    if remands:
        status = work.remand_status
        event_record(type=EventType.REMAND_STATUS_SET, actor=actor, case_id=defendant.case_id,
                     summary=f"{defendant.name} remand status: {status}"
                             + (f" until {next_hearing.hearing_days.first().date:%-d %B %Y}"
                                if next_hearing and next_hearing.hearing_days.exists() else ""),
                     payload={"defendant_id": defendant.id, "hearing_id": hearing.id, "status": status,
                              "offences": {str(r.offence_id): r.status for r in remands if r.offence_id},
                              "prison": work.prison})
    # One warrant per kind for the hearing (a remand on three offences is one warrant naming them all).
    by_kind: dict[str, list] = {}
    for line, row in zip(work.all_results, results, strict=True):
        if is_custody_result(line):
            kind = WarrantKind.REMAND if line.remand_status in CTL_STATUSES else WarrantKind.COMMITMENT
            by_kind.setdefault(kind, []).append((line, row))
    for kind, items in by_kind.items():
        prison = next((line.value_by_label("prison") for line, _ in items if line.value_by_label("prison")),
                      work.prison)
        warrant = Warrant.objects.create(
            defendant=defendant, hearing=hearing, judicial_result_id=items[0][1].id, kind=kind, prison=prison,
            issued_on=work.hearing_date, created_at=now(),
            particulars=_particulars(work, [line for line, _ in items], next_hearing))
        event_record(type=EventType.WARRANT_ISSUED, actor=actor, case_id=defendant.case_id,
                     summary=f"{warrant.get_kind_display()} to {prison} for {defendant.name}",
                     payload={"warrant_id": warrant.id, "result_ids": [row.id for _, row in items], "kind": kind,
                              "prison": prison})
    _extensions(work, actor)
    ctl_refresh(defendant=defendant)


def _particulars(work: "DefendantWork", lines: list[Any], next_hearing: Hearing | None) -> dict[str, Any]:
    offences = {str(o.offence.id): o.offence for o in work.offences}
    day = next_hearing.hearing_days.first() if next_hearing else None
    first = lines[0]
    return {
        # The first result at the top level; every result the warrant covers in "results".
        "result": f"{first.label} ({first.short_code})",
        "prompts": {p["label"]: p["value"] for p in first.prompts},
        "offence": "; ".join(f"{o.cjs_code} {o.title}" for o in dict.fromkeys(
            offences[line.offence_id] for line in lines if line.offence_id in offences)),
        "results": [
            {"result": f"{line.label} ({line.short_code})", "prompts": {p["label"]: p["value"] for p in line.prompts},
             "offence": (f"{offences[line.offence_id].cjs_code} {offences[line.offence_id].title}"
                         if line.offence_id in offences else "")}
            for line in lines
        ],
        "next_hearing": {"date": day.date.isoformat(), "court": str(day.sitting.court_room)} if day else None,
        "defendant": {"name": work.defendant.name,
                      "date_of_birth": work.defendant.date_of_birth.isoformat()
                      if work.defendant.date_of_birth else ""},
    }


def _extensions(work: "DefendantWork", actor: Actor) -> None:
    """A CTLE result extends an offence's custody time limit, only before it expires (POA 1985 s.22(3))."""
    for o in work.offences:
        for line in o.results:
            if line.short_code.upper() != CTL_EXTENDED_CODE:
                continue
            value = line.value_by_label(CTL_EXTENDED_LABEL)
            if not value:
                continue
            extended_to = dt.date.fromisoformat(value)
            current = CustodyTimeLimit.objects.filter(offence=o.offence).first()
            if current is None or current.expiry is None:
                raise ValidationFailed(f"Offence {o.offence.sequence} has no running custody time limit to extend",
                                       errors=[])
            try:
                ctl_extension_check(current_expiry=current.expiry, extended_to=extended_to,
                                    decided_on=work.hearing_date)
            except ValueError as error:
                raise ValidationFailed(f"Offence {o.offence.sequence}: {error}", errors=[]) from error
            CustodyTimeLimit.objects.filter(pk=current.pk).update(extended_to=extended_to)
            event_record(type=EventType.CTL_EXTENDED, actor=actor, case_id=work.defendant.case_id,
                         summary=f"Custody time limit for offence {o.offence.sequence} extended to "
                                 f"{extended_to:%-d %B %Y}",
                         payload={"offence_id": o.offence.id, "from": current.expiry, "to": extended_to})


def custody_periods(remands: list[Remand]) -> tuple[CustodyPeriod, ...]:
    """Continuous spells in custody from a sequence of remand decisions (each lasts until the next)."""
    periods: list[CustodyPeriod] = []
    start: dt.date | None = None
    for remand in remands:
        if remand.status in CTL_STATUSES and start is None:
            start = remand.from_date
        elif remand.status not in CTL_STATUSES and start is not None:
            periods.append(CustodyPeriod(start=start, end=remand.from_date))
            start = None
    if start is not None:
        periods.append(CustodyPeriod(start=start, end=None))
    return tuple(periods)


def ctl_facts(offence: Offence, remands: list[Remand], extended_to: dt.date | None) -> CtlFacts:
    mine = [r for r in remands if r.offence_id in (None, offence.id)]
    return CtlFacts(
        mode_of_trial=offence.mode_of_trial,
        custody=custody_periods(mine),
        allocated_summary_on=offence.allocation_date if offence.allocation_decision == "SUMMARY_TRIAL" else None,
        sent_on=offence.sent_to_crown_date,
        first_appearance_on=mine[0].from_date if mine else None,
        convicted_on=offence.conviction_date,
        extended_to=extended_to,
        concluded=bool(offence.disposed_on) or offence.status == OffenceStatus.WITHDRAWN,
    )


def ctl_refresh(*, defendant: Defendant, today: dt.date | None = None) -> list[CustodyTimeLimit]:
    """Work out again every custody time limit of a defendant's offences and store them."""
    today = today or court_today()
    remands = list(Remand.objects.filter(defendant=defendant, is_current=True).filter(
        Q(offence__isnull=True) | Q(offence__defendant=defendant)).order_by("from_date", "created_at"))
    existing = {c.offence_id: c for c in CustodyTimeLimit.objects.filter(defendant=defendant)}
    rows = []
    for offence in Offence.objects.filter(defendant=defendant).order_by("sequence"):
        if not remands and offence.id not in existing:
            continue
        extended_to = existing[offence.id].extended_to if offence.id in existing else None
        result = custody_time_limit(ctl_facts(offence, remands, extended_to), today=today)
        row, _ = CustodyTimeLimit.objects.update_or_create(
            offence=offence,
            defaults={"defendant": defendant, "running": result.running,
                      "stage": result.stage or "", "limit_days": result.limit_days, "expiry": result.expiry,
                      "days_spent": result.days_spent, "extended_to": extended_to,
                      "explanation": result.explanation[:500], "source": result.source[:100],
                      "computed_at": now()})
        rows.append(row)
    return rows
