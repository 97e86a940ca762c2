"""Results to partners, for court staff: the partners (configured here, never hard-coded), what each
shared hearing owed each of them and where every message is, the undelivered worklist, and replay.

Court administrators only (court staff, for now); anyone else is 403. Errors are problem+json; a
partner's fields are named as in the request body."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from courts.api.routers.listing import court_staff
from courts.api.schemas.distribution import DeliveryOut, KeyRotateIn, PartnerIn, PartnerOut, PartnerUpdateIn
from courts.common.clock import now
from courts.common.errors import FieldError, ValidationFailed
from courts.common.ids import get_by_uuid_or_not_found
from courts.distribution import selectors, services
from courts.distribution.enums import DeliveryState
from courts.distribution.models import Delivery, Partner
from courts.listing import selectors as listing_selectors

router = Router(tags=["distribution"])

# The services name a partner's fields as the model does; the API as its body does.
FIELD_NAMES = {"auth_kind": "authKind", "key_id": "keyId", "court_centres": "courtCentres",
               "prison_names": "prisonNames", "max_attempts": "maxAttempts", "deadline_minutes": "deadlineMinutes",
               "timeout_seconds": "timeoutSeconds", "is_active": "isActive", "contact_email": "contactEmail"}
UNDELIVERED = "UNDELIVERED"


def _renamed(error: ValidationFailed) -> ValidationFailed:
    return ValidationFailed(error.detail, code=error.code, errors=[
        FieldError(FIELD_NAMES.get(e.field, e.field), e.message, e.code) for e in error.errors])


def _partner(partner_id: str) -> Partner:
    return get_by_uuid_or_not_found(Partner.objects.select_related("organisation"), partner_id, "partner")


def _counts(partner: Partner) -> dict[str, int]:
    counts = {state: 0 for state in DeliveryState.values}
    for state in Delivery.objects.filter(partner=partner).values_list("state", flat=True):
        counts[state] += 1
    return counts


# --- Partners ------------------------------------------------------------------------------------


@router.get("/partners", response=list[PartnerOut], operation_id="partners_list",
            summary="Every partner (subscriptions included) with its deliveries counted by state")
def partners_list(request: HttpRequest):
    court_staff(request)
    organisations = {p.pk: p for p in Partner.objects.select_related("organisation")}
    return [PartnerOut.of(organisations[row["partner"].pk], {s: row[s] for s in DeliveryState.values})
            for row in selectors.partner_states()]


@router.post("/partners", response={201: PartnerOut}, operation_id="partners_create",
             summary="Configure a partner: where, how it authenticates (the secret is write-only), what it takes")
def partners_create(request: HttpRequest, response: HttpResponse, payload: PartnerIn):
    actor = court_staff(request)
    try:
        partner = services.partner_create(spec=payload.spec(), actor=actor)
    except ValidationFailed as error:
        raise _renamed(error) from error
    response["Location"] = f"/api/v1/partners/{partner.id}"
    return Status(201, PartnerOut.of(partner, _counts(partner)))


@router.get("/partners/{partner_id}", response=PartnerOut, operation_id="partners_get",
            summary="A partner's configuration (never its secret) and its deliveries by state")
def partners_get(request: HttpRequest, partner_id: str):
    court_staff(request)
    partner = _partner(partner_id)
    return PartnerOut.of(partner, _counts(partner))


@router.put("/partners/{partner_id}", response=PartnerOut, operation_id="partners_update",
            summary="Change a partner's configuration, all of it, with the version you read "
                    "(409 stale_version if it changed since)")
def partners_update(request: HttpRequest, partner_id: str, payload: PartnerUpdateIn):
    actor = court_staff(request)
    partner = _partner(partner_id)
    try:
        partner = services.partner_update(partner=partner, spec=payload.spec(), expected_version=payload.expectedVersion,
                                          actor=actor)
    except ValidationFailed as error:
        raise _renamed(error) from error
    return PartnerOut.of(partner, _counts(partner))


@router.post("/partners/{partner_id}/key", response=PartnerOut, operation_id="partners_key_rotate",
             summary="Rotate the signing key: a new key id and secret (write-only); the previous key keeps "
                     "signing beside it until the next rotation")
def partners_key_rotate(request: HttpRequest, partner_id: str, payload: KeyRotateIn):
    actor = court_staff(request)
    partner = _partner(partner_id)
    try:
        partner = services.partner_secret_rotate(partner=partner, key_id=payload.keyId, secret=payload.secret,
                                                 expected_version=payload.expectedVersion, actor=actor)
    except ValidationFailed as error:
        raise _renamed(error) from error
    return PartnerOut.of(partner, _counts(partner))


# --- Deliveries ----------------------------------------------------------------------------------


@router.get("/hearings/{hearing_id}/deliveries", response=list[DeliveryOut], operation_id="hearing_deliveries",
            summary="What sharing this hearing's results owed each partner, and the state of each message: "
                    "pending, retrying (next attempt, last error), delivered (when, the receiver's answer), dead")
def hearing_deliveries(request: HttpRequest, hearing_id: str):
    court_staff(request)
    hearing = listing_selectors.hearing_get(hearing_id=hearing_id)
    at = now()
    return [DeliveryOut.of(d, at=at) for d in selectors.deliveries_for_hearing(hearing_id=hearing.id)]


class DeliveryFilter(Schema):
    state: str = Field(default=UNDELIVERED, description="PENDING, RETRYING, DELIVERED, DEAD, or UNDELIVERED (the "
                                                        "worklist: everything not delivered by its deadline, and "
                                                        "every dead message)")
    partnerId: str | None = Field(default=None, description="Only this partner's")
    limit: int = Field(default=100, ge=1, le=500)


@router.get("/deliveries", response=list[DeliveryOut], operation_id="deliveries_list",
            summary="Deliveries in a state, oldest deadline first; by default the undelivered worklist")
def deliveries_list(request: HttpRequest, filters: Query[DeliveryFilter]):
    court_staff(request)
    state = filters.state.upper()
    if state != UNDELIVERED and state not in DeliveryState.values:
        raise ValidationFailed("Unknown delivery state", errors=[FieldError(
            "state", f"Choose one of {', '.join([*DeliveryState.values, UNDELIVERED])}")])
    partner = _partner(filters.partnerId) if filters.partnerId else None
    if state == UNDELIVERED:
        rows = selectors.undelivered_worklist(partner_id=partner.id if partner else None, limit=filters.limit)
    else:
        query = Delivery.objects.filter(state=state).select_related("partner")
        if partner:
            query = query.filter(partner=partner)
        rows = list(query.order_by("deadline")[:filters.limit])
    at = now()
    return [DeliveryOut.of(d, at=at) for d in rows]


def _delivery(delivery_id: str) -> Delivery:
    return get_by_uuid_or_not_found(Delivery.objects.select_related("partner"), delivery_id, "delivery")


@router.get("/deliveries/{delivery_id}", response=DeliveryOut, operation_id="deliveries_get",
            summary="One message to one partner and where it is")
def deliveries_get(request: HttpRequest, delivery_id: str):
    court_staff(request)
    return DeliveryOut.of(_delivery(delivery_id), at=now())


@router.post("/deliveries/{delivery_id}/replay", response=DeliveryOut, operation_id="deliveries_replay",
             summary="Send a dead (or delivered) message again, now, with the same idempotency key; "
                     "409 not_dead if it is already waiting to be sent")
def deliveries_replay(request: HttpRequest, delivery_id: str):
    actor = court_staff(request)
    delivery = services.delivery_replay(delivery=_delivery(delivery_id), actor=actor)
    return DeliveryOut.of(delivery, at=now())

