"""`manage.py seed_demo`: demo accounts, rule versions of every region and cases in every state.

Development only: the demo accounts share a published password. Running it again adds nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from applications.models import Status
from devdata.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        f"Loads demo data for development: accounts (password {DEMO_PASSWORD}), rule versions for all 85 "
        "regions, two companies with workers and cases in every state. Refuses to run with DEBUG off; "
        "running it again changes nothing but the demo passwords."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG on "
                "(development). Refusing to touch this database."
            )
        # The services e-mail every change of a case once it commits; the demo addresses are
        # fictional and the console backend would bury the summary under dozens of letters.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = seed_demo()

        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Password of every demo account: {DEMO_PASSWORD}"))
        for user in summary.accounts:
            self.stdout.write(f"  {user.email:<26} {user.get_role_display()}: {user.full_name}")
        self.stdout.write(
            f"Rule versions: {summary.rule_sets} ({summary.rule_sets_created} new, "
            f"{summary.rule_sets_pending} not yet in force)."
        )
        statuses = ", ".join(
            f"{label.lower()} {summary.statuses[value]}" for value, label in Status.choices if summary.statuses[value]
        )
        self.stdout.write(
            f"Demo companies: {summary.employers}, workers: {summary.workers}, "
            f"cases: {summary.applications} ({summary.applications_created} new): {statuses}."
        )
