"""Custody time limits and remand maxima, as pure functions of the facts and a working-day test.

Sources (see shared/RULES.md B.0-B.2): Prosecution of Offences Act 1985 s.22; Prosecution of
Offences (Custody Time Limits) Regulations 1987 (SI 1987/299, "the 1987 Regs"); CrimPR 2020
r.14.18 note; Magistrates' Courts Act 1980 ss.10(3), 128(6), 128A.

Nothing here reads the database except the default working-day test, which is the England and
Wales bank-holiday calendar (courts.reference.calendar); pass `is_working_day` to use another.

Decisions where the law or the data left a choice (each repeated where it is applied):
* Days in custody: a period counts (end - start) days, i.e. the day custody began is excluded
  (reg. 2(4)) and the day of release counts (the defendant was in custody for part of it). This
  errs towards an earlier expiry. An open period counts (today - start).
* The clock for a stage is "start of the current custody period + limit - days already spent in
  custody in earlier periods of that stage", as Common Platform computes it (hearing day + N -
  days already in custody). For the Crown Court stage every earlier day in custody for the offence
  counts, because reg. 5(6B) deducts the magistrates' court days from the 182.
* Indictable-only offence not yet recorded as sent: treated as the Crown Court stage (182 days,
  provisional). The 70-day magistrates' limit for indictable-only offences in the original
  reg. 4(4) applied to committal proceedings, which no longer exist: CDA 1998 s.51 requires sending
  at the first appearance, and the CrimPR r.14.18 note lists no magistrates' court limit for such
  offences. Because magistrates' custody days are deducted from the 182 (reg. 5(6B)), counting
  from the start of custody gives the same expiry as counting from the sending date.
* Mode of trial unknown: the shortest limit (56 days) is assumed until the offence is classified.
* An extension (`extended_to`) replaces the computed expiry, but never moves it earlier: a stale
  extension (one earlier than the current statutory expiry) is ignored and the explanation says so.
* Christmas Day and Good Friday are named in reg. 2(5) itself, so they are never treated as an
  expiry day even if the bank-holiday data for that year is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from courts.reference.enums import ModeOfTrial

WorkingDayTest = Callable[[dt.date], bool]

_DAY = dt.timedelta(days=1)


def calendar_is_working_day(day: dt.date) -> bool:
    """The England and Wales working-day test from the bank-holiday table (CrimPR 2020 r.2.2)."""
    from courts.reference.calendar import is_working_day  # imported late: keeps this module pure

    return is_working_day(day)


class CtlStage(StrEnum):
    MAGISTRATES = "MAGISTRATES"
    CROWN = "CROWN"
    VOLUNTARY_BILL = "VOLUNTARY_BILL"
    RETRIAL = "RETRIAL"


@dataclass(frozen=True)
class CustodyPeriod:
    """A continuous remand in custody for the offence; `end` is the day released (None: still in custody)."""

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"custody period ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class CtlFacts:
    mode_of_trial: str  # courts.reference.enums.ModeOfTrial value: SUMMARY, EITHER_WAY, INDICTABLE, UNKNOWN
    custody: tuple[CustodyPeriod, ...]  # magistrates' and Crown Court periods for this offence, in order
    allocated_summary_on: dt.date | None = None  # court decided on summary trial (either-way offence)
    sent_on: dt.date | None = None  # sent to the Crown Court (CDA 1998 s.51)
    voluntary_bill_on: dt.date | None = None  # bill of indictment preferred by a High Court judge
    retrial_ordered_on: dt.date | None = None  # Court of Appeal ordered a retrial
    first_appearance_on: dt.date | None = None
    convicted_on: dt.date | None = None  # conviction or guilty plea: the clock stops
    extended_to: dt.date | None = None  # a court's extension (made before expiry: see ctl_extension_check)
    concluded: bool = False


@dataclass(frozen=True)
class CtlResult:
    running: bool
    stage: CtlStage | None
    limit_days: int | None
    expiry: dt.date | None
    days_spent: int
    explanation: str
    source: str


# Limits (days). Each cites the 1987 Regs.
SUMMARY_ONLY_DAYS = 56  # reg. 4(4): summary offence, first appearance to start of summary trial
EITHER_WAY_DAYS = 70  # reg. 4(2): either-way offence, first appearance to start of summary trial
EITHER_WAY_ALLOCATED_DAYS = 56  # reg. 4(3): summary trial decided on within 56 days of first appearance
SENT_DAYS = 182  # reg. 5(6B): from sending, less days in magistrates' court custody for the offence
VOLUNTARY_BILL_DAYS = 112  # reg. 5(3)(b): preferment of a voluntary bill to arraignment
RETRIAL_DAYS = 112  # reg. 5 (retrial ordered by the Court of Appeal): RULES.md B.1 marks the paragraph "verify"

# SI 2020/953 raised Crown Court limits for a period (28 Sep 2020 - 27 Jun 2021); the standard limit
# computed here is then shorter than the real one, so only a warning is given.
_COVID_FROM, _COVID_TO = dt.date(2020, 9, 28), dt.date(2021, 6, 27)


def _fmt(day: dt.date) -> str:
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm), for Good Friday in reg. 2(5)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _named_in_reg_2_5(day: dt.date) -> bool:
    # reg. 2(5): Saturday, Sunday, Christmas Day and Good Friday are named in the regulation itself.
    if day.weekday() >= 5:
        return True
    if (day.month, day.day) == (12, 25):
        return True
    return day == easter_sunday(day.year) - 2 * _DAY


def ctl_expiry_day(raw: dt.date, is_working_day: WorkingDayTest = calendar_is_working_day) -> dt.date:
    """reg. 2(5): a limit expiring on a Saturday, Sunday, Christmas Day, Good Friday or bank holiday
    is treated as expiring on the next preceding day that is none of those."""
    day = raw
    while _named_in_reg_2_5(day) or not is_working_day(day):
        day -= _DAY
    return day


def _days_in(period: CustodyPeriod, *, not_before: dt.date | None, until: dt.date) -> int:
    """Days in custody in `period` counted towards a limit: the day custody began is excluded
    (reg. 2(4)); the day of release counts; nothing after `until`; nothing before `not_before`."""
    start = period.start if not_before is None else max(period.start, not_before)
    end = until if period.end is None else min(period.end, until)
    return max(0, (end - start).days)


def _coverage_warning(day: dt.date, is_working_day: WorkingDayTest) -> str:
    if is_working_day is not calendar_is_working_day:
        return ""
    from courts.reference.calendar import bank_holidays

    holidays = bank_holidays()
    if holidays and max(h.year for h in holidays) >= day.year:
        return ""
    return (
        f"WARNING: no bank holidays are loaded for {day.year}; only weekends, Christmas Day and Good Friday "
        "were allowed for: check the date by hand (reg. 2(5))."
    )


def custody_time_limit(
    facts: CtlFacts, *, today: dt.date, is_working_day: WorkingDayTest = calendar_is_working_day
) -> CtlResult:
    """The custody time limit for one offence as at `today` (POA 1985 s.22; the 1987 Regs).

    Each offence has its own limit (R v Wirral DMC ex p Meikle (1990) 154 JP 1035). The facts are taken as
    recorded, even if dated after `today` (a remand made at a hearing dated tomorrow is custody: showing no
    limit would be the unsafe error); `today` decides only whether the last period is still open, the days
    used so far and whether the limit has expired. Expiry = start of the current custody period + limit -
    days already spent in custody for this stage in earlier periods, then moved back over non-working days
    (reg. 2(5)).
    """
    periods = tuple(sorted(facts.custody, key=lambda p: p.start))
    mode = facts.mode_of_trial
    notes: list[str] = []

    # Which stage, which limit, and from when custody counts for it.
    retrial, bill, sent = facts.retrial_ordered_on, facts.voluntary_bill_on, facts.sent_on
    allocated = facts.allocated_summary_on
    stage_from: dt.date | None = None  # custody before this date does not count for the stage
    if retrial is not None:
        stage, limit, source = CtlStage.RETRIAL, RETRIAL_DAYS, "reg. 5 (retrial; verify paragraph)"
        stage_from = retrial
        notes.append(f"Retrial ordered {_fmt(retrial)}: {limit} days to arraignment.")
    elif bill is not None:
        stage, limit, source = CtlStage.VOLUNTARY_BILL, VOLUNTARY_BILL_DAYS, "reg. 5(3)(b)"
        stage_from = bill
        notes.append(f"Voluntary bill preferred {_fmt(bill)}: {limit} days to arraignment.")
    elif sent is not None:
        stage, limit, source = CtlStage.CROWN, SENT_DAYS, "reg. 5(6B)"
        mags_days = sum(_days_in(p, not_before=None, until=sent) for p in periods)
        notes.append(
            f"Sent for trial {_fmt(sent)}: {limit} days from sending less {mags_days} day(s) "
            "already in magistrates' court custody for this offence."
        )
        if _COVID_FROM <= sent <= _COVID_TO:
            notes.append(
                "Sent while the coronavirus regulations raised Crown Court limits (SI 2020/953, "
                "28 Sep 2020 - 27 Jun 2021): the lawful limit may be longer; check."
            )
    elif mode == ModeOfTrial.INDICTABLE:
        stage, limit, source = CtlStage.CROWN, SENT_DAYS, "reg. 5(6B) (provisional: not yet sent)"
        notes.append(
            "Indictable-only offence not recorded as sent: the 182-day Crown Court limit is shown, counted "
            "from the start of custody (CDA 1998 s.51 requires sending at the first appearance; days in "
            "magistrates' custody are deducted, reg. 5(6B)). Record the sending date."
        )
    elif mode == ModeOfTrial.SUMMARY:
        stage, limit, source = CtlStage.MAGISTRATES, SUMMARY_ONLY_DAYS, "reg. 4(4)"
        notes.append(f"Summary-only offence: {limit} days from first appearance to the start of summary trial.")
    elif mode == ModeOfTrial.EITHER_WAY:
        first = facts.first_appearance_on or (periods[0].start if periods else None)
        decided = allocated is not None
        in_window = decided and first is not None and allocated <= first + dt.timedelta(days=56)
        if in_window:
            stage, limit, source = CtlStage.MAGISTRATES, EITHER_WAY_ALLOCATED_DAYS, "reg. 4(3)"
            notes.append(
                f"Either-way offence; summary trial decided on {_fmt(allocated)}, within 56 days of the first "
                f"appearance: {limit} days."
            )
        elif decided:
            stage, limit, source = CtlStage.MAGISTRATES, EITHER_WAY_DAYS, "reg. 4(2)"
            notes.append(
                f"Either-way offence; summary trial decided on {_fmt(allocated)}, not within 56 days of the first "
                f"appearance: {limit} days."
            )
        else:
            stage, limit, source = CtlStage.MAGISTRATES, EITHER_WAY_DAYS, "reg. 4(2)"
            notes.append(
                f"Either-way offence, summary trial not yet decided on: {limit} days (falls to 56 if the court "
                "decides on summary trial within 56 days of the first appearance, reg. 4(3))."
            )
    else:
        stage, limit, source = CtlStage.MAGISTRATES, SUMMARY_ONLY_DAYS, "reg. 4(4) (assumed: mode of trial unknown)"
        notes.append(
            "Mode of trial not recorded: the shortest limit, 56 days, is assumed until the offence is classified."
        )

    # What stops the clock. A conviction before a retrial was ordered is the quashed one, not a stop.
    stopped_by: str | None = None
    stop_day = today
    convicted = facts.convicted_on
    if facts.concluded:
        stopped_by = "Proceedings on this offence have concluded: no custody time limit runs."
    elif convicted is not None and (stage_from is None or convicted >= stage_from):
        stopped_by = (
            f"Convicted or guilty plea on {_fmt(convicted)}: the custody time limit has stopped (a limit runs "
            "only until the start of trial, and accepting a guilty plea starts it: reg. 2(3))."
        )
        stop_day = min(convicted, today)

    counted = [p for p in periods if (p.end is None or stage_from is None or p.end > stage_from)]
    days_spent = sum(_days_in(p, not_before=stage_from, until=stop_day) for p in counted)

    if stopped_by is not None:
        return CtlResult(False, stage, limit, None, days_spent, " ".join([stopped_by, *notes]), source)

    current = counted[-1] if counted and (counted[-1].end is None or counted[-1].end > today) else None
    if current is None:
        remaining = limit - days_spent
        return CtlResult(
            False,
            stage,
            limit,
            None,
            days_spent,
            " ".join(
                [
                    f"Not in custody: the clock is not running ({days_spent} day(s) used, {remaining} left "
                    "if remanded in custody again).",
                    *notes,
                ]
            ),
            source,
        )

    start = current.start if stage_from is None else max(current.start, stage_from)
    earlier = sum(_days_in(p, not_before=stage_from, until=p.end or today) for p in counted[:-1])
    raw = start + dt.timedelta(days=limit - earlier)
    expiry = ctl_expiry_day(raw, is_working_day)
    parts = [f"In custody since {_fmt(current.start)}."]
    if earlier:
        parts.append(f"{earlier} day(s) in custody earlier for this stage are deducted.")
    parts.extend(notes)
    parts.append(f"{_fmt(start)} + {limit - earlier} days = {_fmt(raw)} (custody's first day excluded, reg. 2(4)).")
    if expiry != raw:
        parts.append(f"Not a working day: expires the working day before, {_fmt(expiry)} (reg. 2(5)).")
    if facts.extended_to is not None:
        if facts.extended_to > expiry:
            parts.append(f"Extended by the court to {_fmt(facts.extended_to)} (POA 1985 s.22(3)).")
            expiry = facts.extended_to
        else:
            parts.append(f"The recorded extension to {_fmt(facts.extended_to)} is not later than this, so is ignored.")
    # Warnings lead, so a shortened explanation still carries them.
    warnings = []
    if expiry < today:
        warnings.append(
            f"EXPIRED on {_fmt(expiry)}: unless extended before expiry the defendant must be granted bail "
            "(reg. 6; POA 1985 s.22(3))."
        )
    warnings.append(_coverage_warning(raw, is_working_day))
    parts = [w for w in warnings if w] + parts
    return CtlResult(True, stage, limit, expiry, days_spent, " ".join(parts), source)


def ctl_extension_check(*, current_expiry: dt.date, extended_to: dt.date, decided_on: dt.date) -> None:
    """Raise ValueError unless the extension is lawful in time and direction.

    POA 1985 s.22(3): the court may extend "at any time before the expiry" of the limit. A limit runs
    to the end of its expiry day, so an extension decided on the expiry day itself is accepted; one
    decided on any later day is not (an expired limit cannot be revived).
    """
    if decided_on > current_expiry:
        raise ValueError(
            f"The custody time limit expired on {_fmt(current_expiry)}; it cannot be extended on "
            f"{_fmt(decided_on)}. An extension may be made only before expiry (POA 1985 s.22(3))."
        )
    if extended_to <= current_expiry:
        raise ValueError(
            f"An extension must end after the current expiry ({_fmt(current_expiry)}); "
            f"{_fmt(extended_to)} is not later (POA 1985 s.22(3))."
        )


def remand_custody_maximum(
    *,
    remanded_on: dt.date,
    convicted: bool,
    previously_remanded_in_custody: bool,
    next_stage_date_fixed: bool,
    next_stage_on: dt.date | None = None,
) -> tuple[dt.date, str]:
    """The latest lawful date for the next hearing when a magistrates' court remands in custody, and its source.

    The date is the legal limit; it is not moved to a sitting day (a court must list on or before it).
    """
    if convicted:
        # MCA 1980 s.10(3): after conviction, adjournment for inquiries/reports not more than 3 weeks at a time in custody.
        return remanded_on + dt.timedelta(weeks=3), (
            "MCA 1980 s.10(3): after conviction, an adjournment for reports may not exceed 3 weeks at a time "
            "when the defendant is remanded in custody."
        )
    if previously_remanded_in_custody and next_stage_date_fixed:
        # MCA 1980 s.128A: second or later remand, date fixed for next stage: up to 28 clear days or that date if sooner.
        latest = remanded_on + dt.timedelta(days=29)  # 28 clear days: neither the first nor the last day counts
        if next_stage_on is not None and next_stage_on < latest:
            latest = next_stage_on
        return latest, (
            "MCA 1980 s.128A: on a second or later remand in custody, with the defendant before the court and a "
            "date fixed for the next stage, up to 28 clear days or until that date if sooner."
        )
    # MCA 1980 s.128(6): before conviction, remand in custody for not more than 8 clear days.
    return remanded_on + dt.timedelta(days=9), (
        "MCA 1980 s.128(6): before conviction a remand in custody may not exceed 8 clear days (the day of remand "
        "and the day of the next hearing are not counted)."
    )
