"""Real `courts worker` processes, fines shared through the services, what the test receiver answered,
and the check that every delivery arrived once: shared by the fault tests (`test_faults.py`), the soak
(`tests/soak/`) and the delivery bench (`bench/delivery.py`).

Importing this module needs Django set up (the bench imports it after `django.setup()`)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.distribution.enums import DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, DeliveryAttempt
from courts.distribution.selectors import reconcile
from courts.distribution.services import PartnerSpec, partner_create
from courts.distribution.signing import IDEMPOTENCY_HEADER
from courts.distribution.tests.receiver import Receiver
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK

ROOT = Path(__file__).resolve().parents[3]
SECRET = "fault-test-shared-secret-0123456789"
KEY_ID = "faults-1"
NOTEPAD = "plea=G FO 200 FCPC 85 FVS"  # a fine: every hearing-resulted subscriber and fines enforcement
SUBSCRIBERS = [
    (PartnerKind.PROBATION, MessageFormat.HEARING_RESULTED),
    (PartnerKind.LEGAL_AID, MessageFormat.HEARING_RESULTED),
    (PartnerKind.YOUTH_OFFENDING, MessageFormat.HEARING_RESULTED),
    (PartnerKind.SUBSCRIBER, MessageFormat.HEARING_RESULTED),
    (PartnerKind.FINES, MessageFormat.FINANCIAL_IMPOSITIONS),
]
# Worker subprocesses retry within a fraction of a second, and a killed worker's leases lapse within
# seconds (each delivery's lease: the partner timeouts of the batch up to it, plus the margin).
FAST_WORKER = {"COURTS_WORKER_BACKOFF_BASE": "0.05", "COURTS_WORKER_BACKOFF_CAP": "0.5",
               "COURTS_WORKER_LEASE_MARGIN": "3"}
DELIVERED = DeliveryState.DELIVERED


def subscribers(url: str, *, kinds=SUBSCRIBERS, prefix: str = "", timeout_seconds: int = 1, max_attempts: int = 50,
                key_id: str = KEY_ID, secret: str = SECRET):
    return [partner_create(spec=PartnerSpec(name=f"{prefix}{kind.label}", kind=kind, format=fmt, url=url,
                                            key_id=key_id, secret=secret, timeout_seconds=timeout_seconds,
                                            max_attempts=max_attempts), actor=CLERK)
            for kind, fmt in kinds]


def share_fine(hearing, defendant, *, lines: tuple[str, ...] = (NOTEPAD,)) -> None:
    """Result `defendant` as a legal adviser does, through the services: save the draft (`lines`: the
    notepad line of each of its offences in turn), then share it."""
    offences = list(defendant.offences.order_by("sequence"))
    draft = {"offences": {str(o.id): {"notepad": line} for o, line in zip(offences, lines, strict=True)}}
    resulting, _ = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                      actor=CLERK)
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)


def watch(receiver: Receiver) -> list[tuple[str, int, float]]:
    """Every answer the receiver gives: (idempotency key, status, seconds it took). A timed-out request
    is answered too, after the sender has given up: the receiver processed it, the sender never knew."""
    answers: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    handler = receiver.server.RequestHandlerClass

    class Watched(handler):
        def do_POST(self):
            self.started = time.monotonic()
            super().do_POST()

        def _answer(self, status, data):
            with lock:
                answers.append((self.headers.get(IDEMPOTENCY_HEADER, ""), status, time.monotonic() - self.started))
            super()._answer(status, data)

    receiver.server.RequestHandlerClass = Watched
    return answers


def wait_for(condition, *, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


class Workers:
    """Real `courts worker` processes on one database (`database_url`), each writing its output to
    `logs/worker-N.log`. `env` is added to their environment (`FAST_WORKER` in the tests)."""

    def __init__(self, logs: Path, database_url: str, *, idle: float = 0.05, batch: int = 5,
                 env: dict[str, str] | None = None):
        self.logs, self.database_url = logs, database_url
        self.idle, self.batch, self.env = idle, batch, dict(env or {})
        self.procs: list[subprocess.Popen] = []
        self.killed: list[subprocess.Popen] = []
        courts = Path(sys.executable).with_name("courts")
        self.command = [str(courts)] if courts.exists() else [sys.executable, str(ROOT / "manage.py")]

    def start(self, *, conn_max_age: int = 0, ready: bool = False) -> subprocess.Popen:
        """Start one worker; with `ready`, wait until it says it is delivering."""
        env = {**os.environ, **self.env, "DATABASE_URL": self.database_url,
               "DJANGO_SETTINGS_MODULE": "config.settings", "COURTS_DB_CONN_MAX_AGE": str(conn_max_age),
               "PYTHONUNBUFFERED": "1"}
        with open(self.logs / f"worker-{len(self.procs)}.log", "w") as log:
            proc = subprocess.Popen([*self.command, "worker", "--skip-checks", "--idle", str(self.idle),
                                     "--batch", str(self.batch)], env=env, cwd=ROOT, stdout=log,
                                    stderr=subprocess.STDOUT)
        self.procs.append(proc)
        if ready:
            self.wait_ready(proc)
        return proc

    def log(self, proc: subprocess.Popen) -> Path:
        return self.logs / f"worker-{self.procs.index(proc)}.log"

    def wait_ready(self, proc: subprocess.Popen, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while "delivering to partners" not in self.log(proc).read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"courts worker did not start:\n{self.log(proc).read_text()[-2000:]}")
            time.sleep(0.05)

    @staticmethod
    def name(proc: subprocess.Popen) -> str:
        """The name the worker claims deliveries under (`worker.worker_name`)."""
        return f"{socket.gethostname()}:{proc.pid}"

    def alive(self) -> list[subprocess.Popen]:
        return [proc for proc in self.procs if proc.poll() is None]

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL: no handler runs, nothing is recorded, the leases it holds lapse in their time."""
        self.killed.append(proc)  # first: `check_alive` in another thread must not take it for a crash
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def kill_mid_delivery(self, proc: subprocess.Popen, holding) -> set:
        """SIGKILL `proc` while it holds deliveries (`holding(name)` → their ids); returns them."""
        name = self.name(proc)
        assert wait_for(lambda: bool(holding(name)), seconds=20, step=0.005), f"{name} never claimed a delivery"
        self.kill(proc)
        return set(holding(name))

    def check_alive(self) -> None:
        """Fail if a worker that was not killed on purpose has exited."""
        for proc in self.procs:
            if proc not in self.killed and proc.poll() is not None:
                raise RuntimeError(f"courts worker {self.name(proc)} exited ({proc.returncode}):\n"
                                   f"{self.log(proc).read_text()[-2000:]}")

    def stop(self, timeout: float = 30) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def output(self, lines: int = 15) -> str:
        return "\n".join(f"--- {path.name}\n" + "\n".join(path.read_text().splitlines()[-lines:])
                         for path in sorted(self.logs.glob("worker-*.log")))


def postgres_url() -> str:
    """The URL of the database this test process uses (the test database), for worker subprocesses."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def assert_delivered_exactly_once(receiver: Receiver, answers, interrupted: set, *, reconciled: bool = True) -> dict:
    """Everything delivered, each key processed once with the body the court shared, signed; a key
    acknowledged more than once only when an earlier sending of it went unanswered (the worker logged
    a timeout or a connection error) or was in hand when its worker was killed or lost its database.
    With `reconciled`, `reconcile` also owes exactly what was delivered (a caller that runs the
    command itself leaves it out: it works every share's messages out again)."""
    deliveries = {str(d.id): d for d in Delivery.objects.all()}
    states = Counter(d.state for d in deliveries.values())
    assert states == {DELIVERED: len(deliveries)}, states
    assert set(receiver.processed) == set(deliveries)
    assert set(receiver.processed.values()) == {1}
    assert all(receiver.bodies[key] == d.body.encode() for key, d in deliveries.items())
    assert receiver.bad_signatures == 0
    # Each delivery recorded as delivered once, its attempts all logged.
    successes = Counter(str(k) for k in DeliveryAttempt.objects.filter(status_code__gte=200, status_code__lt=300)
                        .values_list("delivery_id", flat=True))
    assert successes == Counter(set(deliveries))
    logged = Counter(str(k) for k in DeliveryAttempt.objects.values_list("delivery_id", flat=True))
    assert {key: d.attempts for key, d in deliveries.items()} == dict(logged)
    acknowledged = Counter(key for key, status, _ in answers if status == 200)
    assert set(acknowledged) == set(deliveries)
    unanswered = {str(k) for k in DeliveryAttempt.objects.filter(status_code__isnull=True)
                  .values_list("delivery_id", flat=True)}
    twice = {key for key, n in acknowledged.items() if n > 1}
    assert twice <= unanswered | {str(k) for k in interrupted}, twice - unanswered - {str(k) for k in interrupted}
    if reconciled:
        day = min(d.created_at for d in deliveries.values()).date()
        report = reconcile(since=day)
        assert report.gaps == [] and report.owed == report.delivered == len(deliveries)
    assert not Event.objects.filter(type=EventType.DELIVERY_DEAD).exists()
    return {"deliveries": len(deliveries), "requests": receiver.requests,
            "acknowledged twice or more": len(twice),
            "extra acknowledgements": sum(acknowledged.values()) - len(acknowledged),
            "503": sum(1 for _, s, _ in answers if s == 503),
            "timed out": DeliveryAttempt.objects.filter(error__contains="Timeout").count()}
