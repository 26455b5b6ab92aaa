"""Days left until a case's decision is due, for both the employer's and the officer's pages."""

import datetime as dt

from applications.models import Application, Status

# While a case waits for the authority, its deadline runs; once decided or withdrawn it does not.
DEADLINE_RUNNING = (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)


def mark_deadline(application: Application, today: dt.date) -> None:
    """Sets `days_left` (None when no deadline runs), `is_overdue` and `days_overdue` for the template."""
    if application.deadline and application.status in DEADLINE_RUNNING:
        application.days_left = (application.deadline - today).days
    else:
        application.days_left = None
    application.is_overdue = application.days_left is not None and application.days_left < 0
    application.days_overdue = -application.days_left if application.is_overdue else 0
