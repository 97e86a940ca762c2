"""`courts worker`: claims due deliveries, sends them, records every attempt.

At least once: a delivery is marked delivered only after the receiver's 2xx, so a worker killed
between sending and recording sends it again, with the same idempotency key, once its lease lapses.
Any number of workers on PostgreSQL (`SELECT … FOR UPDATE SKIP LOCKED`); one at a time on SQLite,
whose write transactions are serialised anyway."""

import datetime as dt
import logging
import os
import random
import socket
import time
from dataclasses import dataclass

import requests
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.db.utils import DatabaseError, InterfaceError, OperationalError

from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.secrets import SecretUnreadable
from courts.distribution.enums import AuthKind, DeliveryState
from courts.distribution.models import Delivery, DeliveryAttempt, Partner
from courts.distribution.secrets import secret_decrypt
from courts.distribution.signing import (
    CONTRACT_KEY_ID_HEADER,
    CONTRACT_SIGNATURE_HEADER,
    CORRELATION_HEADER,
    IDEMPOTENCY_HEADER,
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    contract_signature,
    signature_header,
)

log = logging.getLogger("courts.worker")

# The environment may shorten these (the fault tests do: a worker in a subprocess retries within
# milliseconds, and a killed worker's leases lapse in seconds); production keeps the defaults.
BACKOFF_BASE_SECONDS = float(os.environ.get("COURTS_WORKER_BACKOFF_BASE", "2"))
BACKOFF_CAP_SECONDS = float(os.environ.get("COURTS_WORKER_BACKOFF_CAP", str(15 * 60)))
LEASE_MARGIN_SECONDS = float(os.environ.get("COURTS_WORKER_LEASE_MARGIN", "30"))
MAX_BODY_KEPT = 2000


def backoff_seconds(attempts: int, *, base: float | None = None, cap: float | None = None,
                    rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: a random wait up to base·2^(n−1), capped, so that many
    deliveries failing together do not retry together."""
    base = BACKOFF_BASE_SECONDS if base is None else base
    cap = BACKOFF_CAP_SECONDS if cap is None else cap
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return (rng or random).uniform(ceiling / 2, ceiling)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _due() -> Q:
    at = now()
    return Q(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING), next_attempt_at__lte=at) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=at))


def deliveries_claim(*, worker: str, batch: int = 20) -> list[Delivery]:
    """Take up to `batch` due deliveries (urgent first) under a lease, so that no other worker sends
    them meanwhile; a lease that lapses (a killed worker) frees them again."""
    with transaction.atomic():
        rows = Delivery.objects.filter(_due()).order_by("-urgent", "next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        claimed = list(rows.select_related("partner")[:batch])
        claimed_at, sending = now(), 0
        for delivery in claimed:
            # The batch is sent one after another: the k-th may wait for each before it to time out, so
            # its lease covers those too (else it lapses in hand and another worker sends it as well).
            sending += delivery.partner.timeout_seconds
            delivery.lease_until = claimed_at + dt.timedelta(seconds=sending + LEASE_MARGIN_SECONDS)
            delivery.leased_by = worker
        Delivery.objects.bulk_update(claimed, ["lease_until", "leased_by"])
    return claimed


@dataclass
class SendOutcome:
    ok: bool
    status_code: int | None
    body: str
    error: str


def _headers(delivery: Delivery, partner: Partner, body: bytes) -> dict[str, str]:
    headers = {"Content-Type": delivery.content_type, IDEMPOTENCY_HEADER: str(delivery.id),
               "User-Agent": "courts-worker"}
    if partner.auth_kind == AuthKind.HMAC_SHA256:
        timestamp = str(int(time.time()))
        keys = [(partner.key_id, secret_decrypt(partner.secret_encrypted))]
        if partner.previous_key_id and partner.previous_secret_encrypted:
            keys.append((partner.previous_key_id, secret_decrypt(partner.previous_secret_encrypted)))
        headers.update({TIMESTAMP_HEADER: timestamp, KEY_ID_HEADER: partner.key_id,
                        SIGNATURE_HEADER: signature_header(keys, timestamp, body)})
        if partner.organisation_id:
            # A client's subscription also gets the contract's own callback headers.
            headers.update({CONTRACT_KEY_ID_HEADER: partner.key_id, CORRELATION_HEADER: str(delivery.id),
                            CONTRACT_SIGNATURE_HEADER: contract_signature(keys[0][1], body)})
    elif partner.auth_kind == AuthKind.BEARER:
        headers["Authorization"] = f"Bearer {secret_decrypt(partner.secret_encrypted)}"
    return headers


def delivery_send(delivery: Delivery, *, session: requests.Session) -> SendOutcome:
    partner = delivery.partner
    body = delivery.body.encode()
    try:
        headers = _headers(delivery, partner, body)
    except SecretUnreadable as error:
        # A secret sealed under another COURTS_SECRETS_KEY: this partner's messages wait, retrying, for
        # the operator to restore the key or set a new secret; every other partner's still go.
        return SendOutcome(False, None, "", str(error)[:MAX_BODY_KEPT])
    try:
        response = session.post(partner.url, data=body, headers=headers, timeout=partner.timeout_seconds,
                                allow_redirects=False)
    except requests.RequestException as error:
        return SendOutcome(False, None, "", f"{type(error).__name__}: {error}"[:MAX_BODY_KEPT])
    text = response.text[:MAX_BODY_KEPT]
    if 200 <= response.status_code < 300:
        return SendOutcome(True, response.status_code, text, "")
    return SendOutcome(False, response.status_code, text, f"HTTP {response.status_code}")


def delivery_record(delivery: Delivery, outcome: SendOutcome, *, worker: str, started: dt.datetime) -> None:
    """Record one attempt, in one transaction, only if this worker still holds the lease."""
    with transaction.atomic():
        current = Delivery.objects.select_for_update().select_related("partner").get(pk=delivery.pk)
        if current.leased_by != worker or current.state == DeliveryState.DELIVERED:
            return  # the lease lapsed and another worker took it over: its record stands
        attempts = current.attempts + 1
        DeliveryAttempt.objects.create(delivery=current, number=attempts, worker=worker, started_at=started,
                                       finished_at=now(), status_code=outcome.status_code, error=outcome.error)
        current.attempts = attempts
        current.lease_until, current.leased_by = None, ""
        current.response_status, current.response_body = outcome.status_code, outcome.body
        if outcome.ok:
            current.state, current.delivered_at, current.last_error = DeliveryState.DELIVERED, now(), ""
        elif attempts >= current.partner.max_attempts:
            current.state, current.last_error = DeliveryState.DEAD, outcome.error
            event_record(type=EventType.DELIVERY_DEAD, actor=Actor.system(f"courts worker {worker}"),
                         case_id=current.case_id,
                         summary=f"Message to {current.partner.name} failed {attempts} times: {outcome.error[:120]}",
                         payload={"delivery_id": current.id, "partner_id": current.partner_id,
                                  "error": outcome.error})
        else:
            current.state, current.last_error = DeliveryState.RETRYING, outcome.error
            current.next_attempt_at = now() + dt.timedelta(seconds=backoff_seconds(attempts))
        current.save()


def work_once(*, worker: str, session: requests.Session, batch: int = 20) -> int:
    """Claim and send one batch; returns how many were attempted."""
    claimed = deliveries_claim(worker=worker, batch=batch)
    for delivery in claimed:
        started = now()
        outcome = delivery_send(delivery, session=session)
        delivery_record(delivery, outcome, worker=worker, started=started)
    return len(claimed)


def run(*, once: bool = False, idle_seconds: float = 1.0, batch: int = 20, stop=lambda: False) -> None:
    worker = worker_name()
    session = requests.Session()
    log.info("courts worker %s started", worker)
    while not stop():
        try:
            close_old_connections()
            done = work_once(worker=worker, session=session, batch=batch)
        except (OperationalError, InterfaceError, DatabaseError) as error:
            # The database went away: drop the connection and try again; nothing is lost, the leases lapse.
            log.warning("database unavailable (%s); retrying", error)
            connection.close()
            if once:
                raise  # `--once` (from cron, say) stops with an error rather than waiting for ever
            time.sleep(idle_seconds)
            continue
        if once:
            return
        if not done:
            time.sleep(idle_seconds)
