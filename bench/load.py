"""A court day's mixed traffic against gunicorn and the delivery workers, on a national data set, beside
the same reads and writes as raw SQL on the same database.

    .venv/bin/python bench/dataset.py --scale 0.0133334 --database-url postgres://postgres@127.0.0.1:5432/courts_bench_load_100k
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/courts_bench_load_100k
    .venv/bin/python bench/load.py --seconds 20 --clients 4                      # a quick run

It works on a database that `bench/dataset.py` filled (`--database-url`, default `BENCH_DATABASE_URL`, else
postgres://postgres@127.0.0.1:5432/courts_bench), on loopback only, and is bounded in time. In one run:

1. set-up, through the services: an HMCTS organisation's bearer token (resulting, listing, search), a police
   force's token (intake), a national court-staff user and a defence solicitor of the firm on record for
   the most defendants, each with a signed-in session, and five partners whose deliveries go to a real
   receiver (`courts.distribution.tests.receiver.Receiver`, in its own process). It picks, at random
   (`--seed`), the cases to open and search, the firm's defendants, the court centres sitting on `--day`,
   and the listed hearings to move and to result;
2. our side: `gunicorn config.wsgi` with `--web-workers` processes and `--delivery-workers` `courts worker`
   processes, as a deployment runs them; `--clients` threads, each sending one request at a time (no
   think time) for `--seconds` after `--warm-up` seconds, each request an operation drawn from the
   court-day mix (`MIX`);
3. deliveries: every delivery the shares of step 2 owed, delivered by the workers (it waits for them),
   with its lag from being owed to being delivered;
4. the baseline: the same threads, the same mix, for the same time (after one second of warm-up), each
   operation done as raw SQL with psycopg on one connection per thread: the rows the page or the API
   reads, or the rows it writes, in one transaction (`Baseline`). Each side writes its own half of the
   hearings and cases picked at set-up.

It prints, per operation, how many were done, the rate, p50/p95/p99 on both sides and the ratios of the
p50s and p95s (ours over the baseline's); the CPU per operation of each kind of process on each side
(`cpu_seconds`); and any answer that was not what the operation expects. A 5xx, a delivery not made or a
bad signature fails the run. See bench/README.md and docs/performance.md ("Load").
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count, islice
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/courts_bench"
KEY_ID = "load-1"
SECRET = "load-bench-shared-secret-0123456789abcdef"
NOTEPAD = "plea=G FO 200 FCPC 85 FVS"  # a fine on a guilty plea: the commonest magistrates' outcome
PARTNERS = [  # (kind, format): each share of a fine owes each of them one message
    ("PROBATION", "HEARING_RESULTED"),
    ("LEGAL_AID", "HEARING_RESULTED"),
    ("YOUTH_OFFENDING", "HEARING_RESULTED"),
    ("SUBSCRIBER", "HEARING_RESULTED"),
    ("FINES", "FINANCIAL_IMPOSITIONS"),
]
# A court day's operations and their weights: people reading cases far outnumber the writes (see
# docs/performance.md, "Load", for how the weights were chosen).
MIX = {
    "case page": 25,
    "search by URN": 15,
    "defence portal case": 10,
    "court list": 5,
    "intake": 8,
    "listing change": 5,
    "result and share": 10,
}
OPERATIONS = tuple(MIX)


# --- pure helpers (the smoke test checks these) ----------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def pick_operation(rng: random.Random, available: set[str]) -> str:
    names = [n for n in OPERATIONS if n in available]
    return rng.choices(names, weights=[MIX[n] for n in names])[0]


@dataclass
class Tally:
    """Latencies (seconds) and unexpected answers per operation, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unexpected: Counter = field(default_factory=Counter)  # (operation, status or error) -> count
    examples: dict = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of the measured window, by process kind

    def __post_init__(self):
        self._lock = threading.Lock()

    def record(self, operation: str, seconds: float) -> None:
        with self._lock:
            self.latencies[operation].append(seconds)

    def wrong(self, operation: str, what: str, example: str = "") -> None:
        with self._lock:
            self.unexpected[(operation, what)] += 1
            self.examples.setdefault((operation, what), example[:500])


def report(ours: Tally, baseline: Tally, seconds: float) -> str:
    head = (f"{'operation':<20} | {'done':>6} | {'ours /s':>7} | {'ours p50 / p95 / p99 ms':>25} | "
            f"{'baseline p50 / p95 / p99 ms':>27} | {'ratio p50':>9} | {'ratio p95':>9}")
    lines = [head, "-" * len(head)]
    for name in OPERATIONS:
        a, b = ours.latencies.get(name, []), baseline.latencies.get(name, [])
        if not a:
            continue

        def ms(values: list[float]) -> str:
            return " / ".join(f"{percentile(values, q) * 1000:.1f}" for q in (50, 95, 99)) if values else "-"

        r50 = f"{percentile(a, 50) / percentile(b, 50):.1f}x" if b else "-"
        r95 = f"{percentile(a, 95) / percentile(b, 95):.1f}x" if b else "-"
        lines.append(f"{name:<20} | {len(a):>6} | {len(a) / seconds:>7.1f} | {ms(a):>25} | {ms(b):>27} | "
                     f"{r50:>9} | {r95:>9}")
    total = sum(len(v) for v in ours.latencies.values())
    base_total = sum(len(v) for v in baseline.latencies.values())
    lines.append("-" * len(head))
    lines.append(f"{'all operations':<20} | {total:>6} | {total / seconds:>7.1f} | baseline: {base_total} operations, "
                 f"{base_total / seconds:.0f}/s")
    for tally, side, done in ((ours, "ours", total), (baseline, "baseline", base_total)):
        if tally.cpu and done:
            parts = ", ".join(f"{kind} {cpu / done * 1000:.2f}" for kind, cpu in sorted(tally.cpu.items()) if cpu)
            lines.append(f"CPU per operation, {side}: {sum(tally.cpu.values()) / done * 1000:.2f} ms ({parts})")
    return "\n".join(lines)


def cpu_seconds(*, database: str = "", web: int = 0, workers: tuple[int, ...] = ()) -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system) used so far by each process of a kind: the web server (`web`, the
    gunicorn master, and its children), the delivery workers, PostgreSQL's backends on `database`, its
    background processes, and this bench process (our clients, or the baseline's)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals: dict[int, tuple[str, float]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent, used = int(proc.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if web and web in (pid, parent):
            kind = "web"
        elif pid in workers:
            kind = "delivery workers"
        elif cmdline.startswith("postgres:"):
            if database and f" {database} " in cmdline:
                kind = "PostgreSQL"
            elif " postgres " in cmdline or " idle" in cmdline:
                continue  # another database's connection: not this run's work
            else:
                kind = "PostgreSQL background"
        elif pid == os.getpid():
            kind = "bench clients"
        else:
            continue
        totals[pid] = (kind, used)
    return totals


def cpu_used(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by kind between two `cpu_seconds`, over the processes alive at the end."""
    used: Counter = Counter()
    for pid, (kind, seconds) in after.items():
        used[kind] += seconds - (before[pid][1] if pid in before else 0.0)
    return dict(used)


# --- the receiver, in its own process --------------------------------------------------------------

def _serve_receiver(port_out, stop) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from courts.distribution.tests.receiver import Receiver

    receiver = Receiver(key_id=KEY_ID, secret=SECRET)
    port_out.put(receiver.server.server_address[1])
    stop.wait()
    receiver.stop()
    port_out.put((sum(receiver.processed.values()), receiver.requests, receiver.bad_signatures))


# --- HTTP, one connection per request (gunicorn's sync workers close it) ----------------------------

class Http:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
                ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            data = json.dumps(body).encode() if body is not None else None
            send = {"Host": "127.0.0.1", **(headers or {})}
            if data is not None:
                send["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=send)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


# --- the run ---------------------------------------------------------------------------------------

@dataclass
class Work:
    """What the operations act on, picked at set-up; each list is drawn from at random or consumed."""

    cases: list[tuple[str, str]]  # (case id, URN)
    defence: list[str]  # defendant ids the firm is on record for
    lists: list[str]  # OU codes of centres sitting on the day
    moves: list[tuple[str, str, str]]  # (hearing id, from sitting id, to sitting id)
    results: list[tuple[str, str, str, str]]  # (hearing id, defendant id, case id, offence id)
    intakes: list[Any]  # CaseIntake, one per intake operation
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, name: str):
        with self.lock:
            items = getattr(self, name)
            return items.pop() if items else None


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rng = random.Random(args.seed)
        self.logs = Path(tempfile.mkdtemp(prefix="courts-load-"))
        self.procs: list[subprocess.Popen] = []
        self.facts: list[str] = []

    # ---- set-up -----------------------------------------------------------------------------------
    def setup_django(self) -> None:
        os.environ["DATABASE_URL"] = self.args.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        # One key seals the partners' secrets here and in the workers, the same in every run on the
        # database: the workers still deliver what an earlier run left owed.
        os.environ["COURTS_SECRETS_KEY"] = base64.urlsafe_b64encode(hashlib.sha256(b"courts load bench").digest()
                                                                    ).decode()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

    def actors(self, receiver_url: str) -> None:
        from django.db import connection
        from django.test import Client
        from intake import PROSECUTOR_NAME

        from courts.accounts.enums import OrganisationKind
        from courts.accounts.models import Organisation, User
        from courts.accounts.services import api_token_create, national_access_set, organisation_get_or_create
        from courts.common.actor import Actor
        from courts.distribution.models import Partner
        from courts.distribution.services import PartnerSpec, partner_active_set, partner_create
        from courts.web.middleware import TWO_FACTOR_KEY, TWO_FACTOR_VERIFIED

        system = Actor.system("load bench")
        hmcts, _ = organisation_get_or_create(name="HMCTS load bench", kind=OrganisationKind.HMCTS, actor=system)
        self.hmcts_token = api_token_create(organisation=hmcts, name="load bench", actor=system)[1]
        police, _ = organisation_get_or_create(name=PROSECUTOR_NAME, kind=OrganisationKind.PROSECUTOR, actor=system,
                                               prosecuting_authority_code="MPS")
        self.police = police
        self.police_token = api_token_create(organisation=police, name="load bench", actor=system)[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT organisation_id FROM defence_representation WHERE ended_at IS NULL "
                           "GROUP BY organisation_id ORDER BY count(*) DESC LIMIT 1")
            row = cursor.fetchone()
        if row is None:
            raise SystemExit("No defence firm is on record for any defendant: fill the database with bench/dataset.py")
        self.firm = Organisation.objects.get(pk=row[0])

        def session(username: str, organisation) -> str:
            user, _ = User.objects.get_or_create(username=username, defaults={"organisation": organisation})
            if organisation is None and not user.national_access:
                national_access_set(user=user, national=True, actor=system)
            client = Client()
            client.force_login(user)
            # A signed-in session as the sign-in pages leave it (password and code).
            stored = client.session
            stored[TWO_FACTOR_KEY] = TWO_FACTOR_VERIFIED
            stored.save()
            return stored.session_key

        self.staff_session = session("load-bench-staff", None)
        self.defence_session = session("load-bench-solicitor", self.firm)
        # Deliveries of earlier runs to earlier receivers would only retry: this run's partners are new.
        for old in Partner.objects.filter(name__startswith="Load bench ", is_active=True):
            partner_active_set(partner=old, is_active=False, expected_version=old.version, actor=system)
        with connection.cursor() as cursor:
            # What a run stopped half way left owed to its receiver, gone now: the workers would spend
            # this run retrying it. Set aside as dead letters, as after their last attempt.
            cursor.execute("UPDATE distribution_delivery SET state = 'DEAD', last_error = %s WHERE state IN "
                           "('PENDING', 'RETRYING') AND partner_id IN (SELECT id FROM distribution_partner WHERE "
                           "name LIKE 'Load bench %%' AND NOT is_active)", ["bench/load.py: an earlier run's receiver"])
            if cursor.rowcount:
                print(f"Set aside {cursor.rowcount:,} deliveries earlier runs left (the baseline's copies, or a run "
                      "stopped half way)")
        stamp = dt.datetime.now(dt.UTC).strftime("%H%M%S")
        for kind, fmt in PARTNERS:
            partner_create(spec=PartnerSpec(name=f"Load bench {kind.title()} {stamp}", kind=kind, format=fmt,
                                            url=receiver_url, key_id=KEY_ID, secret=SECRET), actor=system)

    def work(self, day: dt.date) -> tuple[Work, Work]:
        """The cases, defendants, centres and hearings the operations act on, at random: for our side and
        for the baseline, which read the same but each write their own half of the hearings and cases."""
        from django.db import connection
        from intake import bench_generator, bench_intakes, bench_prosecutor

        from courts.cases.models import ProsecutionCase

        need = int(self.args.clients * self.args.seconds * 8)  # enough for both sides' writes, or nearly
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_prosecutioncase'")
            self.case_count = max(cursor.fetchone()[0], 1)
            fraction = min(100.0, 100.0 * 20_000 / self.case_count)
            cursor.execute(f"SELECT id::text, urn FROM cases_prosecutioncase TABLESAMPLE SYSTEM ({fraction}) "  # noqa: S608
                           "REPEATABLE (%s) LIMIT 20000", [self.args.seed])
            cases = cursor.fetchall()
            cursor.execute("SELECT defendant_id::text FROM defence_representation WHERE organisation_id = %s "
                           "AND ended_at IS NULL LIMIT 20000", [self.firm.pk])
            defence = [r[0] for r in cursor.fetchall()]
            cursor.execute("SELECT DISTINCT c.ou_code FROM listing_sitting s JOIN reference_courtcentre c "
                           "ON c.id = s.court_centre_id JOIN listing_hearingday d ON d.sitting_id = s.id "
                           "WHERE s.date = %s", [day])
            lists = [r[0] for r in cursor.fetchall()]
            # Listed hearings of one defendant with one offence, from the day on: resulted today (a fine).
            cursor.execute("""
                SELECT h.id::text, x.defendant_id::text, x.case_id::text, min(o.id::text)
                FROM listing_hearing h JOIN listing_hearingday d ON d.hearing_id = h.id
                JOIN listing_hearingdefendant x ON x.hearing_id = h.id
                JOIN cases_offence o ON o.defendant_id = x.defendant_id
                WHERE h.status = 'LISTED' AND d.date >= %s
                  AND NOT EXISTS (SELECT 1 FROM hearings_defendantresulting r WHERE r.hearing_id = h.id)
                  AND (SELECT count(*) FROM listing_hearingdefendant y WHERE y.hearing_id = h.id) = 1
                GROUP BY h.id, x.defendant_id, x.case_id HAVING count(DISTINCT o.id) = 1
                ORDER BY min(d.date), h.id LIMIT %s""", [day, need])
            results = cursor.fetchall()
            # Hearings to move to another sitting of the same kind at the same centre, in the next fortnight.
            cursor.execute("""
                SELECT d.hearing_id::text, d.sitting_id::text, (
                    SELECT t.id::text FROM listing_sitting t WHERE t.court_centre_id = s.court_centre_id
                    AND t.date BETWEEN s.date AND s.date + 14 AND t.kind = s.kind AND t.id <> s.id
                    ORDER BY t.date, t.id LIMIT 1)
                FROM listing_hearingday d JOIN listing_sitting s ON s.id = d.sitting_id
                JOIN listing_hearing h ON h.id = d.hearing_id
                WHERE h.status = 'LISTED' AND d.date > %s
                  AND NOT EXISTS (SELECT 1 FROM listing_hearingday e WHERE e.hearing_id = h.id AND e.date <> d.date)
                ORDER BY d.date DESC, d.hearing_id LIMIT %s""", [day, need])
            moves = [m for m in cursor.fetchall() if m[2]]
        taken = {r[0] for r in results}
        moves = [m for m in moves if m[0] not in taken]
        # Case numbers no earlier run sent (either side leaves some of its half unsent).
        generator = bench_generator(seed=self.args.seed, today=day)
        sent = set(ProsecutionCase.objects.filter(prosecutor=self.police).values_list("urn", flat=True))
        police = bench_prosecutor()
        numbers = (n for n in count(1) if generator.urn(police, n) not in sent)
        intakes = list(bench_intakes(generator, list(islice(numbers, need))))
        for items in (cases, defence, lists, moves, results):
            self.rng.shuffle(items)
        intakes.reverse()  # taken from the end: the first numbers first
        print(f"Work: {len(cases):,} cases to open and search, {len(defence):,} defendants of {self.firm.name}, "
              f"{len(lists)} centres sitting on {day}, {len(moves):,} hearings to move, {len(results):,} to result")
        return (Work(cases, defence, lists, moves[::2], results[::2], intakes[::2]),
                Work(cases, defence, lists, moves[1::2], results[1::2], intakes[1::2]))

    # ---- processes --------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.args.database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
                "COURTS_DB_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1"}

    def start_processes(self) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = open(self.logs / "gunicorn.log", "w")  # noqa: SIM115
        self.procs.append(subprocess.Popen(
            [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
             str(self.args.web_workers), "--timeout", "120", "--error-logfile", "-"],
            env=self.env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        courts = Path(sys.executable).with_name("courts")
        for i in range(self.args.delivery_workers):
            log = open(self.logs / f"worker-{i}.log", "w")  # noqa: SIM115
            self.procs.append(subprocess.Popen([str(courts), "worker", "--skip-checks"], env=self.env(), cwd=ROOT,
                                               stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 90
        http_ = Http(port)
        while True:
            try:
                if http_.request("GET", "/api/v1/openapi.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                raise SystemExit(f"gunicorn or a worker did not start: see {self.logs}")
            time.sleep(0.2)
        return port

    def stop_processes(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    # ---- the two sides ----------------------------------------------------------------------------
    def drive(self, operations: dict[str, Callable[[Any, Tally, str], None]], make_state: Callable[[], Any],
              tally: Tally, *, seconds: float, warm_up: float, available: set[str]) -> float:
        """`--clients` threads doing operations back to back; returns the measured seconds."""
        begin = time.monotonic() + warm_up
        end = begin + seconds
        warm = Tally()

        def client(n: int) -> None:
            rng = random.Random(self.args.seed * 1000 + n)
            state = make_state()
            while (now := time.monotonic()) < end:
                name = pick_operation(rng, available)
                target = tally if now >= begin else warm
                try:
                    operations[name](state, target, name)
                except _Exhausted:
                    available.discard(name)
                except Exception as error:  # noqa: BLE001 - counted and shown, the run goes on
                    target.wrong(name, type(error).__name__, str(error))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(self.args.clients)]
        for t in threads:
            t.start()
        time.sleep(max(0.0, begin - time.monotonic()))
        watched = {"database": urlparse(self.args.database_url).path.lstrip("/"),
                   "web": self.procs[0].pid if self.procs else 0, "workers": tuple(p.pid for p in self.procs[1:])}
        before = cpu_seconds(**watched)
        time.sleep(max(0.0, end - time.monotonic()))
        tally.cpu = cpu_used(before, cpu_seconds(**watched))
        for t in threads:
            t.join()
        return seconds

    def ours(self, port: int, work: Work, day: dt.date) -> dict[str, Callable]:
        from intake import intake_json

        staff = {"Cookie": f"sessionid={self.staff_session}"}
        defence = {"Cookie": f"sessionid={self.defence_session}"}
        hmcts = {"Authorization": f"Bearer {self.hmcts_token}"}
        police = {"Authorization": f"Bearer {self.police_token}"}
        rng = random.Random(self.args.seed + 1)
        self.shared: list[tuple[str, str, str, str]] = []

        def timed(tally: Tally, name: str, calls: list[tuple[str, str, Any, dict, tuple[int, ...]]]) -> None:
            http_ = Http(port)
            started = time.perf_counter()
            for method, path, body, headers, expected in calls:
                status, content = http_.request(method, path, body=body, headers=headers)
                if status not in expected:
                    tally.wrong(name, str(status), f"{method} {path}: {content[:400]!r}")
                    return
            tally.record(name, time.perf_counter() - started)

        def case_page(_, tally, name):
            case_id, _urn = rng.choice(work.cases)
            timed(tally, name, [("GET", f"/cases/{case_id}/", None, staff, (200,))])

        def search(_, tally, name):
            _id, urn = rng.choice(work.cases)
            timed(tally, name, [("GET", "/api/v1/cases?" + urlencode({"urn": urn}), None, hmcts, (200,))])

        def defence_case(_, tally, name):
            timed(tally, name, [("GET", f"/defence/defendants/{rng.choice(work.defence)}/", None, defence, (200,))])

        def court_list(_, tally, name):
            query = urlencode({"courtCentre": rng.choice(work.lists), "date": day.isoformat(), "type": "public"})
            timed(tally, name, [("GET", f"/api/v1/court-lists?{query}", None, {}, (200,))])

        def intake(_, tally, name):
            item = work.take("intakes")
            if item is None:
                raise _Exhausted
            timed(tally, name, [("POST", "/api/v1/cases", intake_json(item), police, (201,))])

        def listing_change(_, tally, name):
            move = work.take("moves")
            if move is None:
                raise _Exhausted
            hearing_id, _from, to = move
            http_ = Http(port)
            started = time.perf_counter()
            status, content = http_.request("GET", f"/api/v1/sittings/{to}", headers=hmcts)
            if status != 200:
                tally.wrong(name, str(status), f"GET sitting: {content[:400]!r}")
                return
            body = {"sittingId": to, "sittingVersion": json.loads(content)["version"], "acknowledgeConflicts": True}
            status, content = http_.request("POST", f"/api/v1/hearings/{hearing_id}/listing", body=body, headers=hmcts)
            if status == 409:  # another client changed the sitting between the read and the move
                tally.wrong(name, "409 (stale sitting version: expected under contention)")
                return
            if status != 200:
                tally.wrong(name, str(status), f"POST listing: {content[:400]!r}")
                return
            tally.record(name, time.perf_counter() - started)

        def result_and_share(_, tally, name):
            target = work.take("results")
            if target is None:
                raise _Exhausted
            hearing_id, defendant_id, _case, offence_id = target
            base = f"/api/v1/hearings/{hearing_id}/defendants/{defendant_id}/results"
            http_ = Http(port)
            started = time.perf_counter()
            body = {"expectedVersion": 1, "draft": {"offences": {offence_id: {"notepad": NOTEPAD}}}}
            status, content = http_.request("PUT", f"{base}/draft", body=body, headers=hmcts)
            if status != 200 or not json.loads(content).get("canShare"):
                tally.wrong(name, f"draft {status}", content[:400].decode(errors="replace"))
                return
            status, content = http_.request("POST", f"{base}/share", body={"expectedVersion": json.loads(content)[
                "version"]}, headers=hmcts)
            if status != 200:
                tally.wrong(name, f"share {status}", content[:400].decode(errors="replace"))
                return
            tally.record(name, time.perf_counter() - started)
            with work.lock:
                self.shared.append(target)

        return {"case page": case_page, "search by URN": search, "defence portal case": defence_case,
                "court list": court_list, "intake": intake, "listing change": listing_change,
                "result and share": result_and_share}

    def run(self) -> int:
        import psycopg

        stop = multiprocessing.Event()
        port_out = multiprocessing.Queue()
        receiver = multiprocessing.Process(target=_serve_receiver, args=(port_out, stop), daemon=True)
        receiver.start()
        receiver_url = f"http://127.0.0.1:{port_out.get(timeout=30)}/results"
        self.setup_django()
        day = self.args.day
        self.actors(receiver_url)
        work, base_work = self.work(day)
        baseline = Baseline(self.args.database_url, base_work, day, police=self.police, firm=self.firm, rng=self.rng)
        needs = {"case page": work.cases, "search by URN": work.cases, "defence portal case": work.defence,
                 "court list": work.lists, "intake": base_work.intakes, "listing change": base_work.moves,
                 "result and share": base_work.results}
        available = {name for name in OPERATIONS if needs[name]}
        for name in set(OPERATIONS) - available:
            print(f"Left out of the mix: {name} (nothing in the data set to do it on)")
        started_at = dt.datetime.now(dt.UTC)
        port = self.start_processes()
        print(f"gunicorn ({self.args.web_workers} workers) on 127.0.0.1:{port}, {self.args.delivery_workers} delivery "
              f"worker(s), {self.args.clients} clients for {self.args.warm_up:.0f}+{self.args.seconds:.0f}s; logs in "
              f"{self.logs}", flush=True)
        ours = Tally()
        try:
            measured = self.drive(self.ours(port, work, day), lambda: None, ours, seconds=self.args.seconds,
                                  warm_up=self.args.warm_up, available=available)
            print(f"Our side: {sum(len(v) for v in ours.latencies.values()):,} operations; waiting for the deliveries",
                  flush=True)
            deliveries = self.wait_delivered(started_at)
        finally:
            self.stop_processes()
            stop.set()
        accepted, requests, bad = port_out.get(timeout=30)
        receiver.join(timeout=10)
        baseline.templates(self.shared)
        base = Tally()
        print("Baseline: the same mix as raw SQL", flush=True)
        self.drive(baseline.operations(), baseline.connect, base, seconds=self.args.seconds,
                   warm_up=min(self.args.warm_up, 1), available={n for n in OPERATIONS if needs[n]} - baseline.unavailable)
        with psycopg.connect(self.args.database_url) as conn:
            size, server = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database())), "
                                        "current_setting('server_version')").fetchone()
        print()
        print(f"bench/load.py on {urlparse(self.args.database_url).path.lstrip('/')}: about {self.case_count:,} cases "
              f"(database {size}); court day {day}; {self.args.clients} clients, {self.args.web_workers} gunicorn "
              f"workers, {self.args.delivery_workers} delivery worker(s), {measured:.0f}s per side after "
              f"{self.args.warm_up:.0f}s of warm-up; seed {self.args.seed}")
        from intake import code_version, hardware

        for line in [code_version(), *hardware(), f"PostgreSQL {server}"]:
            print(line)
        print(report(ours, base, measured))
        print(deliveries + f"; the receiver accepted {accepted:,} distinct messages in {requests:,} requests, "
                           f"{bad} with a bad signature")
        failed = False
        for tally, side in ((ours, "ours"), (base, "baseline")):
            for (name, what), times in sorted(tally.unexpected.items()):
                print(f"unexpected ({side}): {name}: {what} x{times}  e.g. {tally.examples.get((name, what), '')}")
                failed |= what.startswith("5") or (side == "baseline" and not what.startswith("409"))
        if bad or self.facts:  # a bad signature, or a delivery the workers did not make
            failed = True
        return 1 if failed else 0

    def wait_delivered(self, since: dt.datetime) -> str:
        from courts.distribution.enums import DeliveryState
        from courts.distribution.models import Delivery

        owed = Delivery.objects.filter(created_at__gte=since, partner__name__startswith="Load bench ")
        deadline = time.monotonic() + self.args.max_drain
        while owed.exclude(state=DeliveryState.DELIVERED).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        rows = list(owed.values_list("created_at", "delivered_at", "state"))
        lags = [(d - c).total_seconds() for c, d, s in rows if s == DeliveryState.DELIVERED]
        left = len(rows) - len(lags)
        text = (f"deliveries: {len(rows):,} owed by the shares, {len(lags):,} delivered"
                f"{f', {left} NOT DELIVERED' if left else ''}; lag from owed to delivered p50 "
                f"{percentile(lags, 50):.2f}s, p95 {percentile(lags, 95):.2f}s, p99 {percentile(lags, 99):.2f}s")
        if left:
            self.facts.append(text)
        return text



# --- the baseline: the same reads and writes as raw SQL ---------------------------------------------

CASE_READS = (
    # The case page: the case, its defendants and offences, its hearings, its results, its restrictions,
    # its timeline (the latest events); each as one statement on the same indexes.
    """SELECT c.*, cc.name FROM cases_prosecutioncase c
       LEFT JOIN reference_courtcentre cc ON cc.id = c.requested_court_centre_id WHERE c.id = %(case)s""",
    """SELECT d.*, o.* FROM cases_defendant d LEFT JOIN cases_offence o ON o.defendant_id = d.id
       WHERE d.case_id = %(case)s ORDER BY d.sequence, o.sequence""",
    """SELECT h.*, t.description, day.*, s.session, s.kind, r.name, cc.name FROM listing_hearingdefendant x
       JOIN listing_hearing h ON h.id = x.hearing_id JOIN reference_hearingtype t ON t.id = h.hearing_type_id
       JOIN reference_courtcentre cc ON cc.id = h.court_centre_id
       LEFT JOIN listing_hearingday day ON day.hearing_id = h.id
       LEFT JOIN listing_sitting s ON s.id = day.sitting_id LEFT JOIN listing_courtroom r ON r.id = s.court_room_id
       WHERE x.case_id = %(case)s ORDER BY day.date""",
    """SELECT * FROM hearings_judicialresult WHERE case_id = %(case)s AND is_current ORDER BY rank""",
    """SELECT * FROM cases_reportingrestriction WHERE case_id = %(case)s AND lifted_at IS NULL""",
    """SELECT * FROM audit_event WHERE case_id = %(case)s ORDER BY occurred_at DESC LIMIT 50""",
)
SEARCH = """SELECT c.id, c.urn, c.status, d.*, o.cjs_code, o.title FROM cases_prosecutioncase c
    JOIN cases_defendant d ON d.case_id = c.id LEFT JOIN cases_offence o ON o.defendant_id = d.id
    WHERE upper(c.urn) = upper(%(urn)s) ORDER BY d.sequence, o.sequence"""
DEFENCE_READS = (
    """SELECT 1 FROM defence_representation WHERE defendant_id = %(defendant)s AND organisation_id = %(firm)s
       AND ended_at IS NULL""",
    """SELECT d.*, c.urn, c.status, o.* FROM cases_defendant d JOIN cases_prosecutioncase c ON c.id = d.case_id
       LEFT JOIN cases_offence o ON o.defendant_id = d.id WHERE d.id = %(defendant)s ORDER BY o.sequence""",
    """SELECT h.*, day.*, r.name, cc.name FROM listing_hearingdefendant x JOIN listing_hearing h ON h.id = x.hearing_id
       JOIN reference_courtcentre cc ON cc.id = h.court_centre_id LEFT JOIN listing_hearingday day
       ON day.hearing_id = h.id LEFT JOIN listing_sitting s ON s.id = day.sitting_id
       LEFT JOIN listing_courtroom r ON r.id = s.court_room_id WHERE x.defendant_id = %(defendant)s""",
    """SELECT * FROM hearings_judicialresult WHERE defendant_id = %(defendant)s AND is_current""",
)
COURT_LIST = """SELECT r.name, s.session, s.start_time, day.list_order, day.start_time, c.urn, d.first_name,
    d.last_name, d.date_of_birth, d.address_lines, d.postcode, o.title, o.wording, rr.kind
    FROM reference_courtcentre cc JOIN listing_sitting s ON s.court_centre_id = cc.id
    JOIN listing_courtroom r ON r.id = s.court_room_id JOIN listing_hearingday day ON day.sitting_id = s.id
    JOIN listing_hearing h ON h.id = day.hearing_id AND h.status = 'LISTED'
    JOIN listing_hearingdefendant x ON x.hearing_id = h.id JOIN cases_prosecutioncase c ON c.id = x.case_id
    JOIN cases_defendant d ON d.id = x.defendant_id LEFT JOIN cases_offence o ON o.defendant_id = d.id
    LEFT JOIN cases_reportingrestriction rr ON rr.case_id = c.id AND rr.lifted_at IS NULL
    WHERE cc.ou_code = %(ou)s AND s.date = %(day)s ORDER BY r.name, s.start_time, day.list_order, d.sequence"""
MOVE = (
    "SELECT id, version FROM listing_sitting WHERE id = %(to)s",
    """UPDATE listing_hearingday SET sitting_id = %(to)s, list_order = (SELECT coalesce(max(list_order), 0) + 1
       FROM listing_hearingday WHERE sitting_id = %(to)s) WHERE hearing_id = %(hearing)s""",
    "UPDATE listing_sitting SET version = version + 1 WHERE id IN (%(from)s, %(to)s)",
    "UPDATE listing_hearing SET version = version + 1 WHERE id = %(hearing)s",
    """INSERT INTO audit_event (event_id, type, payload_version, occurred_at, actor_label, case_id, summary, payload)
       VALUES (gen_random_uuid(), 'hearing.listed', 1, now(), 'load bench', NULL, 'Hearing moved', %(payload)s)""",
)
# What sharing a fine writes, copied row for row from one of our side's shares onto another target:
# (table, the columns that take the target's values). The events and deliveries are matched by case.
SHARE_TABLES = (
    ("hearings_defendantresulting", "hearing_id = %(h)s AND defendant_id = %(d)s"),
    ("hearings_judicialresult", "hearing_id = %(h)s AND defendant_id = %(d)s"),
    ("hearings_offencedecision", "hearing_id = %(h)s AND offence_id = %(o)s"),
    ("audit_event", "case_id = %(c)s AND type NOT IN ('case.created', 'access.read') AND occurred_at > %(since)s"),
    ("distribution_delivery", "hearing_id = %(h)s AND defendant_id = %(d)s AND created_at > %(since)s"),
)
SHARE_UPDATES = (  # the rows a share updates, to the values our side left on the template's rows
    ("cases_offence", "id", "o", ("status", "plea", "plea_date", "conviction_date", "disposal", "disposed_on")),
    ("cases_defendant", "id", "d", ("proceedings_concluded", "version")),
    ("cases_prosecutioncase", "id", "c", ("status", "version", "updated_at")),
    ("listing_hearing", "id", "h", ("status", "version")),
)


class Baseline:
    """Each operation of the mix as raw SQL on the same database: one psycopg connection per client."""

    def __init__(self, database_url: str, work: Work, day: dt.date, *, police, firm, rng: random.Random):
        self.database_url = database_url
        self.work = work
        self.day = day
        self.firm_id = firm.pk
        self.rng = rng
        self.unavailable: set[str] = set()
        self.police = police
        self.template: dict[str, list[dict]] | None = None

    def connect(self):
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(self.database_url, row_factory=dict_row)

    def templates(self, shared: list[tuple[str, str, str, str]]) -> None:
        """The rows one of our shares wrote (and the values it left), to copy onto the baseline's targets."""
        import psycopg
        from psycopg.rows import dict_row

        if not shared:
            self.unavailable.add("result and share")
            return
        h, d, c, o = shared[0]
        with psycopg.connect(self.database_url, row_factory=dict_row) as conn:
            since = conn.execute("SELECT draft_saved_at - interval '1 second' AS t FROM hearings_defendantresulting "
                                 "WHERE hearing_id = %s AND defendant_id = %s", (h, d)).fetchone()["t"]
            keys = {"h": h, "d": d, "c": c, "o": o, "since": since}
            self.template = {table: conn.execute(f"SELECT * FROM {table} WHERE {where}", keys).fetchall()  # noqa: S608
                             for table, where in SHARE_TABLES}
            self.updates = {table: conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {key} = %s",  # noqa: S608
                                                (keys[ref],)).fetchone()
                            for table, key, ref, cols in SHARE_UPDATES}
        self.row_counts = {table: len(rows) for table, rows in self.template.items()}
        print("Baseline share copies, per share: " + ", ".join(f"{t} {n}" for t, n in self.row_counts.items()))

    def operations(self) -> dict[str, Callable]:
        import intake as intake_bench
        from django.db import connections
        from psycopg.types.json import Jsonb

        from courts.cases.demo import DEMO_COURTS, DEMO_OFFENCE_CODES
        from courts.reference.models import CourtCentre
        from courts.reference.selectors import offence_map

        work, rng = self.work, random.Random(self.rng.random())
        context = intake_bench.RowContext(
            self.police.pk, self.police.name, self.police.prosecuting_authority_code,
            dict(CourtCentre.objects.filter(ou_code__in=[c.ou_code for c in DEMO_COURTS]).values_list("ou_code", "id")),
            offence_map(cjs_codes=set(DEMO_OFFENCE_CODES)))
        shapes = intake_bench.table_shapes()
        insert = {k: shape.insert_sql() for k, shape in shapes.items()}
        django_connection = connections["default"]

        def timed(conn, tally: Tally, name: str, body: Callable[[Any], None]) -> None:
            started = time.perf_counter()
            with conn.transaction():
                body(conn.cursor())
            tally.record(name, time.perf_counter() - started)

        def reads(statements, params):
            def body(cur):
                for sql in statements:
                    cur.execute(sql, params)
                    cur.fetchall()
            return body

        def case_page(conn, tally, name):
            timed(conn, tally, name, reads(CASE_READS, {"case": rng.choice(work.cases)[0]}))

        def search(conn, tally, name):
            timed(conn, tally, name, reads((SEARCH,), {"urn": rng.choice(work.cases)[1]}))

        def defence_case(conn, tally, name):
            timed(conn, tally, name, reads(DEFENCE_READS, {"defendant": rng.choice(work.defence), "firm": self.firm_id}))

        def court_list(conn, tally, name):
            timed(conn, tally, name, reads((COURT_LIST,), {"ou": rng.choice(work.lists), "day": self.day}))

        def intake(conn, tally, name):
            item = work.take("intakes")
            if item is None:
                raise _Exhausted
            rows = intake_bench.intake_rows(item, context, shapes, django_connection, dt.datetime.now(dt.UTC))

            def body(cur):
                cur.execute(insert["case"], rows.case)
                cur.executemany(insert["defendant"], rows.defendants)
                cur.executemany(insert["offence"], rows.offences)
                cur.execute(insert["event"], rows.event)
            timed(conn, tally, name, body)

        def listing_change(conn, tally, name):
            move = work.take("moves")
            if move is None:
                raise _Exhausted
            params = {"hearing": move[0], "from": move[1], "to": move[2], "payload": Jsonb({"to": move[2]})}
            timed(conn, tally, name, _statements(MOVE, params))

        def result_and_share(conn, tally, name):
            target = work.take("results")
            if target is None:
                raise _Exhausted
            timed(conn, tally, name, self._share(target))

        return {"case page": case_page, "search by URN": search, "defence portal case": defence_case,
                "court list": court_list, "intake": intake, "listing change": listing_change,
                "result and share": result_and_share}

    def _share(self, target: tuple[str, str, str, str]) -> Callable:
        from psycopg.types.json import Jsonb

        h, d, c, o = target
        now = dt.datetime.now(dt.UTC)

        def value(column: str, original: Any, new_ids: dict) -> Any:
            if column in ("hearing_id",):
                return h
            if column == "defendant_id":
                return d
            if column == "case_id":
                return c
            if column == "offence_id":
                return o
            if column in ("resulting_id", "event_id") and original in new_ids:
                return new_ids[original]
            if isinstance(original, dict | list):
                return Jsonb(original)
            return original

        def body(cur):
            new_ids: dict = {}
            for table, _where in SHARE_TABLES:
                for row in self.template[table]:
                    row = dict(row)
                    if table == "audit_event":
                        old = row.pop("id")
                        row["event_id"] = uuid.uuid4()
                    elif table == "hearings_offencedecision":
                        row.pop("id")
                    else:
                        old = row["id"]
                        row["id"] = new_ids[old] = uuid.uuid4()
                    if table in ("distribution_delivery",):
                        row["created_at"], row["next_attempt_at"] = now, now
                        row["state"], row["delivered_at"], row["attempts"] = "PENDING", None, 0
                    columns = list(row)
                    values = [value(k, row[k], new_ids) for k in columns]
                    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
                           f"({', '.join(['%s'] * len(columns))})")
                    if table == "audit_event":
                        cur.execute(sql + " RETURNING id", values)
                        new_ids[old] = cur.fetchone()["id"]
                    else:
                        cur.execute(sql, values)
            for table, key, ref, cols in SHARE_UPDATES:
                values = list(self.updates[table].values())
                cur.execute(f"UPDATE {table} SET {', '.join(f'{col} = %s' for col in cols)} WHERE {key} = %s",  # noqa: S608
                            [*values, {"h": h, "d": d, "c": c, "o": o}[ref]])
        return body


def _statements(statements: tuple[str, ...], params: dict) -> Callable:
    def body(cur):
        for sql in statements:
            cur.execute(sql, params)
    return body


class _Exhausted(Exception):
    """No more hearings to move or result, or cases to send: the operation leaves the mix."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2026, 11, 25),
                        help="the court day: bench/dataset.py's --today (default 2026-11-25)")
    parser.add_argument("--seconds", type=float, default=120, help="measured seconds per side (default 120)")
    parser.add_argument("--warm-up", type=float, default=15, help="seconds before measuring (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="client threads, one request at a time each")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--delivery-workers", type=int, default=2, help="courts worker processes (default 2)")
    parser.add_argument("--max-drain", type=float, default=300, help="seconds to wait for the deliveries")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    name = urlparse(args.database_url).path.lstrip("/")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the data set is in PostgreSQL: --database-url postgres://...")
    if "bench" not in name or name in ("postgres", "root") or name.startswith(("template", "test")):
        parser.error(f"refusing database {name!r}: use a bench database that bench/dataset.py filled")
    if args.seconds <= 0 or args.clients < 1 or args.web_workers < 1 or args.delivery_workers < 0:
        parser.error("--seconds, --clients and --web-workers must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
