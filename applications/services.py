"""Every change of a case goes through here: the web pages, Django admin and management
commands call these functions, so each rule is enforced in one place.

A status change runs `_run_transition`: one transaction, the case row locked with
SELECT ... FOR UPDATE, the transitions table consulted, a history row appended, and the
notification sent only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application, ApplicationWorker, Employer, Status, StatusChange, Worker
from applications.notifications import notify_transition
from applications.permissions import acts_for_employer, acts_for_region, employer_id_of
from applications.transitions import TRANSITIONS, Actor, TransitionContext


class TransitionRefused(Exception):
    """A transition that may not happen; the message says why, in words a person understands.
    Raised inside the transaction, so nothing of the attempt is kept."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _may_act(actor: Actor, user, application: Application) -> bool:
    if actor == Actor.EMPLOYER:
        return acts_for_employer(user, application)
    return acts_for_region(user, application)


@transaction.atomic
def _run_transition(
    *,
    application: Application,
    name: str,
    user,
    message: str = "",
    reply_due: dt.date | None = None,
    refusals: Mapping[int, tuple[str, str]] | None = None,
    expected_version: int | None = None,
) -> Application:
    transition = TRANSITIONS[name]
    locked = Application.objects.select_for_update(of=("self",)).select_related("region", "employer").get(pk=application.pk)

    if not _may_act(transition.actor, user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionRefused(
            gettext("The application changed since you opened it (it is now “%(status)s”). Reload the page and check it again.")
            % {"status": locked.get_status_display()}
        )
    if locked.status not in transition.sources:
        raise TransitionRefused(
            gettext("“%(action)s” is not possible while the application is “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        )
    message = (message or "").strip()
    if transition.message_required and not message:
        raise TransitionRefused(gettext("Please write a message: it is required for “%(action)s”.") % {"action": transition.label})

    context = TransitionContext(application=locked, user=user, message=message, reply_due=reply_due, refusals=refusals or {})
    for guard in transition.guards:
        reason = guard(context)
        if reason:
            raise TransitionRefused(reason)

    from_status = locked.status
    locked.status = transition.target
    locked.version += 1
    if transition.effect:
        transition.effect(context)
    locked.save()
    change = StatusChange.objects.create(
        application=locked, from_status=from_status, to_status=locked.status, transition=name,
        actor=user, message=message, reply_due=reply_due,
    )
    transaction.on_commit(lambda: notify_transition(change_id=change.pk))
    return locked


# Employer actions


def application_submit(*, application: Application, user, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="submit", user=user, expected_version=expected_version)


def application_withdraw(*, application: Application, user, reason: str = "", expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="withdraw", user=user, message=reason, expected_version=expected_version)


def application_answer_request(*, application: Application, user, message: str, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="answer_request", user=user, message=message, expected_version=expected_version)


# Officer actions


def application_take_into_review(*, application: Application, user, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="take_into_review", user=user, expected_version=expected_version)


def application_request_information(
    *, application: Application, user, message: str, reply_due: dt.date | None = None, expected_version: int | None = None
) -> Application:
    return _run_transition(
        application=application, name="request_information", user=user, message=message, reply_due=reply_due,
        expected_version=expected_version,
    )


def application_approve(*, application: Application, user, message: str = "", expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="approve", user=user, message=message, expected_version=expected_version)


def application_approve_partially(
    *, application: Application, user, refusals: Mapping[int, tuple[str, str]], message: str = "",
    expected_version: int | None = None,
) -> Application:
    """Approves every worker but those in `refusals` (line id -> (reason, note))."""
    return _run_transition(
        application=application, name="approve_partially", user=user, refusals=refusals, message=message,
        expected_version=expected_version,
    )


def application_reject(*, application: Application, user, reason: str, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="reject", user=user, message=reason, expected_version=expected_version)


# Drafts: changes that are not transitions, allowed only while the case is a draft.


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('applications_reference_seq')")
        (number,) = cursor.fetchone()
    return f"{timezone.localdate().year}-{number:06d}"


def _ensure_draft_of_employer(application: Application, user) -> None:
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if application.status != Status.DRAFT:
        raise TransitionRefused(gettext("Only a draft can be changed; this application is “%(status)s”.") % {"status": application.get_status_display()})


DRAFT_FIELDS = (
    "region", "kind", "project_name", "activity_okved", "planned_arrival_date", "border_crossing_point",
    "transport_to_isolation", "isolation_address", "isolation_days", "insurance_policy",
    "charter_transport_agreed", "vaccination_booked",
)


@transaction.atomic
def application_create_draft(*, employer: Employer, user, **fields) -> Application:
    application = Application(employer=employer, created_by=user, reference=_next_reference())
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    application.full_clean()
    application.save()
    StatusChange.objects.create(application=application, from_status="", to_status=Status.DRAFT, transition="create", actor=user)
    return application


@transaction.atomic
def application_update_draft(*, application: Application, user, **fields) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_draft_of_employer(locked, user)
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ValueError(f"{name} is not a draft field")
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def application_add_worker(
    *, application: Application, user, worker: Worker, pcr_test_taken_at: dt.datetime | None = None
) -> ApplicationWorker:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_draft_of_employer(locked, user)
    if worker.employer_id != locked.employer_id:
        raise TransitionRefused(gettext("This worker is not in your company's registry."))
    if locked.lines.filter(worker=worker).exists():
        raise TransitionRefused(gettext("%(worker)s is already on this application.") % {"worker": worker.display_name})
    return ApplicationWorker.objects.create(application=locked, worker=worker, pcr_test_taken_at=pcr_test_taken_at)


@transaction.atomic
def application_remove_worker(*, line: ApplicationWorker, user) -> None:
    locked = Application.objects.select_for_update().get(pk=line.application_id)
    _ensure_draft_of_employer(locked, user)
    line.delete()


def employer_verify(*, employer: Employer, user) -> Employer:
    """An admin, or an officer of the employer's region, confirms the company is who it says."""
    from applications.permissions import officer_region_ids

    if not (user.is_staff or employer.region_id in officer_region_ids(user)):
        raise TransitionRefused(gettext("Only an admin or an officer of the company's region can verify it."))
    with transaction.atomic():
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        if locked.verified_at is None:
            locked.verified_at, locked.verified_by = timezone.now(), user
            locked.save(update_fields=["verified_at", "verified_by"])
    return locked


# The worker registry


def worker_create(*, employer: Employer, user, **fields) -> Worker:
    """Adds a worker to the company's registry; a duplicate passport raises IntegrityError."""
    worker = Worker(employer=employer, **fields)
    if employer.pk != employer_id_of(user):
        raise TransitionRefused(gettext("You may not do this on this application."))
    with transaction.atomic():
        worker.save()
    return worker
