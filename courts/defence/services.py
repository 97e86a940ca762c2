"""Writes for the defence: association (throttled, revealing nothing on a wrong guess), disassociation,
transfer by court staff, advocates' grants, and checking in to a hearing."""

import datetime as dt

from django.db import IntegrityError, transaction

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import Organisation, User
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.models import Defendant
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
)
from courts.defence.models import AdvocateGrant, AssociationAttempt, Representation
from courts.listing.models import Hearing, HearingDefendant

# Unsuccessful association attempts allowed per hour, per person and per firm (a firm has many people).
FAILED_ATTEMPTS_PER_USER = 5
FAILED_ATTEMPTS_PER_ORGANISATION = 20
THROTTLE_WINDOW = dt.timedelta(hours=1)

# One message whether the URN exists or not, whichever detail was wrong.
NO_MATCH = "No defendant matches these details. Check the URN, surname and date of birth"
THROTTLED = "Too many unsuccessful attempts. Wait an hour before trying again"


def _defence_organisation(actor: Actor) -> Organisation:
    organisation = (Organisation.objects.filter(pk=actor.organisation_id).first()
                    if actor.organisation_id is not None else None)
    if organisation is None or organisation.kind != OrganisationKind.DEFENCE:
        raise PermissionDenied("Only a defence organisation can do this")
    return organisation


def _throttled(organisation: Organisation, actor: Actor) -> bool:
    since = now() - THROTTLE_WINDOW
    recent = AssociationAttempt.objects.filter(attempted_at__gte=since)
    if actor.user_id is not None and (
            recent.filter(user_id=actor.user_id).count() >= FAILED_ATTEMPTS_PER_USER):
        return True
    return recent.filter(organisation=organisation).count() >= FAILED_ATTEMPTS_PER_ORGANISATION


def representation_associate(*, urn: str, surname: str, date_of_birth: dt.date | None,
                             actor: Actor) -> Representation:
    """Put the actor's defence firm on record for the defendant named by URN, surname and date of birth.

    A wrong guess is answered with one message (`NO_MATCH`) whether the URN exists or not, and counts
    towards the throttle; when throttled, even a right guess is refused. Another firm on record is a
    conflict naming the hand-over. Associating again to a defendant already represented by the firm
    returns its representation."""
    organisation = _defence_organisation(actor)
    errors = ErrorCollector()
    urn = urn.strip().replace(" ", "").upper()
    surname = surname.strip()
    if not urn:
        errors.add("urn", "Enter the URN")
    elif len(urn) > 20:
        errors.add("urn", "The URN must be 20 characters or fewer")
    if not surname:
        errors.add("surname", "Enter the defendant's surname")
    elif len(surname) > 100:
        errors.add("surname", "The surname must be 100 characters or fewer")
    if date_of_birth is None:
        errors.add("date_of_birth", "Enter the defendant's date of birth")
    errors.raise_if_any("The association has invalid fields")

    if _throttled(organisation, actor):
        raise TooManyRequests(THROTTLED)
    defendant = (Defendant.objects.select_related("case")
                 .filter(case__urn__iexact=urn, last_name__iexact=surname, date_of_birth=date_of_birth)
                 .order_by("-case__created_at", "sequence").first())
    if defendant is None:
        # Committed before refusing: the attempt counts even though the request fails.
        with transaction.atomic():
            AssociationAttempt.objects.create(organisation=organisation, user_id=actor.user_id, attempted_at=now())
            event_record(type=EventType.DEFENCE_ASSOCIATION_FAILED, actor=actor,
                         summary=f"{organisation.name}: association refused, no defendant matched",
                         payload={"organisation_id": str(organisation.public_id)})
        raise ValidationFailed(NO_MATCH, code="no_match")
    try:
        with transaction.atomic():
            current = (Representation.objects.select_for_update().select_related("organisation")
                       .filter(defendant=defendant, ended_at__isnull=True).first())
            if current is not None:
                if current.organisation_id == organisation.pk:
                    return current
                raise Conflict(
                    f"{current.organisation.name} is on record for this defendant. {current.organisation.name} "
                    "must disassociate first, or ask the court to transfer the representation to you",
                    code="already_represented")
            representation = Representation.objects.create(
                defendant=defendant, case=defendant.case, organisation=organisation, started_at=now(),
                started_by=actor.label[:200])
            event_record(type=EventType.DEFENCE_ASSOCIATED, actor=actor, case_id=defendant.case_id,
                         summary=f"{organisation.name} on record for {defendant.name}",
                         payload={"defendant_id": defendant.id, "organisation_id": str(organisation.public_id),
                                  "organisation": organisation.name, "representation_id": representation.id})
            return representation
    except IntegrityError as error:  # another request put a firm on record at the same moment
        raise Conflict("Another firm was put on record for this defendant at the same moment",
                       code="already_represented") from error


def _end(representation: Representation, *, actor: Actor, reason: str) -> None:
    moment = now()
    representation.ended_at = moment
    representation.ended_by = actor.label[:200]
    representation.end_reason = reason[:300]
    representation.save(update_fields=["ended_at", "ended_by", "end_reason"])
    AdvocateGrant.objects.filter(representation=representation, revoked_at__isnull=True).update(
        revoked_at=moment, revoked_by=actor.label[:200])


@transaction.atomic
def representation_end(*, representation: Representation, actor: Actor, reason: str = "") -> Representation:
    """Disassociate: the firm (or court staff) takes the firm off record. Its access, and every
    advocate's it granted, ends with the next request."""
    representation = Representation.objects.select_for_update().select_related("organisation", "defendant").get(
        pk=representation.pk)
    if not (actor.is_court_staff or actor.organisation_id == representation.organisation_id):
        raise PermissionDenied("Only the firm on record or court staff can end a representation")
    if representation.ended_at is not None:
        raise Conflict("This firm is no longer on record for the defendant", code="not_current")
    _end(representation, actor=actor, reason=reason or "Disassociated")
    event_record(type=EventType.DEFENCE_DISASSOCIATED, actor=actor, case_id=representation.case_id,
                 summary=f"{representation.organisation.name} no longer on record for {representation.defendant.name}",
                 payload={"defendant_id": representation.defendant_id, "representation_id": representation.id,
                          "organisation": representation.organisation.name, "reason": reason})
    return representation


@transaction.atomic
def representation_transfer(*, defendant: Defendant, to_organisation: Organisation, actor: Actor,
                            reason: str) -> Representation:
    """Court staff hand a defendant's representation to another firm: the firm on record (if any) is
    taken off, with its advocates' grants, and the new firm put on, in one change."""
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can transfer a representation")
    if to_organisation.kind != OrganisationKind.DEFENCE:
        raise ValidationFailed("Representation can only pass to a defence organisation")
    if not reason.strip():
        raise ValidationFailed("Give the reason for the transfer",
                               errors=[FieldError("reason", "Give the reason for the transfer")])
    current = (Representation.objects.select_for_update().select_related("organisation")
               .filter(defendant=defendant, ended_at__isnull=True).first())
    if current is not None and current.organisation_id == to_organisation.pk:
        raise Conflict(f"{to_organisation.name} is already on record", code="already_represented")
    if current is not None:
        _end(current, actor=actor, reason=f"Transferred to {to_organisation.name}: {reason.strip()}")
    representation = Representation.objects.create(
        defendant=defendant, case=defendant.case, organisation=to_organisation, started_at=now(),
        started_by=actor.label[:200])
    event_record(type=EventType.DEFENCE_TRANSFERRED, actor=actor, case_id=defendant.case_id,
                 summary=(f"Representation of {defendant.name} transferred "
                          f"{'from ' + current.organisation.name + ' ' if current else ''}to {to_organisation.name}"),
                 payload={"defendant_id": defendant.id, "from": current.organisation.name if current else None,
                          "to": to_organisation.name, "reason": reason.strip(),
                          "representation_id": representation.id})
    return representation


@transaction.atomic
def advocate_grant(*, representation: Representation, advocate: User, actor: Actor,
                   hearing: Hearing | None = None) -> AdvocateGrant:
    """The firm on record lets an advocate of another defence organisation see the case, or act at one
    of the defendant's hearings."""
    if actor.organisation_id != representation.organisation_id:
        raise PermissionDenied("Only the firm on record can give an advocate access")
    representation = Representation.objects.select_related("organisation", "defendant").get(pk=representation.pk)
    if representation.ended_at is not None:
        raise Conflict("This firm is no longer on record for the defendant", code="not_current")
    advocate_org = advocate.organisation
    if advocate_org is None or advocate_org.kind != OrganisationKind.DEFENCE or not advocate.is_active:
        raise ValidationFailed("The advocate must be an active user of a defence organisation",
                               errors=[FieldError("advocate", "Choose an advocate of a defence organisation")])
    if advocate_org.pk == representation.organisation_id:
        raise ValidationFailed("People of the firm on record already have access",
                               errors=[FieldError("advocate", "This person is already in the firm on record")])
    if hearing is not None and not HearingDefendant.objects.filter(
            hearing=hearing, defendant=representation.defendant).exists():
        raise ValidationFailed("The defendant is not in that hearing",
                               errors=[FieldError("hearing", "Choose one of the defendant's hearings")])
    grant = AdvocateGrant.objects.create(representation=representation, advocate=advocate, hearing=hearing,
                                         granted_at=now(), granted_by=actor.label[:200])
    scope = "the case" if hearing is None else "one hearing"
    event_record(type=EventType.ADVOCATE_ACCESS_GRANTED, actor=actor, case_id=representation.case_id,
                 summary=f"{advocate.get_full_name() or advocate.username} ({advocate_org.name}) given access to "
                         f"{scope} for {representation.defendant.name}",
                 payload={"grant_id": grant.id, "advocate_user_id": str(advocate.public_id),
                          "advocate_organisation": advocate_org.name,
                          "hearing_id": hearing.id if hearing else None,
                          "representation_id": representation.id})
    return grant


@transaction.atomic
def advocate_grant_revoke(*, grant: AdvocateGrant, actor: Actor) -> AdvocateGrant:
    grant = AdvocateGrant.objects.select_for_update().select_related(
        "representation__defendant", "advocate").get(pk=grant.pk)
    if not (actor.is_court_staff or actor.organisation_id == grant.representation.organisation_id):
        raise PermissionDenied("Only the firm on record can revoke an advocate's access")
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = now()
    grant.revoked_by = actor.label[:200]
    grant.save(update_fields=["revoked_at", "revoked_by"])
    event_record(type=EventType.ADVOCATE_ACCESS_REVOKED, actor=actor, case_id=grant.representation.case_id,
                 summary=f"Access of {grant.advocate.get_full_name() or grant.advocate.username} revoked",
                 payload={"grant_id": grant.id, "representation_id": grant.representation_id})
    return grant


@transaction.atomic
def advocate_grants_revoke_for_leaver(*, advocate: User, actor: Actor) -> int:
    """A person who has left their organisation keeps no advocate's access: every current grant they
    hold is revoked, each recorded on its case. Called by `organisation_user_deactivate` (their
    organisation administrator, who has checked that they may), in the same transaction; only for a
    person already marked as left. Returns how many grants were revoked."""
    if advocate.is_active:
        raise ValidationFailed("Only the grants of a person who has left are revoked this way")
    if not (actor.is_system or (actor.organisation_id is not None
                                and actor.organisation_id == advocate.organisation_id)):
        raise PermissionDenied("Only their own organisation can end a leaver's access")
    grants = list(AdvocateGrant.objects.select_for_update().select_related("representation__defendant")
                  .filter(advocate=advocate, revoked_at__isnull=True).order_by("granted_at"))
    moment = now()
    name = advocate.get_full_name() or advocate.username
    for grant in grants:
        grant.revoked_at = moment
        grant.revoked_by = actor.label[:200]
        grant.save(update_fields=["revoked_at", "revoked_by"])
        event_record(type=EventType.ADVOCATE_ACCESS_REVOKED, actor=actor, case_id=grant.representation.case_id,
                     summary=f"Access of {name} revoked: they left their organisation",
                     payload={"grant_id": grant.id, "representation_id": grant.representation_id,
                              "reason": "left_organisation"})
    return len(grants)


def defence_check_in(*, hearing: Hearing, defendant: Defendant, advocate_name: str, actor: Actor):
    """An advocate for the defence checks in to a hearing: the attendance record the court and the Legal
    Aid Agency rely on, recorded through the hearings service. Allowed to the firm on record and to an
    advocate it granted this hearing (or the case)."""
    from courts.defence.selectors import may_act_at_hearing
    from courts.hearings.services import advocate_check_in

    representation = (Representation.objects.select_related("organisation")
                      .filter(defendant=defendant, ended_at__isnull=True).first())
    if representation is None or not may_act_at_hearing(actor=actor, representation=representation,
                                                        hearing=hearing):
        raise PermissionDenied("You are not on record for this defendant at this hearing")
    organisation = (Organisation.objects.filter(pk=actor.organisation_id).first()
                    if actor.organisation_id is not None else None)
    return advocate_check_in(hearing=hearing, role="DEFENCE", name=advocate_name, actor=actor,
                             organisation_name=organisation.name if organisation else "",
                             defendants=[defendant], for_defence=True)
