from django.core.management.base import BaseCommand, CommandError

from courts.common.actor import Actor
from courts.reference.loaders import DATASETS, ReferenceSourceMissing, reference_dir_status, reference_load


class Command(BaseCommand):
    help = "Load reference data (court centres, offences, result definitions, ...). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("datasets", nargs="*", choices=[*DATASETS, []], help="Only these datasets")
        parser.add_argument("--force", action="store_true", help="Reload even if the source is unchanged")

    def handle(self, *args, datasets, force, **options):
        try:
            outcomes = reference_load(actor=Actor.system("courts load-reference"), datasets=datasets or None,
                                      force=force)
        except ReferenceSourceMissing as error:
            raise CommandError(f"{error}. {reference_dir_status()}") from error
        # This process's notepad vocabulary (others refresh theirs within minutes).
        from courts.hearings.notepad import vocabulary_changed

        vocabulary_changed()
        for o in outcomes:
            state = "unchanged" if o.skipped else f"{o.created} created, {o.updated} updated"
            self.stdout.write(f"{o.dataset:20} {o.row_count:6} rows  {state:28} {o.source}")
