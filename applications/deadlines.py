"""The two clocks of a case, in working days of the production calendar, for both the
employer's and the officer's pages: the officer's decision deadline (stopped while the employer
is asked for information) and the employer's reply date while a request is open."""

import datetime as dt

from django.utils import timezone

from applications.models import Application, Status
from applications.models.application import PENDING_STATUSES
from regions.production_calendar import working_days_between

# While a case waits for the authority, its deadline runs; once decided or withdrawn it does not.
# An open request stops it: the case then has no deadline and keeps `decision_days_left`.
DEADLINE_RUNNING = PENDING_STATUSES


def _today_in_region(application: Application, today: dt.date | None) -> dt.date:
    """The region's own date when its row is at hand (every page loads it with the case); the
    given day, or the portal's, otherwise: a list never pays a query per row for it."""
    if Application.region.is_cached(application):
        return timezone.localtime(timezone.now(), application.region.zone).date()
    return today or timezone.localdate()


def mark_deadline(application: Application, today: dt.date | None = None) -> None:
    """Sets for the template, in working days:
    - `days_left` (None when no deadline runs), `is_overdue` (the deadline day has passed) and
      `days_overdue` (working days since; 0 on a day off right after the deadline);
    - `decision_paused` and `paused_days_left` while a request for information stops the clock;
    - `reply_days_left`, `reply_overdue` and `reply_days_overdue` for the employer's reply date."""
    today = _today_in_region(application, today)
    if application.deadline and application.status in DEADLINE_RUNNING:
        application.days_left = working_days_between(today, application.deadline)
        application.is_overdue = today > application.deadline
    else:
        application.days_left = None
        application.is_overdue = False
    application.days_overdue = max(-application.days_left, 0) if application.is_overdue else 0

    application.decision_paused = (
        application.status == Status.INFO_REQUESTED and application.deadline is None
        and application.decision_days_left is not None
    )
    application.paused_days_left = application.decision_days_left if application.decision_paused else None

    if application.reply_due and application.status == Status.INFO_REQUESTED:
        application.reply_days_left = working_days_between(today, application.reply_due)
        application.reply_overdue = today > application.reply_due
    else:
        application.reply_days_left = None
        application.reply_overdue = False
    application.reply_days_overdue = max(-application.reply_days_left, 0) if application.reply_overdue else 0
