"""Delivery to partners on PostgreSQL: deliveries per second with one and with two `courts worker`
processes, and the lag from share to delivery, each beside the receiver's own capacity measured alone.

    .venv/bin/python bench/delivery.py                                      # 2,000 deliveries x 3 rounds
    .venv/bin/python bench/delivery.py --deliveries 300 --rounds 1 --shares 20   # a quick run

It measures, in one run and on one database (`DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/courts_bench_delivery, which it creates, migrates and loads with
reference data):

- throughput: `--deliveries` due deliveries, inserted in one transaction, delivered by one and then
  two real `courts worker` processes to a real HTTP receiver on 127.0.0.1 (`receiver.Receiver`: it
  checks each HMAC signature and records each idempotency key once), for `--rounds` rounds each. The
  rows are copies of the deliveries that real shares rendered (five partners: four hearing-resulted
  subscribers and fines enforcement), with new ids;
- the baseline: the same receiver, alone, taking as many POSTs of the same bodies with the same headers
  (signed, with an idempotency key each) from as many client processes as there are workers, each on
  one keep-alive connection; the baseline runs just before each round, so that both meet the same load;
- the lag from share to delivery (`delivered_at - event.occurred_at`; median and p99): `--shares`
  results shared through the services, one after another, while `--lag-workers` workers run with the
  worker's default idle poll (`--idle`, 1 s) as `make run` starts one; beside the receiver's own
  round trip (median and p99 of the one-client baseline).

It prints `operation | ours | baseline | ratio`, where the ratio is our time per delivery over the
receiver's time per request alone (or the lag over one round trip). See bench/README.md and
docs/performance.md, section "Delivery".
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse

if TYPE_CHECKING:
    from courts.distribution.tests.harness import Workers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/courts_bench_delivery"
KEY_ID = "bench-1"
SECRET = "delivery-bench-shared-secret-0123456789"
NOTEPAD = "plea=G FO 200 FCPC 85 FVS"  # a fine: every subscriber and fines enforcement are owed a message
# (kind, format) of the partners the shares owe: each share of a fine owes each of them one message.
PARTNERS = [
    ("PROBATION", "HEARING_RESULTED"),
    ("LEGAL_AID", "HEARING_RESULTED"),
    ("YOUTH_OFFENDING", "HEARING_RESULTED"),
    ("SUBSCRIBER", "HEARING_RESULTED"),
    ("FINES", "FINANCIAL_IMPOSITIONS"),
]
# The distribution tables, emptied between rounds; the case, listing and resulting tables (and the
# event log) are emptied at the start of every run.
DELIVERY_TABLES = ["distribution_deliveryattempt", "distribution_delivery"]
RUN_APPS = ["distribution", "custody", "hearings", "listing", "cases", "audit"]


# --- pure helpers (no database): the smoke test checks these -------------------------------------


def check_database_name(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if name in ("courts", "courts_bench", "courts_bench_listing") or name.startswith("test") or "bench" not in name:
        raise SystemExit(f"Refusing database {name!r}: the benchmark empties its case, resulting and delivery "
                         "tables, so its name must contain 'bench' (and is never 'courts', another bench's "
                         "database or 'test_*')")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


@dataclass(frozen=True)
class Template:
    """What a real share rendered for one partner: copied into as many deliveries as a round needs."""

    partner_id: Any
    event_id: Any
    case_id: Any
    hearing_id: Any
    defendant_id: Any
    content_type: str
    body: str
    urgent: bool = False


def delivery_copies(templates: list[Template], count: int, *, at: dt.datetime, deadline_minutes: int = 60) -> list:
    """`count` due deliveries (unsaved `Delivery` instances), the templates in turn, each with its own id
    (its idempotency key)."""
    from courts.distribution.models import Delivery

    return [Delivery(id=uuid.uuid4(), partner_id=t.partner_id, event_id=t.event_id, case_id=t.case_id,
                     hearing_id=t.hearing_id, defendant_id=t.defendant_id, content_type=t.content_type,
                     body=t.body, urgent=t.urgent, next_attempt_at=at, created_at=at,
                     deadline=at + dt.timedelta(minutes=deadline_minutes))
            for t in (templates[i % len(templates)] for i in range(count))]


def signed_requests(templates: list[Template], partners: dict, count: int) -> list[tuple[bytes, dict[str, str]]]:
    """`count` POSTs as the worker would send them (`worker._headers`: content type, a fresh idempotency
    key, timestamp, key id and HMAC signature), the templates in turn. `partners`: id → Partner."""
    from courts.distribution.worker import _headers

    prepared = []
    for delivery in delivery_copies(templates, count, at=dt.datetime.now(dt.UTC)):
        body = delivery.body.encode()
        prepared.append((body, _headers(delivery, partners[delivery.partner_id], body)))
    return prepared


def post_all(url: str, prepared: list[tuple[bytes, dict[str, str]]], timeout: float = 10.0):
    """POST each request in turn on one keep-alive connection; returns (wall-clock start, end, each
    round trip in seconds, statuses that were not 2xx)."""
    import requests

    session = requests.Session()
    latencies, failures = [], []
    started = time.time()
    for body, headers in prepared:
        t = time.perf_counter()
        response = session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        latencies.append(time.perf_counter() - t)
        if not 200 <= response.status_code < 300:
            failures.append(response.status_code)
    return started, time.time(), latencies, failures


def _ready() -> bool:
    return True


def chunks(items: list, n: int) -> list[list]:
    return [items[i::n] for i in range(n)]


def fmt_rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({1000 * seconds / count:.2f} ms)"


@dataclass
class Result:
    operation: str
    ours: str
    baseline: str
    ratio: float | None
    note: str = ""


def report(results: list[Result]) -> str:
    width = max(len(r.operation) for r in results)
    ours = max(20, *(len(r.ours) for r in results))
    base = max(20, *(len(r.baseline) for r in results))
    lines = [f"{'operation':<{width}} | {'ours':>{ours}} | {'baseline':>{base}} | ratio",
             f"{'-' * width}-|-{'-' * ours}-|-{'-' * base}-|------"]
    for r in results:
        ratio = f"{r.ratio:.1f}x" if r.ratio is not None else "-"
        lines.append(f"{r.operation:<{width}} | {r.ours:>{ours}} | {r.baseline:>{base}} | {ratio:>5}"
                     + (f"  ({r.note})" if r.note else ""))
    return "\n".join(lines)


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    database_url: str
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def prepare_database(self) -> None:
        import psycopg

        parsed = urlparse(self.database_url)
        name = parsed.path.lstrip("/")
        with psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and self.args.fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                print(f"Creating database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')

    def setup_django(self) -> None:
        from cryptography.fernet import Fernet

        os.environ["DATABASE_URL"] = self.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        # Partners are made afresh each run: one key encrypts their secrets here and in the workers.
        os.environ["COURTS_SECRETS_KEY"] = Fernet.generate_key().decode()
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from courts.reference.models import Offence

        call_command("migrate", verbosity=0, interactive=False)
        if not Offence.objects.exists():
            print("Loading reference data (once per bench database)")
            call_command("load_reference", verbosity=0)

    def empty(self, tables: list[str]) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")

    def reset(self) -> None:
        from django.apps import apps

        tables = [m._meta.db_table for label in RUN_APPS for m in apps.get_app_config(label).get_models()]
        self.empty(tables)

    def partners(self, url: str) -> dict:
        from courts.distribution.services import PartnerSpec, partner_create
        from courts.hearings.tests.factories import CLERK

        made = [partner_create(spec=PartnerSpec(name=f"Bench {kind.title()}", kind=kind, format=fmt, url=url,
                                                key_id=KEY_ID, secret=SECRET), actor=CLERK)
                for kind, fmt in PARTNERS]
        return {p.id: p for p in made}

    def share(self, count: int, *, defendants: int = 4, pause: float = 0.0) -> None:
        """Share a fine for `count` defendants (cases of `defendants`), through the services."""
        from courts.distribution.tests.harness import share_fine
        from courts.hearings.tests.factories import court_day, listed_case
        from courts.listing.tests.factories import room, sitting

        self.shared = getattr(self, "shared", 0)
        the_sitting = sitting(room(name=f"Bench court {self.shared}"), court_day(), capacity_minutes=600)
        done = 0
        while done < count:
            n = min(defendants, count - done)
            case, hearing = listed_case(defendants=n, urn=f"01BD{self.shared:07d}", asn_base=100000 + 10 * self.shared,
                                        the_sitting=the_sitting)
            self.shared += 1
            for defendant in case.defendants.order_by("sequence"):
                share_fine(hearing, defendant, lines=(NOTEPAD,))
                done += 1
                if pause:
                    time.sleep(pause)

    def templates(self) -> list[Template]:
        from courts.distribution.models import Delivery

        return [Template(d.partner_id, d.event_id, d.case_id, d.hearing_id, d.defendant_id, d.content_type, d.body,
                         d.urgent) for d in Delivery.objects.order_by("created_at", "partner__name")]

    def wait_delivered(self, workers: Workers, expected: int, *, what: str) -> None:
        from courts.distribution.enums import DeliveryState
        from courts.distribution.models import Delivery

        deadline = time.monotonic() + self.args.max_seconds
        while True:
            delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED).count()
            if delivered >= expected:
                return
            workers.check_alive()
            if time.monotonic() > deadline:
                raise SystemExit(f"{what}: {delivered} of {expected} delivered after {self.args.max_seconds}s")
            time.sleep(0.2)

    def capacity(self, url: str, prepared: list, clients: int, pool) -> tuple[float, list[float]]:
        """The receiver alone: `prepared` POSTs from `clients` processes at once; (seconds, round trips)."""
        futures = [pool.submit(post_all, url, chunk) for chunk in chunks(prepared, clients)]
        outcomes = [f.result() for f in futures]
        failures = [s for o in outcomes for s in o[3]]
        if failures:
            raise SystemExit(f"the receiver refused {len(failures)} baseline requests: {failures[:5]}")
        return max(o[1] for o in outcomes) - min(o[0] for o in outcomes), [x for o in outcomes for x in o[2]]

    def run(self) -> None:
        from django.db import transaction
        from django.db.models import Max, Min

        from courts.common.clock import now
        from courts.distribution.models import Delivery, DeliveryAttempt
        from courts.distribution.tests.harness import Workers
        from courts.distribution.tests.receiver import Receiver

        args = self.args
        self.reset()
        receiver = Receiver(key_id=KEY_ID, secret=SECRET)
        logs = Path(tempfile.mkdtemp(prefix="courts-bench-delivery-"))
        try:
            partners = self.partners(receiver.url)
            started = time.perf_counter()
            self.share(args.template_shares)
            templates = self.templates()
            sizes = sorted(len(t.body) for t in templates)
            self.facts.update(partners=len(partners), templates=len(templates), body_median=statistics.median(sizes),
                              body_max=sizes[-1])
            print(f"{args.template_shares} shares rendered {len(templates)} messages for {len(partners)} partners "
                  f"in {time.perf_counter() - started:.1f}s (bodies {sizes[0]:,}-{sizes[-1]:,} bytes)")
            self.empty(DELIVERY_TABLES)

            round_trips: list[float] = []
            # Fork the baseline's client processes now, before any worker and with no database in use.
            from django.db import connections

            connections.close_all()
            with concurrent.futures.ProcessPoolExecutor(max_workers=max(args.workers)) as pool:
                for _ in range(max(args.workers)):
                    pool.submit(_ready).result()
                for count in args.workers:
                    workers = Workers(logs, self.database_url, idle=0.05, batch=args.batch)
                    for _ in range(count):
                        workers.start(conn_max_age=args.conn_max_age, ready=True)
                    ours, base = [], []
                    try:
                        for r in range(args.rounds):
                            prepared = signed_requests(templates, partners, args.deliveries)
                            receiver.processed.clear()
                            receiver.bodies.clear()
                            seconds, trips = self.capacity(receiver.url, prepared, count, pool)
                            base.append(seconds)
                            if count == 1:
                                round_trips += trips
                            receiver.processed.clear()
                            receiver.bodies.clear()
                            self.empty(DELIVERY_TABLES)
                            rows = delivery_copies(templates, args.deliveries, at=now())
                            with transaction.atomic():
                                Delivery.objects.bulk_create(rows, batch_size=500)
                            self.wait_delivered(workers, args.deliveries, what=f"{count} worker(s), round {r + 1}")
                            span = DeliveryAttempt.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
                            seconds = (span["last"] - span["first"]).total_seconds()
                            ours.append(seconds)
                            if len(receiver.processed) != args.deliveries or set(receiver.processed.values()) != {1}:
                                raise SystemExit("the receiver did not process every delivery exactly once")
                            attempts = DeliveryAttempt.objects.count()
                            print(f"{count} worker(s), round {r + 1}: receiver alone {fmt_rate(args.deliveries, base[-1])}, "
                                  f"workers {fmt_rate(args.deliveries, seconds)}, {attempts} attempts", flush=True)
                    finally:
                        workers.stop()
                    best, baseline = statistics.median(ours), statistics.median(base)
                    self.results.append(Result(
                        f"deliveries per second, {count} worker{'s' if count > 1 else ''} "
                        f"({args.deliveries:,} per round, batch {args.batch})",
                        fmt_rate(args.deliveries, best), fmt_rate(args.deliveries, baseline), best / baseline,
                        note=f"median of {args.rounds}; baseline: the receiver alone, {count} client process"
                             + ("es" if count > 1 else "")))
            self.empty(DELIVERY_TABLES)

            # Lag: shares one after another while workers run as `make run` runs one.
            workers = Workers(logs, self.database_url, idle=args.idle, batch=args.batch)
            for _ in range(args.lag_workers):
                workers.start(conn_max_age=args.conn_max_age, ready=True)
            try:
                time.sleep(args.idle)
                receiver.processed.clear()
                self.share(args.shares, pause=args.share_pause)
                owed = Delivery.objects.count()
                self.wait_delivered(workers, owed, what="lag")
            finally:
                workers.stop()
            lags = [(delivered - occurred).total_seconds() for delivered, occurred in
                    Delivery.objects.values_list("delivered_at", "event__occurred_at")]
            ours = (statistics.median(lags), percentile(lags, 99))
            base = (statistics.median(round_trips), percentile(round_trips, 99))
            self.results.append(Result(
                f"lag from share to delivery, median / p99 ({args.shares} shares, {owed} deliveries, "
                f"{args.lag_workers} worker{'s' if args.lag_workers > 1 else ''}, idle {args.idle:g}s)",
                f"{1000 * ours[0]:,.0f} / {1000 * ours[1]:,.0f} ms",
                f"{1000 * base[0]:.1f} / {1000 * base[1]:.1f} ms", ours[0] / base[0],
                note="baseline: one POST's round trip to the receiver alone"))
            self.facts["lag_max"] = max(lags)
            if receiver.bad_signatures:
                raise SystemExit(f"{receiver.bad_signatures} bad signatures")
        finally:
            receiver.stop()


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def hardware() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo")
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if cpuinfo.exists() else "?"
    memory = _run("free", "-h").splitlines()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return [f"CPU: {cpu}, {_run('nproc')} cores; load average at the end {load}",
            f"Memory: {memory[1] if len(memory) > 1 else '?'}",
            f"Python {platform.python_version()} on {platform.platform()}"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries", type=int, default=2000, help="per throughput round (default 2,000)")
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds per worker count (default 3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--batch", type=int, default=20, help="the workers' --batch (default 20, as theirs)")
    parser.add_argument("--shares", type=int, default=100, help="shares for the lag (default 100)")
    parser.add_argument("--share-pause", type=float, default=0.0, help="seconds between shares (default 0)")
    parser.add_argument("--lag-workers", type=int, default=1, help="workers during the lag (default 1)")
    parser.add_argument("--idle", type=float, default=1.0, help="the lag workers' --idle (default 1.0, theirs)")
    parser.add_argument("--template-shares", type=int, default=12, help="shares rendering the copied bodies")
    parser.add_argument("--conn-max-age", type=int, default=0, help="the workers' COURTS_DB_CONN_MAX_AGE")
    parser.add_argument("--max-seconds", type=float, default=600, help="bound on each wait (default 600)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    args = parser.parse_args(argv)
    if args.deliveries < 1 or args.rounds < 1 or args.shares < 1 or args.template_shares < 1:
        parser.error("--deliveries, --rounds, --shares and --template-shares must be at least 1")
    if min(args.workers) < 1 or args.lag_workers < 1:
        parser.error("worker counts must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    check_database_name(database_url)
    bench = Bench(args, database_url)
    commit = _run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "?"
    dirty = _run("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no")
    run_started = time.perf_counter()
    bench.prepare_database()
    bench.setup_django()
    bench.run()

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print()
    print(f"courts bench/delivery.py: {' '.join(sys.argv[1:]) or '(defaults)'}")
    print(f"Code: commit {commit} at the start" + (" (with uncommitted changes)" if dirty else ""))
    for line in hardware():
        print(line)
    f = bench.facts
    print(f"PostgreSQL {server} at {urlparse(database_url).hostname}; receiver on 127.0.0.1 in the bench process; "
          f"{f['partners']} partners, message bodies median {f['body_median']:,.0f} bytes (max {f['body_max']:,})")
    print()
    print(report(bench.results))
    for note in bench.notes:
        print(f"note: {note}")
    print(f"\nLongest lag {f['lag_max']:.2f}s. Total run time {time.perf_counter() - run_started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
