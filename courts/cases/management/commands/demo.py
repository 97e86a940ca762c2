import time

from django.core.management.base import BaseCommand, CommandError

from courts.cases.demo import DEMO_COURTS, DEMO_SEED, demo_create
from courts.cases.models import ProsecutionCase
from courts.common.actor import Actor
from courts.listing.demo import demo_court_calendar
from courts.listing.demo_day import demo_court_day
from courts.reference.models import CourtCentre


class Command(BaseCommand):
    help = (
        "Create a demo working set through the real services: court staff (adviser, associate, listing, admin), "
        "prosecutors (CPS, Metropolitan Police, TfL, DVLA), an API token and a few hundred cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="How many cases to create (default 300)")
        parser.add_argument("--password", default=None,
                            help="Give every new staff user this password (default: a random one each, printed)")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any case exists")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="Seed of the generator (reproducible runs)")

    def handle(self, *args, cases, password, if_empty, seed, **options):
        if cases < 0:
            raise CommandError("--cases cannot be negative")
        started = time.monotonic()
        sittings = 0
        if not (if_empty and ProsecutionCase.objects.exists()):
            # Sittings first, so that intake lists the demo cases' first hearings as it would real ones.
            sittings = demo_court_calendar(ou_codes=[c.ou_code for c in DEMO_COURTS],
                                           actor=Actor.system("courts demo"))
        try:
            result = demo_create(cases=cases, password=password, if_empty=if_empty, seed=seed)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write("Cases already exist: no demo data added (--if-empty).")
            return
        brought_forward = demo_court_day(ou_codes=[c.ou_code for c in DEMO_COURTS],
                                         actor=Actor.system("courts demo"))
        courts = dict(CourtCentre.objects.filter(ou_code__in=result.by_court).values_list("ou_code", "name"))
        self.stdout.write(f"Created {sittings} sittings and {result.cases_created} demo cases "
                          f"in {time.monotonic() - started:.1f}s; {brought_forward} hearings brought forward "
                          "into today's sittings, ready to result.")
        for name, count in result.by_prosecutor.most_common():
            self.stdout.write(f"  {count:5d}  {name}")
        for ou_code, count in result.by_court.most_common():
            self.stdout.write(f"  {count:5d}  {courts.get(ou_code, ou_code)} ({ou_code})")
        self.stdout.write("")
        self.stdout.write("Staff users (HM Courts & Tribunals Service). Passwords are shown once; store them now.")
        for username, role, secret in result.users:
            shown = secret or "(already existed: password unchanged)"
            self.stdout.write(f"  {username:<10} {role:<20} {shown}")
        self.stdout.write("Each holds that role at every demo court centre. At first sign-in each sets up "
                          "two-factor authentication with an authenticator app.")
        self.stdout.write("")
        self.stdout.write(f"API token for {result.token_organisation} (shown once):")
        self.stdout.write(f"  {result.token}")
