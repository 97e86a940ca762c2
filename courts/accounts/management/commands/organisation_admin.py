from django.core.management.base import BaseCommand, CommandError

from courts.accounts import services
from courts.accounts.models import Organisation, User
from courts.common.actor import Actor
from courts.common.errors import ApplicationError


class Command(BaseCommand):
    help = ("Appoint (or stand down) an organisation's administrator as the operator: they then manage their "
            "organisation's people on /organisation/users/. `courts organisation-admin --user jo.bloggs`; "
            "a new person is created with --organisation, --first-name, --last-name and --email, and their "
            "one-time set-up code is printed.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The person's username")
        parser.add_argument("--remove", action="store_true", help="No longer an administrator")
        parser.add_argument("--organisation", help="Create the person in this organisation (its name)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        actor = Actor.system("courts organisation-admin")
        user = User.objects.select_related("organisation").filter(username__iexact=options["user"]).first()
        try:
            if user is None:
                if not options["organisation"] or options["remove"]:
                    raise CommandError(f"No user is called {options['user']} (give --organisation to create them)")
                organisation = Organisation.objects.filter(name__iexact=options["organisation"].strip()).first()
                if organisation is None:
                    raise CommandError(f"No organisation is called {options['organisation']}")
                user, code = services.organisation_user_add(
                    username=options["user"], first_name=options["first_name"], last_name=options["last_name"],
                    email=options["email"], organisation=organisation, is_organisation_admin=True, actor=actor)
                self.stderr.write(f"Created {user.username}, administrator of {organisation.name}. Their set-up "
                                  "code is shown once and expires in 7 days; they use it at /sign-in/set-up-account/.")
                self.stdout.write(code)
                return
            if options["organisation"] and (user.organisation is None
                                            or user.organisation.name.lower() != options["organisation"].strip().lower()):
                raise CommandError(f"{user.username} is not of {options['organisation']}")
            services.organisation_user_update(user=user, is_organisation_admin=not options["remove"], actor=actor)
        except ApplicationError as error:
            detail = "; ".join(e.message for e in error.errors) or error.detail
            raise CommandError(detail) from error
        self.stderr.write("Done.")
