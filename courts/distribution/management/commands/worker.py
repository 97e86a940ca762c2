import logging
import signal

from django.core.management.base import BaseCommand

from courts.distribution.worker import run


class Command(BaseCommand):
    help = "Deliver results and other messages to partners (any number of workers on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send one batch of due deliveries, then stop")
        parser.add_argument("--batch", type=int, default=20, help="Deliveries claimed at a time (default 20)")
        parser.add_argument("--idle", type=float, default=1.0, help="Seconds to wait when nothing is due")

    def handle(self, *args, once, batch, idle, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        stopping = {"now": False}

        def stop(signum, frame):
            # Finish the delivery in hand, then stop: a SIGKILL instead loses nothing either.
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("courts worker: delivering to partners (Ctrl+C to stop)")
        self.stdout.flush()
        run(once=once, batch=batch, idle_seconds=idle, stop=lambda: stopping["now"])
