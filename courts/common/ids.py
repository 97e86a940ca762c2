"""Looking up an entity by the UUID a caller gave: a malformed id is simply "not found"."""

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet

from courts.common.errors import NotFound

M = TypeVar("M", bound=Model)


def get_by_uuid_or_not_found(queryset: QuerySet[M], value: object, what: str) -> M:
    try:
        pk = uuid.UUID(str(value))
    except ValueError as error:
        raise NotFound(f"No such {what}") from error
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No such {what}")
    return found
