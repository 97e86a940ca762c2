"""In court: the sitting page (attendance, the court log, advocates), the resulting page (each
defendant's draft results, the checks, sharing and four-eyes amendments), warrants and the custody
time limit worklist.

Court staff only. Views parse strings, call the hearings services and the selectors, and render; every
rule and every message about results comes from `courts.hearings`.

The resulting page is one panel per defendant, each its own `<form>` with the defendant's
`expected_version`: two people can result two defendants at once, and a stale save of one defendant
is a conflict, never an overwrite. `static/web/resulting.js` posts a panel with `fetch` and the header
`X-Requested-With: fetch`; the same view then answers with the panel alone (`_panel.html`), which the
script swaps in place. Without JavaScript the form posts normally: success redirects back to the
panel, a refusal renders the whole page with its status (422 problems, 409 conflict, 403 refused).

Reads of the hearings tables (attendance, the court log, advocates, the shared record, amendments)
are the `_read_*` functions below: `courts.hearings` has no selectors module yet; they move there
when it does."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.cases.enums import OffenceStatus
from courts.cases.models import Defendant, Offence
from courts.common.actor import Actor
from courts.common.clock import LONDON, court_today, now
from courts.common.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from courts.common.ids import get_by_uuid_or_not_found
from courts.custody import selectors as custody
from courts.custody.models import Warrant
from courts.hearings import services
from courts.hearings.enums import (
    AdvocateRole,
    AllocationValue,
    AmendmentStatus,
    AttendanceStatus,
    CourtLogKind,
    IndicatedPleaValue,
    PleaValue,
    VerdictValue,
)
from courts.hearings.models import (
    AdvocateAppearance,
    Attendance,
    CourtLogEntry,
    DefendantResulting,
    JudicialResult,
    OffenceDecision,
    ResultAmendment,
)
from courts.hearings.notepad import NotepadProblem, PromptSpec, vocabulary
from courts.hearings.resulting import Check, DefendantWork, Lookups, ResultLine
from courts.listing import selectors as listing
from courts.listing.models import Hearing, HearingDay, Sitting
from courts.reference import selectors as reference
from courts.reference.enums import ModeOfTrial
from courts.web import forms
from courts.web.templatetags.govuk import govuk_date, govuk_time
from courts.web.views.common import posted_version, staff_actor_of
from courts.web.views.listing import judiciary_text

FETCH_HEADER = "fetch"
NOTE_LENGTH = 500
REASON_LENGTH = 300
NAME_LENGTH = 200
# A posted inline answer: `answers-<offence id>-<SHORTCODE>:<prompt id>`, or `answers-defendant-…`
# for a result on the defendant or the case.
ANSWER_NAME = re.compile(r"answers-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|defendant)-(.+)")
DEFENDANT_SCOPE = "defendant"
DECISIONS = [
    ("plea", "Plea", PleaValue.choices),
    ("indicated_plea", "Indicated plea", IndicatedPleaValue.choices),
    ("allocation", "Allocation", AllocationValue.choices),
    ("verdict", "Verdict", VerdictValue.choices),
]
DECISION_LABELS = {
    "PLEA": ("Plea", PleaValue), "INDICATED_PLEA": ("Indicated plea", IndicatedPleaValue),
    "ALLOCATION": ("Allocation", AllocationValue), "VERDICT": ("Verdict", VerdictValue),
}
PROMPT_HINTS = {
    "DATE": "A date, for example 3/12 or 03/12/2026",
    "CURR": "An amount in pounds, for example 85 or 85.50",
    "TIME": "A time, for example 10:00 or 2.30pm",
    "BOOLEAN": "y or n",
    "INT": "A whole number",
}


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == FETCH_HEADER


def _status_of(error: ApplicationError) -> int:
    return error.status if error.status in (403, 404, 409, 422) else 400


def _local_time(value: dt.datetime | None) -> str:
    return f"{value.astimezone(LONDON):%H:%M}" if value else ""


def _said_time(value: dt.datetime | None) -> str:
    """"10:42am", in London."""
    return govuk_time(value.astimezone(LONDON)) if value else ""


# --- Looking things up ---------------------------------------------------------------------------


def _sitting_or_404(actor: Actor, sitting_id: object) -> Sitting:
    try:
        return listing.sitting_get_for_actor(actor=actor, sitting_id=sitting_id)
    except NotFound as error:
        raise Http404(error.detail) from error


def _hearing_or_404(actor: Actor, hearing_id: object) -> Hearing:
    try:
        return listing.hearing_get_for_actor(actor=actor, hearing_id=hearing_id)
    except NotFound as error:
        raise Http404(error.detail) from error


def _defendants_of(hearing: Hearing) -> list[Defendant]:
    """The hearing's defendants by case URN, then their order on the case (each with its case loaded)."""
    defendants = []
    for link in hearing.hearing_defendants.all():
        link.defendant.case = link.case
        defendants.append(link.defendant)
    return defendants


def _defendant_of(hearing: Hearing, defendant_id: object) -> Defendant:
    found = next((d for d in _defendants_of(hearing) if str(d.id) == str(defendant_id)), None)
    if found is None:
        raise Http404("No such defendant in this hearing")
    return found


# --- Reads of the hearings tables (for `courts.hearings.selectors` when it exists) ---------------


def _read_attendance(hearing_ids: list, date: dt.date) -> dict[tuple, Attendance]:
    rows = Attendance.objects.filter(hearing_id__in=hearing_ids, date=date)
    return {(str(a.hearing_id), str(a.defendant_id)): a for a in rows}


def _read_court_log(sitting: Sitting) -> list[CourtLogEntry]:
    return list(CourtLogEntry.objects.filter(sitting=sitting).order_by("occurred_at", "recorded_at"))


def _read_advocates(hearing_ids: list, date: dt.date) -> list[AdvocateAppearance]:
    return list(AdvocateAppearance.objects.filter(hearing_id__in=hearing_ids, date=date)
                .prefetch_related("defendants").order_by("checked_in_at"))


def _read_shared(resulting: DefendantResulting) -> tuple[list[JudicialResult], list[OffenceDecision]]:
    results = list(JudicialResult.objects.filter(resulting=resulting).order_by("share_number", "rank"))
    decisions = list(OffenceDecision.objects.filter(resulting=resulting, is_current=True))
    return results, decisions


def _read_amendments(resulting: DefendantResulting) -> list[ResultAmendment]:
    return list(ResultAmendment.objects.filter(resulting=resulting).order_by("-requested_at"))


def _read_log_entry(sitting: Sitting, entry_id: str) -> CourtLogEntry:
    try:
        return get_by_uuid_or_not_found(CourtLogEntry.objects.filter(sitting=sitting), entry_id, "court log entry")
    except NotFound as error:
        raise Http404(error.detail) from error


# --- The sitting page ----------------------------------------------------------------------------


@dataclass
class DefendantRow:
    defendant: Defendant
    case_id: object
    urn: str
    attendance: Attendance | None
    field: forms.Field


@dataclass
class AdvocateView:
    appearance: AdvocateAppearance
    defendant_names: list[str]


@dataclass
class SittingHearing:
    day: HearingDay
    hearing: Hearing
    position: int
    defendants: list[DefendantRow]
    advocates: list[AdvocateView]
    form: forms.RowView
    defendant_options: list[tuple[str, str]]
    defendants_checked: list[str]
    label: str
    is_open: bool


@dataclass
class LogView:
    entry: CourtLogEntry
    hearing_label: str
    history: list[CourtLogEntry]  # the versions it replaced, newest first
    form: forms.RowView
    is_open: bool


def _sitting_order(sitting: Sitting) -> list[HearingDay]:
    entry = next((e for e in listing.court_diary(court_centre=sitting.court_centre, date=sitting.date)
                  if e.sitting.id == sitting.id), None)
    return entry.days if entry else []


def _hearing_label(hearing: Hearing) -> str:
    links = sorted(hearing.hearing_defendants.all(), key=lambda hd: (hd.case.urn, hd.defendant.sequence))
    by_case: dict[str, list[str]] = {}
    for link in links:
        by_case.setdefault(link.case.urn, []).append(link.defendant.name)
    return "; ".join(f"{urn} {', '.join(names)}" for urn, names in by_case.items())


def _sitting_render(request: HttpRequest, sitting: Sitting, *, form: forms.FormState | None = None,
                    status: int = 200) -> HttpResponse:
    form = form or forms.FormState()
    days = _sitting_order(sitting)
    hearing_ids = [d.hearing_id for d in days]
    attendance = _read_attendance(hearing_ids, sitting.date)
    advocates = _read_advocates(hearing_ids, sitting.date)
    hearings: list[SittingHearing] = []
    labels: dict[str, str] = {}
    for position, day in enumerate(days, 1):
        hearing = day.hearing
        links = sorted(hearing.hearing_defendants.all(), key=lambda hd: (hd.case.urn, hd.defendant.sequence))
        rows = []
        for link in links:
            recorded = attendance.get((str(hearing.id), str(link.defendant_id)))
            name = f"attendance-{hearing.id}-{link.defendant_id}"
            form.data.setdefault(name, recorded.status if recorded else "")
            rows.append(DefendantRow(link.defendant, link.case_id, link.case.urn, recorded, form[name]))
        names = {str(link.defendant_id): link.defendant.name for link in links}
        prefix = f"advocate-{hearing.id}-"
        label = _hearing_label(hearing)
        labels[str(hearing.id)] = label
        hearings.append(SittingHearing(
            day=day, hearing=hearing, position=position, defendants=rows,
            advocates=[AdvocateView(a, [names.get(str(d.id), d.name) for d in a.defendants.all()])
                       for a in advocates if a.hearing_id == hearing.id],
            form=form.row(prefix), defendant_options=[(str(link.defendant_id), link.defendant.name) for link in links],
            defendants_checked=request.POST.getlist(f"{prefix}defendants") if request.method == "POST" else [],
            label=label, is_open=any(name.startswith(prefix) for name in form.errors),
        ))
    entries = _read_court_log(sitting)
    for entry in entries:
        entry.said_time, entry.said_recorded = _said_time(entry.occurred_at), _said_time(entry.recorded_at)
    for recorded in attendance.values():
        recorded.said_time = _said_time(recorded.recorded_at)
    for appearance in advocates:
        appearance.said_time = _said_time(appearance.checked_in_at)
    by_id = {e.id: e for e in entries}
    log: list[LogView] = []
    for entry in entries:
        if not entry.is_current:
            continue
        history, earlier = [], entry.corrects_id
        while earlier is not None and earlier in by_id:
            history.append(by_id[earlier])
            earlier = by_id[earlier].corrects_id
        prefix = f"correct-{entry.id}-"
        form.data.setdefault(prefix + "kind", entry.kind)
        form.data.setdefault(prefix + "time", f"{entry.occurred_at.astimezone(LONDON):%H:%M}")
        form.data.setdefault(prefix + "note", entry.note)
        log.append(LogView(entry, labels.get(str(entry.hearing_id), "") if entry.hearing_id else "", history,
                           form.row(prefix), any(name.startswith(prefix) for name in form.errors)))
    return render(request, "web/court/sitting.html", {
        "form": form,
        "sitting": sitting,
        "judiciary": judiciary_text(sitting),
        "hearings": hearings,
        "log": log,
        "log_kinds": CourtLogKind.choices,
        "attendance_choices": AttendanceStatus.choices,
        "advocate_roles": AdvocateRole.choices,
        "hearing_options": [(str(h.hearing.id), f"{h.position}. {h.label}") for h in hearings],
        "diary_url": reverse("web:listing-diary", kwargs={"ou_code": sitting.court_centre.ou_code,
                                                          "day": sitting.date}),
    }, status=status)


def _sitting_url(sitting: Sitting, anchor: str = "") -> str:
    url = reverse("web:court-sitting", kwargs={"sitting_id": sitting.id})
    return f"{url}#{anchor}" if anchor else url


def _clock_time(text: str) -> dt.time:
    """A time typed by a person: 10:42, 10.42, 1042, 10:42am, 2pm."""
    value = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?", value)
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        raise ValueError(text)
    return dt.time(hour, minute)


def _occurred_at(form: forms.FormState, name: str, sitting: Sitting) -> dt.datetime | None:
    """The time typed, on the sitting's date in London; None when left empty (now)."""
    text = form.text(name)
    if not text:
        return None
    try:
        return dt.datetime.combine(sitting.date, _clock_time(text), tzinfo=LONDON)
    except ValueError:
        form.add(name, "Enter the time as 10:42 or 2.15pm")
        return None


def _hearing_in_sitting(sitting: Sitting, hearing_id: str) -> Hearing | None:
    if not hearing_id:
        return None
    hearing = next((d.hearing for d in _sitting_order(sitting) if str(d.hearing_id) == hearing_id), None)
    if hearing is None:
        raise Http404("No such hearing in this sitting")
    return hearing


def _record_attendance(request: HttpRequest, actor: Actor, sitting: Sitting) -> HttpResponse:
    hearing = _hearing_in_sitting(sitting, request.POST.get("hearing", ""))
    if hearing is None:
        raise Http404("No such hearing in this sitting")
    hearing = _hearing_or_404(actor, hearing.id)
    defendant = _defendant_of(hearing, request.POST.get("defendant", ""))
    name = f"attendance-{hearing.id}-{defendant.id}"
    form = forms.FormState({name: request.POST.get("status", "")}, order=[name])
    try:
        services.attendance_record(hearing=hearing, defendant=defendant, date=sitting.date,
                                   status=request.POST.get("status", ""), actor=actor)
    except ApplicationError as error:
        form.add(name, f"{defendant.name}: {error.detail}")
        return _sitting_render(request, sitting, form=form, status=_status_of(error))
    status = AttendanceStatus(request.POST["status"]).label.lower()
    messages.success(request, f"{defendant.name}: {status}")
    return redirect(_sitting_url(sitting, f"hearing-{hearing.id}"))


def _add_log_entry(request: HttpRequest, actor: Actor, sitting: Sitting) -> HttpResponse:
    form = forms.FormState(request.POST.dict(), order=["log_kind", "log_hearing", "log_time", "log_note"])
    hearing = _hearing_in_sitting(sitting, form.text("log_hearing"))
    kind = form.text("log_kind")
    if kind not in CourtLogKind.values:
        form.add("log_kind", "Choose what happened")
    occurred_at = _occurred_at(form, "log_time", sitting)
    note = form.bounded_text("log_note", label="Note", max_length=NOTE_LENGTH)
    if kind == CourtLogKind.NOTE and not note:
        form.add("log_note", "Enter the note")
    if form.has_errors:
        return _sitting_render(request, sitting, form=form, status=422)
    try:
        entry = services.court_log_add(sitting=sitting, kind=kind, actor=actor, hearing=hearing,
                                       occurred_at=occurred_at, note=note)
    except ApplicationError as error:
        form.add_service_errors(error, fallback="log_kind")
        return _sitting_render(request, sitting, form=form, status=_status_of(error))
    messages.success(request, f"Court log: {CourtLogKind(kind).label} at {govuk_time(entry.occurred_at.astimezone(LONDON))}")
    return redirect(_sitting_url(sitting, "court-log"))


def _correct_log_entry(request: HttpRequest, actor: Actor, sitting: Sitting) -> HttpResponse:
    entry = _read_log_entry(sitting, request.POST.get("entry", ""))
    prefix = f"correct-{entry.id}-"
    names = [prefix + n for n in ("kind", "time", "note", "reason")]
    form = forms.FormState(request.POST.dict(), order=names)
    kind = form.text(prefix + "kind")
    if kind not in CourtLogKind.values:
        form.add(prefix + "kind", "Choose what happened")
    occurred_at = _occurred_at(form, prefix + "time", sitting)
    note = form.bounded_text(prefix + "note", label="Note", max_length=NOTE_LENGTH)
    reason = form.bounded_text(prefix + "reason", label="Reason", max_length=REASON_LENGTH)
    if not reason:
        form.add(prefix + "reason", "Enter the reason for the correction")
    if form.has_errors:
        return _sitting_render(request, sitting, form=form, status=422)
    try:
        services.court_log_correct(entry=entry, actor=actor, reason=reason, occurred_at=occurred_at, kind=kind,
                                   note=note)
    except ApplicationError as error:
        form.add_service_errors(error, fallback=prefix + "reason")
        return _sitting_render(request, sitting, form=form, status=_status_of(error))
    messages.success(request, f"Court log entry corrected: {reason}")
    return redirect(_sitting_url(sitting, "court-log"))


def _check_in_advocate(request: HttpRequest, actor: Actor, sitting: Sitting) -> HttpResponse:
    listed = _hearing_in_sitting(sitting, request.POST.get("hearing", ""))
    if listed is None:
        raise Http404("No such hearing in this sitting")
    hearing = _hearing_or_404(actor, listed.id)
    prefix = f"advocate-{hearing.id}-"
    form = forms.FormState(request.POST.dict(), order=[prefix + n for n in ("role", "name", "organisation",
                                                                            "defendants")])
    name = form.bounded_text(prefix + "name", label="Name", max_length=NAME_LENGTH)
    organisation = form.bounded_text(prefix + "organisation", label="Organisation", max_length=NAME_LENGTH)
    chosen = [_defendant_of(hearing, d) for d in request.POST.getlist(prefix + "defendants") if d]
    if form.has_errors:
        return _sitting_render(request, sitting, form=form, status=422)
    try:
        services.advocate_check_in(hearing=hearing, role=form.text(prefix + "role"), name=name, actor=actor,
                                   organisation_name=organisation, defendants=chosen, date=sitting.date)
    except ApplicationError as error:
        form.add_service_errors(error, renames={n: prefix + n for n in ("role", "name", "defendants")})
        return _sitting_render(request, sitting, form=form, status=_status_of(error))
    messages.success(request, f"{name} checked in")
    return redirect(_sitting_url(sitting, f"hearing-{hearing.id}"))


SITTING_ACTIONS = {
    "attendance": _record_attendance,
    "log_add": _add_log_entry,
    "log_correct": _correct_log_entry,
    "advocate": _check_in_advocate,
}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sitting_page(request: HttpRequest, sitting_id) -> HttpResponse:
    actor = staff_actor_of(request)
    sitting = _sitting_or_404(actor, sitting_id)
    if request.method == "GET":
        return _sitting_render(request, sitting)
    action = SITTING_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        form = forms.FormState()
        form.add_general("Choose what to record")
        return _sitting_render(request, sitting, form=form, status=400)
    return action(request, actor, sitting)


# --- The resulting page: what a panel shows ------------------------------------------------------


@dataclass
class AnswerInput:
    name: str
    id: str
    label: str
    value: str
    hint: str
    error: str
    missing: bool


@dataclass
class ResultView:
    label: str
    short_code: str
    cjs_code: str
    is_computed: bool
    prompts: list[tuple[str, str]]
    inputs: list[AnswerInput]


@dataclass
class ProblemView:
    message: str
    text: str
    start: int
    end: int
    target: str
    candidates: list[tuple[str, str]]


@dataclass
class DecisionField:
    name: str
    id: str
    label: str
    value: str
    options: list[tuple[str, str]]
    from_notepad: str


@dataclass
class OffenceView:
    offence: Offence
    notepad: str
    notepad_id: str
    problems: list[ProblemView]
    results: list[ResultView]
    decisions: list[DecisionField]
    hidden_answers: list[tuple[str, str]]
    is_withdrawn: bool


@dataclass
class SharedResult:
    label: str
    short_code: str
    cjs_code: str
    is_computed: bool
    prompts: list[tuple[str, str]]


@dataclass
class SharedOffence:
    title: str
    decisions: list[str]
    results: list[SharedResult]


@dataclass
class EarlierShare:
    number: int
    shared_at: dt.datetime
    results: list[str]


@dataclass
class Panel:
    hearing: Hearing
    defendant: Defendant
    resulting: DefendantResulting
    work: DefendantWork
    version: int
    offences: list[OffenceView]
    defendant_notepad: str
    defendant_notepad_id: str
    defendant_problems: list[ProblemView]
    defendant_results: list[ResultView]
    defendant_hidden_answers: list[tuple[str, str]]
    prison: str
    errors: list[tuple[str, str, str]]  # (href, message, source)
    warnings: list[tuple[str, str]]
    status_text: str = ""
    refused: str = ""
    conflict: str = ""
    current_version: int | None = None
    message: str = ""
    reason: forms.Field | None = None
    decision_note: forms.Field | None = None
    shared_offences: list[SharedOffence] = field(default_factory=list)
    shared_defendant: list[SharedResult] = field(default_factory=list)
    earlier: list[EarlierShare] = field(default_factory=list)
    amendments: list[ResultAmendment] = field(default_factory=list)
    pending: ResultAmendment | None = None
    can_decide: bool = False
    warrants: list[Warrant] = field(default_factory=list)
    next_hearings: list[dict] = field(default_factory=list)
    remand: str = ""

    @property
    def is_shared(self) -> bool:
        return bool(self.resulting.share_count)

    @property
    def dom_id(self) -> str:
        return f"defendant-{self.defendant.id}"


def prompt_display(prompt: dict[str, str]) -> str:
    value, kind = prompt.get("value", ""), prompt.get("type", "")
    try:
        if kind == "CURR":
            return f"£{Decimal(value):,.2f}"
        if kind == "DATE":
            return govuk_date(dt.date.fromisoformat(value))
        if kind == "TIME":
            return govuk_time(dt.time.fromisoformat(value))
    except (ValueError, InvalidOperation):
        return value
    if kind == "BOOLEAN":
        return {"true": "Yes", "false": "No"}.get(value, value)
    return re.sub(r"^(\d+) (Years|Months|Weeks|Days|Hours|Minutes)$", lambda m: f"{m.group(1)} {m.group(2).lower()}",
                  value)


def _clean_label(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _answer_key(short_code: str, prompt_id: str) -> str:
    return f"{short_code.upper()}:{prompt_id}"


def _spec_hint(spec: PromptSpec | None) -> str:
    if spec is None:
        return ""
    if spec.durations:
        return "A period, for example 12m, 6 weeks or 30min"
    return PROMPT_HINTS.get(spec.type, "")


def _result_view(line: ResultLine, *, scope: str, id_scope: str, answers: dict[str, str], used: set[str],
                 checks: list[Check]) -> ResultView:
    """A result with its prompt values, and inputs for the prompts answered or still needed inline."""
    specs = {s.id: s for s in vocabulary().prompt_specs(line.short_code)}
    inputs: list[tuple[int, AnswerInput]] = []

    def add(spec_id: str, label: str, missing: bool) -> None:
        key = _answer_key(line.short_code, spec_id)
        used.add(key)
        spec = specs.get(spec_id)
        error = ""
        prefix = f"{line.label}: {label}: "
        for check in checks:
            if check.code == "prompt_invalid" and check.message.startswith(prefix):
                error = check.message[len(prefix):]
        name = f"answers-{scope}-{key}"
        inputs.append((spec.sequence if spec else 0, AnswerInput(
            name=name, id=f"answers-{id_scope}-{line.short_code.upper()}-{spec_id}", label=_clean_label(label),
            value=answers.get(key, ""), hint=_spec_hint(spec), error=error, missing=missing)))

    for prompt in line.prompts:
        if _answer_key(line.short_code, prompt["prompt_id"]) in answers:
            add(prompt["prompt_id"], prompt["label"], False)
    for spec in line.missing:
        add(spec.id, spec.label, True)
    inputs.sort(key=lambda pair: pair[0])
    return ResultView(
        label=_clean_label(line.label), short_code=line.short_code, cjs_code=line.cjs_code,
        is_computed=line.is_computed,
        prompts=[(_clean_label(p["label"]), prompt_display(p)) for p in line.prompts],
        inputs=[i for _, i in inputs],
    )


def _problem_views(problems: list[NotepadProblem], target: str) -> list[ProblemView]:
    return [ProblemView(p.message, p.text, p.start, p.end, target,
                        [(c.short_code, _clean_label(c.label)) for c in p.candidates]) for p in problems]


def _check_href(check: Check, defendant: Defendant) -> str:
    if check.offence_id:
        return f"#notepad-{check.offence_id}"
    return f"#defendant-notepad-{defendant.id}"


def _shared_result(row: JudicialResult) -> SharedResult:
    return SharedResult(_clean_label(row.label), row.short_code, row.cjs_code, row.is_computed,
                        [(_clean_label(p["label"]), prompt_display(p)) for p in row.prompts])


def _decision_text(decision: OffenceDecision) -> str:
    label, choices = DECISION_LABELS.get(decision.kind, (decision.kind, None))
    value = choices(decision.value).label if choices and decision.value in choices.values else decision.value
    return f"{label}: {value}"


def _add_shared_record(panel: Panel) -> None:
    resulting = panel.resulting
    if not resulting.share_count and not resulting.amendments.exists():
        return
    results, decisions = _read_shared(resulting)
    offences = [o.offence for o in panel.work.offences]
    current = [r for r in results if r.is_current]
    panel.shared_offences = [
        SharedOffence(f"Offence {o.sequence}: {o.title}",
                      [_decision_text(d) for d in decisions if d.offence_id == o.id],
                      [_shared_result(r) for r in current if r.offence_id == o.id])
        for o in offences
    ]
    panel.shared_defendant = [_shared_result(r) for r in current if r.offence_id is None]
    earlier: dict[int, EarlierShare] = {}
    for row in results:
        if row.is_current:
            continue
        share = earlier.setdefault(row.share_number, EarlierShare(row.share_number, row.shared_at, []))
        values = ", ".join(f"{label} {value}" for label, value in _shared_result(row).prompts)
        share.results.append(f"{_clean_label(row.label)} ({row.short_code})" + (f": {values}" if values else ""))
    panel.earlier = sorted(earlier.values(), key=lambda e: e.number, reverse=True)
    panel.amendments = _read_amendments(resulting)
    panel.pending = next((a for a in panel.amendments if a.status == AmendmentStatus.PENDING), None)
    panel.warrants = [w for w in custody.warrants_for_defendants(defendant_ids=[panel.defendant.id])
                      if w.hearing_id == panel.hearing.id]
    for link in resulting.next_hearing_links:
        try:
            hearing = listing.hearing_get(hearing_id=link["hearing_id"])
        except NotFound:
            continue
        days = list(hearing.hearing_days.all())
        try:  # the key is "date|court centre|hearing type": the date the court ordered
            ordered = dt.date.fromisoformat(str(link.get("key", "")).split("|")[0])
        except ValueError:
            ordered = hearing.week_commencing
        panel.next_hearings.append({
            "hearing": hearing,
            "date": days[0].date if days else ordered,
            "listed": bool(days),
            "where": str(days[0].sitting.court_room) if days else hearing.court_centre.name,
        })


def _panel(hearing: Hearing, defendant: Defendant, actor: Actor, *, resulting: DefendantResulting | None = None,
           draft: dict[str, Any] | None = None, version: int | None = None, lookups: Lookups | None = None,
           bail: dict[str, str] | None = None, reason: str = "", decision_note: str = "",
           errors_on: dict[str, str] | None = None, **state: Any) -> Panel:
    """A defendant's panel, from the stored draft, or from the posted one (a conflict keeps the typing)."""
    resulting = resulting or services.resulting_get(hearing=hearing, defendant=defendant)
    work = services.resulting_work(resulting, draft=draft, lookups=lookups)
    shown = resulting.draft if draft is None else draft
    offence_drafts = shown.get("offences") or {}
    defendant_draft = shown.get("defendant") or {}
    defendant_answers = dict(defendant_draft.get("answers") or {})
    defendant_used: set[str] = set()
    offences: list[OffenceView] = []
    for o in work.offences:
        oid = str(o.offence.id)
        entry = offence_drafts.get(oid) or {}
        answers = dict(entry.get("answers") or {})
        used: set[str] = set()
        decisions = []
        from_line = {"plea": o.parsed.plea, "indicated_plea": o.parsed.indicated_plea,
                     "allocation": o.parsed.allocation, "verdict": o.parsed.verdict}
        for name, label, options in DECISIONS:
            if name == "allocation" and o.offence.mode_of_trial != ModeOfTrial.EITHER_WAY:
                continue
            typed = from_line[name] or ""
            typed_label = dict(options).get(typed, typed)
            decisions.append(DecisionField(f"{name}-{oid}", f"{name}-{oid}", label, entry.get(name) or "",
                                           list(options), typed_label))
        offences.append(OffenceView(
            offence=o.offence, notepad=o.notepad, notepad_id=f"notepad-{oid}",
            problems=_problem_views(o.parsed.problems, f"notepad-{oid}"),
            results=[_result_view(r, scope=oid, id_scope=oid, answers=answers, used=used, checks=work.checks)
                     for r in o.results],
            decisions=decisions,
            hidden_answers=[(f"answers-{oid}-{k}", v) for k, v in answers.items() if k not in used],
            is_withdrawn=o.offence.status == OffenceStatus.WITHDRAWN,
        ))
    defendant_results = [
        _result_view(r, scope=DEFENDANT_SCOPE, id_scope=f"d{defendant.id}", answers=defendant_answers,
                     used=defendant_used, checks=work.checks)
        for r in work.defendant_results
    ]
    remand = custody.remand_current(defendant=defendant)
    bail = bail if bail is not None else reference.bail_status_descriptions()
    if remand is not None:
        remand_text = f"{bail.get(remand.status, remand.status)} ({remand.status})" + (
            f", {remand.prison}" if remand.prison else "")
    else:
        remand_text = f"{bail.get(defendant.bail_status, defendant.bail_status)}" + (
            f" ({defendant.bail_status})" if defendant.bail_status else "")
    errors_on = errors_on or {}
    panel = Panel(
        hearing=hearing, defendant=defendant, resulting=resulting, work=work,
        version=resulting.version if version is None else version,
        offences=offences, defendant_notepad=work.defendant_notepad,
        defendant_notepad_id=f"defendant-notepad-{defendant.id}",
        defendant_problems=_problem_views(work.defendant_parsed.problems, f"defendant-notepad-{defendant.id}"),
        defendant_results=defendant_results,
        defendant_hidden_answers=[(f"answers-{DEFENDANT_SCOPE}-{k}", v) for k, v in defendant_answers.items()
                                  if k not in defendant_used],
        prison=defendant_draft.get("prison") or "",
        errors=[(_check_href(c, defendant), c.message, c.source) for c in work.errors],
        warnings=[(c.message, c.source) for c in work.warnings],
        reason=forms.Field(f"reason-{defendant.id}", reason, errors_on.get("reason", "")),
        decision_note=forms.Field(f"note-{defendant.id}", decision_note, errors_on.get("note", "")),
        remand=remand_text,
        **state,
    )
    _add_shared_record(panel)
    if panel.pending is not None:
        panel.can_decide = actor.user_id is not None and actor.user_id != panel.pending.requested_by_user_id
    if not panel.status_text:
        if resulting.shared_at and not resulting.has_unshared_changes:
            panel.status_text = f"Shared {_local_time(resulting.shared_at)} by {resulting.shared_by}"
        elif resulting.draft_saved_at:
            panel.status_text = f"Draft saved {_local_time(resulting.draft_saved_at)} by {resulting.draft_saved_by}"
    return panel


def draft_from_post(post: Any, offences: list[Offence]) -> dict[str, Any]:
    """The draft as the panel's form posted it (the shape `results_draft_save` takes)."""
    draft: dict[str, Any] = {
        "offences": {},
        "defendant": {"notepad": post.get("defendant-notepad", ""), "answers": {}, "prison": post.get("prison", "")},
    }
    for offence in offences:
        oid = str(offence.id)
        entry: dict[str, Any] = {"notepad": post.get(f"notepad-{oid}", ""), "answers": {}}
        for name, _, _ in DECISIONS:
            entry[name] = post.get(f"{name}-{oid}", "")
        draft["offences"][oid] = entry
    for name in post:
        match = ANSWER_NAME.fullmatch(name)
        value = post.get(name, "")
        if not match or not value.strip():
            continue
        scope, key = match.groups()
        target = draft["defendant"] if scope == DEFENDANT_SCOPE else draft["offences"].get(scope)
        if target is not None:
            target["answers"][key] = value
    return draft


# --- The resulting page: views -------------------------------------------------------------------


def _resulting_url(hearing: Hearing, defendant: Defendant | None = None) -> str:
    url = reverse("web:court-resulting", kwargs={"hearing_id": hearing.id})
    return f"{url}#defendant-{defendant.id}" if defendant else url


def _resulting_render(request: HttpRequest, hearing: Hearing, actor: Actor, *, replaced: Panel | None = None,
                      status: int = 200) -> HttpResponse:
    lookups, bail = Lookups(), reference.bail_status_descriptions()
    panels = [
        replaced if replaced is not None and replaced.defendant.id == d.id
        else _panel(hearing, d, actor, lookups=lookups, bail=bail)
        for d in _defendants_of(hearing)
    ]
    form = forms.FormState()
    page_errors: list[tuple[str, str]] = []
    if replaced is not None and (replaced.refused or replaced.conflict or replaced.message):
        form.add_general(replaced.refused or replaced.conflict or replaced.message)
        page_errors.append((f"#{replaced.dom_id}", replaced.refused or replaced.conflict or replaced.message))
        if replaced.refused:
            page_errors += [(href, message) for href, message, _ in replaced.errors]
        if replaced.reason and replaced.reason.error:
            page_errors.append((f"#{replaced.reason.id}", replaced.reason.error))
        if replaced.decision_note and replaced.decision_note.error:
            page_errors.append((f"#{replaced.decision_note.id}", replaced.decision_note.error))
    days = list(hearing.hearing_days.all())
    return render(request, "web/court/resulting.html", {
        "form": form,
        "page_errors": page_errors,
        "hearing": hearing,
        "days": days,
        "hearing_date": services.hearing_date_for(hearing),
        "label": _hearing_label(hearing),
        "panels": panels,
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def resulting_page(request: HttpRequest, hearing_id) -> HttpResponse:
    actor = staff_actor_of(request)
    return _resulting_render(request, _hearing_or_404(actor, hearing_id), actor)


def _answer(request: HttpRequest, hearing: Hearing, actor: Actor, panel: Panel, *, status: int = 200,
            done: str = "") -> HttpResponse:
    """The panel alone for the page's script; without it, back to the page (or the page with the problem)."""
    if _is_fetch(request):
        return render(request, "web/court/_panel.html", {"panel": panel, "hearing": hearing}, status=status)
    if status == 200:
        if done:
            messages.success(request, done)
        return redirect(_resulting_url(hearing, panel.defendant))
    return _resulting_render(request, hearing, actor, replaced=panel, status=status)


class DraftRefused(Exception):
    """The posted draft itself was refused (a field too long): nothing was saved."""

    def __init__(self, error: ValidationFailed):
        super().__init__(error.detail)
        self.error = error


def _save_draft(hearing: Hearing, defendant: Defendant, draft: dict[str, Any], version: int,
                actor: Actor) -> DefendantResulting:
    """Save the posted draft, unless it is exactly what is stored at that version (sharing right after
    an autosave writes nothing twice)."""
    resulting = services.resulting_get(hearing=hearing, defendant=defendant)
    if resulting.version == version:
        offences = list(defendant.offences.order_by("sequence"))
        try:
            unchanged = services.draft_clean(draft, offences) == services.draft_clean(resulting.draft, offences)
        except ValidationFailed:
            unchanged = False
        if unchanged:
            return resulting
    try:
        resulting, _ = services.results_draft_save(hearing=hearing, defendant=defendant, draft=draft,
                                                   expected_version=version, actor=actor)
    except ValidationFailed as error:
        raise DraftRefused(error) from error
    return resulting


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def defendant_results(request: HttpRequest, hearing_id, defendant_id) -> HttpResponse:
    """One defendant's panel: GET it afresh ("Reload this defendant"), or POST the panel's form with
    `action`: save (also autosave), overwrite (after a conflict, deliberately), share, amend (ask for
    an amendment of shared results), approve or reject (someone else's amendment)."""
    actor = staff_actor_of(request)
    hearing = _hearing_or_404(actor, hearing_id)
    defendant = _defendant_of(hearing, defendant_id)
    if request.method == "GET":
        if _is_fetch(request):
            panel = _panel(hearing, defendant, actor, status_text="Reloaded: these are the results as saved")
            return _answer(request, hearing, actor, panel)
        return redirect(_resulting_url(hearing, defendant))

    action = request.POST.get("action", "save")
    offences = list(defendant.offences.order_by("sequence"))
    draft = draft_from_post(request.POST, offences)
    version = posted_version(request)
    reason = request.POST.get(f"reason-{defendant.id}", "")
    note = request.POST.get(f"note-{defendant.id}", "")
    kept = {"reason": reason, "decision_note": note}
    if action == "overwrite":
        try:
            version = int(request.POST.get("current_version", ""))
        except ValueError:
            version = 0
    time_now = _local_time(now())
    try:
        if action in ("save", "overwrite"):
            _save_draft(hearing, defendant, draft, version, actor)
            panel = _panel(hearing, defendant, actor, status_text=f"Saved {time_now}", **kept)
            return _answer(request, hearing, actor, panel, done=f"Draft results for {defendant.name} saved")
        if action == "share":
            resulting = _save_draft(hearing, defendant, draft, version, actor)
            services.results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version,
                                   actor=actor)
            panel = _panel(hearing, defendant, actor, status_text=f"Shared {time_now}")
            return _answer(request, hearing, actor, panel, done=f"Results for {defendant.name} shared")
        if action == "amend":
            resulting = _save_draft(hearing, defendant, draft, version, actor)
            services.amendment_request(hearing=hearing, defendant=defendant, reason=reason,
                                       expected_version=resulting.version, actor=actor)
            panel = _panel(hearing, defendant, actor, status_text=f"Amendment asked for {time_now}")
            return _answer(request, hearing, actor, panel,
                           done=f"Amendment of {defendant.name}'s results asked for: a colleague approves it")
        if action in ("approve", "reject"):
            amendment = _amendment_of(hearing, defendant, request.POST.get("amendment", ""))
            if action == "approve":
                services.amendment_approve(amendment=amendment, actor=actor, note=note)
                done = f"Amendment approved: {defendant.name}'s amended results shared"
            else:
                decided = services.amendment_reject(amendment=amendment, actor=actor, note=note)
                done = f"Amendment {decided.get_status_display().lower()}"
            panel = _panel(hearing, defendant, actor, status_text=f"{done} {time_now}")
            return _answer(request, hearing, actor, panel, done=done)
    except DraftRefused as refused:
        error = refused.error
        details = "; ".join(f"{e.field.replace('/', ' ')}: {e.message}" for e in error.errors)
        panel = _panel(hearing, defendant, actor, draft=draft, version=version, status_text="Not saved",
                       message=f"{error.detail}" + (f" ({details})" if details else ""), **kept)
        return _answer(request, hearing, actor, panel, status=422)
    except ValidationFailed as error:
        fields = {e.field: e.message for e in error.errors if e.field in ("reason", "note")}
        if action == "share" or error.code == "results_not_ready":
            panel = _panel(hearing, defendant, actor, refused=error.detail, status_text="Not shared", **kept,
                           errors_on=fields)
        else:
            panel = _panel(hearing, defendant, actor, message=error.detail, errors_on=fields, **kept,
                           status_text="Not done: see the message")
        return _answer(request, hearing, actor, panel, status=422)
    except Conflict as error:
        if error.code == "stale_version":
            current = services.resulting_get(hearing=hearing, defendant=defendant)
            panel = _panel(hearing, defendant, actor, draft=draft, version=version, conflict=error.detail,
                           current_version=current.version, status_text="Not saved: someone else changed these "
                           "results", **kept)
        else:
            panel = _panel(hearing, defendant, actor, message=error.detail, status_text="Not done: see the message",
                           **kept)
        return _answer(request, hearing, actor, panel, status=409)
    except PermissionDenied as error:
        panel = _panel(hearing, defendant, actor, message=error.detail, status_text="Not done: see the message",
                       **kept)
        return _answer(request, hearing, actor, panel, status=403)
    except NotFound as error:
        raise Http404(error.detail) from error
    panel = _panel(hearing, defendant, actor, message="Choose what to do with these results",
                   status_text="Not done")
    return _answer(request, hearing, actor, panel, status=400)


def _amendment_of(hearing: Hearing, defendant: Defendant, amendment_id: str) -> ResultAmendment:
    resulting = services.resulting_get(hearing=hearing, defendant=defendant)
    found = next((a for a in _read_amendments(resulting) if str(a.id) == amendment_id), None)
    if found is None:
        raise NotFound("No such amendment of these results")
    return found


# --- Warrants and the custody time limit worklist ------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def warrant_page(request: HttpRequest, warrant_id) -> HttpResponse:
    actor = staff_actor_of(request)
    try:
        warrant = custody.warrant_get(warrant_id=warrant_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    particulars = warrant.particulars or {}
    hearing = _hearing_or_404(actor, warrant.hearing_id)
    days = list(hearing.hearing_days.all())
    next_hearing = particulars.get("next_hearing") or {}
    born = (particulars.get("defendant") or {}).get("date_of_birth") or ""
    return render(request, "web/court/warrant.html", {
        "warrant": warrant,
        "particulars": particulars,
        "hearing": hearing,
        "court": str(days[0].sitting.court_room) if days else hearing.court_centre.name,
        "centre": hearing.court_centre,
        # Every result the warrant covers (one warrant per kind per hearing); older ones name one.
        "results": [
            {"result": r.get("result", ""), "offence": r.get("offence", ""),
             "prompts": [(_clean_label(k), v) for k, v in (r.get("prompts") or {}).items()]}
            for r in (particulars.get("results") or [particulars])
        ],
        "date_of_birth": govuk_date(dt.date.fromisoformat(born)) if born else "",
        "next_date": govuk_date(dt.date.fromisoformat(next_hearing["date"])) if next_hearing.get("date") else "",
        "next_court": next_hearing.get("court", ""),
    })


@never_cache
@login_required
@require_http_methods(["GET"])
def ctl_worklist(request: HttpRequest) -> HttpResponse:
    from courts.web.views.worklists import centre_scope

    # The actor's court centres' limits (every centre's for national staff).
    scope = centre_scope(staff_actor_of(request))
    form = forms.FormState(request.GET.dict(), order=["court_centre"])
    centre = None
    if form.text("court_centre"):
        centre = reference.court_centre_get(ou_code=form.text("court_centre"))
        if centre is None or (scope is not None and centre.pk not in scope):
            centre = None
            form.add("court_centre", "Select a court centre from the list")
    rows = custody.ctl_worklist(court_centre_id=centre.id if centre else None, court_centre_ids=scope)
    return render(request, "web/court/ctl_worklist.html", {
        "form": form,
        "rows": rows,
        "centre": centre,
        "today": court_today(),
        "within_days": custody.WORKLIST_DAYS,
        "court_centres": [(c.ou_code, f"{c.name} ({c.ou_code})") for c in reference.court_centre_list()
                          if scope is None or c.pk in scope],
    }, status=422 if form.has_errors else 200)
