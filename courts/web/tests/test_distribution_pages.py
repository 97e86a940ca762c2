"""Results to partners, in the staff pages: partners configured (the secret typed once, never shown),
each hearing's messages and their state, the undelivered worklist with replay, the count on the home
page, and a warrant's PDF. Court staff only."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from courts.accounts.tests.factories import UserFactory
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.clock import now
from courts.custody.models import Warrant
from courts.distribution.enums import DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.services import PartnerSpec, partner_create
from courts.distribution.tests.test_pcr import imprison
from courts.hearings.tests.factories import CLERK

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-secret-0123456789"


def form(**overrides) -> dict:
    return {"name": "Probation", "kind": "PROBATION", "format": "HEARING_RESULTED", "url": "https://probation.example/in",
            "auth_kind": "HMAC_SHA256", "key_id": "k1", "secret": SECRET, "court_centres": "b01ly00",
            "prison_names": "", "contact_email": "", "max_attempts": "5", "deadline_minutes": "30",
            "timeout_seconds": "5", "is_active": "yes", **overrides}


def a_partner(name: str = "Prisons", **extra) -> Partner:
    spec = PartnerSpec(name=name, kind=PartnerKind.PRISON, format=MessageFormat.PRISON_COURT_REGISTER,
                       url="https://prisons.example/pcr", key_id="k1", secret=SECRET, **extra)
    return partner_create(spec=spec, actor=CLERK)


def dead(delivery: Delivery) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.DEAD, attempts=12, last_error="HTTP 503",
                                                   response_status=503)
    delivery.refresh_from_db()
    return delivery


# --- Partners ------------------------------------------------------------------------------------


def test_staff_add_a_partner_and_its_secret_is_not_shown_again(staff_client):
    assert staff_client.get(reverse("web:partner-create")).status_code == 200
    # when
    response = staff_client.post(reverse("web:partner-create"), form())
    # then
    partner = Partner.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:partner-detail",
                                                                           kwargs={"partner_id": partner.id})
    assert partner.court_centres == ["B01LY00"] and partner.max_attempts == 5
    page = staff_client.get(response["Location"])
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert "Probation added" in page.content.decode() and "The secret is not shown" in page.content.decode()
    listing = staff_client.get(reverse("web:partners"))
    assert listing.status_code == 200 and "Probation" in listing.content.decode()


def test_a_bad_partner_is_422_with_every_problem_and_nothing_is_written(staff_client):
    response = staff_client.post(reverse("web:partner-create"), form(
        name="", url="ftp://x", secret="short", court_centres="ZZ99", max_attempts="lots", is_active=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html and "govuk-error-summary" in html
    for anchor in ("#name", "#url", "#secret", "#max_attempts", "#is_active"):
        assert f'href="{anchor}"' in html, anchor
    assert 'value="short"' not in html  # a typed secret is never sent back
    assert not Partner.objects.exists()


def test_a_partner_is_changed_and_a_stale_change_is_409_and_changes_nothing(staff_client):
    partner = a_partner()
    url = reverse("web:partner-detail", kwargs={"partner_id": partner.id})
    values = form(name="Prisons", kind="PRISON", format="PRISON_COURT_REGISTER", url="https://prisons.example/v2",
                  secret="", prison_names="HMP Brixton\nHMP Leeds", contact_email="omu@prison.example",
                  expected_version=str(partner.version))
    # when
    response = staff_client.post(url, values)
    # then
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.url.endswith("/v2") and partner.prison_names == ["HMP Brixton", "HMP Leeds"]
    assert partner.contact_email == "omu@prison.example" and partner.version == 2
    stale = staff_client.post(url, {**values, "url": "https://prisons.example/v3"})
    assert stale.status_code == 409 and "changed since you opened it" in stale.content.decode()
    partner.refresh_from_db()
    assert partner.url.endswith("/v2")
    assert Event.objects.filter(type=EventType.PARTNER_UPDATED).count() == 1


def test_rotating_the_key_from_the_partners_page(staff_client):
    partner = a_partner()
    url = reverse("web:partner-detail", kwargs={"partner_id": partner.id})
    refused = staff_client.post(url, {"action": "rotate", "new_key_id": "k2", "new_secret": "short",
                                      "expected_version": str(partner.version)})
    assert refused.status_code == 422 and 'href="#new_secret"' in refused.content.decode()
    # when
    response = staff_client.post(url, {"action": "rotate", "new_key_id": "k2", "new_secret": "the-next-secret-0123",
                                       "expected_version": str(partner.version)})
    # then
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.key_id, partner.previous_key_id) == ("k2", "k1")
    assert "the-next-secret" not in staff_client.get(url).content.decode()


def test_only_court_staff_see_the_partner_and_delivery_pages(prosecutor_client):
    partner = a_partner()
    for url in (reverse("web:partners"), reverse("web:partner-create"),
                reverse("web:partner-detail", kwargs={"partner_id": partner.id}),
                reverse("web:deliveries-undelivered"),
                reverse("web:deliveries-hearing", kwargs={"hearing_id": uuid.uuid4()}),
                reverse("web:court-warrant-pdf", kwargs={"warrant_id": uuid.uuid4()})):
        assert prosecutor_client.get(url).status_code == 403, url
    response = prosecutor_client.post(reverse("web:partner-create"), form())
    assert response.status_code == 403 and Partner.objects.count() == 1


# --- Seeing it -----------------------------------------------------------------------------------


def test_a_hearings_messages_show_each_partners_state(staff_client):
    every, _ = a_partner("Every prison"), a_partner("Also every prison")
    _, hearing, defendant = imprison()
    first, second = Delivery.objects.order_by("partner__name")
    dead(first)
    Delivery.objects.filter(pk=second.pk).update(state=DeliveryState.DELIVERED, delivered_at=now(), attempts=1,
                                                 response_status=200, response_body='{"received": "yes"}')
    # when
    response = staff_client.get(reverse("web:deliveries-hearing", kwargs={"hearing_id": hearing.id}))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dead" in html and "HTTP 503" in html and "Replay" in html
    assert "Delivered" in html and "the receiver answered 200" in html and defendant.name in html
    assert every.name in html
    assert staff_client.get(reverse("web:deliveries-hearing", kwargs={"hearing_id": uuid.uuid4()})).status_code == 404


def test_the_undelivered_worklist_by_partner_with_replay_and_the_count_at_home(staff_client):
    a_partner("Prisons")
    imprison()
    delivery = dead(Delivery.objects.get())
    home = staff_client.get(reverse("web:home"))
    assert '<strong id="undelivered-count">1</strong>' in home.content.decode()
    page = staff_client.get(reverse("web:deliveries-undelivered"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="undelivered-{delivery.partner_id}"' in html and f'id="delivery-{delivery.id}"' in html
    # when
    response = staff_client.post(reverse("web:delivery-replay", kwargs={"delivery_id": delivery.id}),
                                 {"next": reverse("web:deliveries-undelivered")})
    # then
    assert response.status_code == 302 and response["Location"] == reverse("web:deliveries-undelivered")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.RETRYING
    assert "will be sent again" in staff_client.get(response["Location"]).content.decode()
    assert Event.objects.filter(type=EventType.DELIVERY_REPLAYED).count() == 1
    again = staff_client.post(reverse("web:delivery-replay", kwargs={"delivery_id": delivery.id}))
    assert again.status_code == 409 and "already waiting" in again.content.decode()
    assert Event.objects.filter(type=EventType.DELIVERY_REPLAYED).count() == 1


def test_an_overdue_message_is_on_the_worklist_and_a_foreign_next_is_ignored(staff_client):
    a_partner("Prisons")
    imprison()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(deadline=now() - dt.timedelta(minutes=5))
    html = staff_client.get(reverse("web:deliveries-undelivered")).content.decode()
    assert f'id="delivery-{delivery.id}"' in html and "Overdue" in html
    dead(delivery)
    response = staff_client.post(reverse("web:delivery-replay", kwargs={"delivery_id": delivery.id}),
                                 {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("web:deliveries-undelivered")
    assert staff_client.get(reverse("web:deliveries-undelivered") + "?partner=nope").status_code == 422


# --- The warrant's PDF ---------------------------------------------------------------------------


def test_the_warrant_pdf_downloads(staff_client):
    _, _, defendant = imprison()
    warrant = Warrant.objects.get(defendant=defendant)
    response = staff_client.get(reverse("web:court-warrant-pdf", kwargs={"warrant_id": warrant.id}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert staff_client.get(reverse("web:court-warrant-pdf", kwargs={"warrant_id": uuid.uuid4()})).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("web:partners"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_staff_user_fixture_is_court_staff():
    assert UserFactory().organisation is None
