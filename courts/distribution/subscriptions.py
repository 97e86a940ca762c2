"""Client subscriptions: the published contract `api-cp-crime-hearing-results-document-subscription`.

An organisation's API client subscribes a callback URL (HTTPS) to one event type. The subscription is
a `Partner` of kind SUBSCRIBER owned by that organisation, so the transactional outbox owes it its
notifications when results are shared and `courts worker` delivers them like any partner's: at least
once, with the delivery id as idempotency key, signed with HMAC-SHA256 under the subscription's key id.

- The signing secret is generated here (32 random bytes, base64) and returned once, in the response
  that creates the subscription (and in a rotation's response); it is stored encrypted, never shown
  again. The HMAC key is that base64 text as it was returned. A rotation names the current key id;
  the previous key keeps signing beside the new one until the next rotation.
- Event types (`EVENT_TYPES`): PRISON_COURT_REGISTER_GENERATED (a register entry per warrant),
  WEE_Remand and WEE_CustodialSentence (warrants of that kind), each notified with the contract's
  `EventNotificationPayload` (the document is the warrant's PDF, fetched by its documentId); and
  HEARING_RESULTED, ours, whose notification is Common Platform's hearing-resulted payload.
- What a subscription sees: a prosecutor's, its own cases only; a partner agency's or HMCTS's, every
  case (an administrator may narrow it to court centres on the partner's page). Defence organisations
  cannot subscribe.
- Another organisation's subscription, or a deleted one, is "not found": its existence is not told."""

import base64
import ipaddress
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from django.db import transaction
from django.db.models import F

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import Organisation
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import ApplicationError, ErrorCollector, FieldError, NotFound, PermissionDenied
from courts.distribution.enums import AuthKind, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.secrets import secret_encrypt
from courts.distribution.services import Message, json_body

if TYPE_CHECKING:
    from courts.custody.models import Warrant
    from courts.distribution.routing import Share

PCR_GENERATED = "PRISON_COURT_REGISTER_GENERATED"
HEARING_RESULTED = "HEARING_RESULTED"


@dataclass(frozen=True)
class EventTypeInfo:
    name: str
    display_name: str
    category: str
    # The warrant kinds it is notified for (None: every warrant); empty for HEARING_RESULTED.
    warrant_kinds: tuple[str, ...] | None = None


EVENT_TYPES: tuple[EventTypeInfo, ...] = (
    EventTypeInfo(PCR_GENERATED, "Prison Court Register", "REGISTER", None),
    EventTypeInfo("WEE_Remand", "Warrant of remand in custody", "WARRANT", ("REMAND",)),
    EventTypeInfo("WEE_CustodialSentence", "Warrant for Custodial Sentence", "WARRANT", ("COMMITMENT",)),
    EventTypeInfo(HEARING_RESULTED, "Hearing resulted (Common Platform hearing-resulted payload)", "RESULTS", ()),
)
BY_NAME = {e.name: e for e in EVENT_TYPES}
MAX_PER_ORGANISATION = 20
MAX_URL_LENGTH = 500


class InvalidSubscription(ApplicationError):
    """The contract answers a bad request body with 400."""

    status = 400
    code = "invalid_request"
    title = "The subscription request is invalid"


def _format_for(event_type: str) -> str:
    return MessageFormat.HEARING_RESULTED if event_type == HEARING_RESULTED else MessageFormat.PRISON_COURT_REGISTER


def _new_key_id() -> str:
    return f"kid-v1-{uuid.uuid4()}"


def _new_secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _organisation(actor: Actor) -> Organisation:
    if actor.organisation_id is None:
        raise PermissionDenied("Subscriptions belong to an organisation's API client: call with its API token")
    organisation = Organisation.objects.get(pk=actor.organisation_id)
    if organisation.kind == OrganisationKind.DEFENCE:
        raise PermissionDenied("Defence organisations cannot subscribe to results")
    return organisation


def _private_host(host: str) -> bool:
    """A callback must be a public address: never this machine or a private network (the worker would
    otherwise post to internal services for a client)."""
    name = host.strip("[]").rstrip(".").lower()
    single_label = "." not in name and ":" not in name
    if single_label or name == "localhost" or name.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return not address.is_global


def _validate(callback_url: object, event_types: object) -> tuple[str, str]:
    """The callback URL and the one event type, or every problem as the contract's 400."""
    errors = ErrorCollector()
    url = callback_url if isinstance(callback_url, str) else ""
    parsed = urlparse(url)
    if not isinstance(callback_url, str) or not url:
        errors.add("notificationEndpoint/callbackUrl", "Enter the callback URL", "missing")
    elif len(url) > MAX_URL_LENGTH:
        errors.add("notificationEndpoint/callbackUrl", f"A callback URL is at most {MAX_URL_LENGTH} characters")
    elif parsed.scheme != "https" or not parsed.hostname or not url.startswith("https://"):
        errors.add("notificationEndpoint/callbackUrl", "The callback URL must be a full https:// URL")
    elif parsed.username or parsed.password:
        errors.add("notificationEndpoint/callbackUrl", "The callback URL must not carry credentials")
    elif _private_host(parsed.hostname):
        errors.add("notificationEndpoint/callbackUrl", "The callback URL must be a public host")
    event_type = ""
    if not isinstance(event_types, list) or not event_types:
        errors.add("eventTypes", "eventTypes must contain at least one value.", "missing")
    elif len(event_types) > 1:
        errors.add("eventTypes", "eventTypes must contain exactly one value: subscribe once per event type")
    elif not isinstance(event_types[0], str) or event_types[0] not in BY_NAME:
        errors.add("eventTypes/0", f"Unknown event type: choose one of {', '.join(BY_NAME)}")
    else:
        event_type = event_types[0]
    if errors:
        raise InvalidSubscription(errors.errors[0].message, errors=errors.errors)
    return url, event_type


def request_values(body: object) -> tuple[object, object]:
    """The callback URL and event types of a ClientSubscriptionRequest, whatever shape it came in."""
    if not isinstance(body, dict):
        raise InvalidSubscription("The body must be a JSON object with notificationEndpoint and eventTypes",
                                  errors=[FieldError("body", "Send a JSON object", "type")])
    endpoint = body.get("notificationEndpoint")
    return (endpoint.get("callbackUrl") if isinstance(endpoint, dict) else None), body.get("eventTypes")


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def subscription_create(*, actor: Actor, callback_url: object, event_types: object) -> tuple[Partner, str]:
    """A new subscription and its signing secret, which is returned this once."""
    organisation = _organisation(actor)
    url, event_type = _validate(callback_url, event_types)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one count at a time
    if Partner.objects.filter(organisation=organisation, deleted_at=None).count() >= MAX_PER_ORGANISATION:
        raise InvalidSubscription(f"An organisation has at most {MAX_PER_ORGANISATION} subscriptions: delete one first")
    secret, subscription_id = _new_secret(), uuid.uuid4()
    partner = Partner.objects.create(
        id=subscription_id, name=f"{organisation.name[:150]}: subscription {subscription_id.hex[:8]}",
        kind=PartnerKind.SUBSCRIBER, format=_format_for(event_type), url=url, auth_kind=AuthKind.HMAC_SHA256,
        key_id=_new_key_id(), secret_encrypted=secret_encrypt(secret), organisation=organisation,
        event_types=[event_type], created_at=now())
    event_record(type=EventType.SUBSCRIPTION_CREATED, actor=actor,
                 summary=f"{organisation.name} subscribed to {event_type}",
                 payload={"partner_id": partner.id, "organisation_id": organisation.pk, "url": url,
                          "event_types": [event_type], "key_id": partner.key_id})
    return partner, secret


@transaction.atomic
def subscription_update(*, subscription: Partner, actor: Actor, callback_url: object, event_types: object) -> Partner:
    """The contract's strict update: the callback URL and the event types, both given."""
    url, event_type = _validate(callback_url, event_types)
    locked = Partner.objects.select_for_update().get(pk=subscription.pk)
    changed = {name: [old, new] for name, old, new in (("url", locked.url, url),
                                                      ("event_types", locked.event_types, [event_type])) if old != new}
    Partner.objects.filter(pk=locked.pk).update(url=url, event_types=[event_type], format=_format_for(event_type),
                                                version=F("version") + 1, updated_at=now())
    locked.refresh_from_db()
    event_record(type=EventType.SUBSCRIPTION_UPDATED, actor=actor,
                 summary=f"Subscription {locked.name} changed: {', '.join(changed) or 'nothing'}",
                 payload={"partner_id": locked.id, "changed": changed})
    return locked


@transaction.atomic
def subscription_delete(*, subscription: Partner, actor: Actor) -> None:
    """No more notifications are owed to it. It stays (its deliveries refer to it), inactive; messages
    already owed are still delivered."""
    Partner.objects.filter(pk=subscription.pk).update(is_active=False, deleted_at=now(), updated_at=now(),
                                                      version=F("version") + 1)
    event_record(type=EventType.SUBSCRIPTION_DELETED, actor=actor, summary=f"Subscription {subscription.name} deleted",
                 payload={"partner_id": subscription.id})


@transaction.atomic
def subscription_secret_rotate(*, subscription: Partner, actor: Actor, key_id: object) -> tuple[Partner, str]:
    """A new key id and secret, returned once. `key_id` must be the current one; the previous key keeps
    signing beside the new one until the next rotation."""
    if not isinstance(key_id, str) or not key_id.strip():
        raise InvalidSubscription("Send the keyId of the current key", errors=[FieldError("keyId", "Enter the keyId",
                                                                                         "missing")])
    locked = Partner.objects.select_for_update().get(pk=subscription.pk)
    if key_id.strip() != locked.key_id:
        raise NotFound("No key with this keyId is current for this subscription", code="key_not_found")
    secret = _new_secret()
    Partner.objects.filter(pk=locked.pk).update(
        previous_key_id=F("key_id"), previous_secret_encrypted=F("secret_encrypted"), key_id=_new_key_id(),
        secret_encrypted=secret_encrypt(secret), version=F("version") + 1, updated_at=now())
    locked.refresh_from_db()
    event_record(type=EventType.PARTNER_SECRET_ROTATED, actor=actor, summary=f"{locked.name}: signing key rotated",
                 payload={"partner_id": locked.id, "key_id": locked.key_id, "previous_key_id": locked.previous_key_id})
    return locked, secret


# --- Reads ---------------------------------------------------------------------------------------


def subscription_get(*, actor: Actor, subscription_id: object) -> Partner:
    """The caller's own subscription; anyone else's, or a deleted one, is not found."""
    try:
        pk = uuid.UUID(str(subscription_id))
    except ValueError as error:
        raise NotFound("No subscription exists for this ID") from error
    found = Partner.objects.filter(pk=pk, organisation__isnull=False, deleted_at=None).first()
    if found is None or actor.organisation_id is None or found.organisation_id != actor.organisation_id:
        raise NotFound(f"No subscription exists for ID {pk}.")
    return found


def subscription_document(*, subscription: Partner, document_id: object) -> "Warrant":
    """A warrant this subscription was notified of (by its documentId), for its PDF."""
    from courts.custody.models import Warrant

    try:
        pk = uuid.UUID(str(document_id))
    except ValueError as error:
        raise NotFound("No document exists for this ID") from error
    warrant = Warrant.objects.filter(pk=pk).select_related("defendant__case", "hearing").first()
    notified = Delivery.objects.filter(partner=subscription, body__contains=f'"documentId":"{pk}"')
    if warrant is None or not notified.filter(hearing_id=warrant.hearing_id, defendant_id=warrant.defendant_id).exists():
        raise NotFound(f"No document exists for ID {pk} for this subscription.")
    return warrant


def _instant(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def subscription_view(partner: Partner, *, secret: str = "") -> dict[str, Any]:
    """The contract's ClientSubscription. The secret only when it was just made."""
    hmac = {"keyId": partner.key_id, **({"secret": secret} if secret else {})}
    view: dict[str, Any] = {
        "clientSubscriptionId": str(partner.id),
        "notificationEndpoint": {"callbackUrl": partner.url},
        "eventTypes": list(partner.event_types),
        "createdAt": _instant(partner.created_at),
        "hmac": hmac,
    }
    if partner.updated_at:
        view["updatedAt"] = _instant(partner.updated_at)
    return view


def event_types_view() -> dict[str, Any]:
    """The contract's EventTypeResponse. Its schema names the list `events`, its example `eventTypes`:
    both are given, the same list."""
    events = [{"eventName": e.name, "displayName": e.display_name, "category": e.category} for e in EVENT_TYPES]
    return {"events": events, "eventTypes": events}


# --- Notifications (the outbox renderer for subscriptions) ---------------------------------------


def _visible(share: "Share", partner: Partner) -> set | None:
    """The cases of the shared hearing this subscription may hear about; None: every one."""
    from courts.listing.models import HearingDefendant

    organisation = partner.organisation
    if organisation.kind == OrganisationKind.PROSECUTOR:
        return set(HearingDefendant.objects.filter(hearing=share.hearing, case__prosecutor_id=organisation.pk)
                   .values_list("case_id", flat=True))
    if organisation.kind == OrganisationKind.DEFENCE:
        return set()
    if organisation.kind in (OrganisationKind.PROBATION, OrganisationKind.POLICE, OrganisationKind.YOT,
                             OrganisationKind.PRISON):
        # Local agencies hear of what their role lets them see (docs/access.md "Case access").
        from courts.cases.selectors import defendant_queryset_for_actor
        from courts.common.actor import Actor

        actor = Actor(label=organisation.name, organisation_id=organisation.pk, organisation_kind=organisation.kind)
        return set(defendant_queryset_for_actor(actor=actor).filter(hearing_defendants__hearing=share.hearing)
                   .values_list("case_id", flat=True))
    # HMCTS and national agencies (kind "partner agency": HMPPS, the LAA, DVLA): every case.
    return None


def notification_payload(*, event_type: str, share: "Share", warrant: "Warrant") -> dict[str, Any]:
    """The contract's EventNotificationPayload for one warrant. prisonEmailAddress is the mailbox of the
    prison partner that receives for the warrant's prison; left out when none is configured."""
    from courts.distribution.pcr import prison_email

    payload = {
        "eventType": event_type,
        "hearingId": str(share.hearing.id),
        "masterDefendantId": str(warrant.defendant_id),
        "documentId": str(warrant.id),
        "documentGeneratedTimestamp": _instant(share.event.occurred_at),
        "cases": [{"urn": warrant.defendant.case.urn}],
    }
    if email := prison_email(warrant.prison):
        payload["prisonEmailAddress"] = email
    return payload


def subscription_messages(share: "Share", partner: Partner) -> list[Message]:
    from courts.distribution.pcr import share_warrants

    if partner.deleted_at is not None or share.defendant is None:
        return []
    visible = _visible(share, partner)
    if visible is not None and share.defendant.case_id not in visible:
        return []
    messages = []
    for name in partner.event_types:
        info = BY_NAME.get(name)
        if info is None:
            continue
        if name == HEARING_RESULTED:
            from courts.api.cp_results import hearing_resulted_payload

            body = hearing_resulted_payload(share.hearing, shared_time=share.event.occurred_at,
                                            visible_case_ids=visible)
            messages.append(Message(content_type="application/json", body=json_body(body), case_id=share.case_id,
                                    hearing_id=share.hearing.id, defendant_id=share.defendant_id))
            continue
        for warrant in share_warrants(share):
            if info.warrant_kinds is not None and warrant.kind not in info.warrant_kinds:
                continue
            messages.append(Message(
                content_type="application/json",
                body=json_body(notification_payload(event_type=name, share=share, warrant=warrant)),
                case_id=share.case_id, hearing_id=share.hearing.id, defendant_id=share.defendant_id, urgent=True))
    return messages
