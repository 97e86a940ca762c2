import uuid

from django.db.models import QuerySet

from courts.audit.models import Event


def event_list_for_case(*, case_id: uuid.UUID, newest_first: bool = False, limit: int | None = None) -> QuerySet[Event]:
    """The case timeline, oldest first unless asked otherwise."""
    events = Event.objects.filter(case_id=case_id).order_by("-id" if newest_first else "id")
    return events[:limit] if limit else events
