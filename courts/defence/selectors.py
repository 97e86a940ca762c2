"""Reads for the defence: which defendants (and so which cases) a defence user may see, the cases
they are on record for, a defendant's hearings and shared results.

`represented_case_ids` and `represented_defendant_ids` are what `courts.cases.selectors` uses to let
the defence in: the one access decision stays there."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from courts.cases.models import Defendant
from courts.common.actor import Actor
from courts.common.errors import NotFound
from courts.common.ids import get_by_uuid_or_not_found
from courts.defence.models import AdvocateGrant, Representation
from courts.listing.models import Hearing, HearingDefendant


def _current_representations(actor: Actor) -> QuerySet[Representation] | None:
    """The representations the actor acts under: its organisation's current ones and those whose
    firm granted it access (grant not revoked). None when the actor can act under none."""
    condition = Q()
    if actor.organisation_id is not None:
        condition |= Q(organisation_id=actor.organisation_id)
    if actor.user_id is not None:
        condition |= Q(id__in=AdvocateGrant.objects.filter(advocate_id=actor.user_id, revoked_at__isnull=True)
                       .values("representation_id"))
    if not condition:
        return None
    return Representation.objects.filter(condition, ended_at__isnull=True)


def represented_defendant_ids(*, actor: Actor) -> QuerySet | None:
    """A subquery of the defendants the actor's firm is on record for, or that it was granted."""
    representations = _current_representations(actor)
    return None if representations is None else representations.values("defendant_id")


def represented_case_ids(*, actor: Actor) -> QuerySet | None:
    representations = _current_representations(actor)
    return None if representations is None else representations.values("case_id")


def representation_list_for_actor(*, actor: Actor) -> list[Representation]:
    """'My cases': the defendants the actor acts for, with their cases, newest first."""
    representations = _current_representations(actor)
    if representations is None:
        return []
    return list(representations.select_related("defendant", "case", "organisation").order_by("-started_at"))


def representation_get_for_actor(*, actor: Actor, defendant_id: uuid.UUID | str) -> Representation:
    """The current representation of a defendant under which the actor acts, or NotFound."""
    representations = _current_representations(actor)
    if representations is None:
        raise NotFound("No such defendant")
    try:
        key = uuid.UUID(str(defendant_id))
    except ValueError as error:
        raise NotFound("No such defendant") from error
    found = representations.select_related("defendant", "case", "organisation").filter(defendant_id=key).first()
    if found is None:
        raise NotFound("No such defendant")
    return found


def representation_current(*, defendant: Defendant) -> Representation | None:
    return Representation.objects.select_related("organisation").filter(
        defendant=defendant, ended_at__isnull=True).first()


def grants_for_representation(*, representation: Representation) -> list[AdvocateGrant]:
    return list(AdvocateGrant.objects.filter(representation=representation, revoked_at__isnull=True)
                .select_related("advocate__organisation", "hearing").order_by("granted_at"))


def may_act_at_hearing(*, actor: Actor, representation: Representation, hearing: Hearing) -> bool:
    """The firm on record may act at any of its defendant's hearings; an advocate at the hearing it was
    granted (or any, with a grant for the whole case)."""
    if actor.organisation_id is not None and actor.organisation_id == representation.organisation_id:
        return True
    if actor.user_id is None:
        return False
    return AdvocateGrant.objects.filter(
        Q(hearing__isnull=True) | Q(hearing=hearing),
        representation=representation, advocate_id=actor.user_id, revoked_at__isnull=True,
    ).exists()


@dataclass(frozen=True)
class DefendantHearing:
    hearing: Hearing
    dates: list[dt.date]
    court_centre: str
    can_check_in: bool


def hearings_for_defendant(*, actor: Actor, representation: Representation) -> list[DefendantHearing]:
    """The defendant's hearings, soonest first, each with whether the actor may check in to it."""
    links = (HearingDefendant.objects.filter(defendant=representation.defendant)
             .select_related("hearing__hearing_type", "hearing__court_centre")
             .prefetch_related("hearing__hearing_days"))
    rows = []
    for link in links:
        hearing = link.hearing
        dates = sorted(d.date for d in hearing.hearing_days.all())
        rows.append(DefendantHearing(hearing=hearing, dates=dates, court_centre=hearing.court_centre.name,
                                     can_check_in=may_act_at_hearing(actor=actor, representation=representation,
                                                                     hearing=hearing)))
    return sorted(rows, key=lambda r: (r.dates[0] if r.dates else dt.date.max, str(r.hearing.id)))


def hearing_of_defendant(*, representation: Representation, hearing_id: uuid.UUID | str) -> Hearing:
    hearings = Hearing.objects.filter(hearing_defendants__defendant=representation.defendant).distinct()
    return get_by_uuid_or_not_found(hearings, hearing_id, "hearing")


def shared_results_for_defendant(*, defendant: Defendant) -> list:
    """The defendant's current shared results (the court record), by hearing then in order. Drafts are
    never shown outside the court."""
    from courts.hearings.models import JudicialResult

    return list(JudicialResult.objects.filter(defendant=defendant, is_current=True)
                .select_related("offence", "hearing__hearing_type")
                .order_by("ordered_on", "hearing_id", "rank"))


def check_ins_for_defendant(*, defendant: Defendant) -> list:
    from courts.hearings.models import AdvocateAppearance

    return list(AdvocateAppearance.objects.filter(defendants=defendant, role="DEFENCE").order_by("-checked_in_at"))
