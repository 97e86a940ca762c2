import uuid

from django.db.models import QuerySet

from courts.audit.models import Event


def event_list_for_case(*, case_id: uuid.UUID) -> QuerySet[Event]:
    """The case timeline, oldest first."""
    return Event.objects.filter(case_id=case_id).order_by("id")
