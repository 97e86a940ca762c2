from django.core.management.base import BaseCommand, CommandError

from courts.accounts import services
from courts.accounts.enums import JudicialOfficeKind, StaffRoleKind
from courts.accounts.models import User
from courts.common.actor import Actor
from courts.common.errors import ApplicationError
from courts.reference import selectors as reference


class Command(BaseCommand):
    help = ("Grant or revoke a court role as the operator (to appoint a centre's first court administrator), "
            "record a judicial office, or reset someone's two-factor authentication. "
            "`courts staff-role grant --user alice --court B01LY00 --role court_administrator`")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("grant", "revoke"):
            action = sub.add_parser(name)
            action.add_argument("--user", required=True)
            action.add_argument("--court", required=True, help="The court centre's OU code")
            action.add_argument("--role", required=True, choices=StaffRoleKind.values)
        judicial = sub.add_parser("judicial", help="Record a judicial office holder and where they sit")
        judicial.add_argument("--user", required=True)
        judicial.add_argument("--kind", required=True, choices=JudicialOfficeKind.values)
        judicial.add_argument("--court", required=True, action="append", help="OU code (repeat for more)")
        reset = sub.add_parser("reset-two-factor", help="Forget a person's authenticator (a lost phone)")
        reset.add_argument("--user", required=True)
        national = sub.add_parser("national", help="Let an HMCTS person see every court centre's cases")
        national.add_argument("--user", required=True)
        national.add_argument("--remove", action="store_true", help="Withdraw national access")

    def handle(self, *args, action, **options):
        actor = Actor.system(f"courts staff-role {action}")
        user = User.objects.filter(username__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['user']}")
        try:
            if action == "national":
                services.national_access_set(user=user, national=not options["remove"], actor=actor)
            elif action == "reset-two-factor":
                services.totp_reset(user=user, actor=actor)
            elif action == "judicial":
                services.judicial_office_grant(user=user, kind=options["kind"],
                                               court_centres=[self._centre(c) for c in options["court"]],
                                               actor=actor)
            else:
                operation = services.staff_role_grant if action == "grant" else services.staff_role_revoke
                operation(user=user, court_centre=self._centre(options["court"]), role=options["role"], actor=actor)
        except ApplicationError as error:
            raise CommandError(error.detail) from error
        self.stderr.write("Done.")

    def _centre(self, ou_code: str):
        centre = reference.court_centre_get(ou_code=ou_code)
        if centre is None:
            raise CommandError(f"No court centre has the OU code {ou_code}")
        return centre
