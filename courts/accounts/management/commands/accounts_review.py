from django.core.management.base import BaseCommand

from courts.accounts.services import INACTIVE_DISABLE_AFTER_WARNING, INACTIVE_WARN_AFTER, accounts_review
from courts.common.actor import Actor


class Command(BaseCommand):
    help = (f"Warn accounts with no sign-in for {INACTIVE_WARN_AFTER.days} days; disable (never delete) those "
            f"still inactive {INACTIVE_DISABLE_AFTER_WARNING.days} days after their warning. Run it daily.")

    def handle(self, *args, **options):
        review = accounts_review(actor=Actor.system("courts accounts-review"))
        for username in review.warned:
            self.stdout.write(f"warned {username}")
        for username in review.disabled:
            self.stdout.write(f"disabled {username}")
        self.stderr.write(f"{len(review.warned)} warned, {len(review.disabled)} disabled.")
