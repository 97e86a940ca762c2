import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.actor import Actor
from courts.common.clock import now


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    # Dates, UUIDs and decimals become their ISO/str forms, exactly as the API shows them.
    import json

    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def event_record(
    *,
    type: EventType,
    actor: Actor,
    summary: str,
    payload: dict[str, Any] | None = None,
    case_id: uuid.UUID | None = None,
    payload_version: int = 1,
) -> Event:
    """Append one event. Must run inside the transaction of the change it records, so that the change
    and its event are written together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must be called inside the transaction of the change it records")
    return Event.objects.create(
        type=type,
        payload_version=payload_version,
        occurred_at=now(),
        actor_label=actor.label[:200],
        actor_user_id=actor.user_id,
        actor_organisation_id=actor.organisation_id,
        case_id=case_id,
        summary=summary[:300],
        payload=_jsonable(payload or {}),
    )
