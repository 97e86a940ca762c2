"""Reads of the hearings tables for worklists. (The resulting page's own reads are still in
`courts.web.views.court`; they move here in time.)"""

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from courts.hearings.enums import AmendmentStatus
from courts.hearings.models import ResultAmendment


def _pending_amendments(*, court_centre_ids: Iterable[uuid.UUID] | None,
                        approver_user_id: int | None) -> QuerySet[ResultAmendment]:
    rows = ResultAmendment.objects.filter(status=AmendmentStatus.PENDING)
    if court_centre_ids is not None:
        rows = rows.filter(resulting__hearing__court_centre_id__in=list(court_centre_ids))
    if approver_user_id is not None:
        # The person who asked for an amendment cannot approve it (an amendment asked for by a system,
        # with no person, can be approved by anyone).
        rows = rows.exclude(requested_by_user_id=approver_user_id)
    return rows


def amendments_awaiting_approval(*, court_centre_ids: Iterable[uuid.UUID] | None = None,
                                 approver_user_id: int | None = None, limit: int | None = None
                                 ) -> list[ResultAmendment]:
    """Amendments of shared results waiting for a second person, oldest first: of hearings at
    `court_centre_ids` (None: every centre), and, with `approver_user_id`, only those that person may
    approve (not their own)."""
    rows = (_pending_amendments(court_centre_ids=court_centre_ids, approver_user_id=approver_user_id)
            .select_related("resulting__hearing__court_centre", "resulting__defendant", "resulting__case")
            .order_by("requested_at"))
    return list(rows[:limit] if limit is not None else rows)


def amendments_awaiting_approval_count(*, court_centre_ids: Iterable[uuid.UUID] | None = None,
                                       approver_user_id: int | None = None) -> int:
    return _pending_amendments(court_centre_ids=court_centre_ids, approver_user_id=approver_user_id).count()


def amendments_asked_for_by(*, user_id: int, court_centre_ids: Iterable[uuid.UUID] | None = None
                            ) -> list[ResultAmendment]:
    """A person's own amendments still waiting for a colleague's approval, oldest first."""
    return list(_pending_amendments(court_centre_ids=court_centre_ids, approver_user_id=None)
                .filter(requested_by_user_id=user_id)
                .select_related("resulting__hearing__court_centre", "resulting__defendant", "resulting__case")
                .order_by("requested_at"))
