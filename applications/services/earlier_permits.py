"""A worker's earlier work permits and patents in the registry: the evidence that a worker
brought back has worked for the company before. The scan is checked like a case's documents
(type from the content, size) and stored under a random name."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import CorrectionKind, Status, Worker, WorkerEarlierPermit
from applications.services.corrections import log_permit
from applications.services.documents import check_document_file, display_name
from applications.services.errors import TransitionRefused
from applications.services.workers import _ensure_member
from regions.models import Region

UNIQUE_CONSTRAINT = "earlier_permit_once_per_worker"
# While the worker is on a case the authority has (or decided with the worker approved), the
# declaration may be what the officer relied on: it stays as the officer saw it.
RELIED_ON_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.APPROVED, Status.PARTIALLY_APPROVED)


class PermitAlreadyDeclared(TransitionRefused):
    def __init__(self):
        super().__init__(gettext("This permit or patent is already declared for the worker."))


def _store_scan(permit: WorkerEarlierPermit, scan: UploadedFile, user) -> None:
    # Size and content first: a refused file is never written to the storage.
    content_type = check_document_file(scan)
    permit.scan_name = display_name(scan.name or "", content_type=content_type)
    permit.scan_content_type = content_type
    permit.scan_size = scan.size
    permit.uploaded_by = user
    permit.uploaded_at = timezone.now()
    permit.scan.save("upload", scan, save=False)  # upload_to ignores the name: it is random


def _save(permit: WorkerEarlierPermit) -> None:
    stored = permit.scan.name if permit.scan else None
    try:
        with transaction.atomic():
            permit.save()
    except IntegrityError as exc:
        if stored:
            permit.scan.storage.delete(stored)  # no row, no file
        diagnostics = getattr(exc.__cause__, "diag", None)
        if getattr(diagnostics, "constraint_name", None) == UNIQUE_CONSTRAINT:
            raise PermitAlreadyDeclared from exc
        raise


@transaction.atomic
def earlier_permit_declare(
    *, worker: Worker, user, kind: str, number: str, issued_on: dt.date, region: Region, scan: UploadedFile | None = None
) -> WorkerEarlierPermit:
    """Declares a permit or patent the worker held for the company; only with a scan does it
    count as evidence of earlier work."""
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    _ensure_member(locked.employer_id, user)
    number = " ".join(number.split())
    if not number:
        raise TransitionRefused(gettext("Enter the number of the permit or patent."))
    if issued_on >= timezone.localdate():
        raise TransitionRefused(gettext("The issue date is in the future or today: an earlier permit was issued before today."))
    permit = WorkerEarlierPermit(worker=locked, kind=kind, number=number, issued_on=issued_on, region=region)
    if scan is not None:
        _store_scan(permit, scan, user)
    _save(permit)
    log_permit(worker=locked, user=user, permit=permit, what=CorrectionKind.PERMIT_DECLARED)
    return permit


@transaction.atomic
def earlier_permit_attach_scan(*, permit: WorkerEarlierPermit, user, scan: UploadedFile) -> WorkerEarlierPermit:
    """Adds the scan to a permit declared without one."""
    worker = Worker.objects.select_for_update().filter(pk=permit.worker_id).first()
    locked = WorkerEarlierPermit.objects.select_for_update().get(pk=permit.pk)
    _ensure_member(permit.worker.employer_id, user)
    if locked.has_scan:
        raise TransitionRefused(gettext("This permit has its scan already: to replace it, remove the permit and declare it again."))
    _store_scan(locked, scan, user)
    _save(locked)
    log_permit(worker=worker, user=user, permit=locked, what=CorrectionKind.PERMIT_SCAN_ADDED)
    return locked


@transaction.atomic
def earlier_permit_delete(*, permit: WorkerEarlierPermit, user) -> None:
    """Removes a declaration no case before the authority relies on."""
    worker = Worker.objects.select_for_update().get(pk=permit.worker_id)
    _ensure_member(worker.employer_id, user)
    references = list(
        worker.application_lines.filter(application__status__in=RELIED_ON_STATUSES)
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )
    if references:
        raise TransitionRefused(
            gettext("This declaration cannot be removed while the worker is on application %(references)s before the authority.")
            % {"references": ", ".join(references)}
        )
    stored = permit.scan.name if permit.scan else None
    storage = permit.scan.storage
    WorkerEarlierPermit.objects.filter(pk=permit.pk).delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
