"""A defendant's draft results worked out: every notepad line parsed, prompts answered and defaulted,
the victim surcharge computed, and the checks that must pass before sharing, each with its source.

Pure reads: `defendant_work` writes nothing, so the page, the API and the share all see exactly
the same thing."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from courts.cases.enums import DefendantKind, OffenceStatus
from courts.cases.models import Defendant, Offence
from courts.custody.rules import remand_custody_maximum
from courts.hearings.enums import DECISION_CHOICES, DecisionKind
from courts.hearings.notepad import (
    ParsedLine,
    ParsedResult,
    PromptSpec,
    Vocabulary,
    notepad_parse,
    prompt_value_parse,
)
from courts.hearings.penalties import (
    LIFE_SHORT_CODES,
    SurchargeItem,
    SurchargeSentence,
    SurchargeUnknown,
    fine_maximum_check,
    surcharge_sentence_for,
    victim_surcharge,
)
from courts.listing.models import Hearing
from courts.reference.models import CourtCentre, HearingType

SURCHARGE_CODE = "FVS"
NEXT_HEARING_CODES = ("NHMC", "NHCCS")
# CJS result codes of remand decisions → the CJS bail status they leave (Bichard 7 remand-status).
REMAND_STATUS_BY_CJS_CODE = {"4027": "B", "4047": "U", "4028": "C", "4046": "C", "4049": "C", "4051": "C"}
CUSTODY_STATUSES = frozenset({"C", "L", "S"})
# The most restrictive status wins when offences differ: custody, care, secure, conditions, bail.
STATUS_SEVERITY = {"C": 6, "S": 5, "L": 4, "P": 3, "B": 2, "U": 1, "A": 0}
# Prompt references the court's own details answer when the adviser leaves them blank.
HEARING_DATE_REF, HEARING_TIME_REF, COURT_HOUSE_REF = "HDATE", "timeOfHearing", "HCHOUSE"
HEARING_TYPE_REF, ESTIMATE_REF = "HTYPE", "HEST"
FINE_REF, SURCHARGE_REF, REMAND_STATUS_REF = "AOF", "AOS", "remandStatus"
PRISON_LABEL = "prison"

SOURCE_RECORD = "CrimPR 2020 r.5.4 (the court officer records each decision)"
SOURCE_SURCHARGE = "Sentencing Act 2020 s.42; Criminal Justice Act 2003 (Surcharge) Order 2012"
SOURCE_WARRANT = "Magistrates' Courts Act 1980 s.128; CrimPR 2020 r.13.2 (warrant names the place of detention)"


@dataclass
class Check:
    code: str
    message: str
    source: str = ""
    offence_id: str | None = None
    blocking: bool = True


@dataclass
class ResultLine:
    """A result ready to be shared: its definition and every prompt value."""

    definition_id: str
    short_code: str
    label: str
    level: str
    category: str
    cjs_code: str
    definition: dict[str, Any]
    prompts: list[dict[str, str]]
    missing: list[PromptSpec]
    offence_id: str | None
    is_computed: bool = False

    def value(self, reference: str) -> str:
        ref = reference.lower()
        return next((p["value"] for p in self.prompts if p["reference"].lower() == ref), "")

    def value_by_label(self, word: str) -> str:
        return next((p["value"] for p in self.prompts if p["label"].lower().startswith(word)), "")

    @property
    def remand_status(self) -> str | None:
        status = REMAND_STATUS_BY_CJS_CODE.get(self.cjs_code)
        if status is None and self.definition.get("postHearingCustodyStatus") in CUSTODY_STATUSES:
            status = self.definition["postHearingCustodyStatus"]
        return status

    @property
    def is_final(self) -> bool:
        return self.category == "F" or bool(self.definition.get("terminatesOffenceProceedings"))


@dataclass
class NextHearing:
    date: dt.date
    court_centre: CourtCentre
    hearing_type: HearingType
    estimate_minutes: int | None
    time: str
    offence_ids: list[str]


@dataclass
class OffenceWork:
    offence: Offence
    notepad: str
    parsed: ParsedLine
    results: list[ResultLine]
    decisions: dict[str, str]  # DecisionKind → value

    @property
    def remand_status(self) -> str | None:
        statuses = [r.remand_status for r in self.results if r.remand_status]
        return max(statuses, key=lambda s: STATUS_SEVERITY.get(s, 0)) if statuses else None


@dataclass
class DefendantWork:
    defendant: Defendant
    hearing_date: dt.date
    offences: list[OffenceWork]
    defendant_notepad: str
    defendant_parsed: ParsedLine
    defendant_results: list[ResultLine]  # defendant- and case-level results, from any line
    prison: str
    next_hearings: list[NextHearing] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def all_results(self) -> list[ResultLine]:
        return [r for o in self.offences for r in o.results] + self.defendant_results

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.blocking]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.blocking]

    @property
    def can_share(self) -> bool:
        return not self.errors

    @property
    def remand_status(self) -> str | None:
        statuses = [s for s in (o.remand_status for o in self.offences) if s]
        statuses += [r.remand_status for r in self.defendant_results if r.remand_status]
        return max(statuses, key=lambda s: STATUS_SEVERITY.get(s, 0)) if statuses else None

    @property
    def custody_results(self) -> list[ResultLine]:
        return [r for r in self.all_results if is_custody_result(r)]


def is_custody_result(result: ResultLine) -> bool:
    """A result that sends the defendant to prison: a remand in custody or a custodial sentence."""
    if result.remand_status in CUSTODY_STATUSES:
        return True
    return surcharge_sentence_for(result.short_code, result.definition) == SurchargeSentence.CUSTODY


def pence(value: str) -> int:
    try:
        return int((Decimal(value) * 100).to_integral_value())
    except (InvalidOperation, ValueError):
        return 0


def _duration_days(value: str) -> int:
    match = re.fullmatch(r"(\d+)\s+(Years|Months|Weeks|Days)", value or "")
    if not match:
        return 0
    n, unit = int(match.group(1)), match.group(2)
    return {"Years": 365 * n, "Months": (n * 365 + 11) // 12, "Weeks": 7 * n, "Days": n}[unit]


def custody_term(result: ResultLine) -> tuple[int, int]:
    """A sentence's term as (months, days): months when it was given in months or years (the
    surcharge bands are in months), else days."""
    months = days = 0
    for p in result.prompts:
        match = re.fullmatch(r"(\d+)\s+(Years|Months|Weeks|Days)", p["value"]) if p["type"] == "INT" else None
        if not match:
            continue
        n, unit = int(match.group(1)), match.group(2)
        if unit in ("Years", "Months"):
            months += n * 12 if unit == "Years" else n
        else:
            days += _duration_days(p["value"])
    return (months, 0) if months and not days else (0, days + _duration_days(f"{months} Months") if months else days)


def age_on(defendant: Defendant, day: dt.date) -> int | None:
    born = defendant.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- Building the work -------------------------------------------------------------------------


@dataclass
class Context:
    hearing: Hearing
    hearing_date: dt.date
    vocabulary: Vocabulary
    court_centre: CourtCentre
    default_time: str
    lookups: "Lookups"


def _answers_key(short_code: str, prompt_id: str) -> str:
    return f"{short_code.upper()}:{prompt_id}"


def _result_line(parsed: ParsedResult, *, offence_id: str | None, answers: dict[str, str], prison: str,
                 ctx: Context, checks: list[Check]) -> ResultLine:
    definition = ctx.vocabulary.definition(parsed.short_code) or {}
    prompts = [{"prompt_id": p.prompt_id, "label": p.label, "reference": p.reference, "type": p.type,
                "value": p.value} for p in parsed.prompts]
    missing: list[PromptSpec] = []
    for spec in parsed.missing:
        answer = (answers.get(_answers_key(parsed.short_code, spec.id)) or "").strip()
        value = ""
        if answer:
            try:
                value = prompt_value_parse(spec, answer, hearing_date=ctx.hearing_date)
            except ValueError as error:
                checks.append(Check("prompt_invalid", f"{parsed.label}: {spec.label}: {error}", SOURCE_RECORD,
                                    offence_id))
                missing.append(spec)
                continue
        else:
            value = _default_value(spec, definition, prison=prison, ctx=ctx)
        if value:
            prompts.append({"prompt_id": spec.id, "label": spec.label, "reference": spec.reference,
                            "type": spec.type, "value": value})
        else:
            missing.append(spec)
    _estimate_from_hearing_type(parsed.short_code, prompts, missing, ctx)
    order = {s.id: s.sequence for s in ctx.vocabulary.prompt_specs(parsed.short_code)}
    prompts.sort(key=lambda p: order.get(p["prompt_id"], 0))
    return ResultLine(
        definition_id=parsed.definition_id, short_code=parsed.short_code, label=parsed.label, level=parsed.level,
        category=parsed.category, cjs_code=definition.get("cjsCode", ""), definition=definition, prompts=prompts,
        missing=missing, offence_id=offence_id if parsed.level == "O" else None,
    )


def _estimate_from_hearing_type(short_code: str, prompts: list[dict[str, str]], missing: list[PromptSpec],
                                ctx: Context) -> None:
    """A next hearing's estimate, when not typed, is its hearing type's usual length."""
    spec = next((m for m in missing if m.reference == ESTIMATE_REF), None)
    kind = next((p["value"] for p in prompts if p["reference"] == HEARING_TYPE_REF), "")
    if spec is None or not kind or short_code.upper() not in NEXT_HEARING_CODES:
        return
    hearing_type = ctx.lookups.hearing_type(kind)
    if hearing_type is None or not hearing_type.default_duration_minutes:
        return
    missing.remove(spec)
    prompts.append({"prompt_id": spec.id, "label": spec.label, "reference": spec.reference, "type": spec.type,
                    "value": f"{hearing_type.default_duration_minutes} Minutes"})


def _default_value(spec: PromptSpec, definition: dict[str, Any], *, prison: str, ctx: Context) -> str:
    """What the court's own details answer: this court house, its usual start time, the prison the
    adviser gave once for the defendant, the remand status the result itself implies."""
    ref = spec.reference
    if ref == COURT_HOUSE_REF:
        # This court, only where the next hearing is in the same kind of court: a sending to the
        # Crown Court must name the Crown Court.
        crown_next = definition.get("shortCode", "").upper() == "NHCCS"
        return ctx.court_centre.name if crown_next == (ctx.court_centre.jurisdiction == "CROWN") else ""
    if ref == HEARING_TIME_REF:
        return ctx.default_time
    if ref == REMAND_STATUS_REF:
        return definition.get("postHearingCustodyStatus", "") if definition.get(
            "postHearingCustodyStatus") not in ("", "A", None) else ""
    if ref == ESTIMATE_REF:
        return ""
    if spec.type == "TXT" and spec.label.lower().strip() == PRISON_LABEL and prison:
        return prison
    return ""


def _decisions(entry: dict[str, Any], parsed: ParsedLine, offence_id: str, checks: list[Check]) -> dict[str, str]:
    from_line = {DecisionKind.PLEA: parsed.plea, DecisionKind.INDICATED_PLEA: parsed.indicated_plea,
                 DecisionKind.ALLOCATION: parsed.allocation, DecisionKind.VERDICT: parsed.verdict}
    decisions: dict[str, str] = {}
    for kind, choices in DECISION_CHOICES.items():
        chosen = (entry.get(kind.lower()) or "").strip()
        typed = from_line[kind] or ""
        if chosen and chosen not in choices.values:
            checks.append(Check("decision_invalid", f"{kind.label}: {chosen!r} is not one of "
                                f"{', '.join(choices.labels)}", SOURCE_RECORD, offence_id))
            continue
        if chosen and typed and chosen != typed:
            checks.append(Check("decision_twice", f"{kind.label} given twice: {choices(typed).label} in the notepad "
                                f"and {choices(chosen).label} in the form. Keep one.", SOURCE_RECORD, offence_id))
            continue
        if chosen or typed:
            decisions[kind] = chosen or typed
    return decisions


def defendant_work(*, hearing: Hearing, hearing_date: dt.date, defendant: Defendant, draft: dict[str, Any],
                   vocabulary: Vocabulary, offences: list[Offence], court_centre: CourtCentre,
                   previously_in_custody: bool = False, lookups: "Lookups | None" = None) -> DefendantWork:
    """Everything a share would write for this defendant, and what stands in its way."""
    lookups = lookups or Lookups()
    start = court_centre.default_start_time
    ctx = Context(hearing, hearing_date, vocabulary, court_centre, f"{start:%H:%M}" if start else "10:00", lookups)
    checks: list[Check] = []
    defendant_draft = draft.get("defendant") or {}
    prison = (defendant_draft.get("prison") or "").strip()
    answers = defendant_draft.get("answers") or {}
    offence_drafts = draft.get("offences") or {}
    works: list[OffenceWork] = []
    above: list[ResultLine] = []
    for offence in offences:
        entry = offence_drafts.get(str(offence.id)) or {}
        notepad = entry.get("notepad") or ""
        parsed = notepad_parse(notepad, vocabulary=vocabulary, hearing_date=hearing_date)
        for problem in parsed.problems:
            checks.append(Check("notepad", f"Offence {offence.sequence}: {problem.message}", "", str(offence.id)))
        lines = [_result_line(p, offence_id=str(offence.id), answers={**answers, **(entry.get("answers") or {})},
                              prison=prison, ctx=ctx, checks=checks) for p in parsed.results]
        works.append(OffenceWork(offence, notepad, parsed, [r for r in lines if r.level == "O"],
                                 _decisions(entry, parsed, str(offence.id), checks)))
        above += [r for r in lines if r.level != "O"]
    defendant_notepad = defendant_draft.get("notepad") or ""
    defendant_parsed = notepad_parse(defendant_notepad, vocabulary=vocabulary, hearing_date=hearing_date)
    for problem in defendant_parsed.problems:
        checks.append(Check("notepad", f"Defendant and case results: {problem.message}"))
    for p in defendant_parsed.results:
        line = _result_line(p, offence_id=None, answers=answers, prison=prison, ctx=ctx, checks=checks)
        if line.level == "O":
            checks.append(Check("level", f"{line.label} ({line.short_code}) is a result on an offence: type it on "
                                "the offence's line", SOURCE_RECORD))
        else:
            above.append(line)
    work = DefendantWork(defendant, hearing_date, works, defendant_notepad, defendant_parsed, above, prison,
                         checks=checks)
    _surcharge(work, checks)
    _check_missing_prompts(work, checks)
    _check_repeated(work, checks)
    _check_offences_dealt_with(work, checks)
    _check_fines(work, checks)
    _check_custody(work, checks, previously_in_custody=previously_in_custody)
    _next_hearings(work, checks, ctx, lookups)
    _check_remand_period(work, checks, previously_in_custody=previously_in_custody)
    return work


def _check_missing_prompts(work: DefendantWork, checks: list[Check]) -> None:
    for result in work.all_results:
        for spec in result.missing:
            checks.append(Check("prompt_missing", f"{result.label} ({result.short_code}): enter "
                                f"{spec.label.replace(chr(160), ' ')}", "Common Platform result definition: "
                                "mandatory prompt", result.offence_id))


def _check_repeated(work: DefendantWork, checks: list[Check]) -> None:
    seen: set[str] = set()
    for result in work.defendant_results:
        if result.short_code.upper() in seen:
            checks.append(Check("repeated", f"{result.label} ({result.short_code}) is ordered more than once for "
                                "this defendant: order it once", SOURCE_RECORD))
        seen.add(result.short_code.upper())


def _check_offences_dealt_with(work: DefendantWork, checks: list[Check]) -> None:
    adjourned_all = any(r.short_code.upper() in NEXT_HEARING_CODES for r in work.defendant_results)
    for o in work.offences:
        if o.offence.status != OffenceStatus.ACTIVE or o.offence.disposed_on:
            continue
        final = any(r.is_final for r in o.results)
        adjourned = adjourned_all or any(r.short_code.upper() in NEXT_HEARING_CODES for r in o.results)
        if not final and not adjourned:
            checks.append(Check("not_dealt_with", f"Offence {o.offence.sequence} ({o.offence.title}) needs a final "
                                "result, or an adjournment with a next hearing (NHMC or NHCCS)", SOURCE_RECORD,
                                str(o.offence.id)))
        if final and adjourned and any(r.short_code.upper() in NEXT_HEARING_CODES for r in o.results):
            checks.append(Check("final_and_adjourned", f"Offence {o.offence.sequence} has a final result and a "
                                "next hearing: remove one", SOURCE_RECORD, str(o.offence.id)))
        convicted = any(r.definition.get("convicted") == "Y" and r.is_final for r in o.results)
        guilty = o.decisions.get(DecisionKind.PLEA) == "GUILTY" or o.decisions.get(DecisionKind.VERDICT) == "GUILTY"
        if convicted and not guilty and not o.offence.conviction_date:
            checks.append(Check("no_conviction", f"Offence {o.offence.sequence}: {', '.join(r.label for r in o.results if r.is_final)} "
                                "needs a conviction: record a guilty plea or verdict", SOURCE_RECORD,
                                str(o.offence.id)))


def _check_fines(work: DefendantWork, checks: list[Check]) -> None:
    for o in work.offences:
        for result in o.results:
            amount = result.value(FINE_REF)
            if not amount:
                continue
            level = o.offence.definition.max_fine_level
            message = fine_maximum_check(amount_pence=pence(amount), level=level, offence_date=o.offence.start_date)
            if message:
                checks.append(Check("fine_maximum", f"Offence {o.offence.sequence}: {message}",
                                    "Sentencing Act 2020 s.122 (standard scale)", str(o.offence.id)))


def _surcharge(work: DefendantWork, checks: list[Check]) -> None:
    items = []
    for o in work.offences:
        for result in o.results:
            sentence = surcharge_sentence_for(result.short_code, result.definition)
            if sentence is None:
                continue
            months, days = custody_term(result)
            items.append(SurchargeItem(
                sentence=sentence, offence_date=o.offence.start_date, fine_pence=pence(result.value(FINE_REF)),
                custody_months=months, custody_days=days, life=result.short_code.upper() in LIFE_SHORT_CODES,
                consecutive=bool(result.value_by_label("consecutive to"))))
    ordered = [r for r in work.defendant_results if r.short_code.upper() == SURCHARGE_CODE]
    if not items:
        for result in ordered:
            if not result.value(SURCHARGE_REF):
                checks.append(Check("surcharge_unknown", "No sentence here carries a victim surcharge: enter its "
                                    "amount or remove FVS", SOURCE_SURCHARGE))
        return
    age = None if work.defendant.kind == DefendantKind.ORGANISATION else age_on(
        work.defendant, min(i.offence_date for i in items))
    try:
        due = victim_surcharge(items, age_at_offence=age,
                               is_organisation=work.defendant.kind == DefendantKind.ORGANISATION)
    except SurchargeUnknown as unknown:
        if not ordered or not ordered[0].value(SURCHARGE_REF):
            checks.append(Check("surcharge_unknown", f"{unknown} Add FVS with the amount.", SOURCE_SURCHARGE))
        return
    amount = f"{Decimal(due.amount_pence) / 100:.2f}"
    if not ordered:
        if due.amount_pence:
            checks.append(Check("surcharge_missing", f"A victim surcharge of £{amount} must be ordered "
                                f"({due.explanation}): add FVS", due.source or SOURCE_SURCHARGE))
        return
    result = ordered[0]
    typed = result.value(SURCHARGE_REF)
    if not typed:
        spec = next((s for s in result.missing if s.reference == SURCHARGE_REF), None)
        if spec is not None:
            result.missing.remove(spec)
            result.prompts.append({"prompt_id": spec.id, "label": spec.label, "reference": spec.reference,
                                   "type": spec.type, "value": amount})
            result.is_computed = True
    elif pence(typed) != due.amount_pence:
        checks.append(Check("surcharge_differs", f"The victim surcharge worked out from the tables is £{amount} "
                            f"({due.explanation}); £{typed} was entered. Keep it only where compensation takes "
                            "priority.", due.source or SOURCE_SURCHARGE, blocking=False))


def _check_custody(work: DefendantWork, checks: list[Check], *, previously_in_custody: bool) -> None:
    custody = work.custody_results
    if custody and not work.prison:
        missing_prompt = all(not r.value_by_label(PRISON_LABEL) for r in custody)
        if missing_prompt:
            checks.append(Check("prison_missing", f"{custody[0].label}: name the prison, so that the warrant can be "
                                "issued", SOURCE_WARRANT))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _minutes(result: ResultLine) -> int | None:
    total = 0
    for p in result.prompts:
        if p["reference"] != ESTIMATE_REF:
            continue
        match = re.fullmatch(r"(\d+)\s+(Weeks|Days|Hours|Minutes)", p["value"])
        if match:
            n, unit = int(match.group(1)), match.group(2)
            total += n * {"Weeks": 5 * 360, "Days": 360, "Hours": 60, "Minutes": 1}[unit]
    return total or None


@dataclass
class Lookups:
    """Court centres and hearing types by what an adviser types; cached for one piece of work."""

    centres: dict[str, CourtCentre | None] = field(default_factory=dict)
    types: dict[str, HearingType | None] = field(default_factory=dict)

    def court_centre(self, text: str) -> CourtCentre | None:
        key = " ".join(text.split()).upper()
        if key not in self.centres:
            found = CourtCentre.objects.filter(ou_code=key).first()
            if found is None:
                named = list(CourtCentre.objects.filter(name__iexact=key)[:2]) or list(
                    CourtCentre.objects.filter(name__icontains=key)[:2])
                found = named[0] if len(named) == 1 else None
            self.centres[key] = found
        return self.centres[key]

    def hearing_type(self, text: str) -> HearingType | None:
        key = " ".join(text.split()).upper()
        if key not in self.types:
            found = HearingType.objects.filter(code=key).order_by("sequence").first() or HearingType.objects.filter(
                description__iexact=key).order_by("sequence").first()
            self.types[key] = found
        return self.types[key]


def _next_hearings(work: DefendantWork, checks: list[Check], ctx: Context, lookups: Lookups) -> None:
    plans: dict[tuple, NextHearing] = {}
    for result in work.all_results:
        if result.short_code.upper() not in NEXT_HEARING_CODES:
            continue
        date = _date(result.value(HEARING_DATE_REF))
        house, kind = result.value(COURT_HOUSE_REF), result.value(HEARING_TYPE_REF)
        if date is None or not house or not kind:
            continue  # reported as a missing prompt
        if date <= ctx.hearing_date:
            checks.append(Check("next_hearing_past", f"{result.label}: the next hearing must be after today's "
                                f"hearing ({date:%-d %B %Y})", SOURCE_RECORD, result.offence_id))
            continue
        centre = lookups.court_centre(house)
        if centre is None:
            checks.append(Check("court_unknown", f"{result.label}: no single court house is called {house!r}: enter "
                                "its OU code or full name", SOURCE_RECORD, result.offence_id))
            continue
        hearing_type = lookups.hearing_type(kind)
        if hearing_type is None:
            checks.append(Check("hearing_type_unknown", f"{result.label}: {kind!r} is not a hearing type: enter its "
                                "code (e.g. PLE, TRL, SEN) or description", SOURCE_RECORD, result.offence_id))
            continue
        key = (date, centre.pk, hearing_type.pk)
        plan = plans.setdefault(key, NextHearing(date, centre, hearing_type, _minutes(result),
                                                 result.value(HEARING_TIME_REF), []))
        if result.offence_id:
            plan.offence_ids.append(result.offence_id)
    work.next_hearings = sorted(plans.values(), key=lambda p: p.date)


def _check_remand_period(work: DefendantWork, checks: list[Check], *, previously_in_custody: bool) -> None:
    if work.remand_status not in CUSTODY_STATUSES or not work.next_hearings:
        return
    convicted = any(o.decisions.get(DecisionKind.PLEA) == "GUILTY" or o.decisions.get(DecisionKind.VERDICT) == "GUILTY"
                    or o.offence.conviction_date for o in work.offences)
    latest, source = remand_custody_maximum(remanded_on=work.hearing_date, convicted=convicted,
                                            previously_remanded_in_custody=previously_in_custody,
                                            next_stage_date_fixed=True)
    first = work.next_hearings[0].date
    if first > latest:
        checks.append(Check("remand_too_long", f"A remand in custody from {work.hearing_date:%-d %B %Y} can last "
                            f"until {latest:%-d %B %Y} at the latest; the next hearing is on {first:%-d %B %Y}",
                            source))
