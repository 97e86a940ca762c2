"""The transactional outbox: sharing writes the deliveries it owes; the worker sends them, signed,
with an idempotency key; failures back off, then die where people see them; replay; reconcile."""

import json

import pytest
import requests

from courts.distribution.enums import AuthKind, DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.distribution.selectors import reconcile, undelivered_worklist
from courts.distribution.services import PartnerSpec, delivery_replay, partner_create, partner_secret_rotate
from courts.distribution.tests.receiver import Faults, Receiver
from courts.distribution.worker import backoff_seconds, work_once
from courts.hearings.models import DefendantResulting
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK, listed_case
from tests.cp_schemas import schema_errors

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-secret-0123456789"


@pytest.fixture
def receiver():
    r = Receiver(key_id="k1", secret=SECRET)
    yield r
    r.stop()


def partner(receiver, *, fmt=MessageFormat.HEARING_RESULTED, kind=PartnerKind.PROBATION, **extra):
    spec = PartnerSpec(name=f"{kind} {fmt}", kind=kind, format=fmt, url=receiver.url, key_id="k1", secret=SECRET,
                       **extra)
    return partner_create(spec=spec, actor=CLERK)


def share_fine():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    draft = {"offences": {str(defendant.offences.get().id): {"notepad": "plea=G FO 200 FCPC 85 FVS"}}}
    resulting, _ = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                      actor=CLERK)
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)
    return case, hearing


def test_sharing_owes_each_partner_its_message_in_the_same_transaction(receiver):
    probation = partner(receiver)
    fines = partner(receiver, fmt=MessageFormat.FINANCIAL_IMPOSITIONS, kind=PartnerKind.FINES)
    partner(receiver, fmt=MessageFormat.PRISON_COURT_REGISTER, kind=PartnerKind.PRISON)  # no custody: owes nothing
    case, hearing = share_fine()
    deliveries = {d.partner_id: d for d in Delivery.objects.all()}
    assert set(deliveries) == {probation.id, fines.id}
    webhook = json.loads(deliveries[probation.id].body)
    assert schema_errors("api/hearing-resulted.json", webhook) == []
    money = json.loads(deliveries[fines.id].body)
    assert {r["code"] for r in money["results"]} == {"FO", "FCPC", "FVS"}


def test_a_failed_share_owes_nothing(receiver):
    partner(receiver)
    case, hearing = listed_case()
    defendant = case.defendants.get()
    results_draft_save(hearing=hearing, defendant=defendant, draft={}, expected_version=1, actor=CLERK)
    with pytest.raises(Exception):  # noqa: B017 - the share is refused: no final result
        results_share(hearing=hearing, defendant=defendant, expected_version=2, actor=CLERK)
    assert not Delivery.objects.exists()


def test_the_worker_delivers_signed_with_an_idempotency_key(receiver):
    partner(receiver)
    share_fine()
    assert work_once(worker="test", session=requests.Session()) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1
    assert receiver.processed == {str(delivery.id): 1} and receiver.bad_signatures == 0
    assert reconcile(since=delivery.created_at.date()).gaps == []


def test_failures_back_off_then_die_where_people_see_them_and_can_be_replayed(receiver):
    receiver.faults = Faults(fail_rate=1.0)
    partner(receiver, max_attempts=2)
    case, _ = share_fine()
    session = requests.Session()
    work_once(worker="test", session=session)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.RETRYING and delivery.last_error == "HTTP 503"
    assert delivery.next_attempt_at > delivery.created_at
    Delivery.objects.update(next_attempt_at=delivery.created_at)
    work_once(worker="test", session=session)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD and delivery.attempts == 2
    assert undelivered_worklist() == [delivery]
    report = reconcile(since=delivery.created_at.date())
    assert len(report.gaps) == 1 and "DEAD" in report.gaps[0]
    receiver.faults = Faults()
    delivery_replay(delivery=delivery, actor=CLERK)
    work_once(worker="test", session=session)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    assert reconcile(since=delivery.created_at.date()).gaps == []


def test_a_rotated_secret_still_verifies_with_the_old_key(receiver):
    p = partner(receiver)
    partner_secret_rotate(partner=p, key_id="k2", secret="the-next-shared-secret-9876", expected_version=1,
                          actor=CLERK)
    share_fine()
    work_once(worker="test", session=requests.Session())
    # The receiver still knows only k1: the message carries both signatures during the rotation.
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_partner_configuration_is_validated_field_by_field():
    from courts.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as bad:
        partner_create(spec=PartnerSpec(name="", kind="NOPE", format="HEARING_RESULTED", url="http://partner.example/",
                                        auth_kind=AuthKind.HMAC_SHA256, secret="short", court_centres=["ZZ99"]),
                       actor=CLERK)
    assert {e.field for e in bad.value.errors} == {"name", "kind", "url", "key_id", "secret", "court_centres"}
    assert not Partner.objects.exists()


def test_backoff_grows_with_jitter_and_a_cap():
    import random

    rng = random.Random(3)
    waits = [backoff_seconds(n, rng=rng) for n in range(1, 15)]
    assert 1 <= waits[0] <= 2 and 4 <= waits[2] <= 8
    assert max(waits) <= 15 * 60
    assert DefendantResulting.objects.count() == 0


def test_a_police_message_bichard_would_reject_is_held_for_a_person_not_sent(receiver):
    partner(receiver, fmt=MessageFormat.SPI_RESULTS, kind=PartnerKind.POLICE)
    case, _ = share_fine()  # the defendant has no address: the police national computer needs one
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DEAD
    assert "HO100217" in delivery.last_error and delivery.last_error.startswith("Held, not sent")
    assert work_once(worker="test", session=requests.Session()) == 0
    assert receiver.requests == 0
    assert undelivered_worklist() == [delivery]


def test_a_valid_police_message_is_sent(receiver):
    from courts.cases.models import Defendant

    partner(receiver, fmt=MessageFormat.SPI_RESULTS, kind=PartnerKind.POLICE)
    Defendant.objects.update(address_lines=["1 High Street", "London"], postcode="SW11 1JU")
    case, hearing = listed_case()
    Defendant.objects.filter(case=case).update(address_lines=["1 High Street", "London"], postcode="SW11 1JU")
    defendant = case.defendants.get()
    draft = {"offences": {str(defendant.offences.get().id): {"notepad": "plea=G FO 200 FCPC 85 FVS"}}}
    resulting, _ = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                      actor=CLERK)
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING, delivery.last_error
    assert delivery.body.lstrip().startswith("<") and "ResultedCaseMessage" in delivery.body
    work_once(worker="test", session=requests.Session())
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
