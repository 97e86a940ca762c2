"""The transactional outbox: partners, and each message owed to one of them until it is acknowledged."""

import uuid

from django.db import models

from courts.audit.models import Event
from courts.distribution.enums import AuthKind, DeliveryState, MessageFormat, PartnerKind


class Partner(models.Model):
    """A receiving system, configured by an administrator: where, how it authenticates, what it takes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=PartnerKind.choices)
    format = models.CharField(max_length=24, choices=MessageFormat.choices)
    url = models.URLField(max_length=500)
    auth_kind = models.CharField(max_length=12, choices=AuthKind.choices, default=AuthKind.HMAC_SHA256)
    key_id = models.CharField(max_length=100, blank=True)
    # The signing secret or bearer token, encrypted at rest (`distribution.secrets`); it must be
    # recoverable to sign, so it cannot be hashed.
    secret_encrypted = models.TextField(blank=True)
    # While a secret is rotated, messages are also signed with the previous one.
    previous_key_id = models.CharField(max_length=100, blank=True)
    previous_secret_encrypted = models.TextField(blank=True)
    # Empty: every court centre. Otherwise the OU codes whose hearings this partner takes.
    court_centres = models.JSONField(default=list, blank=True)
    # For prisons: the prison names this endpoint receives for (as results name them).
    prison_names = models.JSONField(default=list, blank=True)
    max_attempts = models.PositiveSmallIntegerField(default=12)
    deadline_minutes = models.PositiveIntegerField(default=60)
    timeout_seconds = models.PositiveSmallIntegerField(default=10)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    # A subscription (`distribution.subscriptions`): the organisation whose API client owns it, and the
    # contract's event types it takes. Empty for a partner an administrator configured.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="subscriptions")
    event_types = models.JSONField(default=list, blank=True)
    # A mailbox for the partner; for a prison, the custody establishment's (notifications name it).
    contact_email = models.EmailField(max_length=254, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    # A subscription its client deleted: kept (its deliveries refer to it), inactive and out of sight.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One message owed to one partner. Its id is the idempotency key the receiver sees."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    hearing_id = models.UUIDField(null=True, blank=True, db_index=True)
    defendant_id = models.UUIDField(null=True, blank=True)
    content_type = models.CharField(max_length=60)
    # The message as rendered when the change was made: what the court shared, not what it says later.
    body = models.TextField()
    urgent = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker's claim: another worker may take the delivery over once it lapses (a killed worker).
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
            # The workers' claim walks this in its own order and stops at a batch, however many messages
            # wait for a partner that is down (bench/load.py: 20,000 retrying made every claim 140 ms).
            models.Index(fields=["-urgent", "next_attempt_at"], name="delivery_claim_idx",
                         condition=models.Q(state__in=["PENDING", "RETRYING"])),
            models.Index(fields=["partner", "state"], name="delivery_partner_state_idx"),
        ]


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    worker = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
