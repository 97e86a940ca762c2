"""The distribution API: partners configured by court staff (secrets write-only), each hearing's
deliveries, the undelivered worklist and replay; and the subscription contract
(`api-cp-crime-hearing-results-document-subscription`) for organisations' clients, whose answers are
checked against the contract's component schemas."""

import json
import uuid

import pytest
import requests
from django.test import Client

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import api_token_create, organisation_get_or_create
from courts.api.tests.test_cases import make_token
from courts.api.tests.test_listing import API, assert_problem, post, put, staff_client
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.actor import Actor
from courts.custody.models import Warrant
from courts.distribution.enums import DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.tests.receiver import Faults, Receiver
from courts.distribution.tests.test_pcr import imprison
from courts.distribution.tests.test_subscriptions import contract_errors
from courts.distribution.worker import work_once

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-secret-0123456789"
CALLBACK = "https://client.example.com/events"


def partner_body(**overrides) -> dict:
    return {"name": "Probation", "kind": "PROBATION", "format": "HEARING_RESULTED", "url": "https://probation.example/in",
            "authKind": "HMAC_SHA256", "keyId": "k1", "secret": SECRET, "courtCentres": ["b01ly00"],
            "maxAttempts": 5, "deadlineMinutes": 30, "timeoutSeconds": 5, **overrides}


def agency_token(name: str = "HM Prison and Probation Service") -> str:
    organisation, _ = organisation_get_or_create(name=name, kind=OrganisationKind.PARTNER, actor=Actor.system())
    return api_token_create(organisation=organisation, name="subscriptions", actor=Actor.system())[1]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def staff() -> Client:
    return staff_client()


# --- Partners ------------------------------------------------------------------------------------


def test_staff_configure_a_partner_whose_secret_is_never_returned(staff):
    # when
    response = post(staff, "/partners", partner_body())
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/partners/{body['id']}"
    assert SECRET not in response.content.decode() and body["hasSecret"] and body["keyId"] == "k1"
    assert body["courtCentres"] == ["B01LY00"] and body["deliveries"] == {"PENDING": 0, "RETRYING": 0,
                                                                           "DELIVERED": 0, "DEAD": 0}
    listed = staff.get(f"{API}/partners").json()
    assert [p["name"] for p in listed] == ["Probation"] and SECRET not in json.dumps(listed)
    assert Event.objects.filter(type=EventType.PARTNER_CONFIGURED).count() == 1


def test_a_bad_partner_is_422_naming_the_bodys_fields_and_nothing_is_written(staff):
    response = post(staff, "/partners", partner_body(name="", kind="NOPE", url="http://partner.example/", secret="short",
                                                     courtCentres=["ZZ99"], maxAttempts=0))
    body = assert_problem(response, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"name", "kind", "url", "secret", "courtCentres", "maxAttempts"}
    assert not Partner.objects.exists() and not Event.objects.filter(type=EventType.PARTNER_CONFIGURED).exists()


def test_a_partner_is_changed_with_the_version_read_and_a_stale_change_is_409(staff):
    created = post(staff, "/partners", partner_body()).json()
    change = partner_body(url="https://probation.example/v2", prisonNames=[], isActive=False, secret="",
                          expectedVersion=created["version"])
    # when
    response = put(staff, f"/partners/{created['id']}", change)
    # then
    assert response.status_code == 200, response.content
    assert response.json()["url"].endswith("/v2") and response.json()["isActive"] is False
    assert response.json()["version"] == created["version"] + 1
    assert_problem(put(staff, f"/partners/{created['id']}", {**change, "url": "https://x.example/"}), 409,
                   "stale_version")
    assert Partner.objects.get().url.endswith("/v2")
    # A new secret goes through rotation, not an update.
    refused = put(staff, f"/partners/{created['id']}", {**change, "secret": "another-long-secret-000",
                                                        "expectedVersion": created["version"] + 1})
    assert {e["field"] for e in assert_problem(refused, 422, "validation_failed")["errors"]} == {"secret"}
    events = Event.objects.filter(type=EventType.PARTNER_UPDATED)
    assert events.count() == 1 and "url" in events.get().payload["changed"]


def test_rotating_the_key_keeps_the_previous_one_and_shows_neither_secret(staff):
    created = post(staff, "/partners", partner_body()).json()
    # when
    response = post(staff, f"/partners/{created['id']}/key", {"keyId": "k2", "secret": "the-next-secret-0123456",
                                                              "expectedVersion": created["version"]})
    # then
    assert response.status_code == 200, response.content
    assert response.json()["keyId"] == "k2" and response.json()["previousKeyId"] == "k1"
    assert "the-next-secret" not in response.content.decode()
    assert_problem(post(staff, f"/partners/{created['id']}/key", {"keyId": "k3", "secret": "x" * 20,
                                                                  "expectedVersion": created["version"]}),
                   409, "stale_version")


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/partners"), ("post", "/partners"), ("get", "/deliveries"),
    ("get", f"/hearings/{uuid.uuid4()}/deliveries"), ("post", f"/deliveries/{uuid.uuid4()}/replay"),
])
def test_only_court_staff_see_or_change_partners_and_deliveries(client, method, path):
    token = make_token()
    if method == "get":
        response = client.get(API + path, **bearer(token))
    else:
        response = client.post(API + path, partner_body(), content_type="application/json", **bearer(token))
    assert_problem(response, 403, "forbidden")
    assert not Partner.objects.exists()


def test_unknown_partner_is_404(staff):
    assert_problem(staff.get(f"{API}/partners/{uuid.uuid4()}"), 404, "not_found")
    assert_problem(staff.get(f"{API}/partners/not-a-uuid"), 404, "not_found")


# --- Deliveries ----------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    r = Receiver(key_id="k1", secret=SECRET)
    yield r
    r.stop()


def test_each_hearings_messages_and_their_state_replay_and_the_worklist(staff, receiver):
    receiver.faults = Faults(fail_rate=1.0)
    partner = post(staff, "/partners", partner_body(url=receiver.url, maxAttempts=1, courtCentres=[])).json()
    post(staff, "/partners", partner_body(name="Prisons", kind="PRISON", format="PRISON_COURT_REGISTER",
                                          url="https://prisons.example/pcr", courtCentres=[]))
    _, hearing, defendant = imprison()
    # when: the probation message fails once, which is all it is allowed
    work_once(worker="test", session=requests.Session())
    # then
    response = staff.get(f"{API}/hearings/{hearing.id}/deliveries")
    assert response.status_code == 200, response.content
    states = {d["partner"]["name"]: d for d in response.json()}
    assert set(states) == {"Probation", "Prisons"}
    dead = states["Probation"]
    assert dead["state"] == "DEAD" and dead["overdue"] and dead["lastError"] == "HTTP 503"
    assert dead["responseStatus"] == 503 and dead["defendantId"] == str(defendant.id)
    assert states["Prisons"]["state"] in ("PENDING", "RETRYING") and states["Prisons"]["urgent"]
    worklist = staff.get(f"{API}/deliveries").json()  # by default: the undelivered worklist
    assert [d["id"] for d in worklist] == [dead["id"]]
    assert [d["id"] for d in staff.get(f"{API}/deliveries?state=DEAD&partnerId={partner['id']}").json()] == [
        dead["id"]]
    assert_problem(staff.get(f"{API}/deliveries?state=LOST"), 422, "validation_failed")
    # when: replayed once the partner is back
    receiver.faults = Faults()
    replayed = post(staff, f"/deliveries/{dead['id']}/replay", {})
    # then
    assert replayed.status_code == 200, replayed.content
    assert replayed.json()["state"] == "RETRYING" and replayed.json()["nextAttemptAt"]
    assert_problem(post(staff, f"/deliveries/{dead['id']}/replay", {}), 409, "not_dead")
    Delivery.objects.exclude(pk=dead["id"]).delete()  # the prisons' endpoint is not on this machine
    work_once(worker="test", session=requests.Session())
    delivered = staff.get(f"{API}/deliveries/{dead['id']}").json()
    assert delivered["state"] == "DELIVERED" and delivered["deliveredAt"] and delivered["responseStatus"] == 200
    assert json.loads(delivered["responseBody"]) == {"received": dead["id"]}
    assert staff.get(f"{API}/deliveries").json() == []


def test_an_unknown_hearing_or_delivery_is_404(staff):
    assert_problem(staff.get(f"{API}/hearings/{uuid.uuid4()}/deliveries"), 404, "not_found")
    assert_problem(post(staff, f"/deliveries/{uuid.uuid4()}/replay", {}), 404, "not_found")


# --- The subscription contract -------------------------------------------------------------------


def create(client: Client, token: str, body: dict | None = None, **headers):
    return client.post(f"{API}/client-subscriptions", body or {
        "notificationEndpoint": {"callbackUrl": CALLBACK}, "eventTypes": ["PRISON_COURT_REGISTER_GENERATED"]},
        content_type="application/json", **bearer(token), **headers)


def assert_contract_problem(response, status: int, error: str) -> dict:
    """problem+json that is also the contract's ErrorResponse, with the correlation id."""
    body = assert_problem(response, status, error)
    assert body["error"] == error and body["message"] == body["detail"]
    assert contract_errors("ErrorResponse", body, strict=False) == []
    assert uuid.UUID(response["X-Correlation-Id"])
    return body


def test_a_client_creates_reads_updates_and_deletes_its_subscription(client):
    token = agency_token()
    correlation = str(uuid.uuid4())
    # when
    response = create(client, token, HTTP_X_CORRELATION_ID=correlation)
    # then
    assert response.status_code == 201, response.content
    created = response.json()
    assert contract_errors("ClientSubscription", created) == []
    assert response["X-Correlation-Id"] == correlation
    assert response["Location"] == f"/api/v1/client-subscriptions/{created['clientSubscriptionId']}"
    secret, key_id = created["hmac"]["secret"], created["hmac"]["keyId"]
    url = f"{API}/client-subscriptions/{created['clientSubscriptionId']}"

    read = client.get(url, **bearer(token))
    assert read.status_code == 200 and contract_errors("ClientSubscription", read.json()) == []
    assert secret not in read.content.decode() and read.json()["hmac"] == {"keyId": key_id}
    assert uuid.UUID(read["X-Correlation-Id"])

    updated = client.put(url, {"notificationEndpoint": {"callbackUrl": "https://client.example.com/new-hook"},
                               "eventTypes": ["WEE_CustodialSentence"]}, content_type="application/json",
                         **bearer(token))
    assert updated.status_code == 200, updated.content
    assert contract_errors("ClientSubscription", updated.json()) == []
    assert updated.json()["eventTypes"] == ["WEE_CustodialSentence"] and updated.json()["updatedAt"]

    rotated = client.post(f"{url}/secret/rotate", {"keyId": key_id}, content_type="application/json", **bearer(token))
    assert rotated.status_code == 200 and contract_errors("HmacCredentials", rotated.json()) == []
    assert rotated.json()["keyId"] != key_id and rotated.json()["secret"] != secret
    assert_contract_problem(client.post(f"{url}/secret/rotate", {"keyId": key_id}, content_type="application/json",
                                        **bearer(token)), 404, "key_not_found")

    deleted = client.delete(url, **bearer(token))
    assert deleted.status_code == 204 and uuid.UUID(deleted["X-Correlation-Id"])
    assert_contract_problem(client.get(url, **bearer(token)), 404, "not_found")
    assert not Partner.objects.get().is_active


def test_the_event_types_validate(client):
    response = client.get(f"{API}/event-types", **bearer(agency_token()))
    assert response.status_code == 200
    assert contract_errors("EventTypeResponse", {"events": response.json()["events"]}) == []


def test_another_clients_or_an_unknown_subscription_is_404_and_unchanged(client):
    mine = create(client, agency_token()).json()
    other = agency_token("Another agency")
    url = f"{API}/client-subscriptions/{mine['clientSubscriptionId']}"
    change = {"notificationEndpoint": {"callbackUrl": "https://evil.example/"}, "eventTypes": ["WEE_Remand"]}
    assert_contract_problem(client.get(url, **bearer(other)), 404, "not_found")
    assert_contract_problem(client.put(url, change, content_type="application/json", **bearer(other)), 404,
                            "not_found")
    assert_contract_problem(client.delete(url, **bearer(other)), 404, "not_found")
    assert_contract_problem(client.post(f"{url}/secret/rotate", {"keyId": mine["hmac"]["keyId"]},
                                        content_type="application/json", **bearer(other)), 404, "not_found")
    assert_contract_problem(client.get(f"{API}/client-subscriptions/{uuid.uuid4()}", **bearer(other)), 404,
                            "not_found")
    assert_contract_problem(client.get(f"{API}/client-subscriptions/nope", **bearer(other)), 404, "not_found")
    partner = Partner.objects.get()
    assert partner.url == CALLBACK and partner.is_active and partner.version == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"notificationEndpoint": {"callbackUrl": "http://client.example.com/events"},
      "eventTypes": ["PRISON_COURT_REGISTER_GENERATED"]}, "notificationEndpoint/callbackUrl"),
    ({"notificationEndpoint": {"callbackUrl": "not a url"}, "eventTypes": ["PRISON_COURT_REGISTER_GENERATED"]},
     "notificationEndpoint/callbackUrl"),
    ({"notificationEndpoint": {"callbackUrl": CALLBACK}, "eventTypes": []}, "eventTypes"),
    ({"notificationEndpoint": {"callbackUrl": CALLBACK}}, "eventTypes"),
    ({"eventTypes": ["WEE_Remand"]}, "notificationEndpoint/callbackUrl"),
    (["not", "an", "object"], "body"),
])
def test_a_bad_subscription_request_is_400_and_writes_nothing(client, body, field):
    response = create(client, agency_token(), body)
    problem = assert_contract_problem(response, 400, "invalid_request")
    assert field in {e["field"] for e in problem["errors"]}
    assert not Partner.objects.exists()


def test_a_body_that_is_not_json_is_400(client):
    response = client.post(f"{API}/client-subscriptions", "{not json", content_type="application/json",
                           **bearer(agency_token()))
    assert_contract_problem(response, 400, "invalid_request")


def test_subscriptions_need_an_organisations_token(client):
    assert_problem(create(client, "crt_wrong"), 401, "unauthenticated")
    staff = staff_client()
    response = staff.post(f"{API}/client-subscriptions", {"notificationEndpoint": {"callbackUrl": CALLBACK},
                                                          "eventTypes": ["WEE_Remand"]}, content_type="application/json")
    assert_contract_problem(response, 403, "forbidden")
    assert not Partner.objects.exists()


def test_a_subscriber_fetches_the_pdf_of_a_document_it_was_notified_of(client):
    token = agency_token()
    created = create(client, token).json()
    other = create(client, agency_token("Another agency")).json()
    _, _, defendant = imprison()
    warrant = Warrant.objects.get(defendant=defendant)
    notified = json.loads(Delivery.objects.get(partner_id=created["clientSubscriptionId"]).body)
    assert contract_errors("EventNotificationPayload", {**notified, "prisonEmailAddress": "x@example.com"}) == []
    url = f"{API}/client-subscriptions/{created['clientSubscriptionId']}/documents/{notified['documentId']}"
    # when
    response = client.get(url, **bearer(token))
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and notified["documentId"] == str(warrant.id)
    # Another client's subscription, even one notified of it, cannot fetch it through this one.
    assert_contract_problem(client.get(url, **bearer(agency_token("Another agency"))), 404, "not_found")
    theirs = f"{API}/client-subscriptions/{other['clientSubscriptionId']}/documents/{uuid.uuid4()}"
    assert_contract_problem(client.get(theirs, **bearer(agency_token("Another agency"))), 404, "not_found")


def test_partners_list_shows_subscriptions_with_their_organisation(staff, client):
    create(client, agency_token())
    [listed] = staff.get(f"{API}/partners").json()
    assert listed["kind"] == PartnerKind.SUBSCRIBER and listed["organisation"] == "HM Prison and Probation Service"
    assert listed["eventTypes"] == ["PRISON_COURT_REGISTER_GENERATED"]
    assert listed["format"] == MessageFormat.PRISON_COURT_REGISTER and listed["hasSecret"]
    assert DeliveryState.DEAD in listed["deliveries"]
