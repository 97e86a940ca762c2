"""The court staff's worklists on the home page, and the list of result amendments waiting for a
second person. Each worklist is scoped to the actor's court centres (every centre for national staff)
by its selector: this module only asks and renders."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.enums import StaffRoleKind
from courts.common.actor import Actor
from courts.custody import selectors as custody
from courts.distribution import selectors as distribution
from courts.hearings import selectors as hearings
from courts.listing import selectors as listing
from courts.web.views.common import staff_actor_of

# How many rows of each worklist the home page shows; the full worklist is a link away.
HOME_ROWS = 5


def centre_scope(actor: Actor) -> frozenset[uuid.UUID] | None:
    """The court centres whose work the actor sees: None for every centre (national staff)."""
    return None if actor.national else actor.court_centre_ids


def administered_centre_ids(actor: Actor) -> set[uuid.UUID]:
    """The court centres where the actor is a court administrator."""
    return {centre for centre, role in actor.roles if role == StaffRoleKind.COURT_ADMINISTRATOR}


@dataclass
class StaffWorklists:
    unallocated_count: int
    unallocated_by_centre: list[dict]
    unallocated: list[Any]
    ctl_count: int
    ctl: list[custody.CtlWorklistRow]
    undelivered_count: int
    undelivered: list[Any]
    amendments_count: int
    amendments: list[Any]
    administers_roles: bool = False
    rows: int = HOME_ROWS
    centres: list[str] = field(default_factory=list)


def staff_worklists(actor: Actor) -> StaffWorklists:
    """Each worklist's count and first rows, for the home page: a fixed number of queries."""
    from courts.web.views.listing import hearing_view

    scope = centre_scope(actor)
    by_centre = listing.unallocated_counts(court_centre_ids=scope)
    return StaffWorklists(
        unallocated_count=sum(row["count"] for row in by_centre),
        unallocated_by_centre=by_centre,
        unallocated=[hearing_view(h) for h in listing.unallocated_worklist(court_centre_ids=scope, limit=HOME_ROWS)],
        ctl_count=custody.ctl_worklist_count(court_centre_ids=scope),
        ctl=custody.ctl_worklist(court_centre_ids=scope, limit=HOME_ROWS),
        undelivered_count=distribution.undelivered_count(court_centre_ids=scope),
        undelivered=distribution.undelivered_worklist(court_centre_ids=scope, limit=HOME_ROWS),
        amendments_count=hearings.amendments_awaiting_approval_count(
            court_centre_ids=scope, approver_user_id=actor.user_id),
        amendments=hearings.amendments_awaiting_approval(
            court_centre_ids=scope, approver_user_id=actor.user_id, limit=HOME_ROWS),
        administers_roles=bool(administered_centre_ids(actor)),
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def amendments_page(request: HttpRequest) -> HttpResponse:
    """Amendments of shared results at the actor's court centres waiting for a second person: those the
    actor may approve (each links to the defendant's panel on the resulting page, where it is approved
    or rejected), and the actor's own, which a colleague approves."""
    actor = staff_actor_of(request)
    scope = centre_scope(actor)
    return render(request, "web/court/amendments.html", {
        "awaiting": hearings.amendments_awaiting_approval(court_centre_ids=scope, approver_user_id=actor.user_id),
        "mine": (hearings.amendments_asked_for_by(user_id=actor.user_id, court_centre_ids=scope)
                 if actor.user_id is not None else []),
    })
