"""The distribution API's JSON: partners as an administrator configures them, and deliveries with their
state (pending, retrying with the next attempt and last error, delivered with when and the receiver's
answer, dead).

A partner's secret is write-only: it is taken on creation and rotation and never returned."""

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from courts.distribution.enums import AuthKind, DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.services import PartnerSpec

Version = Field(ge=1, description="The version you read; a stale one is refused with 409 stale_version")


def _choices(enum) -> str:
    return "One of " + ", ".join(enum.values)


class PartnerIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(description=_choices(PartnerKind))
    format: str = Field(description=_choices(MessageFormat))
    url: str = Field(max_length=500, description="HTTPS (plain HTTP only to this machine)")
    authKind: str = Field(default=AuthKind.HMAC_SHA256, description=_choices(AuthKind))
    keyId: str = Field(default="", max_length=100, description="The key id the receiver knows the secret by")
    secret: str = Field(default="", max_length=500, description="Write-only: the signing secret or bearer token, "
                                                                "at least 16 characters; never returned")
    courtCentres: list[str] = Field(default_factory=list, description="OU codes; empty: every court centre")
    prisonNames: list[str] = Field(default_factory=list, description="Prisons: the prisons it receives for; "
                                                                     "empty: every prison")
    maxAttempts: int = Field(default=12, description="Attempts before a message is dead (1-50)")
    deadlineMinutes: int = Field(default=60, description="Minutes after which an undelivered message is overdue")
    timeoutSeconds: int = Field(default=10, description="How long the worker waits for the receiver")
    isActive: bool = True
    contactEmail: str = Field(default="", max_length=254, description="Prisons: the custody establishment's mailbox")

    def spec(self) -> PartnerSpec:
        return PartnerSpec(
            name=self.name, kind=self.kind, format=self.format, url=self.url, auth_kind=self.authKind,
            key_id=self.keyId, secret=self.secret, court_centres=self.courtCentres, prison_names=self.prisonNames,
            max_attempts=self.maxAttempts, deadline_minutes=self.deadlineMinutes, timeout_seconds=self.timeoutSeconds,
            is_active=self.isActive, contact_email=self.contactEmail)


class PartnerUpdateIn(PartnerIn):
    """Every field, as for creation. keyId and secret are taken only when the partner has no secret yet
    or changes how it authenticates; otherwise rotate the key (`POST /partners/{id}/key`)."""

    expectedVersion: int = Version


class KeyRotateIn(Schema):
    keyId: str = Field(max_length=100, description="The new key id")
    secret: str = Field(max_length=500, description="Write-only: the new secret, at least 16 characters")
    expectedVersion: int = Version


class DeliveryCounts(Schema):
    PENDING: int = 0
    RETRYING: int = 0
    DELIVERED: int = 0
    DEAD: int = 0


class PartnerOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    format: str
    url: str
    authKind: str
    keyId: str
    previousKeyId: str = Field(description="While a key is rotated: the previous key, which still signs")
    hasSecret: bool
    courtCentres: list[str]
    prisonNames: list[str]
    maxAttempts: int
    deadlineMinutes: int
    timeoutSeconds: int
    isActive: bool
    contactEmail: str
    organisation: str | None = Field(description="A client's subscription: the organisation that owns it")
    eventTypes: list[str]
    deleted: bool
    version: int
    createdAt: dt.datetime
    updatedAt: dt.datetime | None
    deliveries: DeliveryCounts | None = None

    @classmethod
    def of(cls, partner: Partner, counts: dict[str, int] | None = None) -> "PartnerOut":
        return cls(
            id=partner.id, name=partner.name, kind=partner.kind, format=partner.format, url=partner.url,
            authKind=partner.auth_kind, keyId=partner.key_id, previousKeyId=partner.previous_key_id,
            hasSecret=bool(partner.secret_encrypted), courtCentres=partner.court_centres,
            prisonNames=partner.prison_names, maxAttempts=partner.max_attempts,
            deadlineMinutes=partner.deadline_minutes, timeoutSeconds=partner.timeout_seconds,
            isActive=partner.is_active, contactEmail=partner.contact_email,
            organisation=partner.organisation.name if partner.organisation_id else None,
            eventTypes=partner.event_types, deleted=partner.deleted_at is not None, version=partner.version,
            createdAt=partner.created_at, updatedAt=partner.updated_at,
            deliveries=DeliveryCounts(**counts) if counts is not None else None)


class PartnerRef(Schema):
    id: uuid.UUID
    name: str
    kind: str


class DeliveryOut(Schema):
    id: uuid.UUID = Field(description="Also the idempotency key the receiver sees")
    partner: PartnerRef
    state: str = Field(description=_choices(DeliveryState))
    overdue: bool = Field(description="Not delivered by its deadline (or dead)")
    caseId: uuid.UUID | None
    hearingId: uuid.UUID | None
    defendantId: uuid.UUID | None
    contentType: str
    urgent: bool
    attempts: int
    maxAttempts: int
    createdAt: dt.datetime
    deadline: dt.datetime
    nextAttemptAt: dt.datetime | None = Field(description="Pending or retrying: when the next attempt is due")
    lastError: str
    deliveredAt: dt.datetime | None
    responseStatus: int | None = Field(description="The receiver's last HTTP status")
    responseBody: str = Field(description="The receiver's last answer (first 2,000 characters)")

    @classmethod
    def of(cls, delivery: Delivery, *, at: dt.datetime) -> "DeliveryOut":
        waiting = delivery.state in (DeliveryState.PENDING, DeliveryState.RETRYING)
        return cls(
            id=delivery.id, partner=PartnerRef(id=delivery.partner.id, name=delivery.partner.name,
                                               kind=delivery.partner.kind),
            state=delivery.state, overdue=delivery.state == DeliveryState.DEAD or (waiting and delivery.deadline < at),
            caseId=delivery.case_id, hearingId=delivery.hearing_id, defendantId=delivery.defendant_id,
            contentType=delivery.content_type, urgent=delivery.urgent, attempts=delivery.attempts,
            maxAttempts=delivery.partner.max_attempts, createdAt=delivery.created_at, deadline=delivery.deadline,
            nextAttemptAt=delivery.next_attempt_at if waiting else None, lastError=delivery.last_error,
            deliveredAt=delivery.delivered_at, responseStatus=delivery.response_status,
            responseBody=delivery.response_body)
