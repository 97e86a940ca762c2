"""Sharing a full magistrates' list through the service and the API, beside the raw SQL writes the share needs.

    .venv/bin/python bench/resulting.py                # 10 lists of 20 cases, 30 defendants, per path
    .venv/bin/python bench/resulting.py --lists 2      # a quick run

It measures, in one run and on one database (`DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/courts_bench_resulting, which it creates, migrates and loads with
reference data), per defendant:

- the service: `results_draft_save` (the whole draft, once) then `results_share`, each timed;
- the API: `PUT /api/v1/hearings/{id}/defendants/{id}/results/draft` then `POST .../results/share`,
  through Django's test Client in-process (the whole request stack, no socket), with an HMCTS
  organisation's bearer token, or logged in as court staff where tokens may not result;
- the baseline: psycopg writing the same rows in one transaction for the draft and one for the share:
  the judicial results, offence decisions, offence outcomes, defendant and case status, the hearing
  heard, the next hearing listed in its sitting, remands, warrants, custody time limits and events.
  Every share's rows are counted on both sides (per table, by the rows' `xmin`) and must be equal.

Each path results its own list (the same mix of outcomes, in the same order, at its own court centre);
the paths take turns defendant by defendant, so that they meet the same machine load. It also counts
the keystrokes of the ten most common outcomes, typed as the notepad line, the inline answers the
checks still ask for, Tab between fields and Ctrl+Enter to share; the bench's own shares prove that
what is counted is enough to share.

It prints `operation | ours | baseline | ratio`, where the ratio is our time over the baseline's.
See bench/README.md and docs/performance.md, section "Resulting".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/courts_bench_resulting"
BENCH_SEED = 5150
DEFENDANTS = 30
CASES = 20
CROWN_OU = "C13LE00"  # Leeds Crown Court: where the bench's lists send cases
PROSECUTOR_NAME = "Crown Prosecution Service"
STAFF_USERNAME = "resulting-bench-adviser"
# What authenticating a request writes: the session saved on every request (SESSION_SAVE_EVERY_REQUEST,
# the idle timeout), or when a token was last used (at most once a minute).
AUTH_TABLES = ("django_session", "accounts_apitoken")
ADVISER = "Bench Adviser"  # the staff user's full name, as the events record it

# Real offence codes (bichard7 offence-code.json, in the loaded reference data).
THEFT_FROM_SHOP = "TH68010"  # either way
CRIMINAL_DAMAGE = "CD71037"  # either way (summary below £5,000)
POSSESS_CANNABIS = "MD71530"  # either way
ASSAULT_BY_BEATING = "CJ88116"  # summary
ABH = "OF61102"  # either way
BURGLARY_DWELLING = "TH68036"  # either way
DRINK_DRIVING = "RT88007"  # summary
NO_INSURANCE = "RT88191"  # summary


# --- outcomes, drafts and keystrokes (pure Python) ------------------------------------------------
# Everything down to `list_plan` works without a database, so that
# courts/hearings/tests/test_bench_resulting_smoke.py can check it.

Answer = tuple[str, str, str]  # (short code, prompt label, what is typed)


@dataclass(frozen=True)
class Outcome:
    """One way a defendant's case goes at a magistrates' hearing, as the legal adviser types it.

    `line` is the notepad line of the first offence ({next}: the next hearing as d/m; {end}: a date a
    year on as d/m/yy); `answers` the mandatory prompts the line leaves for the inline fields, in the
    order the checks list them; `prison` the defendant's prison field. A second offence takes
    `second_line` and `second_answers` (the same line and answers when `second_line` is None)."""

    key: str
    title: str
    line: str
    answers: tuple[Answer, ...] = ()
    prison: str = ""
    offences: tuple[str, str] = (THEFT_FROM_SHOP, CRIMINAL_DAMAGE)
    second_line: str | None = None
    second_answers: tuple[Answer, ...] = ()
    next_days: int | None = None  # calendar days to the next hearing (moved back to a working day)
    crown: bool = False  # the next hearing is at the Crown Court (CROWN_OU)
    bail_status: str = "U"  # before the hearing
    weight: int = 1  # defendants of the 30 on a list
    common: bool = True  # one of the ten most common outcomes

    def lines(self, offences: int) -> list[tuple[str, tuple[Answer, ...]]]:
        second = (self.line, self.answers) if self.second_line is None else (self.second_line, self.second_answers)
        return [(self.line, self.answers), second][:offences]


EXCUSED = "Defendant excused attendance"
HEARING_TYPE = "Hearing type"
TAGGED_DAYS = "Bail remand days to count (tagged days)"
RESPONSIBLE_OFFICER = "Responsible officer"

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("fine", "Guilty plea: fine, costs and victim surcharge", "plea=g fo 200 fcpc 85 fvs",
            offences=(THEFT_FROM_SHOP, POSSESS_CANNABIS), second_line="plea=g fo 100", weight=6),
    Outcome("bail", "Not guilty plea: trial fixed, unconditional bail", "plea=ng ru nhmc {next} 1h",
            answers=(("RU", EXCUSED, "n"), ("NHMC", HEARING_TYPE, "trl")), next_days=42, weight=5),
    Outcome("conditional-bail", "Not guilty plea: trial fixed, conditional bail (no contact)",
            'plea=ng rc pore3 "jane smith" nhmc {next} 1h',
            answers=(("RC", EXCUSED, "n"), ("RC", "Bail condition reason", "further offences"),
                     ("NHMC", HEARING_TYPE, "trl")),
            offences=(ASSAULT_BY_BEATING, CRIMINAL_DAMAGE), second_line="plea=ng rc nhmc {next} 1h",
            second_answers=(("RC", EXCUSED, "n"), ("RC", "Bail condition reason", "further offences"),
                            ("NHMC", HEARING_TYPE, "trl")),
            next_days=42, weight=3),
    Outcome("custody-remand", "Remanded in custody for a week (first remand, no plea yet)", "ri nhmc {next} 20min",
            answers=(("RI", "Remand basis", "first remand"), ("RI", "Bail exception", "fail to surrender"),
                     ("RI", "Bail exception reason", "previous failures"), ("NHMC", HEARING_TYPE, "ple")),
            prison="hmp leeds", offences=(BURGLARY_DWELLING, THEFT_FROM_SHOP), next_days=7, bail_status="C",
            weight=2),
    Outcome("discharge", "Guilty plea: conditional discharge, costs and surcharge", "plea=g cd 12m fcpc 85 fvs",
            offences=(THEFT_FROM_SHOP, POSSESS_CANNABIS), second_line="plea=g cd 12m", weight=3),
    Outcome("community", "Guilty plea: community order (unpaid work, rehabilitation activity), costs, surcharge",
            "plea=g co {end} upwr 100h rar 20d fcpc 85 fvs",
            answers=(("CO", RESPONSIBLE_OFFICER, "probation"), ("CO", "Supervising Court name", "leeds")),
            offences=(ABH, CRIMINAL_DAMAGE), second_line="plea=g nsp", weight=3),
    Outcome("suspended", "Guilty plea: suspended sentence with unpaid work, costs, surcharge",
            "plea=g susps 12w upwr 120h fcpc 85 fvs", answers=(("SUSPS", RESPONSIBLE_OFFICER, "probation"),),
            offences=(BURGLARY_DWELLING, THEFT_FROM_SHOP), second_line="plea=g nsp", weight=2),
    Outcome("custody", "Guilty plea: immediate imprisonment and surcharge", "plea=g imp 16w fvs",
            answers=(("IMP", TAGGED_DAYS, "0"),), prison="hmp leeds", offences=(BURGLARY_DWELLING, THEFT_FROM_SHOP),
            second_line="plea=g imp 8w concurrent", second_answers=(("IMP", TAGGED_DAYS, "0"),), weight=2),
    Outcome("withdrawn", "Withdrawn by the prosecution", "wdrn", offences=(ASSAULT_BY_BEATING, CRIMINAL_DAMAGE),
            weight=1),
    Outcome("sent", "Sent to the Crown Court on unconditional bail (either way, jurisdiction declined)",
            'ind=ng alloc=crown ru nhccs {next} 10am 1h hchouse="leeds crown"',
            answers=(("RU", EXCUSED, "n"), ("NHCCS", HEARING_TYPE, "ptp"), ("NHCCS", "Remand Status", "u")),
            offences=(ABH, CRIMINAL_DAMAGE), next_days=28, crown=True, weight=1),
    Outcome("drink-driving", "Drink driving, guilty plea: fine, 12 months' disqualification, costs, surcharge",
            "plea=g fo 400 ddo 12m fcpc 85 fvs", offences=(DRINK_DRIVING, NO_INSURANCE), second_line="plea=g nsp",
            weight=2, common=False),
)
OUTCOME_BY_KEY = {o.key: o for o in OUTCOMES}


def working_day_on_or_before(day: dt.date, is_working_day: Callable[[dt.date], bool]) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def next_hearing_dates(day: dt.date, is_working_day: Callable[[dt.date], bool]) -> dict[str, dt.date]:
    """The next hearing date of each outcome that adjourns, for a list sitting on `day`."""
    return {o.key: working_day_on_or_before(day + dt.timedelta(days=o.next_days), is_working_day)
            for o in OUTCOMES if o.next_days}


def _a_year_on(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 2, 28)


def _dm(day: dt.date) -> str:
    return f"{day.day}/{day.month}"


def typed_lines(outcome: Outcome, offences: int, day: dt.date, dates: dict[str, dt.date]
                ) -> list[tuple[str, tuple[Answer, ...]]]:
    """The notepad line and inline answers of each offence, with the dates filled in."""
    nxt = dates.get(outcome.key)
    end = _a_year_on(day) - dt.timedelta(days=1)
    values = {"next": _dm(nxt) if nxt else "", "end": f"{end.day}/{end.month}/{end:%y}"}
    return [(line.format(**values), answers) for line, answers in outcome.lines(offences)]


def keystroke_fields(outcome: Outcome, day: dt.date, dates: dict[str, dt.date]) -> list[str]:
    """What is typed for a defendant with one offence, field by field: the notepad line, each inline
    answer, then the prison."""
    (line, answers), = typed_lines(outcome, 1, day, dates)
    return [line, *(value for _, _, value in answers), *([outcome.prison] if outcome.prison else [])]


def keystrokes(fields: list[str]) -> int:
    """Every character typed, one Tab between fields, and Ctrl+Enter to share (a chord counts once,
    like Shift for a capital or a quotation mark)."""
    return sum(len(f) for f in fields) + (len(fields) - 1) + 1


def prompt_id(vocab, short_code: str, label: str) -> str:
    matches = [s.id for s in vocab.prompt_specs(short_code) if s.label == label]
    if len(matches) != 1:
        raise LookupError(f"{short_code} has {len(matches)} prompts labelled {label!r}")
    return matches[0]


def outcome_draft(outcome: Outcome, offence_ids: list[str], day: dt.date, dates: dict[str, dt.date], vocab, *,
                  with_answers: bool = True) -> dict[str, Any]:
    """The draft a legal adviser leaves for this defendant (the API's and the service's `draft`)."""
    offences = {}
    for offence_id, (line, answers) in zip(offence_ids, typed_lines(outcome, len(offence_ids), day, dates),
                                           strict=True):
        offences[offence_id] = {
            "notepad": line,
            "answers": {f"{code.upper()}:{prompt_id(vocab, code, label)}": value
                        for code, label, value in answers} if with_answers else {},
        }
    return {"offences": offences, "defendant": {"notepad": "", "answers": {}, "prison": outcome.prison}}


@dataclass(frozen=True)
class PlannedDefendant:
    outcome: Outcome
    offences: int  # 1 or 2


@dataclass(frozen=True)
class PlannedCase:
    defendants: tuple[PlannedDefendant, ...]


def outcome_mix(defendants: int = DEFENDANTS) -> list[Outcome]:
    """Each outcome `weight` times for a full list; otherwise each in turn."""
    weighted = [o for o in OUTCOMES for _ in range(o.weight)]
    if defendants == len(weighted):
        return weighted
    return [OUTCOMES[i % len(OUTCOMES)] for i in range(defendants)]


def list_plan(seed: int, *, defendants: int = DEFENDANTS, cases: int = CASES) -> list[PlannedCase]:
    """A magistrates' list: `cases` cases, the first ones with two defendants until there are
    `defendants`; the outcomes shuffled; about a third of defendants charged with two offences."""
    if not 0 < cases <= defendants <= 2 * cases:
        raise ValueError("each case has one or two defendants")
    rng = random.Random(seed)
    mix = outcome_mix(defendants)
    rng.shuffle(mix)
    people = [PlannedDefendant(o, 2 if rng.random() < 1 / 3 else 1) for o in mix]
    plan, i = [], 0
    for c in range(cases):
        size = 2 if c < defendants - cases else 1
        plan.append(PlannedCase(tuple(people[i:i + size])))
        i += size
    return plan


# --- the lists on the database -------------------------------------------------------------------

FIRST_NAMES = ("James", "Olivia", "Mohammed", "Amelia", "Jack", "Isla", "Harry", "Ava", "Oliver", "Mia", "George",
               "Grace", "Noah", "Sophia", "Leo", "Lily", "Oscar", "Freya", "Charlie", "Emily", "Aisha", "Tomasz")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
              "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Lewis", "Nowak")


@dataclass
class Target:
    """A listed defendant and what will happen to them."""

    case: Any
    defendant: Any
    hearing: Any
    outcome: Outcome
    offence_ids: list[str]
    co_defendants: int


@dataclass
class BenchList:
    name: str
    centre: Any
    day: dt.date
    dates: dict[str, dt.date]
    targets: list[Target]


_urn_counter = iter(range(1, 10**7))


def list_build(*, name: str, centre, crown_centre, day: dt.date, plan: list[PlannedCase], prosecutor, actor,
               rng: random.Random, room_prefix: str = "") -> BenchList:
    """One sitting of `plan` at `centre` on `day`, made through the services as in real use (intake,
    then listing), and the sittings its next hearings go to: an adult and a custody court on each
    next hearing date, and a Crown Court sitting for the cases sent there."""
    from courts.cases.enums import IntakeChannel
    from courts.cases.identifiers import asn_check_character
    from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
    from courts.cases.models import Offence
    from courts.cases.services import case_intake
    from courts.listing.enums import JudiciaryType, Session, SittingKind
    from courts.listing.models import Hearing
    from courts.listing.services import SittingSpec, court_room_create, hearing_list, sitting_create
    from courts.reference.calendar import is_working_day

    def spec(kind: str, judiciary: str = JudiciaryType.BENCH) -> SittingSpec:
        return SittingSpec(session=Session.MORNING, kind=kind, judiciary_type=judiciary, capacity_minutes=720)

    dates = next_hearing_dates(day, is_working_day)
    # Courtroom 1 is the custody court on the following days, as at many magistrates' courts.
    first = court_room_create(court_centre=centre, name=f"{room_prefix}Courtroom 1", actor=actor)
    second = court_room_create(court_centre=centre, name=f"{room_prefix}Courtroom 2", actor=actor)
    sitting = sitting_create(court_room=first, date=day, spec=spec(SittingKind.ADULT), actor=actor)
    targets: list[Target] = []
    for planned in plan:
        number = next(_urn_counter)
        defendants = []
        for d in planned.defendants:
            age = rng.randint(19, 60)
            offence_date = day - dt.timedelta(days=rng.randint(20, 60))
            base = f"{day:%y}13YE01{number * 2 + len(defendants):011d}"
            defendants.append(DefendantIntake(
                kind="person", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                date_of_birth=dt.date(day.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                gender=rng.choice(("MALE", "FEMALE")), address_lines=[f"{rng.randint(1, 99)} High Street", "Leeds"],
                postcode="LS1 1AA", asn=base + asn_check_character(base), bail_status=d.outcome.bail_status,
                offences=[OffenceIntake(cjs_code=code, wording=f"Offence {k + 1}", start_date=offence_date,
                                        charge_date=offence_date + dt.timedelta(days=1), location="Leeds")
                          for k, code in enumerate(d.outcome.offences[:d.offences])],
            ))
        intake = CaseIntake(urn=f"13YE{number:05d}{day:%y}", initiation_type="C", court_centre_ou_code=centre.ou_code,
                            hearing_date=None, defendants=defendants, informant="PC Bench")
        case = case_intake(intake=intake, prosecutor=prosecutor, actor=actor, channel=IntakeChannel.API).case
        hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
        hearing = hearing_list(hearing=hearing, sitting=sitting, actor=actor, expected_sitting_version=None,
                               acknowledge_conflicts=True)
        people = list(case.defendants.order_by("sequence"))
        for d, person in zip(planned.defendants, people, strict=True):
            offence_ids = [str(i) for i in Offence.objects.filter(defendant=person).order_by("sequence")
                           .values_list("id", flat=True)]
            targets.append(Target(case, person, hearing, d.outcome, offence_ids, len(people)))
    for next_date in sorted(set(dates.values())):
        if any(dates[o.key] == next_date and not o.crown for o in OUTCOMES if o.key in dates):
            sitting_create(court_room=first, date=next_date, spec=spec(SittingKind.CUSTODY), actor=actor)
            sitting_create(court_room=second, date=next_date, spec=spec(SittingKind.ADULT), actor=actor)
    crown_dates = {dates[o.key] for o in OUTCOMES if o.crown and o.key in dates}
    if crown_dates:
        crown_room = court_room_create(court_centre=crown_centre, name=f"{room_prefix}{name} Court 1", actor=actor)
        for crown_date in crown_dates:
            sitting_create(court_room=crown_room, date=crown_date, spec=spec(SittingKind.ADULT, JudiciaryType.JUDGE),
                           actor=actor)
    return BenchList(name, centre, day, dates, targets)


def missing_prompts(work, offence_index: int = 0) -> list[tuple[str, str]]:
    """(short code, label) of every mandatory prompt still without a value on one offence and above it."""
    results = work.offences[offence_index].results + work.defendant_results
    return [(r.short_code.upper(), s.label) for r in results for s in r.missing]


def keystroke_proof(target: Target, vocab) -> list[str]:
    """Why the keystrokes counted for `target`'s outcome would not be enough to share (empty: they are).
    Without its inline answers the line must leave exactly those prompts missing, in that order, and
    nothing else in the way; with them, the defendant can share."""
    from courts.hearings.models import DefendantResulting
    from courts.hearings.services import resulting_work
    from courts.reference.calendar import is_working_day

    outcome = target.outcome
    resulting = DefendantResulting(hearing=target.hearing, defendant=target.defendant, case_id=target.case.pk)
    bench_list_day = target.hearing.hearing_days.get().date
    dates = next_hearing_dates(bench_list_day, is_working_day)
    problems = []
    bare = resulting_work(resulting, draft=outcome_draft(outcome, target.offence_ids, bench_list_day, dates, vocab,
                                                         with_answers=False))
    for o in bare.offences:
        problems += [f"notepad: {p.message}" for p in o.parsed.problems]
    expected = [(code.upper(), label) for code, label, _ in outcome.answers]
    if missing_prompts(bare) != expected:
        problems.append(f"the line leaves {missing_prompts(bare)} to answer, not {expected}")
    others = [c.message for c in bare.errors if c.code != "prompt_missing"]
    if others:
        problems.append(f"other checks fail: {others}")
    full = resulting_work(resulting, draft=outcome_draft(outcome, target.offence_ids, bench_list_day, dates, vocab))
    problems += [f"with the answers: {c.message}" for c in full.errors]
    return problems


# --- what the raw-SQL baseline writes --------------------------------------------------------------

@dataclass
class Sql:
    text: str
    params: list[tuple]  # one tuple: execute; several: executemany

    @property
    def statements(self) -> int:
        return len(self.params)

    @property
    def table(self) -> str:
        """The table it writes."""
        import re

        return re.match(r'(?:INSERT INTO|UPDATE) "?([a-z_]+)', self.text).group(1)


def _row(obj, connection, *, skip_auto: bool = False) -> tuple[list[str], tuple]:
    fields = [f for f in obj._meta.concrete_fields
              if not (skip_auto and f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))]
    return [f.column for f in fields], tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)


def insert_many(objects: list, connection, *, skip_auto: bool = False) -> Sql | None:
    """One multi-row INSERT of model instances, every column as the model would write it."""
    if not objects:
        return None
    rows = [_row(o, connection, skip_auto=skip_auto) for o in objects]
    columns = ", ".join(f'"{c}"' for c in rows[0][0])
    one = "(" + ", ".join(["%s"] * len(rows[0][0])) + ")"
    text = f'INSERT INTO "{objects[0]._meta.db_table}" ({columns}) VALUES {", ".join([one] * len(rows))}'  # noqa: S608
    return Sql(text, [tuple(v for _, values in rows for v in values)])


@dataclass
class BaselineState:
    """What the raw-SQL side knows about its own list, as a hand-written system would: the hearings
    already heard and the defendants of each case already concluded."""

    heard: set = field(default_factory=set)
    concluded: dict = field(default_factory=lambda: defaultdict(set))


def _sitting_for(centre, date: dt.date, kinds: tuple[str, ...], minutes: int):
    """The sitting a next hearing goes to, chosen as listing chooses it (the first by start time and
    room with room left); read before the baseline's transaction."""
    from django.db.models import Sum

    from courts.listing.models import Sitting

    candidates = (Sitting.objects.filter(court_centre=centre, date=date, kind__in=kinds)
                  .annotate(booked=Sum("hearing_days__duration_minutes")).select_related("court_room")
                  .order_by("date", "start_time", "court_room__name"))
    return next((s for s in candidates if (s.booked or 0) + minutes <= s.capacity_minutes), None)


def baseline_draft(target: Target, clean: dict, *, resulting_id: uuid.UUID, at: dt.datetime, connection) -> list[Sql]:
    from courts.audit.event_types import EventType
    from courts.audit.models import Event
    from courts.audit.services import _jsonable
    from courts.hearings.models import DefendantResulting

    resulting = DefendantResulting(id=resulting_id, hearing_id=target.hearing.pk, defendant_id=target.defendant.pk,
                                   case_id=target.case.pk, draft=clean, version=2, draft_saved_at=at,
                                   draft_saved_by=ADVISER, has_unshared_changes=True)
    event = Event(type=EventType.RESULTS_DRAFT_SAVED, occurred_at=at, actor_label=ADVISER, case_id=target.case.pk,
                  summary=f"Draft results for {target.defendant.name} saved",
                  payload=_jsonable({"hearing_id": target.hearing.pk, "defendant_id": target.defendant.pk,
                                     "version": 2}))
    return [s for s in (insert_many([resulting], connection), insert_many([event], connection, skip_auto=True)) if s]


def baseline_share(target: Target, work, state: BaselineState, *, resulting_id: uuid.UUID, at: dt.datetime,
                   connection) -> list[Sql]:
    """The statements a share needs, written by hand: every row our share writes (the same count per
    table), each table written once, the events in one INSERT."""
    import copy

    from psycopg.types.json import Jsonb

    from courts.audit.event_types import EventType
    from courts.audit.models import Event
    from courts.audit.services import _jsonable
    from courts.cases.services import SENDING_DECISIONS
    from courts.custody.models import CustodyTimeLimit, Remand, Warrant, WarrantKind
    from courts.custody.rules import custody_time_limit
    from courts.custody.services import CTL_STATUSES, ctl_facts
    from courts.hearings.models import JudicialResult, OffenceDecision
    from courts.hearings.resulting import is_custody_result
    from courts.listing.models import Hearing, HearingDefendant

    hearing, defendant, case_id = target.hearing, target.defendant, target.case.pk
    on = work.hearing_date
    events: list[Event] = []

    def event(type_, summary: str, payload: dict) -> None:
        events.append(Event(type=type_, occurred_at=at, actor_label=ADVISER, case_id=case_id, summary=summary[:300],
                            payload=_jsonable(payload)))

    statements: list[Sql | None] = []
    results = [JudicialResult(
        id=uuid.uuid4(), resulting_id=resulting_id, hearing_id=hearing.pk, defendant_id=defendant.pk, case_id=case_id,
        offence_id=r.offence_id if r.level == "O" else None, definition_id=r.definition_id, level=r.level,
        category=r.category, short_code=r.short_code, label=r.label, cjs_code=r.cjs_code, prompts=r.prompts,
        is_computed=r.is_computed, ordered_on=on, share_number=1, shared_at=at, rank=int(r.definition.get("rank") or 0),
    ) for r in work.all_results]
    statements.append(insert_many(results, connection))
    decisions = [OffenceDecision(resulting_id=resulting_id, hearing_id=hearing.pk, offence_id=o.offence.pk, kind=kind,
                                 value=value, decided_on=on, share_number=1)
                 for o in work.offences for kind, value in o.decisions.items()]
    statements.append(insert_many(decisions, connection, skip_auto=True))
    # The offences: pleas, allocation, verdicts, conviction and disposal.
    offences, updates = [], []
    for o in work.offences:
        offence, d = copy.copy(o.offence), o.decisions
        if "PLEA" in d:
            offence.plea, offence.plea_date = d["PLEA"], on
        if "INDICATED_PLEA" in d:
            offence.indicated_plea = d["INDICATED_PLEA"]
        if "ALLOCATION" in d:
            offence.allocation_decision, offence.allocation_date = d["ALLOCATION"], on
            offence.sent_to_crown_date = on if d["ALLOCATION"] in SENDING_DECISIONS else None
        if "VERDICT" in d:
            offence.verdict, offence.verdict_date = d["VERDICT"], on
        convicted = any(r.is_final and r.definition.get("convicted") == "Y" for r in o.results)
        if (d.get("PLEA") == "GUILTY" or d.get("VERDICT") == "GUILTY" or convicted) and not offence.conviction_date:
            offence.conviction_date = on
        final = [r.label for r in o.results if r.is_final]
        if final:
            offence.disposal, offence.disposed_on = "; ".join(final)[:300], on
        offences.append(offence)
        updates.append((offence.plea, offence.plea_date, offence.indicated_plea, offence.allocation_decision,
                        offence.allocation_date, offence.sent_to_crown_date, offence.verdict, offence.verdict_date,
                        offence.conviction_date, offence.disposal, offence.disposed_on, offence.pk))
    statements.append(Sql("UPDATE cases_offence SET plea = %s, plea_date = %s, indicated_plea = %s, "
                          "allocation_decision = %s, allocation_date = %s, sent_to_crown_date = %s, verdict = %s, "
                          "verdict_date = %s, conviction_date = %s, disposal = %s, disposed_on = %s WHERE id = %s",
                          updates))
    if all(o.disposed_on for o in offences):
        statements.append(Sql("UPDATE cases_defendant SET proceedings_concluded = true WHERE id = %s",
                              [(defendant.pk,)]))
        state.concluded[case_id].add(defendant.pk)
        if len(state.concluded[case_id]) == target.co_defendants:
            statements.append(Sql("UPDATE cases_prosecutioncase SET status = 'CONCLUDED', updated_at = %s "
                                  "WHERE id = %s", [(at, case_id)]))
    # The next hearings, listed in their sittings.
    in_custody = work.remand_status in ("C", "L", "S")
    next_hearings, links = [], []
    for plan in work.next_hearings:
        minutes = plan.estimate_minutes or plan.hearing_type.default_duration_minutes or 20
        kinds = ("CUSTODY", "ADULT") if in_custody else ("ADULT", "CUSTODY")
        sitting = _sitting_for(plan.court_centre, plan.date, kinds, minutes)
        if sitting is None:
            raise RuntimeError(f"the bench made no sitting with room for {target.outcome.key} on {plan.date}")
        note = f"Ordered at the hearing of {on:%-d %B %Y}" + (f", at {plan.time}" if plan.time else "")
        nxt = Hearing(id=uuid.uuid4(), hearing_type_id=plan.hearing_type.pk, court_centre_id=plan.court_centre.pk,
                      status="LISTED", estimate_minutes=minutes,
                      week_commencing=plan.date - dt.timedelta(days=plan.date.weekday()), is_date_to_be_fixed=False,
                      listing_note=note[:300], version=2, created_at=at)
        next_hearings.append(nxt)
        statements.append(insert_many([nxt], connection))
        statements.append(insert_many([HearingDefendant(hearing_id=nxt.pk, case_id=case_id,
                                                        defendant_id=defendant.pk)], connection, skip_auto=True))
        statements.append(Sql("UPDATE listing_sitting SET version = version + 1 WHERE id = %s", [(sitting.pk,)]))
        statements.append(Sql(
            "INSERT INTO listing_hearingday (hearing_id, sitting_id, date, start_time, list_order, duration_minutes) "
            "SELECT %s, s.id, s.date, (s.start_time + make_interval(mins => COALESCE(SUM(d.duration_minutes), 0)::int))"
            "::time, COALESCE(MAX(d.list_order), 0) + 1, %s FROM listing_sitting s "
            "LEFT JOIN listing_hearingday d ON d.sitting_id = s.id WHERE s.id = %s GROUP BY s.id",
            [(nxt.pk, minutes, sitting.pk)]))
        event(EventType.HEARING_CREATED, f"{plan.hearing_type.description} at {plan.court_centre.name} waiting to be "
              "listed", {"hearing_id": nxt.pk, "hearing_type": plan.hearing_type.code,
                         "court_centre": plan.court_centre.ou_code, "week_commencing": nxt.week_commencing,
                         "note": note})
        event(EventType.HEARING_LISTED, f"{plan.hearing_type.description} listed at {sitting.court_room}, "
              f"{sitting.date:%-d %B %Y}", {"hearing_id": nxt.pk, "sitting_id": sitting.pk, "date": sitting.date,
                                            "court_room": sitting.court_room.name, "from_sittings": [],
                                            "acknowledged_conflicts": False})
        links.append({"key": f"{plan.date}|{plan.court_centre.pk}|{plan.hearing_type.pk}", "hearing_id": str(nxt.pk)})
    # Remand status, warrants and custody time limits.
    until = next_hearings[0] if next_hearings else None
    remands = [Remand(defendant_id=defendant.pk, offence_id=o.offence.pk, hearing_id=hearing.pk, status=o.remand_status,
                      from_date=on, until_hearing_id=until.pk if until else None,
                      prison=work.prison if o.remand_status in CTL_STATUSES else "", share_number=1, created_at=at)
               for o in work.offences if o.remand_status]
    statements.append(insert_many(remands, connection, skip_auto=True))
    if remands:
        event(EventType.REMAND_STATUS_SET, f"{defendant.name} remand status: {work.remand_status}",
              {"defendant_id": defendant.pk, "hearing_id": hearing.pk, "status": work.remand_status,
               "offences": {str(r.offence_id): r.status for r in remands}, "prison": work.prison})
    warrants = []
    for line, row in zip(work.all_results, results, strict=True):
        if is_custody_result(line):
            prison = line.value_by_label("prison") or work.prison
            kind = WarrantKind.REMAND if line.remand_status in CTL_STATUSES else WarrantKind.COMMITMENT
            warrants.append(Warrant(id=uuid.uuid4(), defendant_id=defendant.pk, hearing_id=hearing.pk,
                                    judicial_result_id=row.id, kind=kind, prison=prison, issued_on=on, created_at=at,
                                    particulars={"result": f"{line.label} ({line.short_code})",
                                                 "prompts": {p["label"]: p["value"] for p in line.prompts},
                                                 "defendant": {"name": defendant.name}}))
            event(EventType.WARRANT_ISSUED, f"Warrant to {prison} for {defendant.name}",
                  {"warrant_id": warrants[-1].id, "result_id": row.id, "kind": kind, "prison": prison})
    statements.append(insert_many(warrants, connection))
    if remands:
        ctls = []
        for offence in offences:
            result = custody_time_limit(ctl_facts(offence, remands, None), today=on)
            ctls.append(CustodyTimeLimit(offence_id=offence.pk, defendant_id=defendant.pk, running=result.running,
                                         stage=result.stage or "", limit_days=result.limit_days, expiry=result.expiry,
                                         days_spent=result.days_spent, explanation=result.explanation[:500],
                                         source=result.source[:100], computed_at=at))
        statements.append(insert_many(ctls, connection, skip_auto=True))
    # The hearing took place; the defendant's results are the record.
    if hearing.pk not in state.heard:
        state.heard.add(hearing.pk)
        statements.append(Sql("UPDATE listing_hearing SET status = 'HEARD', version = version + 1 WHERE id = %s",
                              [(hearing.pk,)]))
        event(EventType.HEARING_HEARD, f"{hearing.hearing_type.description} heard", {"hearing_id": hearing.pk})
    statements.append(Sql(
        "UPDATE hearings_defendantresulting SET version = version + 1, share_count = 1, shared_at = %s, shared_by = %s, "
        "has_unshared_changes = false, next_hearing_links = %s WHERE id = %s AND version = 2",
        [(at, ADVISER, Jsonb(links), resulting_id)]))
    event(EventType.RESULTS_SHARED, f"Results for {defendant.name} shared",
          {"hearing_id": hearing.pk, "defendant_id": defendant.pk, "share_number": 1, "amendment_id": None,
           "ordered_on": on, "results": [{"id": r.id, "short_code": r.short_code, "offence_id": r.offence_id,
                                          "prompts": {p["label"]: p["value"] for p in r.prompts}} for r in results],
           "decisions": [{"offence_id": d.offence_id, "kind": d.kind, "value": d.value} for d in decisions],
           "next_hearings": [h.pk for h in next_hearings], "remand_status": work.remand_status})
    statements.append(insert_many(events, connection, skip_auto=True))
    return [s for s in statements if s is not None]


# --- counting what was written --------------------------------------------------------------------

class WriteCounter:
    """Rows written since a point in time, per table, read from PostgreSQL itself: a row inserted or
    updated by a later transaction (or subtransaction) carries a later `xmin`. Deleted rows are not seen."""

    def __init__(self, conn):
        self.conn = conn
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
        self.sql = " UNION ALL ".join(
            f"SELECT '{t}', count(*) FROM \"{t}\" WHERE xmin::text::bigint >= %(x)s" for t in tables)  # noqa: S608

    def horizon(self) -> int:
        """The next transaction id (32 bits, as `xmin` shows it); reading it assigns none."""
        xid = self.conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()[0]
        if xid % 2**32 > 2**32 - 10**7:
            raise SystemExit("The cluster's transaction ids are about to wrap around: VACUUM FREEZE, then run again")
        return xid % 2**32

    def since(self, horizon: int) -> dict[str, int]:
        return {t: n for t, n in self.conn.execute(self.sql, {"x": horizon}).fetchall() if n}


@dataclass
class Statements:
    """What our side sent to PostgreSQL for one call: how many statements (BEGIN and COMMIT, which
    psycopg sends by itself, aside), how long it waited on them, and, with `keep`, the SQL itself."""

    count: int = 0
    seconds: float = 0.0
    sql: list[str] = field(default_factory=list)


def measured(fn: Callable[[], Any], *, keep: bool = False) -> tuple[Statements, Any]:
    """Run `fn`, counting its SQL statements and the time spent in them (a wrapper around each
    execute: about a microsecond each, under 0.1% of a share)."""
    from django.db import connections

    seen = Statements()

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.seconds += time.perf_counter() - started
            seen.count += 1
            if keep:
                seen.sql.append(sql)

    with connections["default"].execute_wrapper(wrapper):
        value = fn()
    return seen, value


def statement_kinds(statements: list[str]) -> Counter:
    """(verb, table) of each statement, e.g. ("SELECT", "listing_hearingday")."""
    import re

    kinds: Counter = Counter()
    for sql in statements:
        verb = sql.split(None, 1)[0].upper()
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"([a-z_]+)"', sql)
        kinds[(verb, match.group(1) if match else "")] += 1
    return kinds


# --- the run -------------------------------------------------------------------------------------

@dataclass
class Record:
    outcome: str
    offences: int
    path: str  # service, api, sql
    draft: float
    share: float
    draft_rows: dict[str, int]
    share_rows: dict[str, int]
    timed: bool
    draft_queries: int = 0
    share_queries: int = 0
    draft_db: float = 0.0  # seconds waiting on PostgreSQL (our side; the baseline is all database)
    share_db: float = 0.0


@dataclass
class Result:
    operation: str
    ours: str
    baseline: str
    ratio: float | None
    queries: str = ""
    note: str = ""


def _ms(values: list[float]) -> tuple[float, float]:
    ms = sorted(v * 1000 for v in values)
    p95 = statistics.quantiles(ms, n=20)[18] if len(ms) >= 2 else ms[0]
    return statistics.median(ms), p95


def _fmt(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f} ms"


@dataclass
class Bench:
    args: argparse.Namespace
    database_url: str
    records: list[Record] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    keystroke_rows: list[tuple[str, str, int]] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)
    outcome_rows: list[str] = field(default_factory=list)

    # ---- set-up ----
    def prepare_database(self) -> None:
        import psycopg

        parsed = urlparse(self.database_url)
        name = parsed.path.lstrip("/")
        with psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and self.args.fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                print(f"Creating database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')

    def setup_django(self) -> None:
        os.environ["DATABASE_URL"] = self.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from courts.reference.models import Offence

        call_command("migrate", verbosity=0, interactive=False)
        if not Offence.objects.exists():
            print("Loading reference data (once per bench database)")
            call_command("load_reference", verbosity=0)

    def reset(self) -> None:
        """Empty what the bench writes: cases, listing, hearings, custody, the outbox and the event log."""
        from django.apps import apps
        from django.db import connection

        tables = [m._meta.db_table for label in ("cases", "listing", "hearings", "custody", "audit", "distribution")
                  if label in {c.label for c in apps.get_app_configs()}
                  for m in apps.get_app_config(label).get_models() if not m._meta.proxy and m._meta.managed]
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")

    def people(self):
        from courts.accounts.enums import OrganisationKind
        from courts.accounts.models import User
        from courts.accounts.services import actor_for_user, national_access_set, organisation_get_or_create
        from courts.common.actor import Actor

        system = Actor.system("resulting bench")
        prosecutor, _ = organisation_get_or_create(name=PROSECUTOR_NAME, kind=OrganisationKind.PROSECUTOR,
                                                   actor=system, prosecuting_authority_code="CPS")
        hmcts, _ = organisation_get_or_create(name="HMCTS (resulting bench)", kind=OrganisationKind.HMCTS,
                                              actor=system)
        user, _ = User.objects.get_or_create(username=STAFF_USERNAME,
                                             defaults={"first_name": "Bench", "last_name": "Adviser",
                                                       "organisation": hmcts})
        if not user.national_access:
            # The bench's legal adviser results at whichever centres the bench lists.
            national_access_set(user=user, national=True, actor=system)
            user.refresh_from_db()
        # The service path's actor is the API path's logged-in user, as the pages would make it.
        actor = actor_for_user(user)
        if not actor.is_court_staff:
            raise SystemExit(f"{user.username} is not court staff")
        return system, prosecutor, hmcts, user, actor

    # ---- the run ----
    def run(self) -> None:
        import psycopg
        from django.test import Client

        from courts.accounts.services import api_token_create
        from courts.common.clock import court_today
        from courts.hearings.models import DefendantResulting
        from courts.hearings.notepad import vocabulary
        from courts.hearings.services import draft_clean, resulting_work
        from courts.reference.calendar import on_or_after_working_day
        from courts.reference.models import CourtCentre

        system, prosecutor, hmcts, user, actor = self.people()
        vocab = vocabulary()
        day = on_or_after_working_day(court_today())
        centres = list(CourtCentre.objects.filter(jurisdiction="MAGISTRATES").order_by("ou_code"))
        crown = CourtCentre.objects.get(ou_code=CROWN_OU)
        conn = psycopg.connect(self.database_url, autocommit=True)
        counter_conn = psycopg.connect(self.database_url, autocommit=True)
        writes = WriteCounter(counter_conn)
        from django.db import connections

        connection = connections["default"]
        rng = random.Random(self.args.seed)
        paths = ("service", "api", "sql")
        total = self.args.warmup + self.args.lists
        print(f"{total} rounds ({self.args.warmup} to warm up) of three lists of {CASES} cases and {DEFENDANTS} "
              f"defendants, one per path, sitting on {day}")

        def url(t: Target, what: str) -> str:
            return f"/api/v1/hearings/{t.hearing.pk}/defendants/{t.defendant.pk}/results/{what}"

        # The API path: an HMCTS organisation's bearer token if it may result (`--api-auth token`, the
        # default), else a logged-in court-staff user (`--api-auth session`, or when tokens are refused).
        _, token = api_token_create(organisation=hmcts, name="resulting bench", actor=system)
        client = Client()
        client_auth: dict[str, str] = {}
        auth_chosen = False
        explained: set[str] = set()
        service_lists: list[BenchList] = []
        for round_number in range(total):
            timed = round_number >= self.args.warmup
            plan = list_plan(self.args.seed * 1000 + round_number)
            started = time.perf_counter()
            lists = {}
            for k, path in enumerate(paths):
                centre = centres[(3 * round_number + k) % len(centres)]
                lists[path] = list_build(name=f"R{round_number:02d} {path}", centre=centre,
                                         crown_centre=crown, day=day, plan=plan, prosecutor=prosecutor, actor=system,
                                         rng=random.Random(rng.random()),
                                         room_prefix=f"R{round_number:02d} " if round_number >= len(centres) // 3 else "")
            print(f"  round {round_number + 1}/{total}: 3 lists built in {time.perf_counter() - started:.1f}s"
                  + ("" if timed else " (warm-up: counting queries, proving keystrokes)"), flush=True)
            if not timed and round_number == 0:
                self.prove_keystrokes(lists["service"], vocab)
            if not auth_chosen:
                auth_chosen = True
                t = lists["api"].targets[0]
                probe = Client().get(f"/api/v1/hearings/{t.hearing.pk}/defendants/{t.defendant.pk}/results",
                                     HTTP_AUTHORIZATION=f"Bearer {token}")
                if self.args.api_auth == "token" and probe.status_code == 200:
                    client_auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
                    self.notes.append("the API path authenticates with an HMCTS organisation's bearer token")
                else:
                    client.force_login(user)
                    why = ("" if probe.status_code == 200 else
                           f"; an HMCTS organisation's bearer token is refused ({probe.status_code}: "
                           f"{probe.json().get('detail', '')!r})")
                    self.notes.append(f"the API path logs in as a court-staff user (Client.force_login){why}")
            service_lists.append(lists["service"])
            state = BaselineState()
            for index in range(len(lists["service"].targets)):
                order = paths[index % 3:] + paths[:index % 3]  # each path goes first in turn
                for path in order:
                    t = lists[path].targets[index]
                    draft = outcome_draft(t.outcome, t.offence_ids, day, lists[path].dates, vocab)
                    if path == "service":
                        explain = self.args.explain and not timed and t.outcome.key not in explained
                        explained.add(t.outcome.key)
                        record = self.share_service(t, draft, actor, writes, explain=explain)
                    elif path == "api":
                        record = self.share_api(t, draft, client, client_auth, url, writes)
                    else:
                        resulting = DefendantResulting(hearing=t.hearing, defendant=t.defendant, case_id=t.case.pk)
                        clean = draft_clean(draft, list(t.defendant.offences.select_related("definition")
                                                        .order_by("sequence")))
                        work = resulting_work(resulting, draft=clean)
                        assert work.can_share, (t.outcome.key, [c.message for c in work.errors])
                        record = self.share_sql(t, clean, work, state, conn, writes, connection)
                    record.timed = timed
                    self.records.append(record)
            self.check_rows(round_number)
        conn.close()
        self.next_hearing_kinds(service_lists)
        if self.args.profile:
            self.profile(day, centres, crown, prosecutor, system, actor, vocab, rng)
        counter_conn.close()

    def share_service(self, t: Target, draft, actor, writes: WriteCounter, *, explain: bool) -> Record:
        from courts.hearings.services import results_draft_save, results_share

        h0 = writes.horizon()
        started = time.perf_counter()
        draft_seen, (resulting, work) = measured(lambda: results_draft_save(
            hearing=t.hearing, defendant=t.defendant, draft=draft, expected_version=1, actor=actor), keep=explain)
        draft_time = time.perf_counter() - started
        draft_rows = writes.since(h0)
        if not work.can_share:
            raise SystemExit(f"{t.outcome.key}: the bench's draft cannot be shared: {[c.message for c in work.errors]}")
        h1 = writes.horizon()
        started = time.perf_counter()
        share_seen, _ = measured(lambda: results_share(hearing=t.hearing, defendant=t.defendant,
                                                       expected_version=resulting.version, actor=actor), keep=explain)
        share_time = time.perf_counter() - started
        if explain:
            self.explain(t, draft_seen, share_seen)
        return Record(t.outcome.key, len(t.offence_ids), "service", draft_time, share_time, draft_rows,
                      writes.since(h1), False, draft_seen.count, share_seen.count, draft_seen.seconds,
                      share_seen.seconds)

    def share_api(self, t: Target, draft, client, auth: dict[str, str], url, writes: WriteCounter) -> Record:
        body = json.dumps({"expectedVersion": 1, "draft": draft})
        h0 = writes.horizon()
        started = time.perf_counter()
        draft_seen, response = measured(lambda: client.put(url(t, "draft"), body, content_type="application/json",
                                                                 **auth))
        draft_time = time.perf_counter() - started
        draft_rows = writes.since(h0)
        if response.status_code != 200 or not response.json()["canShare"]:
            raise SystemExit(f"PUT draft answered {response.status_code}: {response.content[:2000]!r}")
        share_body = json.dumps({"expectedVersion": response.json()["version"]})
        h1 = writes.horizon()
        started = time.perf_counter()
        share_seen, response = measured(lambda: client.post(url(t, "share"), share_body,
                                                            content_type="application/json", **auth))
        share_time = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"POST share answered {response.status_code}: {response.content[:2000]!r}")
        return Record(t.outcome.key, len(t.offence_ids), "api", draft_time, share_time, draft_rows,
                      writes.since(h1), False, draft_seen.count, share_seen.count, draft_seen.seconds,
                      share_seen.seconds)

    def explain(self, t: Target, draft_seen: Statements, share_seen: Statements) -> None:
        """The statements of one service draft save and share, by kind and table."""
        lines = [f"{t.outcome.key} ({len(t.offence_ids)} offence{'s' if len(t.offence_ids) > 1 else ''}, "
                 f"co-defendants {t.co_defendants}): draft save {draft_seen.count} statements, share {share_seen.count}"]
        for name, seen in (("draft save", draft_seen), ("share", share_seen)):
            kinds = statement_kinds(seen.sql)
            lines.append(f"  {name}: " + ", ".join(f"{n} {verb}{' ' + table if table else ''}"
                                                   for (verb, table), n in kinds.most_common()))
        self.explained.append("\n".join(lines))

    def share_sql(self, t: Target, clean, work, state: BaselineState, conn, writes: WriteCounter,
                  connection) -> Record:
        from courts.common.clock import now

        resulting_id = uuid.uuid4()
        drafts = baseline_draft(t, clean, resulting_id=resulting_id, at=now(), connection=connection)
        shares = baseline_share(t, work, state, resulting_id=resulting_id, at=now(), connection=connection)

        def run(statements: list[Sql]) -> None:
            with conn.transaction(), conn.cursor() as cur:
                for s in statements:
                    if len(s.params) == 1:
                        cur.execute(s.text, s.params[0])
                    else:
                        cur.executemany(s.text, s.params)

        h0 = writes.horizon()
        started = time.perf_counter()
        run(drafts)
        draft_time = time.perf_counter() - started
        draft_rows = writes.since(h0)
        h1 = writes.horizon()
        started = time.perf_counter()
        run(shares)
        share_time = time.perf_counter() - started
        return Record(t.outcome.key, len(t.offence_ids), "sql", draft_time, share_time, draft_rows, writes.since(h1),
                      False, sum(s.statements for s in drafts), sum(s.statements for s in shares), draft_time,
                      share_time)

    def check_rows(self, round_number: int) -> None:
        """Every defendant's share wrote the same rows, table by table, on every path."""
        mine = self.records[-3 * DEFENDANTS:]
        by_path = defaultdict(list)
        for r in mine:
            by_path[r.path].append(r)
        for service, api, sql in zip(by_path["service"], by_path["api"], by_path["sql"], strict=True):
            for kind in ("draft_rows", "share_rows"):
                ours, base = getattr(service, kind), getattr(sql, kind)
                if ours != base:
                    raise SystemExit(f"round {round_number + 1}, {service.outcome} ({service.offences} offences): the "
                                     f"baseline's {kind.split('_')[0]} wrote {base}, ours {ours}")
                theirs = {t: n for t, n in getattr(api, kind).items() if t not in AUTH_TABLES}
                if theirs != ours:
                    raise SystemExit(f"round {round_number + 1}, {api.outcome}: the API's {kind.split('_')[0]} wrote "
                                     f"{theirs}, the service's {ours}")

    def prove_keystrokes(self, bench_list: BenchList, vocab) -> None:
        """The keystrokes are counted from what the bench's own lists share; here, before sharing, each
        outcome's line must leave exactly the inline answers counted, and nothing else."""
        seen = set()
        for t in bench_list.targets:
            if t.outcome.key in seen:
                continue
            problems = keystroke_proof(t, vocab)
            if problems:
                raise SystemExit(f"{t.outcome.key}: the keystrokes counted are not enough: {problems}")
            seen.add(t.outcome.key)
        missing = {o.key for o in OUTCOMES} - seen
        if missing:
            raise SystemExit(f"the list had no defendant for {missing}")
        for o in OUTCOMES:
            fields = keystroke_fields(o, bench_list.day, bench_list.dates)
            shown = " ⇥ ".join(f"`{f}`" for f in fields) + " ⌃⏎"
            self.keystroke_rows.append((o.title + ("" if o.common else " (not in the ten; in the list's mix)"), shown,
                                        keystrokes(fields)))

    def next_hearing_kinds(self, service_lists: list[BenchList]) -> None:
        """Where the service put each next hearing: the remand status it ordered → the kind of court."""
        from courts.custody.models import Remand

        defendants = [t.defendant.pk for bench_list in service_lists for t in bench_list.targets]
        pairs = set(Remand.objects.filter(defendant_id__in=defendants, is_current=True, until_hearing__isnull=False)
                    .values_list("status", "until_hearing__hearing_days__sitting__kind", "until_hearing_id"))
        counts = Counter((status, kind) for status, kind, _ in pairs)
        shown = ", ".join(f"{status} → {kind.lower()} court {n}" for (status, kind), n in sorted(counts.items()))
        self.notes.append(f"the service's next hearings, by the remand status ordered and the kind of sitting listing "
                          f"chose: {shown}")

    def profile(self, day, centres, crown, prosecutor, system, actor, vocab, rng) -> None:
        import cProfile

        plan = list_plan(self.args.seed * 1000 + 999)
        bench_list = list_build(name="PROF", centre=centres[-1], crown_centre=crown, day=day, plan=plan,
                                prosecutor=prosecutor, actor=system, rng=random.Random(rng.random()),
                                room_prefix="Profile ")
        from courts.hearings.services import results_draft_save, results_share

        profiler = cProfile.Profile()
        for t in bench_list.targets:
            draft = outcome_draft(t.outcome, t.offence_ids, day, bench_list.dates, vocab)
            profiler.enable()
            resulting, _ = results_draft_save(hearing=t.hearing, defendant=t.defendant, draft=draft,
                                              expected_version=1, actor=actor)
            results_share(hearing=t.hearing, defendant=t.defendant, expected_version=resulting.version, actor=actor)
            profiler.disable()
        profiler.dump_stats(self.args.profile)
        self.notes.append(f"cProfile of one more list's service draft saves and shares: {self.args.profile}")

    # ---- report ----
    def summarise(self) -> None:
        timed = [r for r in self.records if r.timed]
        by = defaultdict(list)
        for r in timed:
            by[r.path].append(r)

        def mean(records: list[Record], fn: Callable[[Record], float]) -> float:
            return statistics.mean(fn(r) for r in records)

        n = len(by["sql"])
        baselines = {"draft": _ms([r.draft for r in by["sql"]]), "share": _ms([r.share for r in by["sql"]]),
                     "both": _ms([r.draft + r.share for r in by["sql"]])}
        base_q = {"draft": mean(by["sql"], lambda r: r.draft_queries), "share": mean(by["sql"], lambda r: r.share_queries)}
        base_q["both"] = base_q["draft"] + base_q["share"]
        labels = {"service": ("service", "results_draft_save", "results_share"),
                  "api": ("API", "PUT .../results/draft", "POST .../results/share")}
        for path, (label, draft_op, share_op) in labels.items():
            records = by[path]
            for key, op, fn, q in (
                ("draft", draft_op, lambda r: r.draft, lambda r: r.draft_queries),
                ("share", share_op, lambda r: r.share, lambda r: r.share_queries),
                ("both", "draft + share, per defendant", lambda r: r.draft + r.share,
                 lambda r: r.draft_queries + r.share_queries),
            ):
                ours = _ms([fn(r) for r in records])
                self.results.append(Result(f"{label}: {op}", _fmt(ours), _fmt(baselines[key]),
                                           ours[0] / baselines[key][0], f"{mean(records, q):.1f}/{base_q[key]:.1f}"))
            waited = sum(r.draft_db + r.share_db for r in records) / sum(r.draft + r.share for r in records)
            self.notes.append(f"{label} path: {waited:.0%} of its time is spent in its SQL statements (the wait on "
                              "PostgreSQL, measured around each execute); the rest is Python")
        auth_writes = Counter(t for r in by["api"] for rows_ in (r.draft_rows, r.share_rows) for t in rows_
                              if t in AUTH_TABLES)
        self.notes.append(f"of {2 * len(by['api'])} API requests, " + (", ".join(
            f"{n} also wrote {t}" for t, n in auth_writes.items()) or "none wrote anything to authenticate")
            + " (left out of the row comparison)")
        rows = mean(by["sql"], lambda r: sum(r.share_rows.values()))
        self.notes.append(f"{n} defendants per path timed ({n // DEFENDANTS} lists); a share writes {rows:.1f} rows on "
                          "average, the same on every path (checked table by table for each defendant)")
        tables: Counter = Counter()
        for r in by["sql"]:
            tables.update(r.share_rows)
        self.notes.append("rows a share writes, per defendant: " + ", ".join(
            f"{t} {c / n:.2f}" for t, c in tables.most_common()))
        for o in OUTCOMES:
            mine = {p: [r for r in by[p] if r.outcome == o.key] for p in ("service", "api", "sql")}
            if not mine["sql"]:
                continue
            s, a, b = (_ms([r.draft + r.share for r in mine[p]])[0] for p in ("service", "api", "sql"))
            q = (f"{mean(mine['service'], lambda r: r.draft_queries + r.share_queries):.0f}/"
                 f"{mean(mine['sql'], lambda r: r.draft_queries + r.share_queries):.0f}")
            w = mean(mine["sql"], lambda r: sum(r.share_rows.values()))
            self.outcome_rows.append(f"| {o.key} | {len(mine['sql'])} | {s:.1f} | {a:.1f} | {b:.2f} | {s / b:.1f}x | "
                                     f"{a / b:.1f}x | {q} | {w:.1f} |")

    def report(self) -> str:
        width = max(len(r.operation) for r in self.results)
        lines = [f"{'operation':<{width}} | {'ours':>18} | {'baseline':>16} | ratio | queries",
                 f"{'-' * width}-|-{'-' * 18}-|-{'-' * 16}-|-------|--------"]
        for r in self.results:
            ratio = f"{r.ratio:.1f}x" if r.ratio is not None else "-"
            lines.append(f"{r.operation:<{width}} | {r.ours:>18} | {r.baseline:>16} | {ratio:>5} | {r.queries:>7}"
                         + (f"  ({r.note})" if r.note else ""))
        lines += ["", "Per outcome, median per defendant in ms (service and API: draft save + share; baseline: its "
                  "two transactions); statements: service / baseline; rows: written by a share",
                  "", "| outcome | defendants | service | API | baseline | service ratio | API ratio | statements | rows |",
                  "|---|---|---|---|---|---|---|---|---|", *self.outcome_rows]
        lines += ["", "Keystrokes (one offence; fields: the notepad line, then each inline answer, then the prison; "
                  "⇥ Tab, ⌃⏎ Ctrl+Enter to share)", "", "| outcome | what is typed | keystrokes |", "|---|---|---|"]
        lines += [f"| {title} | {shown} | {n} |" for title, shown, n in self.keystroke_rows]
        return "\n".join(lines)


def paths_all() -> tuple[str, str, str]:
    return ("service", "api", "sql")


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def code_version() -> str:
    commit = _run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "?"
    dirty = _run("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no")
    return f"Code: commit {commit} at the start" + (" (working tree has uncommitted changes)" if dirty else "")


def hardware() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo")
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if cpuinfo.exists() else "?"
    memory = _run("free", "-h").splitlines()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return [f"CPU: {cpu}, {_run('nproc')} cores; load average at the end {load}",
            f"Memory: {memory[1] if len(memory) > 1 else '?'}",
            f"Python {platform.python_version()} on {platform.platform()}"]


def check_database_name(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if name in ("courts", "courts_bench", "courts_bench_listing") or name.startswith("test") or "bench" not in name:
        raise SystemExit(f"Refusing database {name!r}: the benchmark empties its case, listing and hearing tables, "
                         "so its name must contain 'bench' (and is never 'courts', another bench's or 'test_*')")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=int, default=10, help="timed lists per path (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="lists per path before timing; the first also "
                        "counts queries and proves the keystrokes (default 1)")
    parser.add_argument("--seed", type=int, default=BENCH_SEED)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--profile", metavar="FILE", help="cProfile one more list's service path into FILE")
    parser.add_argument("--api-auth", choices=("token", "session"), default="token",
                        help="the API path's caller: an HMCTS organisation's bearer token when it may result "
                        "(default), or a logged-in court-staff user")
    parser.add_argument("--explain", action="store_true", help="print, for each outcome, the statements of one "
                        "service draft save and share by kind and table (warm-up list)")
    args = parser.parse_args(argv)
    if args.lists < 1 or args.warmup < 1:
        parser.error("--lists and --warmup must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    check_database_name(database_url)
    bench = Bench(args, database_url)
    code = code_version()
    run_started = time.perf_counter()
    bench.prepare_database()
    bench.setup_django()
    bench.reset()
    bench.run()
    bench.summarise()

    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print()
    print(f"courts bench/resulting.py: {' '.join(sys.argv[1:]) or '(defaults)'}")
    print(code)
    for line in hardware():
        print(line)
    print(f"PostgreSQL {server} at {urlparse(database_url).hostname}; "
          f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}")
    print("Our API path: Django's test Client in-process (full middleware, authentication, validation, service and "
          "rendering; no socket, no gunicorn)")
    print()
    print(bench.report())
    print()
    for note in bench.notes:
        print(f"note: {note}")
    if bench.explained:
        print("\nStatements of one service draft save and share per outcome (warm-up list):")
        for block in bench.explained:
            print(block)
    print(f"\nTotal run time {time.perf_counter() - run_started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
