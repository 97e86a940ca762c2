import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the application with gunicorn (static files by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("COURTS_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("COURTS_WEB_WORKERS", "2")))

    def handle(self, *args, bind, workers, **options):
        self.stdout.write(f"courts: serving on http://{bind}/ (Ctrl+C to stop)")
        self.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(gunicorn, [gunicorn, "config.wsgi:application", "--bind", bind, "--workers", str(workers),
                            "--access-logfile", "-", "--graceful-timeout", "10",
                            # Path without the query string: searches carry names and dates of birth.
                            "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'])
