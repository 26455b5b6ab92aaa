"""The officer's spreadsheet (XLSX) of the filtered queue, built by a background task (issue #8):
the request only records what was asked and enqueues the build, so it never waits for up to
100,000 rows to be read and written.

The task reads the filters again from the stored query string, with the officer's scope as it
stands when the task runs, and writes the file to the uploads storage (the disk or S3) under a
random name; only the officer who asked may download it (see the download view).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications import background, exports
from applications.background import Work
from applications.models import ExportState, QueueExport
from portal.db_router import on_replica

logger = logging.getLogger(__name__)

# The longest query string an export can keep (the column's length); the view refuses longer.
QUERY_MAX_LENGTH = QueueExport._meta.get_field("query").max_length
# How long a spreadsheet is kept: it holds a region's cases, and the officer can ask again.
EXPORT_RETENTION = dt.timedelta(days=7)


def queue_export_request(*, user, query: str) -> QueueExport:
    """Records the officer's request for the spreadsheet of the queue filtered by `query` (a
    query string the caller has validated) and enqueues its build once the transaction commits.
    The sheet's header is written in the language the officer reads the portal in now."""
    export = QueueExport.objects.create(requested_by=user, query=query)
    background.after_commit(Work.QUEUE_EXPORT, export_id=export.pk, language=translation.get_language())
    return export


def _rows_counted(rows: Iterable[tuple], counter: list[int]) -> Iterator[tuple]:
    for row in rows:
        counter[0] += 1
        yield row


def _build(export: QueueExport, filtered_queue: Callable) -> None:
    queue = filtered_queue(query=export.query, user=export.requested_by)
    cap = exports.XLSX_MAX_ROWS  # read when building: the tests lower it
    read = [0]
    # One row past the cap tells the writer (and `truncated`) the list was cut.
    rows = exports.queue_export_rows(on_replica(queue), limit=cap + 1)
    # Closed before the export is saved: the writer stops at the row past the cap, and the rows'
    # own transaction (a savepoint inside this one) must end first.
    with contextlib.closing(rows):
        content = exports.xlsx_bytes(
            sheet_title=gettext("Review queue"), header=exports.QUEUE_HEADER, rows=_rows_counted(rows, read), max_rows=cap
        )
    export.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    export.row_count = min(read[0], cap)
    export.truncated = read[0] > cap
    export.state = ExportState.DONE
    export.finished_at = timezone.now()
    try:
        export.save(update_fields=["file", "row_count", "truncated", "state", "finished_at"])
    except Exception:
        export.file.delete(save=False)  # no row names it: it would stay in the storage for good
        raise


def queue_export_build(*, export_id: int, filtered_queue: Callable, language: str | None = None) -> QueueExport | None:
    """Builds the spreadsheet of a pending export, sets it DONE with its row count, and returns
    it. The export row stays locked while it is built, so a second worker given the same export
    waits, then finds it done and does nothing; an export that is not pending is returned as it
    is. A failure is logged and marks the export FAILED, never raised: the officer reads it on
    the exports page and asks again. Returns None when the export no longer exists.
    `filtered_queue(query=, user=)` reads the stored filters as the queue page does
    (filters.review.filtered_queue, given by the task: the web's filters sit above the services)."""
    try:
        with transaction.atomic(), translation.override(language or translation.get_language()):
            export = QueueExport.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=export_id)
            if export.state == ExportState.PENDING:
                _build(export, filtered_queue)
            return export
    except QueueExport.DoesNotExist:
        logger.warning("Queue export %s no longer exists; nothing to build", export_id)
        return None
    except Exception:
        logger.exception("Could not build queue export %s", export_id)
        QueueExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
            state=ExportState.FAILED, finished_at=timezone.now()
        )
        return QueueExport.objects.filter(pk=export_id).first()


def queue_exports_purge(*, now: dt.datetime | None = None) -> int:
    """Deletes the exports asked for more than EXPORT_RETENTION ago, whatever their state, and
    their files; returns how many. The rows go in one transaction and the files after it
    commits, so a file is never deleted while a row still offers it. Running it twice deletes
    nothing more."""
    cutoff = (now or timezone.now()) - EXPORT_RETENTION
    with transaction.atomic():
        old = list(QueueExport.objects.select_for_update().filter(created_at__lt=cutoff).only("pk", "file"))
        files = [export.file for export in old if export.file]
        QueueExport.objects.filter(pk__in=[export.pk for export in old]).delete()
        transaction.on_commit(partial(_delete_files, files))
    return len(old)


def _delete_files(files) -> None:
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except Exception:  # the row is gone already; a file left over is only storage
            logger.exception("Could not delete the file %s of a purged queue export", stored.name)
