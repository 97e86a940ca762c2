"""Client subscriptions (`api-cp-crime-hearing-results-document-subscription`): a subscription is a
partner owned by an organisation, owed the contract's notifications in the share's transaction and
delivered by the worker, signed with the secret returned once at creation."""

import copy
import json
from functools import cache
from pathlib import Path

import pytest
import requests
import yaml
from django.conf import settings
from jsonschema import Draft202012Validator

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.cases.tests.test_services import prosecutor
from courts.common.actor import Actor
from courts.common.errors import NotFound, PermissionDenied
from courts.custody.models import Warrant
from courts.distribution import subscriptions
from courts.distribution.enums import DeliveryState, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.secrets import secret_decrypt
from courts.distribution.subscriptions import InvalidSubscription
from courts.distribution.tests.receiver import Receiver
from courts.distribution.tests.test_pcr import FORMATS, imprison, prison_partner, remand
from courts.distribution.worker import work_once
from tests.cp_schemas import schema_errors

pytestmark = pytest.mark.django_db

SPEC = "api-cp-crime-hearing-results-document-subscription/src/main/resources/openapi/openapi-spec.yml"
CALLBACK = "https://client.example.com/events"


# --- The contract's schemas ----------------------------------------------------------------------


def _strict(node: object) -> object:
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if k not in ("example", "examples")}
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


@cache
def _components(strict: bool) -> dict:
    spec = yaml.safe_load((Path(settings.REFERENCE_DIR) / SPEC).read_text())
    components = copy.deepcopy(spec["components"])
    return _strict(components) if strict else components


def contract_errors(schema: str, document: object, *, strict: bool = True) -> list[str]:
    """`document` against the contract's component `schema`. Strict: no property it does not name."""
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": _components(strict)},
                                     format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


# --- Who subscribes ------------------------------------------------------------------------------


def agency(name: str = "HM Prison and Probation Service") -> Actor:
    organisation, _ = organisation_get_or_create(name=name, kind=OrganisationKind.PARTNER, actor=Actor.system())
    return Actor(label=f"{name} (API)", organisation_id=organisation.pk)


def prosecutor_actor(name: str = "CPS") -> Actor:
    return Actor(label=f"{name} (API)", organisation_id=prosecutor(name).pk)


def subscribe(actor: Actor, event_type: str = "PRISON_COURT_REGISTER_GENERATED", url: str = CALLBACK):
    return subscriptions.subscription_create(actor=actor, callback_url=url, event_types=[event_type])


# --- Creating, reading, changing, deleting -------------------------------------------------------


def test_a_subscription_is_a_partner_of_its_organisation_with_a_secret_shown_once():
    actor = agency()
    # when
    partner, secret = subscribe(actor)
    # then
    assert partner.kind == PartnerKind.SUBSCRIBER and partner.organisation_id == actor.organisation_id
    assert partner.event_types == ["PRISON_COURT_REGISTER_GENERATED"] and partner.url == CALLBACK
    assert partner.key_id.startswith("kid-v1-") and len(secret) >= 40
    assert secret not in partner.secret_encrypted and secret_decrypt(partner.secret_encrypted) == secret
    created = subscriptions.subscription_view(partner, secret=secret)
    assert contract_errors("ClientSubscription", created) == []
    assert created["hmac"] == {"keyId": partner.key_id, "secret": secret}
    read = subscriptions.subscription_view(subscriptions.subscription_get(actor=actor, subscription_id=partner.id))
    assert contract_errors("ClientSubscription", read) == [] and "secret" not in read["hmac"]
    assert "updatedAt" not in read  # the contract's updatedAt is a string when present, never null
    event = Event.objects.get(type=EventType.SUBSCRIPTION_CREATED)
    assert secret not in json.dumps(event.payload)


@pytest.mark.parametrize(("url", "event_types", "fields"), [
    ("http://client.example.com/events", ["PRISON_COURT_REGISTER_GENERATED"], {"notificationEndpoint/callbackUrl"}),
    ("https://127.0.0.1/events", ["PRISON_COURT_REGISTER_GENERATED"], {"notificationEndpoint/callbackUrl"}),
    ("https://10.1.2.3/events", ["PRISON_COURT_REGISTER_GENERATED"], {"notificationEndpoint/callbackUrl"}),
    ("https://localhost:8443/events", ["PRISON_COURT_REGISTER_GENERATED"], {"notificationEndpoint/callbackUrl"}),
    ("https://user:pw@client.example.com/", ["PRISON_COURT_REGISTER_GENERATED"], {"notificationEndpoint/callbackUrl"}),
    (CALLBACK, [], {"eventTypes"}),
    (CALLBACK, ["PRISON_COURT_REGISTER_GENERATED", "WEE_Remand"], {"eventTypes"}),
    (CALLBACK, ["NOT_A_TYPE"], {"eventTypes/0"}),
    (None, "PRISON_COURT_REGISTER_GENERATED", {"notificationEndpoint/callbackUrl", "eventTypes"}),
])
def test_a_bad_subscription_is_refused_field_by_field_and_nothing_is_written(url, event_types, fields):
    with pytest.raises(InvalidSubscription) as refused:
        subscriptions.subscription_create(actor=agency(), callback_url=url, event_types=event_types)
    assert refused.value.status == 400
    assert {e.field for e in refused.value.errors} == fields
    assert not Partner.objects.exists() and not Event.objects.filter(type=EventType.SUBSCRIPTION_CREATED).exists()


def test_only_an_organisations_client_subscribes_and_never_the_defence():
    with pytest.raises(PermissionDenied):
        subscribe(Actor(label="A clerk", is_court_staff=True, national=True))
    defence, _ = organisation_get_or_create(name="Smith & Co", kind=OrganisationKind.DEFENCE, actor=Actor.system())
    with pytest.raises(PermissionDenied):
        subscribe(Actor(label="Smith & Co (API)", organisation_id=defence.pk))
    assert not Partner.objects.exists()


def test_another_organisations_or_a_deleted_subscription_is_not_found():
    mine, theirs = agency(), prosecutor_actor("TFL")
    partner, _ = subscribe(mine)
    with pytest.raises(NotFound):
        subscriptions.subscription_get(actor=theirs, subscription_id=partner.id)
    with pytest.raises(NotFound):
        subscriptions.subscription_get(actor=mine, subscription_id="not-a-uuid")
    # when
    subscriptions.subscription_delete(subscription=partner, actor=mine)
    # then
    with pytest.raises(NotFound):
        subscriptions.subscription_get(actor=mine, subscription_id=partner.id)
    partner.refresh_from_db()
    assert not partner.is_active and partner.deleted_at is not None
    imprison()
    assert not Delivery.objects.exists()  # a deleted subscription is owed nothing


def test_a_strict_update_changes_the_endpoint_and_the_event_type():
    actor = agency()
    partner, _ = subscribe(actor)
    # when
    changed = subscriptions.subscription_update(subscription=partner, actor=actor,
                                                callback_url="https://client.example.com/new-hook",
                                                event_types=["WEE_Remand"])
    # then
    view = subscriptions.subscription_view(changed)
    assert contract_errors("ClientSubscription", view) == []
    assert view["notificationEndpoint"]["callbackUrl"].endswith("/new-hook") and view["eventTypes"] == ["WEE_Remand"]
    assert view["updatedAt"] >= view["createdAt"] and changed.version == 2
    with pytest.raises(InvalidSubscription):
        subscriptions.subscription_update(subscription=changed, actor=actor, callback_url="ftp://x", event_types=[])
    changed.refresh_from_db()
    assert changed.url.endswith("/new-hook") and changed.version == 2


def test_rotation_names_the_current_key_and_keeps_the_previous_one_signing():
    actor = agency()
    partner, first = subscribe(actor)
    with pytest.raises(NotFound):
        subscriptions.subscription_secret_rotate(subscription=partner, actor=actor, key_id="kid-v1-unknown")
    with pytest.raises(InvalidSubscription):
        subscriptions.subscription_secret_rotate(subscription=partner, actor=actor, key_id="")
    # when
    rotated, second = subscriptions.subscription_secret_rotate(subscription=partner, actor=actor,
                                                               key_id=partner.key_id)
    # then
    assert second != first and rotated.key_id != partner.key_id
    assert rotated.previous_key_id == partner.key_id and secret_decrypt(rotated.previous_secret_encrypted) == first
    assert contract_errors("HmacCredentials", {"keyId": rotated.key_id, "secret": second}) == []


# --- Notifications -------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def test_a_register_notification_follows_the_contract_and_is_delivered_signed(receiver):
    prison_partner("Brixton", ["HMP Brixton"], email="omu.brixton@justice.example")
    partner, secret = subscribe(agency())
    # The worker posts to the client; here, to a receiver on this machine that checks the signature.
    Partner.objects.filter(pk=partner.pk).update(url=receiver.url)
    receiver.key_id, receiver.secret = partner.key_id, secret
    # when
    case, hearing, defendant = imprison("HMP Brixton")
    # then
    delivery = Delivery.objects.get(partner=partner)
    payload = json.loads(delivery.body)
    assert contract_errors("EventNotificationPayload", payload) == []
    warrant = Warrant.objects.get(defendant=defendant)
    assert payload["eventType"] == "PRISON_COURT_REGISTER_GENERATED" and payload["documentId"] == str(warrant.id)
    assert payload["hearingId"] == str(hearing.id) and payload["cases"] == [{"urn": case.urn}]
    assert payload["prisonEmailAddress"] == "omu.brixton@justice.example" and delivery.urgent
    work_once(worker="test", session=requests.Session())
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED, delivery.last_error
    assert receiver.bad_signatures == 0 and receiver.processed == {str(delivery.id): 1}


def test_warrant_event_types_take_only_their_kind_of_warrant():
    remands, sentences = agency("Remands"), agency("Sentences")
    on_remand, _ = subscribe(remands, "WEE_Remand")
    on_sentence, _ = subscribe(sentences, "WEE_CustodialSentence")
    # when
    _, first, _ = remand()
    imprison(urn="01AB7654321", the_sitting=first.hearing_days.get().sitting)
    # then
    owed = [(d.partner_id, json.loads(d.body)["eventType"]) for d in Delivery.objects.all()]
    assert sorted(owed) == sorted([(on_remand.id, "WEE_Remand"), (on_sentence.id, "WEE_CustodialSentence")])


def test_a_prosecutors_subscription_hears_only_of_its_own_cases():
    own, other = prosecutor_actor("CPS"), prosecutor_actor("TFL")  # the factory's cases are the CPS's
    mine, _ = subscribe(own)
    theirs, _ = subscribe(other)
    # when
    imprison()
    # then
    assert [d.partner_id for d in Delivery.objects.all()] == [mine.id]
    assert theirs.id not in {d.partner_id for d in Delivery.objects.all()}


def test_a_hearing_resulted_subscription_gets_common_platforms_payload():
    partner, _ = subscribe(agency(), "HEARING_RESULTED")
    # when
    _, hearing, _ = imprison()
    # then
    body = json.loads(Delivery.objects.get(partner=partner).body)
    assert schema_errors("api/hearing-resulted.json", body) == []
    assert body["hearing"]["id"] == str(hearing.id)


def test_the_notified_document_is_the_warrant_and_only_for_its_subscriber():
    partner, _ = subscribe(agency())
    other, _ = subscribe(agency("Another agency"), "HEARING_RESULTED")
    _, _, defendant = imprison()
    warrant = Warrant.objects.get(defendant=defendant)
    assert subscriptions.subscription_document(subscription=partner, document_id=warrant.id) == warrant
    with pytest.raises(NotFound):
        subscriptions.subscription_document(subscription=other, document_id=warrant.id)  # never notified of it
    with pytest.raises(NotFound):
        subscriptions.subscription_document(subscription=partner, document_id="nope")


def test_the_event_types_are_listed_as_the_contract_says():
    view = subscriptions.event_types_view()
    assert contract_errors("EventTypeResponse", {"events": view["events"]}) == []
    names = [e["eventName"] for e in view["events"]]
    assert names[0] == "PRISON_COURT_REGISTER_GENERATED" and "HEARING_RESULTED" in names
    assert view["eventTypes"] == view["events"]  # the contract's example names the list eventTypes
