"""Imports of large files of workers, run by a background task (issue 16): the request reads the
file within the reader's limits, records its rows here and enqueues the import, so it never
waits for thousands of rows to be checked. The employer watches the progress on the import's
page.

All or nothing, as an import on the page: every row is checked with the same rules first, and
the workers are added in one transaction only if no row has a problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications import background
from applications.background import Work
from applications.models import Employer, WorkerImport, WorkerImportState
from applications.services.errors import TransitionRefused
from applications.services.workers import _ensure_member, workers_import
from applications.worker_import import ImportRow, ImportTable, clip

logger = logging.getLogger(__name__)


def worker_import_request(*, employer: Employer, user, table: ImportTable, file_name: str) -> WorkerImport:
    """Records the rows of a file read within the limits and enqueues their import once the
    transaction commits."""
    _ensure_member(employer.pk, user)
    worker_import = WorkerImport.objects.create(
        employer=employer,
        created_by=user,
        file_name=clip(file_name),
        total_rows=len(table.rows),
        ignored_headers=[clip(header) for header in table.ignored_headers],
        headers=table.headers,
        rows=[{"number": row.number, "data": row.data, "errors": row.errors} for row in table.rows],
    )
    # The report is written in the language the employer reads the portal in now.
    background.after_commit(Work.WORKER_IMPORT, import_id=worker_import.pk, language=translation.get_language())
    return worker_import


def _finish(worker_import: WorkerImport, **fields) -> None:
    # The rows go once the import is finished: they hold passport data, and the registry (or
    # the employer's file) has them.
    fields.update(rows=[], finished_at=timezone.now())
    WorkerImport.objects.filter(pk=worker_import.pk).update(**fields)


def worker_import_run(*, import_id: int, check: Callable, language: str | None = None) -> WorkerImport | None:
    """Checks and imports the rows of a queued import and records the outcome: DONE with the
    count of workers added, or FAILED with the report of the first rows to correct (nothing is
    added then). An import not queued (another worker took it) is left alone. Returns None when
    the import no longer exists. `check` is the page's check of the rows
    (forms.workers.check_import_rows), given by the task: the forms sit above the services."""
    return run_queued_import(import_id=import_id, language=language, work=partial(_run, check=check))


def run_queued_import(
    *, import_id: int, language: str | None, work: Callable[[WorkerImport], None], what: str = ""
) -> WorkerImport | None:
    """The frame of every background import: claims the import if it is still queued (row lock,
    so two workers never run one import), runs `work` on it in the user's language, and turns an
    unexpected error into FAILED with a sentence, never a half import. `what` names the import's
    destination in the log."""
    with transaction.atomic():
        worker_import = (
            WorkerImport.objects.select_for_update(of=("self",))
            .select_related("employer", "created_by")
            .filter(pk=import_id)
            .first()
        )
        if worker_import is None:
            logger.warning("Worker import %s no longer exists; nothing to import", import_id)
            return None
        if worker_import.state != WorkerImportState.QUEUED:
            return worker_import
        worker_import.state = WorkerImportState.RUNNING
        worker_import.save(update_fields=["state"])
    with translation.override(language or translation.get_language()):
        try:
            work(worker_import)
        except Exception:
            logger.exception("Could not import worker import %s%s", import_id, what)
            _finish(
                worker_import,
                state=WorkerImportState.FAILED,
                failure=gettext("The import stopped on an unexpected error and nothing was imported. Upload the file again."),
            )
    return WorkerImport.objects.filter(pk=import_id).first()


def _run(worker_import: WorkerImport, check: Callable) -> None:
    def add(rows) -> int:
        return len(workers_import(employer=worker_import.employer, user=worker_import.created_by, rows=rows))

    import_checked_rows(worker_import, check=check, add=add)


def import_checked_rows(worker_import: WorkerImport, *, check: Callable, add: Callable[[list], int]) -> None:
    """The body of every background import: `check` the waiting rows as the page would (progress
    recorded as it goes), then `add` them all (returns how many workers were created), or record
    why nothing was added: the rows to correct, or the service's refusal."""
    rows = [ImportRow(number=row["number"], data=row["data"], errors=row["errors"]) for row in worker_import.rows]

    def progress(count: int) -> None:
        WorkerImport.objects.filter(pk=worker_import.pk).update(checked_rows=count)

    checked = check(rows, employer=worker_import.employer, headers=worker_import.headers, progress=progress)
    if checked.error_rows:
        _finish(
            worker_import,
            state=WorkerImportState.FAILED,
            checked_rows=len(rows),
            error_row_count=checked.error_rows,
            errors=[{"row": error.row, "column": error.column, "message": error.message} for error in checked.errors],
            failure=gettext("Nothing was imported: correct the rows below in the file and upload it again."),
        )
        return
    try:
        created = add(checked.rows)
    except TransitionRefused as exc:
        _finish(worker_import, state=WorkerImportState.FAILED, checked_rows=len(rows), failure=clip_failure(exc.message))
        return
    _finish(worker_import, state=WorkerImportState.DONE, checked_rows=len(rows), created_count=created)


def clip_failure(message: str) -> str:
    return message[: WorkerImport._meta.get_field("failure").max_length]
