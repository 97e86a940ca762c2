import uuid
from collections.abc import Iterable
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


def access_log_record(*, actor: Actor, case_ids: Iterable[uuid.UUID], what: str) -> int:
    """Log that `actor` viewed these cases through `what` (a page or API operation name). The court
    staff of a case's court are not logged (their reads are their work; the court's own audit covers
    them), nor the operator's commands; everyone else is, court staff of another court included.

    Returns how many rows were written. Written outside any change's transaction: a read is logged
    even when nothing else is written."""
    from courts.audit.models import AccessLogEntry

    if actor.is_system:
        return 0
    ids = list(dict.fromkeys(case_ids))
    if ids and actor.is_court_staff:
        from courts.cases.selectors import cases_of_actors_court

        own_court = cases_of_actors_court(actor=actor, case_ids=ids)
        ids = [case_id for case_id in ids if case_id not in own_court]
    if not ids:
        return 0
    organisation_name = ""
    if actor.organisation_id is not None:
        from django.apps import apps

        organisation = apps.get_model("accounts", "Organisation").objects.filter(pk=actor.organisation_id).first()
        organisation_name = organisation.name if organisation else ""
    moment = now()
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(occurred_at=moment, actor_label=actor.label[:200], user_id=actor.user_id,
                       organisation_id=actor.organisation_id, organisation_name=organisation_name[:200],
                       case_id=case_id, what=what[:100], ip_address=actor.ip_address or None)
        for case_id in ids
    ])
    return len(ids)
