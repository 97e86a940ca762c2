import uuid

from django.db import models


class Event(models.Model):
    """One immutable row per change: the audit trail, the case timeline and the source of partner
    messages. Rows are appended by `event_record` and never updated or deleted by the application."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # An EventType value; no `choices`, so that a new event type needs no migration of the log.
    type = models.CharField(max_length=64)
    payload_version = models.PositiveSmallIntegerField(default=1)
    occurred_at = models.DateTimeField(db_index=True)
    # Who: kept as plain values (no foreign key) so that the record outlives any account.
    actor_label = models.CharField(max_length=200)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_organisation_id = models.BigIntegerField(null=True, blank=True)
    # On which case (the timeline's key); null for events not about one case.
    case_id = models.UUIDField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    payload = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["case_id", "id"], name="audit_event_case_idx"),
            models.Index(fields=["type", "id"], name="audit_event_type_idx"),
        ]

    @property
    def type_label(self) -> str:
        from courts.audit.event_types import EventType

        try:
            return EventType(self.type).label
        except ValueError:  # a type this version does not know (written by a newer one)
            return self.type

    def __str__(self) -> str:
        return f"{self.type} {self.occurred_at:%Y-%m-%d %H:%M} by {self.actor_label}"


class AccessLogEntry(models.Model):
    """One view of a case by someone outside the court staff: who, what, when and from where.

    Appended by `access_log_record`, never updated or deleted by the application. Plain values, no
    foreign keys, so that the log outlives any account, organisation or case."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)
    user_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    case_id = models.UUIDField()
    # The page or API operation (its URL name, e.g. "web:case-detail", "api:cases_get").
    what = models.CharField(max_length=100)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case_id", "id"], name="audit_access_case_idx")]

    def __str__(self) -> str:
        return f"{self.what} {self.case_id} by {self.actor_label}"
