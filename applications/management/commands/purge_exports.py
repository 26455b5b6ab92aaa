from django.core.management.base import BaseCommand

from applications.services.exports import EXPORT_RETENTION, queue_exports_purge


class Command(BaseCommand):
    help = (
        f"Deletes the officers' queue spreadsheets asked for more than {EXPORT_RETENTION.days} days ago, "
        "with their files. Safe to run as often as you like (e.g. daily)."
    )

    def handle(self, *args, **options):
        removed = queue_exports_purge()
        self.stdout.write(f"Queue exports removed: {removed}.")
