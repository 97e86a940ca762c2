import uuid

from django.db.models import QuerySet

from courts.audit.event_types import EventType
from courts.audit.models import Event

# Recorded for the audit trail but not worth a line in a case's history: an adviser's draft autosaves.
NOT_IN_TIMELINE = (EventType.RESULTS_DRAFT_SAVED,)


def event_list_for_case(*, case_id: uuid.UUID, newest_first: bool = False, limit: int | None = None) -> QuerySet[Event]:
    """The case timeline, oldest first unless asked otherwise."""
    events = Event.objects.filter(case_id=case_id).exclude(type__in=NOT_IN_TIMELINE).order_by(
        "-id" if newest_first else "id")
    return events[:limit] if limit else events


def access_log_for_case(*, case_id: uuid.UUID, limit: int = 500) -> QuerySet:
    """Who outside the court staff viewed the case, newest first."""
    from courts.audit.models import AccessLogEntry

    return AccessLogEntry.objects.filter(case_id=case_id).order_by("-id")[:limit]
