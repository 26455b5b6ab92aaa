"""Filling a draft with many workers at once (issue 17): adding a selection of the registry (or
all the workers a filter matches), importing a file straight onto the case, removing many and
moving them to another draft of the same company.

Each action is one transaction with the draft's row locked, and works on sets: a few queries
whatever the number of workers. Only drafts: once the authority has the case its list is what
the officer reviews, and corrections during a request for information go one worker at a time
through services/drafts.py, which logs each of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import DatabaseDefault
from django.utils import translation
from django.utils.translation import gettext

from applications import background
from applications.background import Work
from applications.models import Application, CaseWorker, Status, Worker, WorkerImport
from applications.permissions import acts_for_employer
from applications.services.errors import TransitionRefused
from applications.services.worker_imports import import_checked_rows, run_queued_import
from applications.services.workers import IMPORT_BATCH_SIZE, _apply, _duplicate_passport_refused, _ensure_member
from applications.worker_import import ImportTable, clip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseWorkersAdded:
    added: int
    skipped: int  # already on the case, or asked for twice


@dataclass(frozen=True)
class CaseWorkersImported:
    created: int  # new people put into the registry
    matched: int  # people of the file already in the registry (same citizenship and passport)
    added: int  # lines put on the case
    skipped: int  # people of the file already on the case


def _lock_draft(application_id: int, user) -> Application:
    locked = Application.objects.select_for_update().get(pk=application_id)
    if not acts_for_employer(user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if locked.status != Status.DRAFT:
        raise TransitionRefused(
            gettext("Workers can be added, removed or moved in bulk only on a draft; this application is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _insert_lines(application: Application, worker_ids: list[int]) -> int:
    """One INSERT ... SELECT for any number of workers, in the order given, skipping those already
    on the case (the unique constraint application_worker_once_per_case); returns how many were
    inserted. bulk_create spent 1.5 s of Python per 5,000 lines preparing each value of each row;
    here every other column gets its default once, as a parameter of the statement."""
    columns, values, params = ["application_id", "worker_id"], ["%s", "chosen.worker_id"], [application.pk]
    for model_field in CaseWorker._meta.concrete_fields:
        if model_field.primary_key or model_field.name in ("application", "worker") or model_field.generated:
            continue
        default = model_field.get_default()
        if isinstance(default, DatabaseDefault):
            continue  # the database fills it in
        columns.append(model_field.column)
        values.append("%s")
        params.append(model_field.get_db_prep_save(default, connection))
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(CaseWorker._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
        f"SELECT {', '.join(values)} FROM unnest(%s::bigint[]) WITH ORDINALITY AS chosen(worker_id, position) "
        "ORDER BY chosen.position ON CONFLICT (application_id, worker_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, worker_ids])
        return cursor.rowcount


def _add_lines(application: Application, worker_ids: list[int]) -> CaseWorkersAdded:
    """Puts the workers on the locked draft in the order given, skipping those already on it
    and ids given twice."""
    distinct = list(dict.fromkeys(worker_ids))
    added = _insert_lines(application, distinct) if distinct else 0
    return CaseWorkersAdded(added=added, skipped=len(worker_ids) - added)


@transaction.atomic
def case_workers_add(*, application: Application, user, workers: QuerySet[Worker] | list[int]) -> CaseWorkersAdded:
    """Adds workers of the company's registry to a draft: `workers` is a queryset (every worker a
    filter matches) or a list of ids (the rows ticked). Workers of another company are ignored
    as if they did not exist; those already on the draft are skipped and counted."""
    locked = _lock_draft(application.pk, user)
    if isinstance(workers, QuerySet):
        requested = list(workers.filter(employer_id=locked.employer_id).values_list("pk", flat=True))
    else:
        own = set(Worker.objects.filter(employer_id=locked.employer_id, pk__in=workers).values_list("pk", flat=True))
        requested = [worker_id for worker_id in workers if worker_id in own]
    return _add_lines(locked, requested)


@transaction.atomic
def case_workers_remove(*, application: Application, user, line_ids: list[int]) -> int:
    """Takes the given lines off the draft in one statement; returns how many were removed
    (lines of another case are not touched)."""
    locked = _lock_draft(application.pk, user)
    removed, _ = CaseWorker.objects.filter(application=locked, pk__in=line_ids).delete()
    return removed


@transaction.atomic
def case_workers_move(*, application: Application, target: Application, user, line_ids: list[int]) -> CaseWorkersAdded:
    """Moves the given lines of a draft to another draft of the same company (a line keeps its
    PCR test). A worker already on the target stays where it is and is counted as skipped."""
    if target.pk == application.pk:
        raise TransitionRefused(gettext("Choose another draft to move the workers to."))
    # Both drafts are locked, always in the same order, so two moves in opposite directions
    # cannot deadlock.
    first, second = sorted((application.pk, target.pk))
    locked = {pk: _lock_draft(pk, user) for pk in (first, second)}
    source, destination = locked[application.pk], locked[target.pk]
    if source.employer_id != destination.employer_id:
        raise TransitionRefused(gettext("Workers can only move to another draft of the same company."))
    lines = CaseWorker.objects.filter(application=source, pk__in=line_ids)
    selected = lines.count()
    moved = lines.exclude(worker__in=CaseWorker.objects.filter(application=destination).values("worker_id")).update(
        application=destination
    )
    return CaseWorkersAdded(added=moved, skipped=selected - moved)


@transaction.atomic
def case_workers_import(*, application: Application, user, rows: list[Mapping[str, Any]]) -> CaseWorkersImported:
    """Puts the people of a checked file (rows as WorkerForm cleaned them, in the file's order)
    on a draft: a person already in the registry (same citizenship and passport) is matched and
    not added again; the others go into the registry first. All or nothing."""
    locked = _lock_draft(application.pk, user)
    _ensure_member(locked.employer_id, user)
    # (citizenship, passport key) -> worker: the form cleans a passport number to the key's form.
    registry = {
        (citizenship, key): pk
        for citizenship, key, pk in Worker.objects.filter(employer_id=locked.employer_id).values_list(
            "citizenship", "passport_key", "pk"
        )
    }
    new_workers: list[Worker] = []
    for fields in rows:
        if (fields["citizenship"], fields["passport_number"]) not in registry:
            worker = Worker(employer_id=locked.employer_id)
            _apply(worker, fields)
            new_workers.append(worker)
    with _duplicate_passport_refused(
        gettext("A worker of the file was added to your registry meanwhile, so nothing was imported. Upload the file again.")
    ):
        created = Worker.objects.bulk_create(new_workers, batch_size=IMPORT_BATCH_SIZE)
    for worker in created:
        registry[(worker.citizenship, worker.passport_number)] = worker.pk
    result = _add_lines(locked, [registry[(fields["citizenship"], fields["passport_number"])] for fields in rows])
    return CaseWorkersImported(created=len(created), matched=len(rows) - len(created), added=result.added, skipped=result.skipped)


# A file of more than BACKGROUND_IMPORT_ROWS rows: checked and imported by a background task,
# with the progress on the import's page (services/worker_imports.py keeps the rows meanwhile).


def case_worker_import_request(*, application: Application, user, table: ImportTable, file_name: str) -> WorkerImport:
    """Records the rows of a file read within the limits and enqueues their import onto the
    draft once the transaction commits."""
    _ensure_member(application.employer_id, user)
    worker_import = WorkerImport.objects.create(
        employer_id=application.employer_id,
        created_by=user,
        file_name=clip(file_name),
        total_rows=len(table.rows),
        ignored_headers=[clip(header) for header in table.ignored_headers],
        headers=table.headers,
        rows=[{"number": row.number, "data": row.data, "errors": row.errors} for row in table.rows],
    )
    background.after_commit(
        Work.CASE_WORKER_IMPORT, import_id=worker_import.pk, application_id=application.pk, language=translation.get_language()
    )
    return worker_import


def case_worker_import_run(
    *, import_id: int, application_id: int, check: Callable, language: str | None = None
) -> WorkerImport | None:
    """The background task's work: checks the rows as the page would (`check`:
    forms.case_workers.check_case_import_rows, given by the task), then imports them onto the
    draft, or records why nothing was imported (FAILED, with the rows to correct)."""
    return run_queued_import(
        import_id=import_id,
        language=language,
        work=partial(_run_case_import, application_id=application_id, check=check),
        what=f" onto application {application_id}",
    )


def _run_case_import(worker_import: WorkerImport, application_id: int, check: Callable) -> None:
    def add(rows) -> int:
        application = Application.objects.get(pk=application_id)
        return case_workers_import(application=application, user=worker_import.created_by, rows=rows).created

    import_checked_rows(worker_import, check=check, add=add)
