"""The published subscription contract `api-cp-crime-hearing-results-document-subscription`, under
/api/v1 with the contract's own paths (`distribution.subscriptions` holds the rules).

An organisation's API client (bearer token) creates, reads, changes and deletes its subscriptions;
another organisation's subscription is 404, as is one that does not exist. Every answer carries
X-Correlation-Id: the caller's, when it sent a UUID, else a new one. Errors are problem+json with the
contract's `ErrorResponse` members (`error`, `message`) beside ours; a bad body is 400, as the contract
says (not 422)."""

import functools
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from pydantic import Field

from courts.api.errors import PROBLEM_JSON
from courts.api.parsers import storable_errors
from courts.common.errors import ApplicationError, FieldError
from courts.distribution import subscriptions
from courts.distribution.subscriptions import InvalidSubscription

router = Router(tags=["subscriptions"])
CORRELATION = "X-Correlation-Id"
SUBSCRIPTION = "/client-subscriptions/{clientSubscriptionId}"


# --- For the OpenAPI document: the contract's shapes ---------------------------------------------


class NotificationEndpoint(Schema):
    callbackUrl: str = Field(pattern=r"^https://.*$", description="Notifications are POSTed here")


class HmacCredentials(Schema):
    keyId: str
    secret: str | None = Field(default=None, description="Only in the answer that creates it: never again")


class ClientSubscription(Schema):
    clientSubscriptionId: uuid.UUID
    notificationEndpoint: NotificationEndpoint
    eventTypes: list[str]
    createdAt: str
    updatedAt: str | None = None
    hmac: HmacCredentials


class EventTypePayload(Schema):
    eventName: str
    displayName: str
    category: str


class EventTypeResponse(Schema):
    events: list[EventTypePayload]
    eventTypes: list[EventTypePayload] = Field(description="The same list, as the contract's example names it")


class ErrorResponse(Schema):
    error: str
    message: str


REQUEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["notificationEndpoint", "eventTypes"],
    "properties": {
        "notificationEndpoint": {"type": "object", "required": ["callbackUrl"],
                                 "properties": {"callbackUrl": {"type": "string", "pattern": "^https://.*$"}}},
        "eventTypes": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"type": "string"}},
    }}}}}}
ROTATE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["keyId"], "properties": {"keyId": {"type": "string"}}}}}}}


# --- Answers -------------------------------------------------------------------------------------


def _correlation_id(request: HttpRequest) -> str:
    try:
        return str(uuid.UUID(request.headers.get(CORRELATION, "")))
    except ValueError:
        return str(uuid.uuid4())


def _problem(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://courts.example/problems/{error.code}", "title": error.title, "status": error.status,
        "detail": error.detail, "code": error.code, "instance": request.path,
        "error": error.code, "message": error.detail,
    }
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.message, "code": e.code} for e in error.errors]
    return JsonResponse(body, status=error.status, content_type=PROBLEM_JSON)


def contract(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The contract's answers: its errors and the correlation id on every one."""

    @functools.wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        correlation = _correlation_id(request)
        try:
            response = view(request, *args, **kwargs)
        except ApplicationError as error:
            response = _problem(request, error)
        response[CORRELATION] = correlation
        return response

    return answer


def _json(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False)


def _body(request: HttpRequest) -> object:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidSubscription("The body is not valid JSON",
                                  errors=[FieldError("body", "The body is not valid JSON", "json_invalid")]) from error
    if errors := storable_errors(data):
        raise InvalidSubscription(errors[0].message, errors=errors)
    return data


# --- Operations ----------------------------------------------------------------------------------


@router.get("/event-types", response={200: EventTypeResponse}, operation_id="GetEventTypes",
            summary="The event types a subscription can take")
@contract
def get_event_types(request: HttpRequest):
    return _json(subscriptions.event_types_view())


@router.post("/client-subscriptions", response={201: ClientSubscription, 400: ErrorResponse, 403: ErrorResponse},
             operation_id="createClientSubscription", openapi_extra=REQUEST_BODY,
             summary="Subscribe a callback URL (https) to one event type. The answer carries the HMAC key id "
                     "and secret: the secret is shown this once")
@contract
def create_client_subscription(request: HttpRequest):
    callback_url, event_types = subscriptions.request_values(_body(request))
    partner, secret = subscriptions.subscription_create(actor=request.auth, callback_url=callback_url,
                                                        event_types=event_types)
    response = _json(subscriptions.subscription_view(partner, secret=secret), status=201)
    response["Location"] = f"/api/v1/client-subscriptions/{partner.id}"
    return response


@router.get(SUBSCRIPTION, response={200: ClientSubscription, 404: ErrorResponse},
            operation_id="getClientSubscription", summary="Your subscription (its key id, never its secret)")
@contract
def get_client_subscription(request: HttpRequest, clientSubscriptionId: str):
    partner = subscriptions.subscription_get(actor=request.auth, subscription_id=clientSubscriptionId)
    return _json(subscriptions.subscription_view(partner))


@router.put(SUBSCRIPTION, response={200: ClientSubscription, 400: ErrorResponse, 404: ErrorResponse},
            operation_id="updateClientSubscription", openapi_extra=REQUEST_BODY,
            summary="Strict update: the callback URL and the event types, both given")
@contract
def update_client_subscription(request: HttpRequest, clientSubscriptionId: str):
    partner = subscriptions.subscription_get(actor=request.auth, subscription_id=clientSubscriptionId)
    callback_url, event_types = subscriptions.request_values(_body(request))
    partner = subscriptions.subscription_update(subscription=partner, actor=request.auth, callback_url=callback_url,
                                                event_types=event_types)
    return _json(subscriptions.subscription_view(partner))


@router.delete(SUBSCRIPTION, response={204: None, 404: ErrorResponse}, operation_id="deleteClientSubscription",
               summary="Delete your subscription: no more notifications are owed to it")
@contract
def delete_client_subscription(request: HttpRequest, clientSubscriptionId: str):
    partner = subscriptions.subscription_get(actor=request.auth, subscription_id=clientSubscriptionId)
    subscriptions.subscription_delete(subscription=partner, actor=request.auth)
    return HttpResponse(status=204)


@router.post(f"{SUBSCRIPTION}/secret/rotate", response={200: HmacCredentials, 400: ErrorResponse, 404: ErrorResponse},
             operation_id="rotateClientSubscriptionSecret", openapi_extra=ROTATE_BODY,
             summary="A new key id and secret (shown this once), naming the current keyId; the previous key "
                     "keeps signing beside the new one until the next rotation")
@contract
def rotate_client_subscription_secret(request: HttpRequest, clientSubscriptionId: str):
    partner = subscriptions.subscription_get(actor=request.auth, subscription_id=clientSubscriptionId)
    body = _body(request)
    key_id = body.get("keyId") if isinstance(body, dict) else None
    partner, secret = subscriptions.subscription_secret_rotate(subscription=partner, actor=request.auth, key_id=key_id)
    return _json({"keyId": partner.key_id, "secret": secret})


@router.get(f"{SUBSCRIPTION}/documents/{{documentId}}", response={404: ErrorResponse},
            operation_id="getDocument", summary="The PDF of a document you were notified of (a warrant)",
            openapi_extra={"responses": {200: {"description": "PDF document", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
@contract
def get_document(request: HttpRequest, clientSubscriptionId: str, documentId: str):
    from courts.distribution.pcr import warrant_pdf

    partner = subscriptions.subscription_get(actor=request.auth, subscription_id=clientSubscriptionId)
    warrant = subscriptions.subscription_document(subscription=partner, document_id=documentId)
    response = HttpResponse(warrant_pdf(warrant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warrant-{warrant.id}.pdf"'
    return response
