"""Distribution writes: partners (configured by an administrator), the deliveries a change owes
(appended in the change's own transaction), and replays of dead deliveries."""

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import Conflict, ErrorCollector, PermissionDenied
from courts.distribution.enums import AuthKind, DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.secrets import secret_encrypt


def _require_administrator(actor: Actor) -> None:
    if not actor.is_court_staff:
        raise PermissionDenied("Only court administrators can configure partners and replay deliveries")


@dataclass
class PartnerSpec:
    name: str
    kind: str
    format: str
    url: str
    auth_kind: str = AuthKind.HMAC_SHA256
    key_id: str = ""
    secret: str = ""
    court_centres: list[str] | None = None
    prison_names: list[str] | None = None
    max_attempts: int = 12
    deadline_minutes: int = 60
    timeout_seconds: int = 10
    is_active: bool = True
    contact_email: str = ""


def _validate(spec: PartnerSpec, *, creating: bool) -> ErrorCollector:
    from courts.reference.models import CourtCentre

    errors = ErrorCollector()
    if not spec.name.strip():
        errors.add("name", "Enter the partner's name")
    if spec.kind not in PartnerKind.values:
        errors.add("kind", f"Choose one of {', '.join(PartnerKind.values)}")
    if spec.format not in MessageFormat.values:
        errors.add("format", f"Choose one of {', '.join(MessageFormat.values)}")
    url = urlparse(spec.url or "")
    loopback = url.hostname in ("127.0.0.1", "localhost", "::1")
    if url.scheme not in ("https", "http") or not url.hostname:
        errors.add("url", "Enter the receiver's full URL, like https://partner.example/results")
    elif url.scheme == "http" and not loopback:
        errors.add("url", "Messages leave only over HTTPS (plain HTTP is allowed to this machine only)")
    if spec.auth_kind not in AuthKind.values:
        errors.add("auth_kind", f"Choose one of {', '.join(AuthKind.values)}")
    elif spec.auth_kind != AuthKind.NONE and creating and not spec.secret:
        errors.add("secret", "Enter the shared secret or token")
    if spec.auth_kind == AuthKind.HMAC_SHA256 and not spec.key_id.strip():
        errors.add("key_id", "Enter the key id the receiver knows the secret by")
    if spec.secret and len(spec.secret) < 16:
        errors.add("secret", "A secret must be at least 16 characters")
    wanted = {c.strip().upper() for c in spec.court_centres or []}
    unknown = sorted(wanted - set(CourtCentre.objects.filter(ou_code__in=wanted).values_list("ou_code", flat=True)))
    if unknown:
        errors.add("court_centres", f"Unknown court centre OU codes: {', '.join(unknown)}")
    if not 1 <= spec.max_attempts <= 50:
        errors.add("max_attempts", "Between 1 and 50 attempts")
    if not 1 <= spec.deadline_minutes <= 7 * 24 * 60:
        errors.add("deadline_minutes", "Between 1 minute and 7 days")
    if not 1 <= spec.timeout_seconds <= 120:
        errors.add("timeout_seconds", "Between 1 and 120 seconds")
    if spec.contact_email:
        try:
            validate_email(spec.contact_email)
        except DjangoValidationError:
            errors.add("contact_email", "Enter an email address like omu.brixton@justice.gov.uk")
    return errors


def partner_spec_errors(spec: PartnerSpec, *, creating: bool) -> ErrorCollector:
    """The configuration's field errors, without writing: for a form that found problems of its own,
    so that every problem is shown at once."""
    return _validate(spec, creating=creating)


@transaction.atomic
def partner_create(*, spec: PartnerSpec, actor: Actor) -> Partner:
    _require_administrator(actor)
    errors = _validate(spec, creating=True)
    if Partner.objects.filter(name__iexact=spec.name.strip()).exists():
        errors.add("name", "A partner with this name exists")
    errors.raise_if_any("The partner was not saved: fix the fields listed")
    partner = Partner.objects.create(
        name=spec.name.strip(), kind=spec.kind, format=spec.format, url=spec.url, auth_kind=spec.auth_kind,
        key_id=spec.key_id.strip(), secret_encrypted=secret_encrypt(spec.secret),
        court_centres=sorted({c.upper() for c in spec.court_centres or []}),
        prison_names=[p.strip() for p in spec.prison_names or [] if p.strip()], max_attempts=spec.max_attempts,
        deadline_minutes=spec.deadline_minutes, timeout_seconds=spec.timeout_seconds, is_active=spec.is_active,
        contact_email=spec.contact_email.strip(), created_at=now())
    event_record(type=EventType.PARTNER_CONFIGURED, actor=actor, summary=f"Partner {partner.name} configured",
                 payload={"partner_id": partner.id, "kind": partner.kind, "format": partner.format,
                          "url": partner.url, "court_centres": partner.court_centres})
    return partner


@transaction.atomic
def partner_secret_rotate(*, partner: Partner, key_id: str, secret: str, expected_version: int,
                          actor: Actor) -> Partner:
    """A new signing secret; the previous one keeps signing too until the next rotation, so the
    receiver can switch without losing a message."""
    _require_administrator(actor)
    errors = ErrorCollector()
    if len(secret) < 16:
        errors.add("secret", "A secret must be at least 16 characters")
    if not key_id.strip() or key_id.strip() == partner.key_id:
        errors.add("key_id", "Enter a new key id")
    errors.raise_if_any("The secret was not rotated")
    rows = Partner.objects.filter(pk=partner.pk, version=expected_version).update(
        previous_key_id=F("key_id"), previous_secret_encrypted=F("secret_encrypted"), key_id=key_id.strip(),
        secret_encrypted=secret_encrypt(secret), version=F("version") + 1)
    if not rows:
        raise Conflict("The partner was changed since you opened it. Reload and try again.", code="stale_version")
    partner.refresh_from_db()
    event_record(type=EventType.PARTNER_SECRET_ROTATED, actor=actor, summary=f"{partner.name}: signing key rotated",
                 payload={"partner_id": partner.id, "key_id": partner.key_id,
                          "previous_key_id": partner.previous_key_id})
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, spec: PartnerSpec, expected_version: int, actor: Actor) -> Partner:
    """Change a partner's configuration, all of it at once, if nobody changed it since `expected_version`.

    The signing secret is not changed here once the partner has one: `partner_secret_rotate` does that,
    keeping the previous key signing during the switch. A new secret is needed (and taken) only when the
    partner had none or changes how it authenticates."""
    _require_administrator(actor)
    auth_changed = spec.auth_kind != partner.auth_kind
    needs_secret = spec.auth_kind != AuthKind.NONE and (auth_changed or not partner.secret_encrypted)
    if not needs_secret and spec.auth_kind != AuthKind.NONE:
        spec = replace(spec, key_id=partner.key_id)  # the key id belongs to the secret: rotate to change it
    errors = _validate(spec, creating=False)
    if needs_secret and not spec.secret:
        errors.add("secret", "Enter the shared secret or token")
    elif spec.secret and not needs_secret:
        errors.add("secret", "To change the secret, rotate the signing key")
    if Partner.objects.filter(name__iexact=spec.name.strip()).exclude(pk=partner.pk).exists():
        errors.add("name", "A partner with this name exists")
    errors.raise_if_any("The partner was not saved: fix the fields listed")
    values = {
        "name": spec.name.strip(), "kind": spec.kind, "format": spec.format, "url": spec.url,
        "auth_kind": spec.auth_kind, "key_id": spec.key_id.strip() if spec.auth_kind != AuthKind.NONE else "",
        "court_centres": sorted({c.upper() for c in spec.court_centres or []}),
        "prison_names": [p.strip() for p in spec.prison_names or [] if p.strip()],
        "max_attempts": spec.max_attempts, "deadline_minutes": spec.deadline_minutes,
        "timeout_seconds": spec.timeout_seconds, "is_active": spec.is_active, "contact_email": spec.contact_email.strip(),
    }
    changed = {name: [getattr(partner, name), value] for name, value in values.items()
               if getattr(partner, name) != value}
    secrets: dict[str, str] = {}
    if needs_secret or spec.auth_kind == AuthKind.NONE:
        secrets = {"secret_encrypted": secret_encrypt(spec.secret) if needs_secret else "",
                   "previous_key_id": "", "previous_secret_encrypted": ""}
    rows = Partner.objects.filter(pk=partner.pk, version=expected_version).update(
        **values, **secrets, version=F("version") + 1, updated_at=now())
    if not rows:
        raise Conflict("The partner was changed since you opened it. Reload and try again.", code="stale_version")
    partner.refresh_from_db()
    event_record(type=EventType.PARTNER_UPDATED, actor=actor,
                 summary=f"Partner {partner.name} changed: {', '.join(changed) or 'nothing'}"
                         + ("; new secret" if needs_secret else ""),
                 payload={"partner_id": partner.id, "changed": changed, "secret_set": needs_secret})
    return partner


@transaction.atomic
def partner_active_set(*, partner: Partner, is_active: bool, expected_version: int, actor: Actor) -> Partner:
    """Stop (or start again) owing this partner messages for new events. Messages already owed are
    still delivered: they record what was shared while it was active."""
    _require_administrator(actor)
    rows = Partner.objects.filter(pk=partner.pk, version=expected_version).update(
        is_active=is_active, version=F("version") + 1, updated_at=now())
    if not rows:
        raise Conflict("The partner was changed since you opened it. Reload and try again.", code="stale_version")
    partner.refresh_from_db()
    event_record(type=EventType.PARTNER_UPDATED, actor=actor,
                 summary=f"Partner {partner.name} {'started' if is_active else 'stopped'}",
                 payload={"partner_id": partner.id, "changed": {"is_active": [not is_active, is_active]},
                          "secret_set": False})
    return partner


# --- The outbox --------------------------------------------------------------------------------


@dataclass
class Message:
    """One rendered message for one partner, before it is a delivery."""

    content_type: str
    body: str
    case_id: object = None
    hearing_id: object = None
    defendant_id: object = None
    urgent: bool = False
    # Why the message must not be sent as it is (e.g. a Bichard exception it would raise).
    defects: list[str] = field(default_factory=list)


def outbox_append(*, event: Event) -> list[Delivery]:
    """The deliveries `event` owes, rendered and appended in the change's own transaction: if the
    change commits, so do they; if it fails, neither exists."""
    from courts.distribution.routing import messages_for

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_append runs inside the transaction of the change it delivers")
    created = now()
    deliveries = []
    for partner, message in messages_for(event=event, partners=list(Partner.objects.filter(is_active=True))):
        held = bool(message.defects)
        deliveries.append(Delivery(
            partner=partner, event=event, case_id=message.case_id, hearing_id=message.hearing_id,
            defendant_id=message.defendant_id, content_type=message.content_type, body=message.body,
            urgent=message.urgent, next_attempt_at=created, created_at=created,
            deadline=created + dt.timedelta(minutes=partner.deadline_minutes),
            state=DeliveryState.DEAD if held else DeliveryState.PENDING,
            last_error=("Held, not sent: " + "; ".join(message.defects))[:4000] if held else ""))
    Delivery.objects.bulk_create(deliveries)
    return deliveries


@transaction.atomic
def delivery_replay(*, delivery: Delivery, actor: Actor) -> Delivery:
    """Send a dead (or delivered) message again, now, with the same idempotency key."""
    _require_administrator(actor)
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.state in (DeliveryState.PENDING, DeliveryState.RETRYING):
        raise Conflict("This delivery is already waiting to be sent", code="not_dead")
    Delivery.objects.filter(pk=locked.pk).update(
        state=DeliveryState.RETRYING, next_attempt_at=now(), lease_until=None, leased_by="",
        deadline=now() + dt.timedelta(minutes=locked.partner.deadline_minutes))
    locked.refresh_from_db()
    event_record(type=EventType.DELIVERY_REPLAYED, actor=actor, case_id=locked.case_id,
                 summary=f"Message to {locked.partner.name} sent again",
                 payload={"delivery_id": locked.id, "partner_id": locked.partner_id, "attempts": locked.attempts})
    return locked


def json_body(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, default=str)
