"""`courts intake-spi --organisation NAME FILE...`: import police SPI new-case messages from files, as the
API would take them from the force's system (for back-loading, replaying a dead letter, or testing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.cases.spi import MAX_MESSAGE_BYTES, spi_case_intake
from courts.common.actor import Actor
from courts.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Import police SPI NewCaseMessage files for a prosecuting organisation (created if new)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The police force's name, e.g. Kent Police")
        parser.add_argument("files", nargs="+", metavar="FILE", help="SPI XML files (bare or in a RouteData)")

    def handle(self, *args: object, organisation: str, files: list[str], **options: object) -> None:
        actor = Actor.system("courts intake-spi")
        try:
            prosecutor, created = organisation_get_or_create(name=organisation, kind=OrganisationKind.PROSECUTOR,
                                                             actor=actor)
        except ApplicationError as error:
            raise CommandError(error.detail) from error
        if prosecutor.kind != OrganisationKind.PROSECUTOR:
            raise CommandError(f"{prosecutor.name} is not a prosecuting organisation")
        if created:
            self.stderr.write(f"Created organisation {prosecutor.name} ({prosecutor.kind}).")
        rejected = 0
        for name in files:
            try:
                with Path(name).open("rb") as f:
                    # One byte over the limit is enough for the parser to refuse it.
                    data = f.read(MAX_MESSAGE_BYTES + 1)
                outcome = spi_case_intake(data=data, prosecutor=prosecutor, actor=actor)
            except OSError as error:
                rejected += 1
                self.stdout.write(f"{name}: rejected: cannot read the file ({error.strerror or error})")
                continue
            except ApplicationError as error:
                rejected += 1
                self.stdout.write(f"{name}: rejected: {error.detail}")
                for e in error.errors:
                    self.stdout.write(f"    {e.field}: {e.message}")
                continue
            case = outcome.case
            if outcome.created:
                self.stdout.write(f"{name}: created case {case.urn} with {outcome.defendants_added} defendant(s)")
            elif outcome.defendants_added:
                self.stdout.write(f"{name}: case {case.urn}: added {outcome.defendants_added} defendant(s)")
            else:
                self.stdout.write(f"{name}: case {case.urn}: nothing new (every defendant is already on it)")
        if rejected:
            raise CommandError(f"{rejected} of {len(files)} file(s) rejected")
