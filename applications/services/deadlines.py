"""The periodic deadline job (manage.py run_deadlines, e.g. hourly from cron or a scheduler):
marks cases whose decision deadline has passed, and reminds employers whose reply to a request
for information is due. Running it twice changes nothing more and sends nothing twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from applications import background
from applications.background import Work
from applications.deadlines import DEADLINE_RUNNING
from applications.models import Application, ReplyReminder, Status, StatusChange
from regions.production_calendar import add_working_days

REMIND_DAYS_BEFORE = 2


@dataclass(frozen=True)
class DeadlineRun:
    marked_overdue: int
    reminders_sent: int


def mark_overdue_cases(*, today: dt.date) -> int:
    """Stamps the day a pending case's decision deadline passed; already stamped cases keep it.
    A case waiting for the employer's answer has no deadline (its clock is stopped), so it is
    never marked here."""
    return Application.objects.filter(
        status__in=DEADLINE_RUNNING, deadline__lt=today, overdue_since__isnull=True
    ).update(overdue_since=today)


def _pending_requests(*, today: dt.date):
    """The latest request for information of each case still waiting for an answer, when its
    reply is due within REMIND_DAYS_BEFORE working days (or overdue) and no reminder went out yet."""
    latest_request = (
        StatusChange.objects.filter(application=OuterRef("application"), to_status=Status.INFO_REQUESTED)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    return (
        StatusChange.objects.filter(
            application__status=Status.INFO_REQUESTED,
            to_status=Status.INFO_REQUESTED,
            reply_due__isnull=False,
            reply_due__lte=add_working_days(today, REMIND_DAYS_BEFORE),
            reply_reminder__isnull=True,
            pk=Subquery(latest_request),
        )
        .order_by("pk")
    )


def remind_due_replies(*, today: dt.date) -> int:
    sent = 0
    for request in _pending_requests(today=today):
        try:
            with transaction.atomic():
                ReplyReminder.objects.create(request=request)
                background.after_commit(Work.REPLY_REMINDER, request_id=request.pk)
        except IntegrityError:
            continue  # another run of the job took this one at the same moment
        sent += 1
    return sent


def run_deadlines(*, today: dt.date) -> DeadlineRun:
    return DeadlineRun(marked_overdue=mark_overdue_cases(today=today), reminders_sent=remind_due_replies(today=today))
