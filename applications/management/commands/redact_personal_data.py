from django.conf import settings
from django.core.management.base import BaseCommand

from applications.services.retention import redact_personal_data


class Command(BaseCommand):
    help = (
        f"Removes personal data kept long enough: the documents of cases closed {settings.PERSONAL_DATA_DOCUMENTS_DAYS} days "
        f"ago, and the identity of workers whose last case closed {settings.PERSONAL_DATA_IDENTITY_DAYS} days ago "
        "(PERSONAL_DATA_DOCUMENTS_DAYS, PERSONAL_DATA_IDENTITY_DAYS). Safe to run as often as you like (e.g. daily)."
    )

    def handle(self, *args, **options):
        run = redact_personal_data()
        self.stdout.write(
            f"Documents deleted: {run.documents_deleted}; workers redacted: {run.workers_redacted} "
            f"(in decisions: {run.decision_workers_redacted}); earlier permits deleted: {run.earlier_permits_deleted}; "
            f"letters removed: {run.letters_removed}; decisions not verified: {run.decisions_not_verified}."
        )
