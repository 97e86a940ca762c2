"""A real HTTP receiver on 127.0.0.1 for delivery tests and the delivery benchmark: it checks the
signature, records each idempotency key once, and can fail, stall or answer slowly on purpose."""

import http.server
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from courts.distribution.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_valid,
)


@dataclass
class Faults:
    fail_rate: float = 0.0  # answer 503
    timeout_rate: float = 0.0  # hold the request longer than the sender waits
    slow_rate: float = 0.0  # answer after a short delay
    timeout_seconds: float = 3.0
    slow_seconds: float = 0.3
    seed: int = 1


@dataclass
class Receiver:
    key_id: str = ""
    secret: str = ""
    faults: Faults = field(default_factory=Faults)
    processed: Counter = field(default_factory=Counter)  # idempotency key → times processed
    requests: int = 0
    bad_signatures: int = 0
    bodies: dict = field(default_factory=dict)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._rng = random.Random(self.faults.seed)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests += 1
                    roll = receiver._rng.random()
                if roll < receiver.faults.timeout_rate:
                    time.sleep(receiver.faults.timeout_seconds)
                elif roll < receiver.faults.timeout_rate + receiver.faults.fail_rate:
                    self._answer(503, {"error": "unavailable"})
                    return
                elif roll < receiver.faults.timeout_rate + receiver.faults.fail_rate + receiver.faults.slow_rate:
                    time.sleep(receiver.faults.slow_seconds)
                if receiver.secret and not signature_valid(
                        self.headers.get(SIGNATURE_HEADER, ""), key_id=receiver.key_id, secret=receiver.secret,
                        timestamp=self.headers.get(TIMESTAMP_HEADER, ""), body=body):
                    with receiver._lock:
                        receiver.bad_signatures += 1
                    self._answer(401, {"error": "bad signature"})
                    return
                key = self.headers.get(IDEMPOTENCY_HEADER, "")
                with receiver._lock:
                    # Idempotent: a key seen before is acknowledged again but processed once.
                    if key not in receiver.processed:
                        receiver.processed[key] += 1
                        receiver.bodies[key] = body
                self._answer(200, {"received": key})

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/results"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
