"""Fine maxima on the standard scale and the victim surcharge, as pure functions. Money is integer pence.

Sources (shared/RULES.md B.6-B.7): Criminal Justice Act 1982 s.37 and Sentencing Act 2020 s.122
(standard scale); LASPO 2012 s.85 (level 5 unlimited); Criminal Justice Act 2003 s.161A-161B, now
Sentencing Act 2020 s.42 (section number UNVERIFIED in RULES.md), and the Criminal Justice Act 2003
(Surcharge) Order 2012 (SI 2012/1696) with the Schedules substituted by later amendment Orders.

Where a figure or a commencement date could not be checked against the Order itself it is marked
UNVERIFIED below. A table entry of None means "not known": the calculation raises SurchargeUnknown and
the adviser enters the amount, rather than the software guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# --- Standard scale --------------------------------------------------------------------------------------

_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class _Scale:
    from_date: dt.date  # offences committed on or after this date
    pence: tuple[int | None, ...]  # levels 1-5; None = unlimited
    source: str


_STANDARD_SCALE: tuple[_Scale, ...] = (
    # CJA 1982 s.37(2) as amended by the Criminal Penalties etc. (Increase) Order 1984 (SI 1984/447): £50, £100,
    # £400, £1,000, £2,000. UNVERIFIED: the Order's commencement date (1 May 1984) was recalled, not retrieved.
    _Scale(dt.date(1984, 5, 1), (5_000, 10_000, 40_000, 100_000, 200_000), "CJA 1982 s.37(2) (SI 1984/447 amounts)"),
    # CJA 1982 s.37(2) as substituted by CJA 1991 s.17(1), for offences on or after 1 Oct 1992.
    _Scale(dt.date(1992, 10, 1), (20_000, 50_000, 100_000, 250_000, 500_000), "CJA 1982 s.37(2) (CJA 1991 s.17)"),
    # LASPO 2012 s.85: level 5 (and the statutory maximum) unlimited for offences on or after 12 Mar 2015;
    # the scale is now Sentencing Act 2020 s.122.
    _Scale(dt.date(2015, 3, 12), (20_000, 50_000, 100_000, 250_000, None), "Sentencing Act 2020 s.122; LASPO 2012 s.85"),
)


def _scale_for(offence_date: dt.date) -> _Scale:
    applicable = [s for s in _STANDARD_SCALE if s.from_date <= offence_date]
    if not applicable:
        raise ValueError(
            f"The standard scale for an offence committed on {offence_date:%d %b %Y} is not tabulated here "
            f"(earliest: {_STANDARD_SCALE[0].from_date:%d %b %Y}); check the maximum by hand."
        )
    return applicable[-1]


def standard_scale_maximum(level: int, offence_date: dt.date) -> int | None:
    """The maximum fine, in pence, for an offence "not exceeding level N on the standard scale"; None = unlimited.

    Raises ValueError for a level not on the scale or an offence date before the earliest table.
    """
    if level not in _LEVELS:
        raise ValueError(f"Level {level} is not on the standard scale (levels 1 to 5).")
    return _scale_for(offence_date).pence[level - 1]


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}" if pence % 100 == 0 else f"£{pence / 100:,.2f}"


def fine_maximum_check(*, amount_pence: int, level: int | None, offence_date: dt.date) -> str | None:
    """None if the fine is within the maximum (or the offence's level is not known); otherwise a message."""
    if level is None:
        return None
    if amount_pence < 0:
        return "A fine cannot be negative."
    try:
        scale = _scale_for(offence_date)
        maximum = standard_scale_maximum(level, offence_date)
    except ValueError as problem:
        return f"Cannot check the maximum fine: {problem}"
    if maximum is None or amount_pence <= maximum:
        return None
    return (
        f"A fine of {_pounds(amount_pence)} exceeds the maximum of {_pounds(maximum)} for a level {level} offence "
        f"committed on {offence_date:%-d %B %Y} ({scale.source})."
    )


# --- Victim surcharge ------------------------------------------------------------------------------------


class SurchargeUnknown(Exception):
    """The surcharge cannot be worked out safely (table, figure or fact unknown): the adviser must enter it."""


class SurchargeSentence(StrEnum):
    """Disposals as the Surcharge Order's Schedule groups them."""

    ABSOLUTE_DISCHARGE = "ABSOLUTE_DISCHARGE"  # not in the Schedule: no surcharge (2012 Order art. 2)
    CONDITIONAL_DISCHARGE = "CONDITIONAL_DISCHARGE"
    FINE = "FINE"
    COMMUNITY = "COMMUNITY"  # community order
    YOUTH_REHABILITATION = "YOUTH_REHABILITATION"  # youth rehabilitation order (table for under-18s only)
    REFERRAL = "REFERRAL"  # referral order (table for under-18s only)
    SUSPENDED = "SUSPENDED"  # suspended sentence order: term in custody_days / custody_months
    CUSTODY = "CUSTODY"  # immediate custodial sentence (imprisonment, YOI, DTO, detention, life)


@dataclass(frozen=True)
class SurchargeItem:
    """One disposal for one offence on the sentencing occasion.

    The term of a SUSPENDED or CUSTODY item is `custody_months` if given, else `custody_days`; `life` for a
    life sentence. Mark a term `consecutive` when it runs consecutively to another term on the same occasion:
    the surcharge then follows the aggregate term (the longest concurrent term plus the consecutive ones).
    """

    sentence: SurchargeSentence
    offence_date: dt.date
    fine_pence: int = 0
    custody_days: int = 0
    custody_months: int = 0
    life: bool = False
    consecutive: bool = False


@dataclass(frozen=True)
class SurchargeResult:
    amount_pence: int
    explanation: str
    source: str


@dataclass(frozen=True)
class _FinePercent:
    percent: int
    min_pence: int | None
    max_pence: int | None


@dataclass(frozen=True)
class _SurchargeTable:
    order: str  # the instrument that substituted the Schedule
    from_date: dt.date  # offences committed on or after this date (its transitional article)
    # Table for offences committed under 18 (flat amounts)
    youth_cd: int | None
    youth_fine_community: int | None  # fine, youth rehabilitation order, referral order, community order
    youth_suspended: int | None
    youth_custody: int | None
    # Table for offences committed at 18 or over
    adult_cd: int | None
    adult_fine: _FinePercent | None
    adult_community: int | None
    adult_suspended_6m: int | None  # term up to and including 6 months
    adult_suspended_over_6m: int | None
    adult_custody_6m: int | None  # up to and including 6 months
    adult_custody_24m: int | None  # more than 6 months, up to and including 24 months
    adult_custody_over_24m: int | None
    # Table for persons other than individuals
    org_cd: int | None
    org_fine: _FinePercent | None


_TABLES: tuple[_SurchargeTable, ...] = (
    # SI 2019/985, offences on/after 28 Jun 2019. Commencement, youth and adult figures from the Order's text
    # (legislation.gov.uk) and the magistrates' blog summary of 28 Jun 2019; organisation fine row UNVERIFIED.
    _SurchargeTable(
        order="SI 2019/985",
        from_date=dt.date(2019, 6, 28),
        youth_cd=1_600,
        youth_fine_community=2_100,
        youth_suspended=3_200,
        youth_custody=3_200,
        adult_cd=2_100,
        adult_fine=_FinePercent(10, 3_200, 18_100),
        adult_community=9_000,
        adult_suspended_6m=12_200,
        adult_suspended_over_6m=14_900,
        adult_custody_6m=12_200,
        adult_custody_24m=14_900,
        adult_custody_over_24m=18_100,
        org_cd=2_100,
        org_fine=None,  # UNVERIFIED (believed 10%, min £32, max £181): enter by hand
    ),
    # SI 2020/310, in force April 2020 (Hansard HL 16 Sep 2020); the exact day (believed 14 Apr 2020) is
    # UNVERIFIED, so offences in April 2020 are refused (see _UNCERTAIN). Figures from the Order's Schedule as
    # retrieved: under-18 table complete; 18+ table up to suspended sentence <= 6 months. The rest are UNVERIFIED
    # (believed SSO > 6m £156, custody £128 / £156 / £190, organisations CD £22, fine 10% £34-£190): None.
    _SurchargeTable(
        order="SI 2020/310",
        from_date=dt.date(2020, 4, 14),
        youth_cd=1_700,
        youth_fine_community=2_200,
        youth_suspended=3_400,
        youth_custody=3_400,
        adult_cd=2_200,
        adult_fine=_FinePercent(10, 3_400, 19_000),
        adult_community=9_500,
        adult_suspended_6m=12_800,
        adult_suspended_over_6m=None,
        adult_custody_6m=None,
        adult_custody_24m=None,
        adult_custody_over_24m=None,
        org_cd=None,
        org_fine=None,
    ),
    # SI 2022/584, offences on/after 16 Jun 2022. Adult CD, fine 40% (max £2,000), community order and custody
    # £154/£187/£228: Wikipedia "Victim surcharge" citing the Order (RULES.md B.7). UNVERIFIED against the Order's
    # text (RULES.md B.11 q.4), taken from the brief: fine minimum £26, suspended-sentence rows, the under-18 table
    # and the organisation table.
    _SurchargeTable(
        order="SI 2022/584",
        from_date=dt.date(2022, 6, 16),
        youth_cd=2_000,  # UNVERIFIED
        youth_fine_community=2_600,  # UNVERIFIED
        youth_suspended=4_100,  # UNVERIFIED: assumed equal to custody, as in every earlier under-18 table
        youth_custody=4_100,  # UNVERIFIED
        adult_cd=2_600,
        adult_fine=_FinePercent(40, 2_600, 200_000),  # minimum £26 UNVERIFIED
        adult_community=11_400,
        adult_suspended_6m=15_400,  # UNVERIFIED (custody row confirmed)
        adult_suspended_over_6m=18_700,  # UNVERIFIED (custody row confirmed)
        adult_custody_6m=15_400,
        adult_custody_24m=18_700,
        adult_custody_over_24m=22_800,
        org_cd=2_600,  # UNVERIFIED
        org_fine=_FinePercent(40, 2_600, 200_000),  # UNVERIFIED
    ),
)

# Offence dates for which the applicable table cannot be told apart.
_UNCERTAIN: tuple[tuple[dt.date, dt.date, str], ...] = (
    (
        dt.date(2020, 4, 1),
        dt.date(2020, 4, 30),
        "SI 2020/310 came into force in April 2020 but its exact day is not verified here",
    ),
)

_ORDER_2012 = "Criminal Justice Act 2003 (Surcharge) Order 2012"

# Bounds for a term given in days (6 months is 181-184 days, 24 months 730-731): months are used when given.
_SIX_MONTHS_DAYS = 184
_TWENTY_FOUR_MONTHS_DAYS = 731


def _table_for(earliest: dt.date) -> _SurchargeTable:
    for low, high, why in _UNCERTAIN:
        if low <= earliest <= high:
            raise SurchargeUnknown(
                f"The victim surcharge for an offence committed on {earliest:%-d %B %Y} cannot be worked out: {why}. "
                "Enter the amount from the Surcharge Order."
            )
    applicable = [t for t in _TABLES if t.from_date <= earliest]
    if not applicable:
        raise SurchargeUnknown(
            f"The victim surcharge table for an offence committed on {earliest:%-d %B %Y} (before "
            f"{_TABLES[0].from_date:%-d %B %Y}) is not held here. Enter the amount from the Surcharge Order."
        )
    return applicable[-1]


def _need(value: int | _FinePercent | None, what: str, table: _SurchargeTable) -> Any:
    if value is None:
        raise SurchargeUnknown(
            f"The victim surcharge for {what} under {table.order} is not verified here. Enter the amount from the "
            "Surcharge Order."
        )
    return value


def _fine_surcharge(total_fine_pence: int, rule: _FinePercent) -> int:
    # "x per cent of the value of the fine, rounded up or down to the nearest pound": a half pound rounds up.
    pounds = (total_fine_pence * rule.percent + 5_000) // 10_000
    amount = pounds * 100
    if rule.min_pence is not None:
        amount = max(amount, rule.min_pence)
    if rule.max_pence is not None:
        amount = min(amount, rule.max_pence)
    return amount


def _term(item: SurchargeItem) -> tuple[bool, bool]:
    """(more than 6 months, more than 24 months) for a suspended or custodial term."""
    if item.life:
        return True, True
    if item.custody_months > 0:
        return item.custody_months > 6, item.custody_months > 24
    if item.custody_days > 0:
        return item.custody_days > _SIX_MONTHS_DAYS, item.custody_days > _TWENTY_FOUR_MONTHS_DAYS
    raise SurchargeUnknown("The length of the custodial or suspended term is not recorded, so the surcharge band is unknown.")


def _aggregate(items: list[SurchargeItem]) -> SurchargeItem | None:
    """One item standing for the total term: the longest concurrent term plus every consecutive one."""
    if not items:
        return None
    if any(i.life for i in items):
        return next(i for i in items if i.life)

    def days(i: SurchargeItem) -> int:  # an average month (30.44 days) keeps 6 and 24 months inside their bands
        return i.custody_months * 3044 // 100 if i.custody_months > 0 else i.custody_days

    if any(days(i) == 0 for i in items):
        _term(next(i for i in items if days(i) == 0))  # raises: term unknown
    concurrent = [i for i in items if not i.consecutive]
    consecutive = [i for i in items if i.consecutive]
    if not consecutive:
        return max(concurrent, key=days)
    if all(i.custody_months > 0 for i in items):
        months = max((i.custody_months for i in concurrent), default=0) + sum(i.custody_months for i in consecutive)
        return SurchargeItem(items[0].sentence, items[0].offence_date, custody_months=months)
    total = max((days(i) for i in concurrent), default=0) + sum(days(i) for i in consecutive)
    return SurchargeItem(items[0].sentence, items[0].offence_date, custody_days=total)


def victim_surcharge(
    items: Sequence[SurchargeItem], *, age_at_offence: int | None, is_organisation: bool
) -> SurchargeResult:
    """The one surcharge for a sentencing occasion (2012 Order arts. 3-4: the highest amount of the disposals).

    The table is the one in force when the earliest offence was committed (each amending Order's transitional
    article). Fines on the occasion are added together and the percentage taken of the total, and consecutive
    terms are aggregated (R v Abbott [2020] EWCA Crim 516, following Phelan-Sykes [2015] EWCA Crim 1094).
    `age_at_offence` is the age at the earliest offence; where some offences were committed under 18 and some at
    18 or over, the rule for mixed ages is not applied here (UNVERIFIED): check by hand.
    """
    if not items:
        return SurchargeResult(0, "No sentence on this occasion carries a surcharge.", _ORDER_2012 + " art. 2")
    if not is_organisation and age_at_offence is None:
        raise SurchargeUnknown("The defendant's age at the offence is not known, so the surcharge table is unknown.")
    earliest = min(i.offence_date for i in items)
    table = _table_for(earliest)
    youth = not is_organisation and age_at_offence is not None and age_at_offence < 18
    who = "an organisation" if is_organisation else ("an offender under 18" if youth else "an offender 18 or over")
    source = f"{_ORDER_2012} Sch. as substituted by {table.order}"

    kinds = {i.sentence for i in items}
    candidates: list[tuple[int, str]] = []
    fines = [i for i in items if i.sentence == SurchargeSentence.FINE]
    total_fine = sum(i.fine_pence for i in fines)

    if SurchargeSentence.CONDITIONAL_DISCHARGE in kinds:
        value = table.org_cd if is_organisation else table.youth_cd if youth else table.adult_cd
        candidates.append((_need(value, "a conditional discharge for " + who, table), "conditional discharge"))
    if fines:
        if youth:
            candidates.append((_need(table.youth_fine_community, "a fine for " + who, table), "fine"))
        else:
            rule: _FinePercent = _need(table.org_fine if is_organisation else table.adult_fine, "a fine for " + who, table)
            candidates.append(
                (_fine_surcharge(total_fine, rule), f"fine of {_pounds(total_fine)} at {rule.percent}%"
                 + (f", min {_pounds(rule.min_pence)}" if rule.min_pence else "")
                 + (f", max {_pounds(rule.max_pence)}" if rule.max_pence else ""))
            )
    community_kinds = kinds & {
        SurchargeSentence.COMMUNITY, SurchargeSentence.YOUTH_REHABILITATION, SurchargeSentence.REFERRAL
    }
    if community_kinds and is_organisation:
        raise SurchargeUnknown("A community, youth rehabilitation or referral order cannot be given to an organisation.")
    for kind in sorted(community_kinds):
        label = {"COMMUNITY": "community order", "YOUTH_REHABILITATION": "youth rehabilitation order",
                 "REFERRAL": "referral order"}[kind]
        if youth:
            candidates.append((_need(table.youth_fine_community, f"a {label} for {who}", table), label))
        elif kind == SurchargeSentence.COMMUNITY:
            candidates.append((_need(table.adult_community, f"a {label} for {who}", table), label))
        else:
            raise SurchargeUnknown(
                f"A {label} is in the surcharge table for offences committed under 18 only; check the age at the offence."
            )
    for kind, label in ((SurchargeSentence.SUSPENDED, "suspended sentence"), (SurchargeSentence.CUSTODY, "custody")):
        term = _aggregate([i for i in items if i.sentence == kind])
        if term is None:
            continue
        if is_organisation:
            raise SurchargeUnknown(f"A {label} cannot be given to an organisation.")
        if youth:
            value = table.youth_suspended if kind == SurchargeSentence.SUSPENDED else table.youth_custody
            candidates.append((_need(value, f"a {label} for {who}", table), label))
            continue
        over_6, over_24 = _term(term)
        if kind == SurchargeSentence.SUSPENDED:
            value = table.adult_suspended_over_6m if over_6 else table.adult_suspended_6m
            band = "over 6 months" if over_6 else "6 months or less"
        elif over_24:
            value, band = table.adult_custody_over_24m, "over 2 years"
        elif over_6:
            value, band = table.adult_custody_24m, "over 6 months, up to 2 years"
        else:
            value, band = table.adult_custody_6m, "6 months or less"
        candidates.append((_need(value, f"a {label} of {band} for {who}", table), f"{label} {band}"))

    if not candidates:
        return SurchargeResult(
            0,
            "No surcharge: " + ", ".join(sorted(k.replace("_", " ").lower() for k in kinds))
            + " is not a disposal in the Surcharge Order's Schedule (art. 2).",
            source,
        )
    amount, reason = max(candidates, key=lambda c: c[0])
    others = len(candidates) > 1
    explanation = (
        f"{_pounds(amount)} for {reason} ({who}; offence on {earliest:%-d %B %Y}, {table.order} table)"
        + ("; the highest of the disposals on this occasion" if others else "")
        + "."
    )
    return SurchargeResult(amount, explanation, source)


# --- Result definitions → surcharge disposals --------------------------------------------------------------

# Common Platform result short codes (hearing stub-data result-definitions.json) that are a sentence for an
# offence in the Surcharge Order's Schedule. Activations of suspended sentences (SSI...), imprisonment in default
# (IMPDP, DETDP), variations and amendments are not new sentences and carry no surcharge.
_BY_SHORT_CODE: Mapping[str, SurchargeSentence] = {
    "AD": SurchargeSentence.ABSOLUTE_DISCHARGE,
    "CD": SurchargeSentence.CONDITIONAL_DISCHARGE,
    "CDN": SurchargeSentence.CONDITIONAL_DISCHARGE,
    "FO": SurchargeSentence.FINE,
    "CO": SurchargeSentence.COMMUNITY,  # "co" Community order England / Wales
    "COS": SurchargeSentence.COMMUNITY,  # community order with requirements in Scotland
    "CONI": SurchargeSentence.COMMUNITY,  # community order with requirements in Northern Ireland
    "YRO": SurchargeSentence.YOUTH_REHABILITATION,
    "YROF": SurchargeSentence.YOUTH_REHABILITATION,
    "YROISS": SurchargeSentence.YOUTH_REHABILITATION,
    "YRONI": SurchargeSentence.YOUTH_REHABILITATION,
    "YROINI": SurchargeSentence.YOUTH_REHABILITATION,
    "YOP": SurchargeSentence.REFERRAL,
    "SUSPS": SurchargeSentence.SUSPENDED,
    "SUSPSD": SurchargeSentence.SUSPENDED,
    "SUSPSNI": SurchargeSentence.SUSPENDED,
    "SUSPSS": SurchargeSentence.SUSPENDED,
    "SUSPSDNI": SurchargeSentence.SUSPENDED,
    "SUSPSDS": SurchargeSentence.SUSPENDED,
    "IMP": SurchargeSentence.CUSTODY,  # "imp" Imprisonment
    "YOI": SurchargeSentence.CUSTODY,  # "yoi" Committed to young offender institution
    "DTO": SurchargeSentence.CUSTODY,
    "DETMP": SurchargeSentence.CUSTODY,
    "DETSO": SurchargeSentence.CUSTODY,
    "CFL": SurchargeSentence.CUSTODY,
    "CFLS": SurchargeSentence.CUSTODY,
    "MCL": SurchargeSentence.CUSTODY,
    "MLI": SurchargeSentence.CUSTODY,
    "LIMP2": SurchargeSentence.CUSTODY,
    "LIMPS2O": SurchargeSentence.CUSTODY,
    "LIMPSO": SurchargeSentence.CUSTODY,
    "EXTDVS": SurchargeSentence.CUSTODY,
    "EXTDVSU": SurchargeSentence.CUSTODY,
    "EXTIVS": SurchargeSentence.CUSTODY,
    "SPECC": SurchargeSentence.CUSTODY,
    "MINDDB": SurchargeSentence.CUSTODY,
    "MINDDT": SurchargeSentence.CUSTODY,
    "MINIDB": SurchargeSentence.CUSTODY,
    "MINIDT": SurchargeSentence.CUSTODY,
}

# Life sentences among the custody codes (the surcharge is the top band).
LIFE_SHORT_CODES = frozenset({"CFL", "CFLS", "MCL", "MLI", "LIMP2", "LIMPS2O", "LIMPSO", "DETMP"})

# Short codes that share a sentence's CJS code but are not a new sentence.
_NOT_A_SENTENCE = frozenset({"YOPE", "SSI", "SSID", "SSIV", "SSIVD", "IMPDP", "DETDP", "SUSPV", "SUSPVD", "SUSPA", "SUSPAD"})

# CJS result codes, for a definition whose short code is not listed above.
_BY_CJS_CODE: Mapping[str, SurchargeSentence] = {
    "1015": SurchargeSentence.FINE,
    "1017": SurchargeSentence.ABSOLUTE_DISCHARGE,
    "1018": SurchargeSentence.CONDITIONAL_DISCHARGE,
    "1116": SurchargeSentence.COMMUNITY,
    "1141": SurchargeSentence.YOUTH_REHABILITATION,
    "1142": SurchargeSentence.YOUTH_REHABILITATION,
    "1143": SurchargeSentence.YOUTH_REHABILITATION,
    "1097": SurchargeSentence.REFERRAL,
    "1115": SurchargeSentence.SUSPENDED,
    "1134": SurchargeSentence.SUSPENDED,
    "1002": SurchargeSentence.CUSTODY,
    "1003": SurchargeSentence.CUSTODY,
    "1007": SurchargeSentence.CUSTODY,
    "1024": SurchargeSentence.CUSTODY,
    "1081": SurchargeSentence.CUSTODY,
}


def surcharge_sentence_for(short_code: str, definition: Mapping[str, Any] | None) -> SurchargeSentence | None:
    """The surcharge disposal a result definition stands for, or None if it is not a sentence in the Schedule."""
    code = (short_code or "").strip().upper()
    if code in _NOT_A_SENTENCE:
        return None
    if code in _BY_SHORT_CODE:
        return _BY_SHORT_CODE[code]
    definition = definition or {}
    # Only a final offence-level result with a conviction can be a sentence.
    if definition.get("level") not in (None, "O") or str(definition.get("convicted", "Y")).upper() not in ("Y", "TRUE"):
        return None
    if definition.get("category") not in (None, "F"):
        return None
    return _BY_CJS_CODE.get(str(definition.get("cjsCode") or ""))
