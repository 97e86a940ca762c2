"""bench/delivery.py must keep sending what the worker sends and inserting deliveries the worker can
deliver: a check of its requests and rows, never of its timings (no PostgreSQL needed)."""

import importlib.util
import sys
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from django.conf import settings

from courts.common.clock import now
from courts.distribution.enums import DeliveryState
from courts.distribution.models import Delivery
from courts.distribution.tests.receiver import Receiver
from courts.distribution.worker import work_once

BENCH = Path(settings.BASE_DIR) / "bench" / "delivery.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_delivery", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture
def receiver(bench, monkeypatch):
    monkeypatch.setenv("COURTS_SECRETS_KEY", Fernet.generate_key().decode())
    r = Receiver(key_id=bench.KEY_ID, secret=bench.SECRET)
    yield r
    r.stop()


def test_it_refuses_any_database_but_its_own(bench):
    for url in ("postgres://postgres@127.0.0.1/courts", "postgres://postgres@127.0.0.1/courts_bench",
                "postgres://postgres@127.0.0.1/courts_bench_listing", "postgres://postgres@127.0.0.1/test_courts_bench",
                "postgres://postgres@127.0.0.1/other", "sqlite:///data/bench.sqlite3"):
        with pytest.raises(SystemExit):
            bench.check_database_name(url)
    bench.check_database_name(bench.DEFAULT_DATABASE_URL)


def test_arguments_and_helpers(bench):
    args = bench.parse_args([])
    assert (args.deliveries, args.rounds, args.workers, args.idle, args.batch) == (2000, 3, [1, 2], 1.0, 20)
    with pytest.raises(SystemExit):
        bench.parse_args(["--workers", "0"])
    assert bench.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert bench.percentile(list(range(101)), 99) == 99
    assert [len(c) for c in bench.chunks(list(range(7)), 2)] == [4, 3]
    table = bench.report([bench.Result("deliveries per second, 1 worker", "80/s (12.50 ms)", "300/s (3.33 ms)", 3.75)])
    assert table.splitlines()[-1].endswith("|  3.8x")


@pytest.mark.django_db
def test_what_the_bench_inserts_and_sends_is_what_the_worker_delivers(bench, receiver):
    run = bench.Bench(bench.parse_args(["--template-shares", "2"]), bench.DEFAULT_DATABASE_URL)
    partners = run.partners(receiver.url)
    run.share(2)
    templates = run.templates()
    assert len(templates) == 2 * len(bench.PARTNERS) and all(t.body for t in templates)

    # The baseline: the receiver takes the requests as the worker would send them (signed, one key each).
    prepared = bench.signed_requests(templates, partners, 12)
    started, ended, latencies, failures = bench.post_all(receiver.url, prepared)
    assert failures == [] and len(latencies) == 12 and ended >= started
    assert len(receiver.processed) == 12 and receiver.bad_signatures == 0

    # The rows a throughput round inserts are deliverable as they stand.
    receiver.processed.clear()
    Delivery.objects.all().delete()
    Delivery.objects.bulk_create(bench.delivery_copies(templates, 15, at=now()))
    session = requests.Session()
    while work_once(worker="bench-smoke", session=session):
        pass
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 15
    assert len(receiver.processed) == 15 and set(receiver.processed.values()) == {1}
    assert receiver.bad_signatures == 0
