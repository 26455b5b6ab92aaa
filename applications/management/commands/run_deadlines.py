from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.services.deadlines import run_deadlines


class Command(BaseCommand):
    help = (
        "Marks cases whose decision deadline has passed and reminds employers whose reply to a "
        "request for information is due. Safe to run as often as you like (e.g. hourly)."
    )

    def handle(self, *args, **options):
        result = run_deadlines(today=timezone.localdate())
        self.stdout.write(f"Marked overdue: {result.marked_overdue}; reply reminders sent: {result.reminders_sent}.")
