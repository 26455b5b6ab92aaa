from django.core.management.base import BaseCommand

from applications.services.rule_checks import recheck_marked_cases


class Command(BaseCommand):
    help = (
        "Re-runs the rule check of every undecided case marked for it (its check time cleared, as "
        "a data migration does when the check itself changes) and stores whether it fails. "
        "Safe to run as often as you like: a case is re-checked once."
    )

    def handle(self, *args, **options):
        checked, failing = recheck_marked_cases()
        self.stdout.write(f"Re-checked: {checked}; now failing a blocking check: {failing}.")
