"""Drafts: changes that are not transitions. A draft may be changed freely; a case on which the
authority asked for information may be corrected too (its details and its list of workers), so
the answer can carry the corrections asked for. Any other case is fixed."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application, CaseWorker, Employer, Status, StatusChange, Worker
from applications.permissions import acts_for_employer
from applications.services.corrections import LOGGED_STATUS, log_case_changes, log_worker_line, stored_values
from applications.services.errors import TransitionRefused
from applications.services.rule_checks import application_refresh_rule_check

# The states in which the employer may change the case's details and its workers.
EDITABLE_STATUSES = (Status.DRAFT, Status.INFO_REQUESTED)

# Fields that stay as filed once the authority has the case: a new region would move the case to
# another authority's queue in the middle of its review.
FIXED_AFTER_SUBMITTING = ("region",)


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('applications_reference_seq')")
        (number,) = cursor.fetchone()
    return f"{timezone.localdate().year}-{number:06d}"


def _refresh_flag_if_with_the_authority(application: Application) -> None:
    """The officers' queue filters on the stored "fails a blocking check" flag; a correction made
    while the authority waits must keep it true to the case."""
    if application.status != Status.DRAFT:
        application_refresh_rule_check(application)


def _ensure_editable_by_employer(application: Application, user) -> None:
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if application.status not in EDITABLE_STATUSES:
        raise TransitionRefused(
            gettext(
                "Only a draft can be changed, or an application the authority asked you to correct; "
                "this application is “%(status)s”."
            )
            % {"status": application.get_status_display()}
        )


def _derive_arrival_date(application: Application) -> None:
    """The arrival's local date follows its instant and its zone, which the region (or what
    decides the zone of arrival) may just have changed."""
    if application.planned_arrival_at is not None:
        application.set_planned_arrival(application.planned_arrival_at)


DRAFT_FIELDS = (
    "region", "kind", "project_name", "activity_okved", "planned_arrival_at", "border_crossing_point",
    "transport_to_isolation", "isolation_address", "isolation_days", "insurance_policy",
    "charter_transport_agreed", "vaccination_booked", "checkpoint", "border_region",
)


def _new_draft(*, employer: Employer, user, copied_from: Application | None = None, **fields) -> Application:
    application = Application(employer=employer, created_by=user, reference=_next_reference(), copied_from=copied_from)
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    _derive_arrival_date(application)
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    application.full_clean()
    application.save()
    StatusChange.objects.create(application=application, from_status="", to_status=Status.DRAFT, transition="create", actor=user)
    return application


@transaction.atomic
def application_create_draft(*, employer: Employer, user, **fields) -> Application:
    return _new_draft(employer=employer, user=user, **fields)


@transaction.atomic
def application_copy(*, application: Application, user) -> Application:
    """A new draft with the details and the workers of an earlier case of the company, whatever
    its status. The workers' PCR test times are left empty: a test taken for the earlier trip
    is too old for the new one, and the rule check asks for fresh ones."""
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    copy = _new_draft(
        employer=application.employer,
        user=user,
        copied_from=application,
        **{name: getattr(application, name) for name in DRAFT_FIELDS},
    )
    worker_ids = application.lines.order_by("pk").values_list("worker_id", flat=True)
    CaseWorker.objects.bulk_create(CaseWorker(application=copy, worker_id=worker_id) for worker_id in worker_ids)
    return copy


def _refuse_leaving_the_charter(application: Application, before: dict) -> None:
    """A case on a charter keeps the charter's region, crossing and date: changing them would
    leave it on a flight it no longer takes. The employer takes it off the charter first."""
    if application.charter_id is None:
        return
    moved = before.get("region") != application.region_id or before.get("checkpoint") != application.checkpoint_id
    if moved or application.planned_arrival_date != application.charter.arrival_date:
        raise TransitionRefused(
            gettext(
                "%(reference)s is on charter %(charter)s: its region of work, border crossing point and arrival date are the "
                "charter's. Take it off the charter first to change them."
            )
            % {"reference": application.reference, "charter": application.charter.reference}
        )


@transaction.atomic
def application_update_draft(*, application: Application, user, **fields) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable_by_employer(locked, user)
    before = stored_values(locked, DRAFT_FIELDS)
    # The clock the planned arrival was read on, for the log (a new crossing may change it).
    zone_before = locked.arrival_zone if locked.status == LOGGED_STATUS else None
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ValueError(f"{name} is not a draft field")
        if locked.status != Status.DRAFT and name in FIXED_AFTER_SUBMITTING and getattr(locked, name) != value:
            raise TransitionRefused(
                gettext("The region cannot change once the application is submitted: withdraw it and file a new one.")
            )
        setattr(locked, name, value)
    _derive_arrival_date(locked)
    _refuse_leaving_the_charter(locked, before)
    locked.full_clean()
    locked.save()
    log_case_changes(
        application=locked, user=user, before=before, after=stored_values(locked, DRAFT_FIELDS),
        zones=(zone_before, locked.arrival_zone) if zone_before else (None, None),
    )
    _refresh_flag_if_with_the_authority(locked)
    return locked


@transaction.atomic
def application_add_worker(
    *, application: Application, user, worker: Worker, pcr_test_taken_at: dt.datetime | None = None,
    pcr_test_zone: str = "",
) -> CaseWorker:
    """Puts a worker on the case. The PCR test is an instant; `pcr_test_zone` is the zone it was
    entered in (where it was taken), kept to show it back as printed on the certificate."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable_by_employer(locked, user)
    if worker.employer_id != locked.employer_id:
        raise TransitionRefused(gettext("This worker is not in your company's registry."))
    if locked.lines.filter(worker=worker).exists():
        raise TransitionRefused(gettext("%(worker)s is already on this application.") % {"worker": worker.display_name})
    if pcr_test_taken_at is not None and not pcr_test_zone:
        pcr_test_zone = pcr_test_taken_at.tzinfo.key if hasattr(pcr_test_taken_at.tzinfo, "key") else timezone.get_default_timezone_name()
    line = CaseWorker.objects.create(
        application=locked, worker=worker, pcr_test_taken_at=pcr_test_taken_at, pcr_test_zone=pcr_test_zone if pcr_test_taken_at else ""
    )
    log_worker_line(application=locked, user=user, line=line, added=True)
    _refresh_flag_if_with_the_authority(locked)
    return line


@transaction.atomic
def application_remove_worker(*, line: CaseWorker, user) -> None:
    locked = Application.objects.select_for_update().get(pk=line.application_id)
    _ensure_editable_by_employer(locked, user)
    log_worker_line(application=locked, user=user, line=line, added=False)
    line.delete()
    _refresh_flag_if_with_the_authority(locked)


@transaction.atomic
def application_delete_draft(*, application: Application, user) -> Application:
    """Deletes a draft the employer no longer wants. The row stays, marked deleted and hidden from
    the employer's pages: its "created" history row is append-only and names it, and its
    reference number is never given out again. Its list of workers goes, so a worker who was on
    it alone may leave the registry. A draft on a charter leaves the charter first (the
    charter's append-only log names the case)."""
    if not acts_for_employer(user, application):
        raise TransitionRefused(gettext("You may not do this on this application."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Status.DRAFT or locked.deleted_at is not None:
        raise TransitionRefused(
            gettext("Only a draft can be deleted; application %(reference)s is “%(status)s”. A submitted one can be withdrawn.")
            % {"reference": locked.reference, "status": locked.get_status_display()}
        )
    if locked.charter_id is not None:
        raise TransitionRefused(gettext("This draft is on a charter: take it off the charter first, then delete it."))
    locked.lines.all().delete()
    locked.deleted_at, locked.deleted_by = timezone.now(), user
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return locked
