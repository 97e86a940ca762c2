"""In-court writes: attendance, the court log, advocates, draft results, sharing and amendments.

Sharing is the heart of it: in one transaction it writes the court record and every consequence
(remand status, warrants, next hearings, offence outcomes, custody time limits, case status)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.models import Defendant, Offence
from courts.cases.services import SENDING_DECISIONS, OffenceOutcome, offence_outcomes_record
from courts.common.actor import Actor
from courts.common.clock import court_today, now
from courts.common.errors import Conflict, ErrorCollector, NotFound, PermissionDenied, ValidationFailed
from courts.custody.services import custody_after_share
from courts.distribution.services import outbox_append
from courts.hearings.enums import AmendmentStatus, AttendanceStatus, CourtLogKind, DecisionKind
from courts.hearings.models import (
    AdvocateAppearance,
    Attendance,
    CourtLogEntry,
    DefendantResulting,
    JudicialResult,
    OffenceDecision,
    ResultAmendment,
)
from courts.hearings.notepad import vocabulary
from courts.hearings.resulting import DefendantWork, Lookups, defendant_work
from courts.listing.enums import HearingStatus
from courts.listing.models import Hearing, HearingDefendant, Sitting
from courts.listing.services import hearing_mark_heard, hearing_vacate, next_hearing_list

MAX_NOTEPAD = 2000
MAX_ANSWER = 1000


def _require_court_staff(actor: Actor, court_centre_id) -> None:
    """Court staff of the hearing's court (or national) record what happens in it."""
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can record what happens in court")
    if not actor.works_at(court_centre_id):
        raise PermissionDenied("Only the court staff of this hearing's court can record what happens in it")


def _case_ids(hearing: Hearing) -> list:
    return list(HearingDefendant.objects.filter(hearing=hearing).values_list("case_id", flat=True).distinct())


def hearing_date_for(hearing: Hearing) -> dt.date:
    """The day being resulted: today if the hearing sits today, else its first day (results entered
    after the event are ordered on the day of the hearing)."""
    days = sorted(d.date for d in hearing.hearing_days.all())
    today = court_today()
    if today in days or not days:
        return today
    past = [d for d in days if d <= today]
    return past[-1] if past else days[0]


def _defendant_in_hearing(hearing: Hearing, defendant: Defendant) -> None:
    if not HearingDefendant.objects.filter(hearing=hearing, defendant=defendant).exists():
        raise NotFound(f"{defendant.name} is not a defendant in this hearing")


# --- Attendance, court log, advocates ----------------------------------------------------------


@transaction.atomic
def attendance_record(*, hearing: Hearing, defendant: Defendant, date: dt.date, status: str,
                      actor: Actor) -> Attendance:
    _require_court_staff(actor, hearing.court_centre_id)
    _defendant_in_hearing(hearing, defendant)
    if status not in AttendanceStatus.values:
        raise ValidationFailed("Choose how the defendant attended", errors=[])
    attendance, _ = Attendance.objects.update_or_create(
        hearing=hearing, defendant=defendant, date=date,
        defaults={"status": status, "recorded_by": actor.label, "recorded_at": now()},
    )
    event_record(type=EventType.ATTENDANCE_RECORDED, actor=actor, case_id=defendant.case_id,
                 summary=f"{defendant.name}: {AttendanceStatus(status).label.lower()} on {date:%-d %B %Y}",
                 payload={"hearing_id": hearing.id, "defendant_id": defendant.id, "date": date, "status": status})
    return attendance


def _sitting_of(hearing: Hearing, sitting: Sitting) -> None:
    if not hearing.hearing_days.filter(sitting=sitting).exists():
        raise NotFound("This hearing is not listed in this sitting")


@transaction.atomic
def court_log_add(*, sitting: Sitting, kind: str, actor: Actor, hearing: Hearing | None = None,
                  occurred_at: dt.datetime | None = None, note: str = "") -> CourtLogEntry:
    _require_court_staff(actor, sitting.court_centre_id)
    if kind not in CourtLogKind.values:
        raise ValidationFailed("Choose what happened", errors=[])
    if hearing is not None:
        _sitting_of(hearing, sitting)
    entry = CourtLogEntry.objects.create(sitting=sitting, hearing=hearing, kind=kind, occurred_at=occurred_at or now(),
                                         note=note.strip()[:500], recorded_by=actor.label, recorded_at=now())
    for case_id in (_case_ids(hearing) if hearing else [None]):
        event_record(type=EventType.COURT_LOG_ADDED, actor=actor, case_id=case_id,
                     summary=f"{CourtLogKind(kind).label} in {sitting.court_room}",
                     payload={"entry_id": entry.id, "sitting_id": sitting.id, "hearing_id": hearing and hearing.id,
                              "kind": kind, "occurred_at": entry.occurred_at, "note": entry.note})
    return entry


@transaction.atomic
def court_log_correct(*, entry: CourtLogEntry, actor: Actor, reason: str, occurred_at: dt.datetime | None = None,
                      kind: str | None = None, note: str | None = None) -> CourtLogEntry:
    """A correction is a new entry naming the one it corrects; the original stays, no longer current."""
    _require_court_staff(actor, entry.sitting.court_centre_id)
    if not reason.strip():
        raise ValidationFailed("Give the reason for the correction", errors=[])
    locked = CourtLogEntry.objects.select_for_update().get(pk=entry.pk)
    if not locked.is_current:
        raise Conflict("This entry has already been corrected: correct the current entry", code="stale_version")
    kind = kind or locked.kind
    if kind not in CourtLogKind.values:
        raise ValidationFailed("Choose what happened", errors=[])
    locked.is_current = False
    locked.save(update_fields=["is_current"])
    corrected = CourtLogEntry.objects.create(
        sitting_id=locked.sitting_id, hearing_id=locked.hearing_id, kind=kind,
        occurred_at=occurred_at or locked.occurred_at, note=(locked.note if note is None else note.strip())[:500],
        corrects=locked, correction_reason=reason.strip()[:300], recorded_by=actor.label, recorded_at=now(),
    )
    hearing = locked.hearing
    for case_id in (_case_ids(hearing) if hearing else [None]):
        event_record(type=EventType.COURT_LOG_CORRECTED, actor=actor, case_id=case_id,
                     summary=f"Court log corrected: {reason.strip()[:200]}",
                     payload={"entry_id": corrected.id, "corrects": locked.id, "reason": reason.strip(),
                              "was": {"kind": locked.kind, "occurred_at": locked.occurred_at, "note": locked.note},
                              "now": {"kind": kind, "occurred_at": corrected.occurred_at, "note": corrected.note}})
    return corrected


@transaction.atomic
def advocate_check_in(*, hearing: Hearing, role: str, name: str, actor: Actor, organisation_name: str = "",
                      defendants: list[Defendant] | None = None, date: dt.date | None = None,
                      for_defence: bool = False) -> AdvocateAppearance:
    """Record an advocate at a hearing. Court staff record anyone; `for_defence` is the defence's own
    check-in (`courts.defence.services.defence_check_in`, which has checked that the actor is on record
    for the defendants): for the defence only."""
    if for_defence:
        if role != "DEFENCE":
            raise PermissionDenied("The defence checks in for the defence only")
    else:
        _require_court_staff(actor, hearing.court_centre_id)
    errors = ErrorCollector()
    if not name.strip():
        errors.add("name", "Enter the advocate's name")
    if role not in ("PROSECUTION", "DEFENCE"):
        errors.add("role", "Choose prosecution or defence")
    if role == "DEFENCE" and not defendants:
        errors.add("defendants", "Choose the defendants the advocate represents")
    if errors.errors:
        raise ValidationFailed("The advocate's details are incomplete", errors=errors.errors)
    for d in defendants or []:
        _defendant_in_hearing(hearing, d)
    appearance = AdvocateAppearance.objects.create(
        hearing=hearing, date=date or hearing_date_for(hearing), role=role, name=name.strip()[:200],
        organisation_name=organisation_name.strip()[:200], checked_in_at=now(), recorded_by=actor.label)
    if defendants:
        appearance.defendants.set(defendants)
    for case_id in _case_ids(hearing):
        event_record(type=EventType.ADVOCATE_CHECKED_IN, actor=actor, case_id=case_id,
                     summary=f"{name.strip()} checked in for the {role.lower()}",
                     payload={"hearing_id": hearing.id, "role": role, "name": name.strip(),
                              "organisation": organisation_name, "defendants": [d.id for d in defendants or []]})
    return appearance


# --- Draft results -----------------------------------------------------------------------------


def resulting_get(*, hearing: Hearing, defendant: Defendant) -> DefendantResulting:
    """The defendant's resulting at the hearing; an unsaved empty one (version 1) until the first
    save, so that opening a page writes nothing."""
    _defendant_in_hearing(hearing, defendant)
    found = DefendantResulting.objects.filter(hearing=hearing, defendant=defendant).first()
    return found or DefendantResulting(hearing=hearing, defendant=defendant, case_id=defendant.case_id, draft={})


def _resulting_for_write(*, hearing: Hearing, defendant: Defendant) -> DefendantResulting:
    _defendant_in_hearing(hearing, defendant)
    resulting, _ = DefendantResulting.objects.get_or_create(
        hearing=hearing, defendant=defendant, defaults={"case_id": defendant.case_id, "draft": {}})
    return resulting


def _offences(defendant: Defendant) -> list[Offence]:
    return list(Offence.objects.filter(defendant=defendant).select_related("definition").order_by("sequence"))


def _previously_in_custody(resulting: DefendantResulting) -> bool:
    from courts.custody.selectors import previously_remanded_in_custody

    return previously_remanded_in_custody(defendant=resulting.defendant, before_hearing=resulting.hearing)


def resulting_work(resulting: DefendantResulting, *, draft: dict[str, Any] | None = None,
                   lookups: Lookups | None = None) -> DefendantWork:
    hearing = resulting.hearing
    days = list(hearing.hearing_days.select_related("sitting__court_centre"))
    centre = days[0].sitting.court_centre if days else hearing.court_centre
    return defendant_work(hearing=hearing, hearing_date=hearing_date_for(hearing), defendant=resulting.defendant,
                          draft=resulting.draft if draft is None else draft, vocabulary=vocabulary(),
                          offences=_offences(resulting.defendant), court_centre=centre,
                          previously_in_custody=_previously_in_custody(resulting), lookups=lookups)


DECISION_FIELDS = tuple(k.lower() for k in DecisionKind.values)


def draft_clean(draft: Any, offences: list[Offence]) -> dict[str, Any]:
    """The draft as we store it, or every shape error at once (nothing is saved)."""
    errors = ErrorCollector()
    if not isinstance(draft, dict):
        raise ValidationFailed("The draft must be an object", errors=[])
    known = {str(o.id): o for o in offences}
    clean: dict[str, Any] = {"offences": {}, "defendant": {}}

    def strings(value: Any, path: str, limit: int) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.add(path, "Must be text")
            return ""
        if len(value) > limit:
            errors.add(path, f"Must be {limit} characters or fewer")
        return value[:limit]

    def answers(value: Any, path: str) -> dict[str, str]:
        if value in (None, {}):
            return {}
        if not isinstance(value, dict):
            errors.add(path, "Must be an object of prompt answers")
            return {}
        return {str(k)[:80]: strings(v, f"{path}/{k}", MAX_ANSWER) for k, v in value.items() if v not in (None, "")}

    offences_in = draft.get("offences") or {}
    if not isinstance(offences_in, dict):
        errors.add("offences", "Must be an object keyed by offence id")
        offences_in = {}
    for offence_id, entry in offences_in.items():
        path = f"offences/{offence_id}"
        if offence_id not in known:
            errors.add(path, "Not an offence of this defendant")
            continue
        if not isinstance(entry, dict):
            errors.add(path, "Must be an object")
            continue
        item = {"notepad": strings(entry.get("notepad"), f"{path}/notepad", MAX_NOTEPAD),
                "answers": answers(entry.get("answers"), f"{path}/answers")}
        for name in DECISION_FIELDS:
            item[name] = strings(entry.get(name), f"{path}/{name}", 24).strip().upper()
        clean["offences"][offence_id] = item
    defendant_in = draft.get("defendant") or {}
    if not isinstance(defendant_in, dict):
        errors.add("defendant", "Must be an object")
        defendant_in = {}
    clean["defendant"] = {"notepad": strings(defendant_in.get("notepad"), "defendant/notepad", MAX_NOTEPAD),
                          "answers": answers(defendant_in.get("answers"), "defendant/answers"),
                          "prison": strings(defendant_in.get("prison"), "defendant/prison", 100).strip()}
    if errors.errors:
        raise ValidationFailed("The draft results have invalid fields", errors=errors.errors)
    return clean


def _swap_version(resulting: DefendantResulting, expected_version: int, **changes: Any) -> None:
    """Compare-and-swap on the version: a second edit of the same defendant meets a conflict."""
    updated = DefendantResulting.objects.filter(pk=resulting.pk, version=expected_version).update(
        version=F("version") + 1, **changes)
    if not updated:
        current = DefendantResulting.objects.get(pk=resulting.pk)
        who = current.draft_saved_by or current.shared_by or "someone else"
        raise Conflict(f"{resulting.defendant.name}'s results were changed by {who} since you opened them. "
                       "Reload to see their changes, then make yours again.", code="stale_version")
    resulting.refresh_from_db()


@transaction.atomic
def results_draft_save(*, hearing: Hearing, defendant: Defendant, draft: Any, expected_version: int,
                       actor: Actor) -> tuple[DefendantResulting, DefendantWork]:
    """Save a defendant's draft (autosave and the Save button alike). A draft with problems is kept:
    nothing typed is lost; the problems are shown and sharing waits for them."""
    _require_court_staff(actor, hearing.court_centre_id)
    if hearing.status == HearingStatus.VACATED:
        raise Conflict("This hearing was vacated: it cannot be resulted", code="vacated")
    resulting = _resulting_for_write(hearing=hearing, defendant=defendant)
    clean = draft_clean(draft, _offences(defendant))
    _swap_version(resulting, expected_version, draft=clean, draft_saved_at=now(), draft_saved_by=actor.label,
                  has_unshared_changes=True)
    event_record(type=EventType.RESULTS_DRAFT_SAVED, actor=actor, case_id=defendant.case_id,
                 summary=f"Draft results for {defendant.name} saved",
                 payload={"hearing_id": hearing.id, "defendant_id": defendant.id, "version": resulting.version})
    return resulting, resulting_work(resulting)


# --- Sharing -----------------------------------------------------------------------------------


@dataclass
class ShareOutcome:
    resulting: DefendantResulting
    work: DefendantWork
    share_number: int
    results: list[JudicialResult]
    next_hearings: list[Hearing]


def _refuse_unless_shareable(work: DefendantWork) -> None:
    if work.errors:
        raise ValidationFailed(
            f"{work.defendant.name}'s results cannot be shared yet: {len(work.errors)} "
            f"problem{'s' if len(work.errors) != 1 else ''} to put right",
            errors=[_field_error(c) for c in work.errors], code="results_not_ready")


def _field_error(check: Any):
    from courts.common.errors import FieldError

    where = f"offences/{check.offence_id}" if check.offence_id else "defendant"
    message = f"{check.message} ({check.source})" if check.source else check.message
    return FieldError(where, message, check.code)


@transaction.atomic
def results_share(*, hearing: Hearing, defendant: Defendant, expected_version: int, actor: Actor) -> ShareOutcome:
    """Share a defendant's draft: it becomes the court record and everything downstream starts.
    Results already shared change only by an approved amendment."""
    _require_court_staff(actor, hearing.court_centre_id)
    resulting = _resulting_for_write(hearing=hearing, defendant=defendant)
    if resulting.share_count:
        raise Conflict(f"{defendant.name}'s results have been shared. To change them, ask for an amendment with "
                       "a reason; a colleague approves it.", code="already_shared")
    work = resulting_work(resulting)
    _refuse_unless_shareable(work)
    _swap_version(resulting, expected_version)
    return _apply_share(resulting, work, actor=actor, amendment=None)


def _apply_share(resulting: DefendantResulting, work: DefendantWork, *, actor: Actor,
                 amendment: ResultAmendment | None) -> ShareOutcome:
    hearing, defendant = resulting.hearing, resulting.defendant
    share_number = resulting.share_count + 1
    shared_at = now()
    ordered_on = work.hearing_date
    JudicialResult.objects.filter(resulting=resulting, is_current=True).update(is_current=False)
    OffenceDecision.objects.filter(resulting=resulting, is_current=True).update(is_current=False)
    rows = [
        JudicialResult(
            resulting=resulting, hearing=hearing, defendant=defendant, case_id=defendant.case_id,
            offence_id=r.offence_id if r.level == "O" else None, definition_id=r.definition_id, level=r.level,
            category=r.category, short_code=r.short_code, label=r.label, cjs_code=r.cjs_code, prompts=r.prompts,
            is_computed=r.is_computed, ordered_on=ordered_on, share_number=share_number, amendment=amendment,
            shared_at=shared_at, rank=int(r.definition.get("rank") or 0),
        )
        for r in work.all_results
    ]
    JudicialResult.objects.bulk_create(rows)
    decisions = [
        OffenceDecision(resulting=resulting, hearing=hearing, offence=o.offence, kind=kind, value=value,
                        decided_on=ordered_on, share_number=share_number)
        for o in work.offences for kind, value in o.decisions.items()
    ]
    OffenceDecision.objects.bulk_create(decisions)
    offence_outcomes_record(defendant=defendant, actor=actor,
                            outcomes=offence_outcomes([o.offence for o in work.offences]))
    next_hearings = _next_hearings_list(resulting, work, actor=actor)
    custody_after_share(work=work, hearing=hearing, share_number=share_number, results=rows,
                        next_hearing=next_hearings[0] if next_hearings else None, actor=actor)
    if hearing.status != HearingStatus.HEARD:
        hearing_mark_heard(hearing=hearing, actor=actor)
    DefendantResulting.objects.filter(pk=resulting.pk).update(
        share_count=share_number, shared_at=shared_at, shared_by=actor.label, has_unshared_changes=False)
    resulting.refresh_from_db()
    shared = event_record(
        type=EventType.RESULTS_SHARED, actor=actor, case_id=defendant.case_id,
        summary=(f"Results for {defendant.name} shared" if amendment is None
                 else f"Amended results for {defendant.name} shared ({amendment.reason[:150]})"),
        payload={"hearing_id": hearing.id, "defendant_id": defendant.id, "share_number": share_number,
                 "amendment_id": amendment and amendment.id, "ordered_on": ordered_on,
                 "results": [{"id": r.id, "short_code": r.short_code, "offence_id": r.offence_id,
                              "prompts": {p["label"]: p["value"] for p in r.prompts}} for r in rows],
                 "decisions": [{"offence_id": d.offence_id, "kind": d.kind, "value": d.value} for d in decisions],
                 "next_hearings": [h.id for h in next_hearings], "remand_status": work.remand_status},
    )
    # The messages partners are owed, in this same transaction (the transactional outbox).
    outbox_append(event=shared)
    return ShareOutcome(resulting, work, share_number, rows, next_hearings)


def offence_outcomes(offences: list[Offence]) -> list[OffenceOutcome]:
    """Each offence's outcome from every current shared decision and result, at every hearing: an
    amendment that removes a plea or a sentence removes it from the offence too."""
    by_offence: dict = {o.id: OffenceOutcome(offence=o) for o in offences}
    for d in OffenceDecision.objects.filter(offence__in=offences, is_current=True).order_by("decided_on", "id"):
        out = by_offence[d.offence_id]
        if d.kind == DecisionKind.PLEA:
            out.plea, out.plea_date = d.value, d.decided_on
        elif d.kind == DecisionKind.INDICATED_PLEA:
            out.indicated_plea = d.value
        elif d.kind == DecisionKind.ALLOCATION:
            out.allocation_decision, out.allocation_date = d.value, d.decided_on
            out.sent_to_crown_date = d.decided_on if d.value in SENDING_DECISIONS else None
        elif d.kind == DecisionKind.VERDICT:
            out.verdict, out.verdict_date = d.value, d.decided_on
            out.acquittal_date = d.decided_on if d.value == "NOT_GUILTY" else None
        # Convicted on the first guilty plea or verdict.
        if d.value == "GUILTY" and d.kind in (DecisionKind.PLEA, DecisionKind.VERDICT):
            out.conviction_date = min(filter(None, (out.conviction_date, d.decided_on)))
    finals: dict = {}
    for r in JudicialResult.objects.filter(offence__in=offences, is_current=True).select_related(
            "definition").order_by("ordered_on", "rank"):
        published = r.definition.definition or {}
        if r.category != "F" and not published.get("terminatesOffenceProceedings"):
            continue
        out = by_offence[r.offence_id]
        if published.get("convicted") == "Y":
            out.conviction_date = min(filter(None, (out.conviction_date, r.ordered_on)))
        # The latest hearing with a final result disposed of the offence.
        if finals.get(r.offence_id, (None,))[0] != r.ordered_on:
            finals[r.offence_id] = (r.ordered_on, [])
        finals[r.offence_id][1].append(r.label)
    for offence_id, (on, labels) in finals.items():
        by_offence[offence_id].disposal, by_offence[offence_id].disposed_on = "; ".join(labels), on
    return list(by_offence.values())


def _next_hearings_list(resulting: DefendantResulting, work: DefendantWork, *, actor: Actor) -> list[Hearing]:
    """Create the next hearings the results order. On an amendment, a next hearing ordered before and
    still ordered is kept; one no longer ordered is vacated."""
    previous = resulting.next_hearing_links if resulting.share_count else []
    kept: dict[str, str] = {}
    made: list[Hearing] = []
    for plan in work.next_hearings:
        key = f"{plan.date}|{plan.court_centre.pk}|{plan.hearing_type.pk}"
        earlier = next((p for p in previous if p["key"] == key), None)
        if earlier and (hearing := Hearing.objects.filter(pk=earlier["hearing_id"]).first()):
            kept[key] = str(hearing.id)
            made.append(hearing)
            continue
        hearing = next_hearing_list(
            defendants=[work.defendant], court_centre=plan.court_centre, hearing_type=plan.hearing_type,
            date=plan.date, actor=actor, estimate_minutes=plan.estimate_minutes,
            in_custody=work.remand_status in ("C", "L", "S"),
            note=f"Ordered at the hearing of {work.hearing_date:%-d %B %Y}"
                 + (f", at {plan.time}" if plan.time else ""))
        kept[key] = str(hearing.id)
        made.append(hearing)
    for p in previous:
        if p["key"] not in kept:
            gone = Hearing.objects.filter(pk=p["hearing_id"]).first()
            if gone and gone.status in (HearingStatus.LISTED, HearingStatus.UNALLOCATED):
                hearing_vacate(hearing=gone, reason="No longer ordered: results amended", actor=actor,
                               expected_version=None)
    links = [{"key": k, "hearing_id": v} for k, v in kept.items()]
    DefendantResulting.objects.filter(pk=resulting.pk).update(next_hearing_links=links)
    resulting.next_hearing_links = links
    return made


# --- Amendments (four eyes) --------------------------------------------------------------------


@transaction.atomic
def amendment_request(*, hearing: Hearing, defendant: Defendant, reason: str, expected_version: int,
                      actor: Actor) -> ResultAmendment:
    """Ask to replace shared results with the current draft. A second person must approve."""
    _require_court_staff(actor, hearing.court_centre_id)
    resulting = _resulting_for_write(hearing=hearing, defendant=defendant)
    if not resulting.share_count:
        raise Conflict("These results have not been shared yet: share them instead", code="not_shared")
    if not reason.strip():
        raise ValidationFailed("Give the reason for the amendment",
                               errors=[_field_error_simple("reason", "Enter the reason for the amendment")])
    if ResultAmendment.objects.filter(resulting=resulting, status=AmendmentStatus.PENDING).exists():
        raise Conflict("An amendment of these results is already waiting for approval", code="amendment_pending")
    work = resulting_work(resulting)
    _refuse_unless_shareable(work)
    _swap_version(resulting, expected_version)
    amendment = ResultAmendment.objects.create(
        resulting=resulting, reason=reason.strip()[:500], proposed=resulting.draft,
        base_share_number=resulting.share_count, requested_by=actor.label, requested_by_user_id=actor.user_id,
        requested_at=now())
    event_record(type=EventType.AMENDMENT_REQUESTED, actor=actor, case_id=defendant.case_id,
                 summary=f"Amendment of {defendant.name}'s results requested: {reason.strip()[:200]}",
                 payload={"amendment_id": amendment.id, "hearing_id": hearing.id, "defendant_id": defendant.id,
                          "reason": reason.strip(), "base_share_number": resulting.share_count})
    return amendment


def _field_error_simple(field: str, message: str):
    from courts.common.errors import FieldError

    return FieldError(field, message, "required")


def _pending(amendment: ResultAmendment) -> ResultAmendment:
    locked = ResultAmendment.objects.select_for_update().select_related(
        "resulting__hearing", "resulting__defendant").get(pk=amendment.pk)
    if locked.status != AmendmentStatus.PENDING:
        raise Conflict(f"This amendment has already been {locked.get_status_display().lower()}",
                       code="amendment_decided")
    return locked


@transaction.atomic
def amendment_approve(*, amendment: ResultAmendment, actor: Actor, note: str = "") -> ShareOutcome:
    """The second pair of eyes: someone other than the requester applies the amendment."""
    _require_court_staff(actor, amendment.resulting.hearing.court_centre_id)
    amendment = _pending(amendment)
    if actor.user_id is None or actor.user_id == amendment.requested_by_user_id:
        raise PermissionDenied("An amendment must be approved by a different person from the one who asked for it")
    resulting = amendment.resulting
    if resulting.share_count != amendment.base_share_number:
        raise Conflict("The results were shared again after this amendment was asked for: reject it and ask again",
                       code="stale_version")
    work = resulting_work(resulting, draft=amendment.proposed)
    _refuse_unless_shareable(work)
    ResultAmendment.objects.filter(pk=amendment.pk).update(
        status=AmendmentStatus.APPROVED, decided_by=actor.label, decided_by_user_id=actor.user_id,
        decided_at=now(), decision_note=note.strip()[:500])
    amendment.refresh_from_db()
    DefendantResulting.objects.filter(pk=resulting.pk).update(draft=amendment.proposed, version=F("version") + 1)
    resulting.refresh_from_db()
    event_record(type=EventType.AMENDMENT_APPROVED, actor=actor, case_id=resulting.case_id,
                 summary=f"Amendment of {resulting.defendant.name}'s results approved "
                         f"(asked for by {amendment.requested_by})",
                 payload={"amendment_id": amendment.id, "note": note.strip()})
    return _apply_share(resulting, work, actor=actor, amendment=amendment)


@transaction.atomic
def amendment_reject(*, amendment: ResultAmendment, actor: Actor, note: str) -> ResultAmendment:
    _require_court_staff(actor, amendment.resulting.hearing.court_centre_id)
    amendment = _pending(amendment)
    withdrawing = actor.user_id is not None and actor.user_id == amendment.requested_by_user_id
    if not withdrawing and not note.strip():
        raise ValidationFailed("Say why the amendment is rejected",
                               errors=[_field_error_simple("note", "Enter why the amendment is rejected")])
    status = AmendmentStatus.WITHDRAWN if withdrawing else AmendmentStatus.REJECTED
    ResultAmendment.objects.filter(pk=amendment.pk).update(
        status=status, decided_by=actor.label, decided_by_user_id=actor.user_id, decided_at=now(),
        decision_note=note.strip()[:500])
    amendment.refresh_from_db()
    resulting = amendment.resulting
    event_record(type=EventType.AMENDMENT_WITHDRAWN if withdrawing else EventType.AMENDMENT_REJECTED, actor=actor,
                 case_id=resulting.case_id,
                 summary=f"Amendment of {resulting.defendant.name}'s results {status.label.lower()}",
                 payload={"amendment_id": amendment.id, "note": note.strip()})
    return amendment
