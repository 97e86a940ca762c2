"""Delivery under faults, on loopback only and bounded in time.

A real HTTP receiver on 127.0.0.1 (`receiver.Receiver`) fails, times out and answers slowly at random;
real `courts worker` processes are killed with SIGKILL mid-delivery and replaced; on PostgreSQL their
database connections are dropped. Afterwards every delivery has arrived, the receiver processed each
idempotency key once, a key arrived twice only when its first sending went unanswered (a timeout) or
was in hand when a worker died or lost its database, nothing is dead that should not be, and
`reconcile` finds no gap. docs/reliability.md says which test proves what."""

import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.clock import now
from courts.distribution import worker as delivery_worker
from courts.distribution.enums import DeliveryState
from courts.distribution.models import Delivery
from courts.distribution.selectors import reconcile, undelivered_worklist
from courts.distribution.services import delivery_replay
from courts.distribution.tests.harness import (
    DELIVERED,
    FAST_WORKER,
    KEY_ID,
    SECRET,
    SUBSCRIBERS,
    Workers,
    assert_delivered_exactly_once,
    postgres_url,
    share_fine,
    subscribers,
    wait_for,
    watch,
)
from courts.distribution.tests.receiver import Faults, Receiver
from courts.distribution.worker import SendOutcome, deliveries_claim, delivery_record, work_once
from courts.hearings.tests.factories import CLERK, court_day, listed_case
from courts.listing.tests.factories import room, sitting


@pytest.fixture(autouse=True)
def secrets_key(monkeypatch):
    """One Fernet key for this process and the workers it starts, whatever the checkout's secret key."""
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("COURTS_SECRETS_KEY", key)
    return key


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(delivery_worker, "BACKOFF_BASE_SECONDS", 0.01)
    monkeypatch.setattr(delivery_worker, "BACKOFF_CAP_SECONDS", 0.05)


# --- helpers (the rest are in harness.py, shared with the soak and the delivery bench) ---------------


def court_sitting(name: str = "Courtroom F"):
    return sitting(room(name=name), court_day(), capacity_minutes=600)


def share_results(the_sitting, *, cases: int, defendants: int, first: int = 0) -> None:
    """Share a fine for every defendant of `cases` cases, each listed in `the_sitting` with `defendants`
    defendants, through the services: each share owes every subscriber its messages."""
    for c in range(first, first + cases):
        case, hearing = listed_case(defendants=defendants, urn=f"01FT{c:07d}", asn_base=300000 + 10 * c,
                                    the_sitting=the_sitting)
        for defendant in case.defendants.order_by("sequence"):
            share_fine(hearing, defendant)


# --- leases ---------------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    r = Receiver(key_id=KEY_ID, secret=SECRET)
    yield r
    r.stop()


@pytest.mark.django_db
def test_a_lease_whose_worker_died_is_taken_over_once_it_lapses_and_the_dead_worker_cannot_record(
        receiver, monkeypatch):
    monkeypatch.setattr(delivery_worker, "LEASE_MARGIN_SECONDS", 0.2)
    subscribers(receiver.url, kinds=SUBSCRIBERS[:1], timeout_seconds=1)
    share_results(court_sitting(), cases=1, defendants=1)
    session = requests.Session()
    # A worker claims the delivery, then dies before sending it (or after: it never records).
    (claimed,) = deliveries_claim(worker="host:1-killed", batch=20)
    assert claimed.leased_by == "host:1-killed"
    assert work_once(worker="host:2", session=session) == 0  # leased: nobody else sends it meanwhile
    assert wait_for(lambda: now() > claimed.lease_until, seconds=5)
    assert work_once(worker="host:2", session=session) == 1  # lapsed: taken over
    delivery = Delivery.objects.get()
    assert delivery.state == DELIVERED and delivery.attempts == 1 and delivery.leased_by == ""
    assert list(delivery.attempt_log.values_list("worker", flat=True)) == ["host:2"]
    assert receiver.processed == {str(delivery.id): 1}
    # The first worker was only stalled, not dead: what it records now is ignored.
    delivery_record(claimed, SendOutcome(False, 503, "", "HTTP 503"), worker="host:1-killed", started=now())
    delivery.refresh_from_db()
    assert delivery.state == DELIVERED and delivery.attempts == 1


@pytest.mark.django_db
def test_a_batch_is_leased_long_enough_for_each_delivery_to_wait_its_turn(receiver):
    """A worker sends its batch one delivery after another; were every lease as long as one timeout,
    the last of a batch to a hanging receiver would lapse in hand and a second worker send it too."""
    subscribers(receiver.url, kinds=SUBSCRIBERS[:1], timeout_seconds=7)
    share_results(court_sitting(), cases=1, defendants=3)
    claimed = deliveries_claim(worker="host:1", batch=20)
    assert len(claimed) == 3
    offsets = [(d.lease_until - claimed[0].lease_until).total_seconds() for d in claimed]
    assert offsets == [0, 7, 14]
    assert (claimed[0].lease_until - now()).total_seconds() > 7 + delivery_worker.LEASE_MARGIN_SECONDS - 2
    assert deliveries_claim(worker="host:2", batch=20) == []


@pytest.mark.django_db
def test_a_secret_that_cannot_be_decrypted_holds_only_its_partner_and_the_worker_goes_on(receiver):
    from courts.distribution.models import Partner

    subscribers(receiver.url, kinds=SUBSCRIBERS[:2], timeout_seconds=1)
    broken = Partner.objects.order_by("name").first()
    # Sealed under a key this deployment no longer has (COURTS_SECRETS_KEY changed).
    Partner.objects.filter(pk=broken.pk).update(
        secret_encrypted=Fernet(Fernet.generate_key()).encrypt(b"old secret").decode())
    share_results(court_sitting(), cases=1, defendants=1)
    assert work_once(worker="host:1", session=requests.Session()) == 2
    held = Delivery.objects.get(partner=broken)
    assert held.state == DeliveryState.RETRYING and "cannot be decrypted" in held.last_error
    sent = Delivery.objects.exclude(partner=broken).get()
    assert sent.state == DELIVERED and receiver.processed == {str(sent.id): 1}


# --- the database lost: the loop waits and goes on; `--once` stops with the error ---------------------


def test_the_worker_loop_rides_out_a_lost_database_and_once_does_not_wait_for_ever(monkeypatch):
    from django.db.utils import OperationalError

    calls = []

    def work_once(**kwargs):
        calls.append(kwargs["worker"])
        if len(calls) <= 2:
            raise OperationalError("server closed the connection unexpectedly")
        return 0

    class Connection:
        closed = 0

        def close(self):
            self.closed += 1

    lost = Connection()
    monkeypatch.setattr(delivery_worker, "work_once", work_once)
    monkeypatch.setattr(delivery_worker, "connection", lost)
    monkeypatch.setattr(delivery_worker, "close_old_connections", lambda: None)
    delivery_worker.run(idle_seconds=0.01, stop=lambda: len(calls) >= 4)
    assert len(calls) == 4 and lost.closed == 2  # the broken connection dropped twice, then on as before
    calls.clear()
    with pytest.raises(OperationalError):
        delivery_worker.run(once=True, idle_seconds=0.01)
    assert len(calls) == 1


# --- receiver down: dead letters, only where they belong, and replay --------------------------------


@pytest.mark.django_db
def test_a_partner_that_stays_down_gets_dead_letters_and_only_it_and_replay_delivers_them(fast_retries):
    healthy = Receiver(key_id=KEY_ID, secret=SECRET)
    failing = Receiver(key_id=KEY_ID, secret=SECRET, faults=Faults(fail_rate=1.0))
    refused = Receiver(key_id=KEY_ID, secret=SECRET)
    refused.stop()  # nothing listens on its port any more: connection refused
    try:
        good = subscribers(healthy.url, kinds=SUBSCRIBERS[:1], prefix="up ")[0]
        bad = subscribers(failing.url, kinds=SUBSCRIBERS[:1], prefix="503 ", max_attempts=3)[0]
        gone = subscribers(refused.url, kinds=SUBSCRIBERS[:1], prefix="refused ", max_attempts=3)[0]
        share_results(court_sitting(), cases=1, defendants=2)
        session = requests.Session()

        def settled():
            work_once(worker="host:1", session=session)
            return not Delivery.objects.filter(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING)).exists()

        assert wait_for(settled, seconds=20, step=0.02)
        by_partner = {p: list(Delivery.objects.filter(partner=p)) for p in (good, bad, gone)}
        assert {d.state for d in by_partner[good]} == {DELIVERED}
        for partner, error in ((bad, "HTTP 503"), (gone, "ConnectionError")):
            assert [(d.state, d.attempts) for d in by_partner[partner]] == [(DeliveryState.DEAD, 3)] * 2
            assert all(d.last_error.startswith(error) for d in by_partner[partner]), by_partner[partner]
        dead = {d.id for p in (bad, gone) for d in by_partner[p]}
        assert {d.id for d in undelivered_worklist()} == dead
        assert Event.objects.filter(type=EventType.DELIVERY_DEAD).count() == 4
        assert len(reconcile(since=court_day(0)).gaps) == 4
        assert failing.requests == 6 and failing.processed == {}

        # The 503 partner comes back; an administrator replays its dead letters, same idempotency keys.
        failing.faults = Faults()
        for delivery in by_partner[bad]:
            delivery_replay(delivery=delivery, actor=CLERK)
        assert wait_for(settled, seconds=10, step=0.02)
        assert {str(d.id) for d in by_partner[bad]} == set(failing.processed)
        assert Delivery.objects.filter(partner=bad, state=DELIVERED, attempts=4).count() == 2
        gaps = reconcile(since=court_day(0)).gaps
        assert len(gaps) == 2 and all("refused" in gap and "DEAD" in gap for gap in gaps)
    finally:
        healthy.stop()
        failing.stop()


# --- PostgreSQL: several workers, killed and disconnected ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_postgresql_workers_killed_and_cut_off_from_the_database_still_deliver_everything_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("several workers at once, and dropped database connections, need PostgreSQL")
    began = time.monotonic()
    call_command("load_reference", verbosity=0)  # transactional tests start from an empty database
    receiver = Receiver(key_id=KEY_ID, secret=SECRET, faults=Faults(
        fail_rate=0.3, timeout_rate=0.1, slow_rate=0.2, timeout_seconds=1.5, slow_seconds=0.2, seed=6))
    answers = watch(receiver)
    workers = Workers(tmp_path, postgres_url(), env=FAST_WORKER)
    interrupted: set = set()
    dropped = []

    def holding(name):
        return list(Delivery.objects.filter(leased_by=name).values_list("id", flat=True))

    def drop_database_connections() -> None:
        """Terminate every other session on the test database: the workers'."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                           "AND backend_type = 'client backend'")
            dropped.append(cursor.fetchone()[0])
        # Whatever was in hand may have been sent and not recorded: it is sent again when its lease lapses.
        interrupted.update(Delivery.objects.exclude(leased_by="").values_list("id", flat=True))

    try:
        subscribers(receiver.url)
        the_sitting = court_sitting()
        # Persistent connections (as in production) for some, a new connection per batch for others.
        first = workers.start(conn_max_age=60)
        second = workers.start(conn_max_age=0)
        share_results(the_sitting, cases=2, defendants=4)
        interrupted |= workers.kill_mid_delivery(first, holding)
        workers.start(conn_max_age=60)
        share_results(the_sitting, cases=2, defendants=4, first=2)
        drop_database_connections()
        share_results(the_sitting, cases=1, defendants=4, first=4)
        interrupted |= workers.kill_mid_delivery(second, holding)
        workers.start(conn_max_age=0)
        drop_database_connections()
        shared = time.monotonic()
        done = wait_for(lambda: not Delivery.objects.exclude(state=DELIVERED).exists(), seconds=45, step=0.2)
        states = Counter(Delivery.objects.values_list("state", flat=True))
        assert done, f"not all delivered within 45 s: {states}\n{workers.output()}"
        drained = time.monotonic()
    finally:
        workers.stop()
        receiver.stop()
    assert sum(dropped) >= 1, "no worker connection was dropped"
    assert any("database unavailable" in path.read_text() for path in tmp_path.glob("worker-*.log")), \
        workers.output()
    summary = assert_delivered_exactly_once(receiver, answers, interrupted)
    assert summary["deliveries"] == 5 * 4 * len(SUBSCRIBERS)
    assert summary["503"] and summary["timed out"]
    print(f"\nPostgreSQL faults: {summary}, killed in hand {len(interrupted)}, connections dropped {dropped}; "
          f"shares {shared - began:.1f}s, then drained in {drained - shared:.1f}s")


# --- SQLite: one worker, killed, and the database held by another writer -----------------------------


def _file_rows(path: Path, sql: str, params=()) -> list:
    with closing(sqlite3.connect(path, timeout=20)) as db:
        return db.execute(sql, params).fetchall()


@pytest.mark.django_db(transaction=True)
def test_sqlite_one_worker_killed_and_restarted_delivers_everything_once(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run; PostgreSQL has its own with several workers")
    began = time.monotonic()
    call_command("load_reference", verbosity=0)  # transactional tests start from an empty database
    receiver = Receiver(key_id=KEY_ID, secret=SECRET, faults=Faults(
        fail_rate=0.3, timeout_rate=0.1, slow_rate=0.2, timeout_seconds=1.5, slow_seconds=0.2, seed=7))
    answers = watch(receiver)
    # The worker runs in its own process on a file: a copy of the test database with the shares in it.
    database = tmp_path / "courts.sqlite3"
    workers = Workers(tmp_path, f"sqlite:///{database}", env=FAST_WORKER)
    interrupted: set = set()
    try:
        subscribers(receiver.url)
        share_results(court_sitting(), cases=3, defendants=4)
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as copy:
            connection.connection.backup(copy)
        undelivered = "SELECT count(*) FROM distribution_delivery WHERE state <> 'DELIVERED'"
        total = _file_rows(database, "SELECT count(*) FROM distribution_delivery")[0][0]

        def holding(name):
            return [row[0] for row in _file_rows(database, "SELECT id FROM distribution_delivery WHERE leased_by = ?",
                                                 (name,))]

        first = workers.start()
        interrupted |= workers.kill_mid_delivery(first, holding)
        second = workers.start()
        # Another writer holds the database for 2 seconds: the worker waits (busy timeout) and goes on.
        left = _file_rows(database, undelivered)[0][0]
        assert wait_for(lambda: _file_rows(database, undelivered)[0][0] <= left - 5, seconds=20)
        with closing(sqlite3.connect(database, timeout=20, isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            time.sleep(2)
            writer.execute("COMMIT")
        assert second.poll() is None
        done = wait_for(lambda: _file_rows(database, undelivered)[0][0] == 0, seconds=45, step=0.2)
        assert done, f"not all delivered within 45 s\n{workers.output()}"
    finally:
        workers.stop()
        receiver.stop()
    # Bring the worker's database back into the test database, to check it with the ORM.
    with closing(sqlite3.connect(database)) as result:
        result.execute("PRAGMA journal_mode=DELETE")
        result.backup(connection.connection)
    # The row ids are UUIDs stored as hex without dashes on SQLite.
    interrupted = {Delivery.objects.get(id=value).id for value in interrupted}
    summary = assert_delivered_exactly_once(receiver, answers, interrupted)
    assert summary["deliveries"] == total == 3 * 4 * len(SUBSCRIBERS)
    print(f"\nSQLite faults: {summary}, killed in hand {len(interrupted)}; {time.monotonic() - began:.1f}s")
