"""Work the services hand to a background worker, by name.

The services never import applications.tasks: its tasks call the services, so the imports run one
way (tasks → services → this module). applications/hooks.py, the one module that knows both,
gives each kind of work its task when the app is ready; a kind left without one stops the
start-up there, not a request later.
"""

from collections.abc import Mapping
from enum import StrEnum
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tasks.base import Task


class Work(StrEnum):
    STATUS_EMAIL = "status e-mail"
    REPLY_REMINDER = "reply reminder"
    COMPANY_VERIFICATION_EMAIL = "company verification e-mail"
    CONFIRMATION = "confirmation e-mail"
    SIGN_UP_ATTEMPT_NOTICE = "sign-up attempt notice"
    COMPANY_KNOWN_NOTICE = "company known notice"
    PASSWORD_RESET = "password reset e-mail"
    INVITATION = "invitation e-mail"
    RECHECK_PEOPLE_OF_CASE = "re-check of the cases sharing a case's people"
    QUEUE_EXPORT = "queue export"
    WORKER_IMPORT = "worker import"
    CASE_WORKER_IMPORT = "import of workers onto a draft"
    DECISION_DOCUMENT = "decision document"


_tasks: dict[Work, Task] = {}


def register(tasks: Mapping[Work, Task]) -> None:
    if missing := sorted(set(Work) - set(tasks)):
        raise ImproperlyConfigured(f"No background task for: {', '.join(missing)}")
    _tasks.update(tasks)


def after_commit(work: Work, **arguments) -> None:
    """Enqueues `work` once the current transaction commits (at once outside one): a worker
    never looks for rows not committed yet, and work of a rolled-back change is never queued."""
    transaction.on_commit(partial(_tasks[work].enqueue, **arguments))


def now(work: Work, **arguments) -> None:
    """Enqueues `work` at once, where nothing it reads is waiting for a commit."""
    _tasks[work].enqueue(**arguments)
