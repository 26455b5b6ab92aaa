"""Drafts: changes that are not transitions, allowed only while the case is a draft."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application, ApplicationWorker, Employer, Status, StatusChange, Worker
from applications.permissions import acts_for_employer
from applications.services.errors import TransitionRefused


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
