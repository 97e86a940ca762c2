from django.core.management.base import BaseCommand, CommandError

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import api_token_create, organisation_get_or_create
from courts.common.actor import Actor
from courts.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Manage API tokens. `courts token create --organisation NAME` prints a new token once."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for an organisation (created if new)")
        create.add_argument("--organisation", required=True, help="The organisation's name, e.g. CPS")
        create.add_argument("--kind", default=OrganisationKind.PROSECUTOR, choices=OrganisationKind.values)
        create.add_argument("--name", default="default", help="What the token is for")
        create.add_argument("--authority-code", default="", help="Prosecuting authority code (default: the name)")

    def handle(self, *args, action, **options):
        actor = Actor.system("courts token create")
        try:
            organisation, created = organisation_get_or_create(
                name=options["organisation"],
                kind=options["kind"],
                actor=actor,
                prosecuting_authority_code=options["authority_code"],
            )
            _, token = api_token_create(organisation=organisation, name=options["name"], actor=actor)
        except ApplicationError as error:
            raise CommandError(error.detail) from error
        if created:
            self.stderr.write(f"Created organisation {organisation.name} ({organisation.kind}).")
        self.stderr.write("The token is shown once; store it now.")
        self.stdout.write(token)
