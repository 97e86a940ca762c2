"""Reads of the case record for the prosecution portal: the organisation's cases, newest first, with
each one's next hearing, and the submissions its systems sent that were refused.

Every case read goes through `case_queryset_for_actor`; the rejected submissions are the actor's own
organisation's only."""

import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from courts.cases.models import Defendant, IntakeRejection, ProsecutionCase
from courts.cases.selectors import case_queryset_for_actor
from courts.common.actor import Actor
from courts.common.ids import get_by_uuid_or_not_found

PAGE_SIZE = 25


@dataclass(frozen=True)
class CaseRow:
    case: ProsecutionCase
    defendants: list[Defendant]
    next_hearing: object | None  # a listing HearingDay, or None


def prosecutor_case_queryset(*, actor: Actor) -> QuerySet[ProsecutionCase]:
    """The cases the actor's organisation brought (of those it may see), newest first."""
    if actor.organisation_id is None:
        return ProsecutionCase.objects.none()
    return (case_queryset_for_actor(actor=actor).filter(prosecutor_id=actor.organisation_id)
            .order_by("-created_at", "-id"))


def prosecutor_case_page(*, actor: Actor, page_number: object) -> tuple[Page, list[CaseRow]]:
    """One page of the organisation's cases with their defendants and next hearing: four queries
    whatever the page size (count, cases, defendants, next hearings; two for the hearing days)."""
    from courts.listing.selectors import next_hearing_for_defendants

    cases = prosecutor_case_queryset(actor=actor).select_related("requested_court_centre").prefetch_related(
        Prefetch("defendants", queryset=Defendant.objects.order_by("sequence")))
    page = Paginator(cases, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    next_days = next_hearing_for_defendants(defendant_ids=[d.id for c in rows for d in c.defendants.all()])
    result = []
    for case in rows:
        days = [next_days[d.id] for d in case.defendants.all() if d.id in next_days]
        first = min(days, key=lambda day: (day.date, day.start_time), default=None)
        result.append(CaseRow(case=case, defendants=list(case.defendants.all()), next_hearing=first))
    return page, result


def intake_rejection_queryset(*, actor: Actor, open_only: bool = True) -> QuerySet[IntakeRejection]:
    """The actor's organisation's refused submissions, newest first (only those still to deal with,
    unless `open_only=False`)."""
    if actor.organisation_id is None:
        return IntakeRejection.objects.none()
    rows = IntakeRejection.objects.filter(prosecutor_id=actor.organisation_id)
    if open_only:
        rows = rows.filter(resolved_at__isnull=True)
    return rows.select_related("resolved_case").order_by("-submitted_at", "-id")


def intake_rejection_page(*, actor: Actor, page_number: object, open_only: bool = True) -> Page:
    return Paginator(intake_rejection_queryset(actor=actor, open_only=open_only), PAGE_SIZE).get_page(page_number)


def intake_rejection_get_for_actor(*, actor: Actor, rejection_id: uuid.UUID | str) -> IntakeRejection:
    """One of the organisation's refused submissions, or NotFound (another's is not found)."""
    return get_by_uuid_or_not_found(intake_rejection_queryset(actor=actor, open_only=False), rejection_id,
                                    "rejected case")
