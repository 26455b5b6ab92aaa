"""Background work on django-tasks: e-mails, the re-check of a region's pending cases after its
rules change, and the officers' XLSX exports of the queue. The web request only enqueues them,
after its transaction commits: the services name the work (applications/background.py) and
applications/hooks.py gives each its task here, so these tasks may call the services.

Which backend runs them is the TASKS setting (TASKS_BACKEND in the environment): `immediate`
(the demo, the tests) runs each task inline when it is enqueued; `database` stores it in
PostgreSQL for `manage.py db_worker`. Arguments are plain ids: a task reads the rows it needs
when it runs, as they stand then.

django-tasks has no retries of its own, so an e-mail task catches the errors of an unreachable
or refusing mail server and enqueues itself again later, at most MAX_SEND_ATTEMPTS times in
all. A backend that cannot run a task later (the immediate one) gets one attempt: the failure
is logged and the request that caused it carries on.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from functools import partial

from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

from applications import notifications
from applications.filters.review import filtered_queue
from applications.forms.case_workers import check_case_import_rows
from applications.forms.workers import check_import_rows
from applications.services.case_workers import case_worker_import_run
from applications.services.companies import (
    send_company_known_email,
    send_confirmation_email,
    send_invitation_email,
    send_password_reset_email,
    send_sign_up_attempt_email,
)
from applications.services.document_builds import document_build_run
from applications.services.exports import queue_export_build
from applications.services.rule_checks import recheck_cases_sharing_people, recheck_marked_cases, recheck_pending_cases
from applications.services.worker_imports import worker_import_run

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
# The wait before attempts 2, 3, 4 and 5: a mail server restarting is back within minutes; one
# still down after two and a half hours needs a person, who finds the failed task and the log.
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
# Worth another try: the server refused for now, or could not be reached (refused, timed out,
# name not resolved: all OSError). Anything else is a bug that trying again will not fix.
TRANSIENT_SEND_ERRORS = (smtplib.SMTPException, OSError)


def runs_inline(background_task: Task) -> bool:
    """Whether the configured backend runs tasks as they are enqueued (no worker)."""
    return isinstance(background_task.get_backend(), ImmediateBackend)


def _send_or_retry(background_task: Task, send: Callable[[], int], *, attempt: int, what: str, **arguments) -> int | None:
    """Runs `send`; on a transient failure enqueues `background_task` again with `arguments` and
    the next attempt number, after a growing delay. Returns how many recipients were e-mailed,
    or None when another attempt is queued. Raises once it gives up, so the task shows as
    failed to whoever watches the queue."""
    try:
        return send()
    except TRANSIENT_SEND_ERRORS:
        if attempt < MAX_SEND_ATTEMPTS and background_task.get_backend().supports_defer:
            run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
            logger.warning(
                "Could not send %s (attempt %d of %d); trying again after %s",
                what, attempt, MAX_SEND_ATTEMPTS, run_after.isoformat(), exc_info=True,
            )
            background_task.using(run_after=run_after).enqueue(**arguments, attempt=attempt + 1)
            return None
        logger.error("Gave up sending %s after %d attempt(s)", what, attempt)
        raise


@task()
def send_status_email(change_id: int, attempt: int = 1) -> int | None:
    """The e-mail about a change of status (history row `change_id`)."""
    return _send_or_retry(
        send_status_email, partial(notifications.send_transition_email, change_id=change_id),
        attempt=attempt, what=f"the e-mail about status change {change_id}", change_id=change_id,
    )


@task()
def send_reply_reminder(request_id: int, attempt: int = 1) -> int | None:
    """The reminder that the reply to a request for information (history row `request_id`) is due."""
    return _send_or_retry(
        send_reply_reminder, partial(notifications.send_reply_reminder_email, request_id=request_id),
        attempt=attempt, what=f"the reply reminder for request {request_id}", request_id=request_id,
    )


@task()
def send_company_verification_email(event_id: int, attempt: int = 1) -> int | None:
    """The e-mail about a company's verification or its refusal (history row `event_id`)."""
    return _send_or_retry(
        send_company_verification_email, partial(notifications.send_company_verification_email, event_id=event_id),
        attempt=attempt, what=f"the e-mail about company event {event_id}", event_id=event_id,
    )


@task()
def send_confirmation(user_id: int, site_url: str, attempt: int = 1) -> int | None:
    """The link that confirms a new company account's e-mail address."""
    return _send_or_retry(
        send_confirmation, partial(send_confirmation_email, user_id=user_id, site_url=site_url),
        attempt=attempt, what=f"the confirmation e-mail of user {user_id}", user_id=user_id, site_url=site_url,
    )


@task()
def send_sign_up_attempt_notice(user_id: int, site_url: str, attempt: int = 1) -> int | None:
    """To the owner of an address someone tried to sign up with again: the account exists, and
    how to sign in or reset the password."""
    return _send_or_retry(
        send_sign_up_attempt_notice, partial(send_sign_up_attempt_email, user_id=user_id, site_url=site_url),
        attempt=attempt, what=f"the sign-up attempt notice to user {user_id}", user_id=user_id, site_url=site_url,
    )


@task()
def send_company_known_notice(email: str, language: str, site_url: str, attempt: int = 1) -> int | None:
    """To an address that tried to sign up a company already on the portal: ask for an invitation."""
    return _send_or_retry(
        send_company_known_notice, partial(send_company_known_email, email=email, language=language, site_url=site_url),
        attempt=attempt, what="the notice that a company is already registered", email=email, language=language,
        site_url=site_url,
    )


@task()
def send_password_reset(user_id: int, site_url: str, attempt: int = 1) -> int | None:
    """The link that sets a new password."""
    return _send_or_retry(
        send_password_reset, partial(send_password_reset_email, user_id=user_id, site_url=site_url),
        attempt=attempt, what=f"the password reset e-mail of user {user_id}", user_id=user_id, site_url=site_url,
    )


@task()
def send_invitation(invitation_id: int, site_url: str, attempt: int = 1) -> int | None:
    """The link that lets an invited colleague join a company."""
    return _send_or_retry(
        send_invitation, partial(send_invitation_email, invitation_id=invitation_id, site_url=site_url),
        attempt=attempt, what=f"the invitation e-mail {invitation_id}", invitation_id=invitation_id, site_url=site_url,
    )


@task()
def recheck_region(region_id: int) -> int:
    """Re-checks the region's pending cases against its rules; returns how many now fail. (Kept
    for tasks queued before publication replaced it: recheck_marked_cases_of_region.)"""
    return recheck_pending_cases(region_id=region_id)


@task()
def recheck_marked_cases_of_region(region_id: int) -> list[int]:
    """Re-checks the region's undecided cases marked for it (a rule version published over their
    arrival); returns [how many were re-checked, how many of them now fail]."""
    return list(recheck_marked_cases(region_id=region_id))


@task()
def recheck_people_of_case(application_id: int) -> int:
    """Re-checks the other pending cases listing one of the case's people; returns how many fail."""
    return recheck_cases_sharing_people(application_id=application_id)


@task()
def build_queue_export(export_id: int, language: str | None = None) -> str | None:
    """Builds the spreadsheet of queue export `export_id`; returns its state. A failed build is
    logged and recorded on the export (FAILED), not raised: the officer reads it on the page."""
    export = queue_export_build(export_id=export_id, filtered_queue=filtered_queue, language=language)
    return export.state if export else None


@task()
def run_worker_import(import_id: int, language: str | None = None) -> str | None:
    """Checks and imports the rows of worker import `import_id`; returns its state. A failure is
    recorded on the import (FAILED), not raised: the employer reads it on the import's page."""
    worker_import = worker_import_run(import_id=import_id, check=check_import_rows, language=language)
    return worker_import.state if worker_import else None


@task()
def build_decision_document(build_id: int) -> str | None:
    """Builds the document of a large decided case (document build `build_id`); returns its
    state. A failure is recorded on the build (FAILED), not raised: the status page shows it."""
    build = document_build_run(build_id=build_id)
    return build.state if build else None


@task()
def run_case_worker_import(import_id: int, application_id: int, language: str | None = None) -> str | None:
    """Checks the rows of worker import `import_id` and puts them on draft `application_id`
    (people already in the registry matched); returns the import's state. As run_worker_import,
    a failure is recorded on the import, not raised."""
    worker_import = case_worker_import_run(
        import_id=import_id, application_id=application_id, check=check_case_import_rows, language=language
    )
    return worker_import.state if worker_import else None
