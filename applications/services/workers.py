"""The worker registry of a company: adding, editing, importing and removing workers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext

from applications.models import Employer, Status, Worker, WorkerEarlierPermit
from applications.permissions import employer_id_of
from applications.selectors.workers import worker_cases
from applications.services.corrections import log_worker_changes, stored_values
from applications.services.errors import TransitionRefused

WORKER_FIELDS = (
    "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "sex", "date_of_birth",
    "citizenship", "passport_number", "passport_expiry", "occupation", "phone",
)
# What identifies the person to the authority and the border service. While a case with the
# worker is under review or approved, these must stay as the officer saw them.
IDENTITY_FIELDS = ("surname_latin", "given_names_latin", "date_of_birth", "citizenship", "passport_number")
# The registry the person is in is locked with the identity: a case lists its company's workers.
# Only staff could move a worker (the registry's pages never do).
LOCKED_FIELDS = (*IDENTITY_FIELDS, "employer")
# The database's trigger worker_identity_locked (migration 0018) repeats this list.
IDENTITY_LOCKING_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.PARTIALLY_APPROVED)
PASSPORT_CONSTRAINT = "worker_passport_unique_per_employer"
IDENTITY_TRIGGER = "worker_identity_locked"
IMPORT_BATCH_SIZE = 500


class WorkerIdentityLocked(TransitionRefused):
    """The worker's identity is on a case under review or on an approved list."""

    @staticmethod
    def describe(references: list[str], *, moved: bool = False) -> str:
        """Why the identity is locked, naming the cases that lock it."""
        if moved:
            return gettext(
                "This worker cannot move to another company's registry while application %(references)s is under "
                "review or approved: the authority decided on the company's list."
            ) % {"references": ", ".join(references)}
        return gettext(
            "The name, birth date, citizenship and passport of this worker cannot change while application "
            "%(references)s is under review or approved: the authority decided on these data. If the worker "
            "has a new passport, add them to the registry again with it."
        ) % {"references": ", ".join(references)}


class DuplicatePassport(TransitionRefused):
    """The database refused a second worker with the same passport and citizenship in one
    company: someone added it between the form's check and the insert."""

    def __init__(self, message: str | None = None):
        super().__init__(message or gettext("A worker with this passport number and citizenship is already in your registry."))


def _constraint_of(exc: IntegrityError) -> str | None:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)


@contextmanager
def _duplicate_passport_refused(message: str | None = None) -> Iterator[None]:
    # Only the passport constraint becomes a refusal; any other integrity error is a bug and
    # must stay loud.
    try:
        yield
    except IntegrityError as exc:
        if _constraint_of(exc) == PASSPORT_CONSTRAINT:
            raise DuplicatePassport(message) from exc
        raise


@contextmanager
def _saved_as_allowed(worker: Worker) -> Iterator[None]:
    """Saves with the database's last word turned into the refusal the service would have given:
    the passport already in the registry, or a case submitted after the identity check read the
    cases (the trigger worker_identity_locked sees every case committed before the UPDATE)."""
    try:
        # A savepoint, so the cases can still be read to say which one locks the worker.
        with _duplicate_passport_refused(), transaction.atomic():
            yield
    except IntegrityError as exc:
        if _constraint_of(exc) == IDENTITY_TRIGGER:
            raise WorkerIdentityLocked(WorkerIdentityLocked.describe(identity_lock_references(worker))) from exc
        raise


def identity_lock_references(worker: Worker) -> list[str]:
    """The references of the cases under review or approved that list the worker: while there is
    one, the worker's identity (LOCKED_FIELDS) stays as the authority saw it."""
    return list(
        worker.application_lines.filter(application__status__in=IDENTITY_LOCKING_STATUSES)
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )


def ensure_identity_may_change(worker: Worker, fields: Mapping[str, Any]) -> None:
    """Refuses (WorkerIdentityLocked) `fields` that change the identity of `worker` as stored
    while a case under review or approved lists the worker. The one check of the registry's
    pages, Django admin's form and its save; the database's trigger repeats it."""
    changed = [name for name in LOCKED_FIELDS if name in fields and fields[name] != getattr(worker, name)]
    if not changed:
        return
    references = identity_lock_references(worker)
    if references:
        raise WorkerIdentityLocked(WorkerIdentityLocked.describe(references, moved=changed == ["employer"]))


def _ensure_member(employer_id: int, user) -> None:
    if employer_id is None or employer_id != employer_id_of(user):
        raise TransitionRefused(gettext("You may not change another company's workers."))


def _apply(worker: Worker, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name not in WORKER_FIELDS:
            raise ValueError(f"{name} is not a worker field")
        setattr(worker, name, value)
    # Field rules only (choices, country code, lengths); the passport's uniqueness is left to
    # the database constraint, which also catches two requests racing.
    worker.full_clean(exclude=["employer"], validate_constraints=False)


@transaction.atomic
def worker_create(*, employer: Employer, user, **fields) -> Worker:
    """Adds a worker to the company's registry; a passport already there raises DuplicatePassport."""
    _ensure_member(employer.pk, user)
    worker = Worker(employer=employer)
    _apply(worker, fields)
    with _duplicate_passport_refused():
        worker.save()
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, user, **fields) -> Worker:
    """Changes a worker of the registry, with the row locked so two edits do not interleave.

    Contact data and occupation may always change. The identity (names, birth date, citizenship,
    passport) may not while the worker is on a case under review or approved: the officer's
    decision and the list sent to the border service name that person. While information is
    requested the employer may correct it, since that is what such requests are for.
    """
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    _ensure_member(locked.employer_id, user)
    ensure_identity_may_change(locked, fields)
    before, name_before = stored_values(locked, WORKER_FIELDS), locked.display_name
    _apply(locked, fields)
    with _saved_as_allowed(locked):
        locked.save()
    log_worker_changes(worker=locked, user=user, before=before, worker_name=name_before)
    return locked


@transaction.atomic
def worker_update_by_staff(*, worker: Worker, user, fields: Mapping[str, Any]) -> Worker:
    """Django admin's change of a registry entry (`fields`: field name -> value, as its form
    cleaned them). Staff may correct what the registry's pages may not (any field, another
    company), but the identity lock holds for them too: checked again here with the row locked."""
    if not user.has_perm("applications.change_worker"):
        raise PermissionDenied(gettext("You may not change workers."))
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    ensure_identity_may_change(locked, fields)
    before, name_before = stored_values(locked, WORKER_FIELDS), locked.display_name
    for name, value in fields.items():
        setattr(locked, name, value)
    with _saved_as_allowed(locked):
        locked.save()
    log_worker_changes(worker=locked, user=user, before=before, worker_name=name_before)
    return locked


@transaction.atomic
def workers_import(*, employer: Employer, user, rows: Iterable[Mapping[str, Any]]) -> list[Worker]:
    """Adds every row to the registry, or none: one transaction, inserted in batches."""
    _ensure_member(employer.pk, user)
    workers = []
    for fields in rows:
        worker = Worker(employer=employer)
        _apply(worker, fields)
        workers.append(worker)
    with _duplicate_passport_refused(
        gettext("A worker of the file was added to your registry meanwhile, so nothing was imported. Upload the file again.")
    ):
        return Worker.objects.bulk_create(workers, batch_size=IMPORT_BATCH_SIZE)


@transaction.atomic
def worker_delete(*, worker: Worker, user) -> None:
    """Removes a worker from the registry, with their earlier permits and scans, while no case
    names them: a case keeps the worker it was filed for, so one on any case (a draft too:
    remove them from it first) is refused with the cases' numbers."""
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    _ensure_member(locked.employer_id, user)
    references = worker_cases(locked)
    if references:
        raise TransitionRefused(
            ngettext(
                "%(worker)s is on application %(references)s: a worker on an application stays in the registry. "
                "Remove them from the draft first, if it is one.",
                "%(worker)s is on applications %(references)s: a worker on an application stays in the registry. "
                "Remove them from the drafts first, if they are.",
                len(references),
            )
            % {"worker": locked.display_name, "references": ", ".join(references)}
        )
    scans = [permit.scan.name for permit in locked.earlier_permits.exclude(scan="")]
    locked.delete()
    storage = WorkerEarlierPermit._meta.get_field("scan").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in scans])
