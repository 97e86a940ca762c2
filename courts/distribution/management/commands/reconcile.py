import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from courts.distribution.selectors import reconcile


class Command(BaseCommand):
    help = ("Prove that every shared result has a delivered message for every partner it owed one to; "
            "list any that has not and exit non-zero.")

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="Shares on or after this date (YYYY-MM-DD)")

    def handle(self, *args, since, **options):
        try:
            day = dt.date.fromisoformat(since)
        except ValueError as error:
            raise CommandError(f"--since must be a date like 2026-11-25, not {since!r}") from error
        report = reconcile(since=day)
        self.stdout.write(f"{report.shares} shares since {day:%-d %B %Y}; {report.owed} messages owed, "
                          f"{report.delivered} delivered.")
        for gap in report.gaps:
            self.stdout.write(f"  NOT DELIVERED  {gap}")
        if report.gaps:
            raise CommandError(f"{len(report.gaps)} owed message(s) not delivered")
        self.stdout.write("Every owed message was delivered.")
