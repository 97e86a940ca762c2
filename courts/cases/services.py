"""Writes to the case record. Every function here runs in one transaction with its event row."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from courts.accounts.models import Organisation
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.enums import CaseStatus, DefendantKind, IntakeChannel, OffenceStatus
from courts.cases.events import CaseCreated, DefendantsAdded
from courts.cases.intake import (
    CaseIntake,
    DefendantIntake,
    OffenceIntake,
    validate_case,
    validate_defendant,
    validate_offence,
)
from courts.cases.models import (
    Defendant,
    IntakeRejection,
    IntakeRequest,
    Offence,
    ProsecutionCase,
    ReportingRestriction,
)
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import (
    ApplicationError,
    Conflict,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from courts.handlers import dispatch
from courts.reference import selectors as reference


@dataclass(frozen=True)
class IntakeOutcome:
    case: ProsecutionCase
    created: bool
    defendants_added: int
    # True when an Idempotency-Key retry returned the case its first request made.
    replayed: bool = False


def request_digest(body: Any) -> str:
    data = body if isinstance(body, bytes) else json.dumps(body, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()


def case_intake(
    *,
    intake: CaseIntake,
    prosecutor: Organisation,
    actor: Actor,
    channel: IntakeChannel,
    idempotency_key: str | None = None,
    digest: str = "",
    add_to_existing: bool = False,
    keep_rejection: bool = True,
) -> IntakeOutcome:
    """Create a prosecution case from any channel.

    A retry with the same Idempotency-Key returns the first request's case. A URN the prosecutor already
    has is a conflict, unless `add_to_existing` (police SPI), when the message's new defendants join it.
    A refused submission from a prosecutor's system is kept for its people to fix
    (`intake_rejection_record`; `keep_rejection=False` when the caller keeps it, as SPI intake does with
    the XML line numbers); the case that arrives later with that URN closes it.
    """
    try:
        return _case_intake(intake=intake, prosecutor=prosecutor, actor=actor, channel=channel,
                            idempotency_key=idempotency_key, digest=digest, add_to_existing=add_to_existing)
    except ApplicationError as error:
        if keep_rejection and channel in REJECTIONS_KEPT_FOR and not isinstance(error, PermissionDenied):
            intake_rejection_record(prosecutor=prosecutor, actor=actor, channel=channel, urn=intake.urn,
                                    error=error)
        raise


def _case_intake(
    *,
    intake: CaseIntake,
    prosecutor: Organisation,
    actor: Actor,
    channel: IntakeChannel,
    idempotency_key: str | None = None,
    digest: str = "",
    add_to_existing: bool = False,
) -> IntakeOutcome:
    if not (actor.is_court_staff or actor.organisation_id == prosecutor.pk):
        raise PermissionDenied("A case is created by its prosecutor or by court staff on its behalf")
    if idempotency_key:
        replay = _idempotent_replay(prosecutor, idempotency_key, digest)
        if replay:
            return replay
    errors = ErrorCollector()
    validate_case(intake, errors)
    errors.raise_if_any(f"Case {intake.urn or '(no URN)'} was not created: fix the fields listed")
    try:
        with transaction.atomic():
            existing = (
                ProsecutionCase.objects.select_for_update()
                .filter(prosecutor=prosecutor, urn__iexact=intake.urn)
                .first()
            )
            if existing and not add_to_existing:
                raise Conflict(
                    f"{prosecutor.name} already has a case with URN {intake.urn}",
                    code="duplicate_urn",
                )
            if existing:
                added = _add_new_defendants(existing, intake.defendants, actor)
                outcome = IntakeOutcome(existing, created=False, defendants_added=added)
            else:
                case = _create_case(intake, prosecutor, actor, channel)
                outcome = IntakeOutcome(case, created=True, defendants_added=len(intake.defendants))
            if idempotency_key:
                IntakeRequest.objects.create(
                    prosecutor=prosecutor, key=idempotency_key, request_digest=digest, case=outcome.case,
                    created_at=now(),
                )
            _intake_rejections_resolve(prosecutor, outcome.case, actor)
            return outcome
    except IntegrityError as error:
        # A concurrent request with the same key or URN won the race: answer as the loser should.
        if idempotency_key and (replay := _idempotent_replay(prosecutor, idempotency_key, digest)):
            return replay
        raise Conflict(f"{prosecutor.name} already has a case with URN {intake.urn}", code="duplicate_urn") from error


def _idempotent_replay(prosecutor: Organisation, key: str, digest: str) -> IntakeOutcome | None:
    previous = IntakeRequest.objects.select_related("case").filter(prosecutor=prosecutor, key=key).first()
    if previous is None:
        return None
    if previous.request_digest != digest:
        raise Conflict(
            "This Idempotency-Key was already used for a different request; use a new key for a new case",
            code="idempotency_key_reused",
        )
    return IntakeOutcome(previous.case, created=False, defendants_added=0, replayed=True)


# --- Rejected submissions: the prosecution portal's "intake errors to fix" ------------------------

# The channels of a prosecutor's systems. Court staff on the case page see their errors on the form.
REJECTIONS_KEPT_FOR = (IntakeChannel.API, IntakeChannel.SPI)
REJECTION_ERRORS_KEPT = 200


def intake_rejection_record(*, prosecutor: Organisation, actor: Actor, channel: IntakeChannel, urn: str,
                            error: ApplicationError) -> IntakeRejection:
    """Keep a refused submission's URN and errors (not the submission) for the prosecutor's people, with
    its event. Runs in its own transaction: the refusal changed nothing else."""
    errors = [{"field": e.field[:300], "message": e.message[:500], "code": e.code[:40]}
              for e in error.errors[:REJECTION_ERRORS_KEPT]]
    urn = (urn or "").strip()[:20]
    with transaction.atomic():
        rejection = IntakeRejection.objects.create(
            prosecutor=prosecutor, channel=channel, urn=urn, detail=error.detail[:300], errors=errors,
            submitted_by=actor.label[:200], submitted_at=now())
        event_record(
            type=EventType.CASE_INTAKE_REJECTED, actor=actor,
            summary=f"Case {urn or '(no URN)'} from {prosecutor.name} rejected ({channel.label}): "
                    f"{len(error.errors) or 1} error(s)",
            payload={"rejection": rejection.id, "prosecutor": prosecutor.name, "urn": urn, "channel": channel,
                     "code": error.code, "errors": len(error.errors)})
    return rejection


def _intake_rejections_resolve(prosecutor: Organisation, case: ProsecutionCase, actor: Actor) -> int:
    """The case with a rejected submission's URN has arrived: those rejections are dealt with."""
    return IntakeRejection.objects.filter(prosecutor=prosecutor, urn__iexact=case.urn, resolved_at__isnull=True
                                          ).update(resolved_case=case, resolved_at=now(),
                                                   resolved_by=actor.label[:200])


@transaction.atomic
def intake_rejection_close(*, rejection: IntakeRejection, actor: Actor) -> IntakeRejection:
    """A person of the prosecutor marks a rejected submission as dealt with (fixed and sent again under
    another URN, or not to be sent)."""
    if actor.organisation_id is None or actor.organisation_id != rejection.prosecutor_id:
        raise PermissionDenied("Only the prosecutor that sent it can mark a rejected case as dealt with")
    rejection = IntakeRejection.objects.select_for_update().get(pk=rejection.pk)
    if rejection.resolved_at is not None:
        return rejection
    rejection.resolved_at = now()
    rejection.resolved_by = actor.label[:200]
    rejection.save(update_fields=["resolved_at", "resolved_by"])
    event_record(
        type=EventType.CASE_INTAKE_REJECTION_CLOSED, actor=actor,
        summary=f"Rejected case {rejection.urn or '(no URN)'} marked as dealt with",
        payload={"rejection": rejection.id, "urn": rejection.urn})
    return rejection


def _create_case(intake: CaseIntake, prosecutor: Organisation, actor: Actor, channel: IntakeChannel) -> ProsecutionCase:
    moment = now()
    court_centre = reference.court_centre_get(ou_code=intake.court_centre_ou_code)
    case = ProsecutionCase.objects.create(
        urn=intake.urn,
        prosecutor=prosecutor,
        prosecuting_authority_code=intake.prosecuting_authority_code or prosecutor.prosecuting_authority_code,
        originating_organisation=intake.originating_organisation,
        cps_organisation=intake.cps_organisation,
        informant=intake.informant,
        initiation_type=intake.initiation_type,
        summons_code=intake.summons_code,
        case_markers=intake.case_markers,
        anticipated_plea=intake.anticipated_plea,
        reporting_restrictions=intake.reporting_restrictions,
        channel=channel,
        requested_court_centre=court_centre,
        requested_hearing_date=intake.hearing_date,
        requested_hearing_time=intake.hearing_time,
        created_at=moment,
        updated_at=moment,
    )
    defendants = _insert_defendants(case, intake.defendants, first_sequence=1)
    event_record(
        type=EventType.CASE_CREATED,
        actor=actor,
        case_id=case.id,
        summary=f"Case {case.urn} created ({channel.label}) with {len(defendants)} defendant(s)",
        payload={
            "urn": case.urn,
            "prosecutor": prosecutor.name,
            "channel": channel,
            "initiation_type": case.initiation_type,
            "court_centre": court_centre.ou_code,
            "hearing_date": case.requested_hearing_date,
            "defendants": [_defendant_summary(d, intake_d) for d, intake_d in zip(defendants, intake.defendants, strict=True)],
            "anticipated_plea": case.anticipated_plea,
            "reporting_restrictions": case.reporting_restrictions,
        },
    )
    dispatch(CaseCreated(case=case, defendants=defendants, actor=actor))
    return case


def _defendant_summary(defendant: Defendant, intake: DefendantIntake) -> dict[str, Any]:
    return {
        "id": defendant.id,
        "name": defendant.name,
        "asn": defendant.asn,
        "offences": [o.cjs_code for o in intake.offences],
    }


def _insert_defendants(case: ProsecutionCase, intakes: list[DefendantIntake], *, first_sequence: int) -> list[Defendant]:
    definitions = reference.offence_map(cjs_codes={o.cjs_code for d in intakes for o in d.offences})
    defendants = [
        Defendant(
            case=case,
            sequence=first_sequence + i,
            kind=d.kind,
            title=d.title.strip(),
            first_name=d.first_name.strip(),
            middle_name=d.middle_name.strip(),
            last_name=d.last_name.strip(),
            date_of_birth=d.date_of_birth,
            gender=d.gender,
            organisation_name=d.organisation_name.strip(),
            address_lines=[line.strip() for line in d.address_lines if line and line.strip()],
            postcode=d.postcode.strip().upper(),
            asn=d.asn,
            pnc_id=d.pnc_id,
            cro_number=d.cro_number,
            prosecutor_reference=d.prosecutor_reference,
            bail_status=d.bail_status,
            bail_conditions=d.bail_conditions.strip(),
            custody_reasons=d.custody_reasons.strip(),
        )
        for i, d in enumerate(intakes)
    ]
    Defendant.objects.bulk_create(defendants)
    offences = [
        _offence_row(defendant, j + 1, o, definitions[o.cjs_code])
        for defendant, d in zip(defendants, intakes, strict=True)
        for j, o in enumerate(d.offences)
    ]
    Offence.objects.bulk_create(offences)
    return defendants


def _offence_row(defendant: Defendant, sequence: int, o: OffenceIntake, definition) -> Offence:
    return Offence(
        defendant=defendant,
        sequence=sequence,
        definition=definition,
        cjs_code=definition.cjs_code,
        title=definition.title,
        mode_of_trial=definition.mode_of_trial,
        wording=o.wording.strip(),
        start_date=o.start_date,
        end_date=o.end_date,
        charge_date=o.charge_date,
        laid_date=o.laid_date,
        date_code=o.date_code,
        location=o.location.strip(),
    )


def _same_defendant(existing: Defendant, new: DefendantIntake) -> bool:
    if existing.asn and new.asn:
        return existing.asn == new.asn
    if new.kind == DefendantKind.ORGANISATION:
        return existing.organisation_name.strip().upper() == new.organisation_name.strip().upper()
    return (
        existing.last_name.upper() == new.last_name.strip().upper()
        and existing.first_name.upper() == new.first_name.strip().upper()
        and existing.date_of_birth == new.date_of_birth
    )


def _add_new_defendants(case: ProsecutionCase, intakes: list[DefendantIntake], actor: Actor) -> int:
    existing = list(case.defendants.all())
    new = [d for d in intakes if not any(_same_defendant(e, d) for e in existing)]
    if not new:
        return 0
    first_sequence = max((e.sequence for e in existing), default=0) + 1
    added = _insert_defendants(case, new, first_sequence=first_sequence)
    _bump_version(case, expected_version=None)
    for defendant, intake_d in zip(added, new, strict=True):
        event_record(
            type=EventType.DEFENDANT_ADDED,
            actor=actor,
            case_id=case.id,
            summary=f"Defendant {defendant.name} added to case {case.urn}",
            payload=_defendant_summary(defendant, intake_d),
        )
    dispatch(DefendantsAdded(case=case, defendants=added, actor=actor))
    return len(added)


def _require_court_staff(actor: Actor) -> None:
    # Amendments to the record are the court's; a prosecutor changes its case by a new submission.
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can amend a case")


def _bump_version(case: ProsecutionCase, *, expected_version: int | None) -> None:
    """Optimistic concurrency: the write succeeds only if nobody changed the case since it was read."""
    rows = ProsecutionCase.objects.filter(pk=case.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1, updated_at=now()) != 1:
        raise Conflict(
            f"Case {case.urn} was changed by someone else since you opened it. Reload it and make your change again.",
            code="stale_version",
        )
    case.refresh_from_db(fields=["version", "updated_at"])


DEFENDANT_DETAIL_FIELDS = (
    "title", "first_name", "middle_name", "last_name", "date_of_birth", "gender", "organisation_name",
    "address_lines", "postcode", "asn", "pnc_id", "cro_number", "bail_status", "bail_conditions",
)


@transaction.atomic
def defendant_update(*, defendant: Defendant, actor: Actor, expected_version: int, details: DefendantIntake) -> Defendant:
    """Amend a defendant's details (names, date of birth, address, identifiers, bail at charge)."""
    _require_court_staff(actor)
    errors = ErrorCollector()
    validate_defendant(details, errors, with_offences=False)
    errors.raise_if_any("The defendant's details were not changed: fix the fields listed")
    case = defendant.case
    _bump_version(case, expected_version=expected_version)
    before = {f: getattr(defendant, f) for f in DEFENDANT_DETAIL_FIELDS}
    for f in DEFENDANT_DETAIL_FIELDS:
        value = getattr(details, f)
        setattr(defendant, f, value.strip() if isinstance(value, str) else value)
    defendant.postcode = defendant.postcode.upper()
    changes = {f: {"from": before[f], "to": getattr(defendant, f)} for f in DEFENDANT_DETAIL_FIELDS
               if before[f] != getattr(defendant, f)}
    if not changes:
        raise ValidationFailed("Nothing was changed", code="no_change")
    defendant.version = F("version") + 1
    defendant.save()
    defendant.refresh_from_db()
    event_record(
        type=EventType.DEFENDANT_UPDATED,
        actor=actor,
        case_id=case.id,
        summary=f"{defendant.name}: {', '.join(f.replace('_', ' ') for f in changes)} amended",
        payload={"defendant_id": defendant.id, "changes": changes},
    )
    return defendant


@transaction.atomic
def offence_add(*, defendant: Defendant, actor: Actor, expected_version: int, offence: OffenceIntake) -> Offence:
    _require_court_staff(actor)
    errors = ErrorCollector()
    validate_offence(offence, errors)
    errors.raise_if_any("The offence was not added: fix the fields listed")
    case = defendant.case
    _bump_version(case, expected_version=expected_version)
    definition = reference.offence_map(cjs_codes={offence.cjs_code})[offence.cjs_code]
    sequence = (defendant.offences.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    row = _offence_row(defendant, sequence, offence, definition)
    row.save()
    event_record(
        type=EventType.OFFENCE_ADDED,
        actor=actor,
        case_id=case.id,
        summary=f"{defendant.name}: offence {sequence} {row.cjs_code} added",
        payload={"defendant_id": defendant.id, "offence_id": row.id, "cjs_code": row.cjs_code, "wording": row.wording},
    )
    return row


@transaction.atomic
def offence_withdraw(*, offence: Offence, actor: Actor, expected_version: int, reason: str) -> Offence:
    _require_court_staff(actor)
    if not reason.strip():
        raise ValidationFailed("Give the reason the offence is withdrawn",
                               errors=[FieldError("reason", "Give the reason the offence is withdrawn", "required")])
    if len(reason.strip()) > 300:
        raise ValidationFailed("The reason is too long",
                               errors=[FieldError("reason", "Must be 300 characters or fewer", "too_long")])
    if offence.status == OffenceStatus.WITHDRAWN:
        raise Conflict(f"Offence {offence.sequence} is already withdrawn", code="already_withdrawn")
    case = offence.defendant.case
    _bump_version(case, expected_version=expected_version)
    offence.status = OffenceStatus.WITHDRAWN
    offence.withdrawn_reason = reason.strip()
    offence.save(update_fields=["status", "withdrawn_reason"])
    event_record(
        type=EventType.OFFENCE_WITHDRAWN,
        actor=actor,
        case_id=case.id,
        summary=f"{offence.defendant.name}: offence {offence.sequence} {offence.cjs_code} withdrawn",
        payload={"offence_id": offence.id, "reason": offence.withdrawn_reason},
    )
    return offence


@transaction.atomic
def offence_wording_correct(*, offence: Offence, actor: Actor, expected_version: int, wording: str) -> Offence:
    _require_court_staff(actor)
    wording = wording.strip()
    if not wording:
        raise ValidationFailed("Enter the offence wording",
                               errors=[FieldError("wording", "Enter the offence wording", "required")])
    if len(wording) > 4000:
        raise ValidationFailed("The wording is too long",
                               errors=[FieldError("wording", "Must be 4000 characters or fewer", "too_long")])
    if wording == offence.wording:
        raise ValidationFailed("The wording is unchanged",
                               errors=[FieldError("wording", "The wording is unchanged", "no_change")])
    case = offence.defendant.case
    _bump_version(case, expected_version=expected_version)
    before = offence.wording
    offence.wording = wording
    offence.save(update_fields=["wording"])
    event_record(
        type=EventType.OFFENCE_WORDING_CORRECTED,
        actor=actor,
        case_id=case.id,
        summary=f"{offence.defendant.name}: wording of offence {offence.sequence} corrected",
        payload={"offence_id": offence.id, "from": before, "to": wording},
    )
    return offence


@dataclass
class OffenceOutcome:
    """An offence's outcome as every current shared result leaves it (amendments included): the
    hearings app works it out, the case records it verbatim."""

    offence: Offence
    plea: str = ""
    plea_date: dt.date | None = None
    indicated_plea: str = ""
    allocation_decision: str = ""
    allocation_date: dt.date | None = None
    sent_to_crown_date: dt.date | None = None
    verdict: str = ""
    verdict_date: dt.date | None = None
    conviction_date: dt.date | None = None
    acquittal_date: dt.date | None = None
    disposal: str = ""
    disposed_on: dt.date | None = None


# Allocation decisions that send an offence to the Crown Court (Crime and Disorder Act 1998 s.51).
SENDING_DECISIONS = ("SENT_CROWN", "ELECTED_CROWN")
OUTCOME_FIELDS = ("plea", "plea_date", "indicated_plea", "allocation_decision", "allocation_date",
                  "sent_to_crown_date", "verdict", "verdict_date", "conviction_date", "acquittal_date", "disposal",
                  "disposed_on")


def offence_outcomes_record(*, defendant: Defendant, outcomes: list[OffenceOutcome], actor: Actor) -> None:
    """Record pleas, allocation, verdicts, conviction and disposal on the offences, then the
    defendant's and the case's status. Called by sharing, inside its transaction (the share's event
    records it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("offence_outcomes_record runs inside the share's transaction")
    _require_court_staff(actor)
    for outcome in outcomes:
        for name in OUTCOME_FIELDS:
            setattr(outcome.offence, name, getattr(outcome, name))
        outcome.offence.disposal = outcome.offence.disposal[:300]
        outcome.offence.save(update_fields=list(OUTCOME_FIELDS))
    offences = list(Offence.objects.filter(defendant=defendant))
    concluded = bool(offences) and all(o.disposed_on or o.status == OffenceStatus.WITHDRAWN for o in offences)
    if concluded != defendant.proceedings_concluded:
        Defendant.objects.filter(pk=defendant.pk).update(proceedings_concluded=concluded)
        defendant.proceedings_concluded = concluded
    case = defendant.case
    every = not Defendant.objects.filter(case=case, proceedings_concluded=False).exists()
    status = CaseStatus.CONCLUDED if every else CaseStatus.ACTIVE
    if case.status in (CaseStatus.ACTIVE, CaseStatus.CONCLUDED) and case.status != status:
        ProsecutionCase.objects.filter(pk=case.pk).update(status=status, updated_at=now())
        case.status = status


# --- Reporting restrictions ---------------------------------------------------------------------


def _require_court_staff_of_case(actor: Actor, case: ProsecutionCase, doing: str) -> None:
    # The court that hears the case makes and lifts its orders (CrimPR Part 6): its own court staff
    # record them, not the judiciary's read-only accounts nor another court.
    from courts.cases.selectors import case_court_centre_ids

    if actor.is_court_staff and any(actor.works_at(c) for c in case_court_centre_ids(case_id=case.id)):
        return
    raise PermissionDenied(f"Only court staff of the court hearing case {case.urn} can {doing}")


@transaction.atomic
def reporting_restriction_impose(*, case: ProsecutionCase, actor: Actor, expected_version: int | None, basis: str,
                                 defendant: Defendant | None = None, offence: Offence | None = None,
                                 details: str = "") -> ReportingRestriction:
    """Record a reporting restriction on the case, one defendant, or one offence. What it withholds
    from people who do not need it follows from where it is recorded (`courts.cases.restrictions`)."""
    from courts.cases.enums import RestrictionTarget
    from courts.cases.restrictions import BASES

    _require_court_staff_of_case(actor, case, "record a reporting restriction")
    errors: list[FieldError] = []
    chosen = BASES.get(basis)
    if offence is not None and defendant is None:
        defendant = offence.defendant
    if (defendant is not None and defendant.case_id != case.id) or (
            offence is not None and offence.defendant_id != defendant.id):
        errors.append(FieldError("target", "Choose a defendant or offence of this case"))
    target = (RestrictionTarget.OFFENCE if offence is not None else
              RestrictionTarget.DEFENDANT if defendant is not None else RestrictionTarget.CASE)
    if chosen is None:
        errors.append(FieldError("basis", "Choose the restriction the court made", "required"))
    elif target not in chosen.targets:
        where = " or ".join(t.label.lower() for t in chosen.targets)
        errors.append(FieldError("target", f"{chosen.label} ({chosen.act}) is recorded on {where}"))
    details = details.strip()
    if len(details) > 500:
        errors.append(FieldError("details", "Must be 500 characters or fewer", "too_long"))
    if errors:
        raise ValidationFailed("The reporting restriction was not recorded: fix the fields listed", errors=errors)
    duplicate = ReportingRestriction.objects.filter(case=case, defendant=defendant, offence=offence, basis=basis,
                                                    lifted_at__isnull=True)
    if duplicate.exists():
        raise Conflict(f"{chosen.label} is already recorded there", code="already_restricted")
    _bump_version(case, expected_version=expected_version)
    row = ReportingRestriction.objects.create(
        case=case, defendant=defendant, offence=offence, kind=chosen.kind, basis=basis, details=details,
        imposed_at=now(), imposed_by=actor.label,
    )
    on = (f"offence {offence.sequence} of defendant {defendant.sequence}" if offence is not None else
          f"defendant {defendant.sequence}" if defendant is not None else "the case")
    event_record(
        type=EventType.REPORTING_RESTRICTION_IMPOSED,
        actor=actor,
        case_id=case.id,
        # Sequence numbers, not names: the summary is about the restriction, not whom it protects.
        summary=f"{chosen.label} ({chosen.act}) recorded on {on}",
        payload={"restriction_id": row.id, "basis": basis, "kind": chosen.kind, "act": chosen.act,
                 "defendant_id": defendant.id if defendant else None, "offence_id": offence.id if offence else None,
                 "details": details},
    )
    return row


@transaction.atomic
def reporting_restriction_lift(*, restriction: ReportingRestriction, actor: Actor, expected_version: int | None,
                               reason: str) -> ReportingRestriction:
    """Lift a restriction (the court discharged or varied the order, or the complainant waived it in
    writing, SO(A)A 1992 s.5): the row stays, with who lifted it, when and why."""
    from courts.cases.restrictions import BASES

    case = restriction.case
    _require_court_staff_of_case(actor, case, "lift a reporting restriction")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Give the reason the restriction is lifted",
                               errors=[FieldError("reason", "Give the reason the restriction is lifted", "required")])
    if len(reason) > 500:
        raise ValidationFailed("The reason is too long",
                               errors=[FieldError("reason", "Must be 500 characters or fewer", "too_long")])
    if restriction.lifted_at is not None:
        raise Conflict("This reporting restriction is already lifted", code="already_lifted")
    _bump_version(case, expected_version=expected_version)
    restriction.lifted_at = now()
    restriction.lifted_by = actor.label
    restriction.lift_reason = reason
    restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    basis = BASES.get(restriction.basis)
    event_record(
        type=EventType.REPORTING_RESTRICTION_LIFTED,
        actor=actor,
        case_id=case.id,
        summary=f"{basis.label if basis else restriction.basis} lifted: {reason}",
        payload={"restriction_id": restriction.id, "basis": restriction.basis, "reason": reason},
    )
    return restriction
