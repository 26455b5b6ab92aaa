"""The correction log: what the employer changes on a case while the authority asks for
information, kept for the officer to read with the answer (CaseCorrection).

The services that change a case, its workers, documents or a worker's earlier permits call these
helpers in their own transaction, after the change is saved, so a refused change leaves no row.
Only a case waiting for information is logged: a draft was decided by nobody yet, and no other
state lets the employer change anything. Only values that differ are written; a save that
changes nothing writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from applications.models import (
    Application,
    CaseCorrection,
    CaseWorker,
    CorrectionKind,
    Document,
    Status,
    Worker,
    WorkerEarlierPermit,
)

LOGGED_STATUS = Status.INFO_REQUESTED


def raw_value(value: Any, zone: ZoneInfo | str | None = None) -> Any:
    """A field's value as stored in the log: JSON-safe and language-free. A date is ISO text, an
    instant comes with the zone it is read in (`zone`), a related row is its id (pass the
    field's attname value), a choice its code."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        key = zone.key if isinstance(zone, ZoneInfo) else zone
        return {"at": value.isoformat(), "zone": key or timezone.get_default_timezone_name()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def stored_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of fields `names` as the row holds them (a foreign key as its id), to compare
    before and after a change."""
    meta = instance._meta
    return {name: getattr(instance, meta.get_field(name).attname) for name in names}


def _rows_for_changes(
    *,
    application_id: int,
    user,
    at: dt.datetime,
    what: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    worker: Worker | None = None,
    worker_name: str = "",
    zones: tuple = (None, None),
) -> list[CaseCorrection]:
    return [
        CaseCorrection(
            application_id=application_id,
            actor=user,
            at=at,
            what=what,
            worker=worker,
            worker_name=worker_name,
            field=name,
            before=raw_value(before[name], zones[0]),
            after=raw_value(after[name], zones[1]),
        )
        for name in before
        if before[name] != after[name]
    ]


def log_case_changes(
    *, application: Application, user, before: Mapping[str, Any], after: Mapping[str, Any], zones: tuple = (None, None)
) -> None:
    """The case's own fields that changed; `zones` are the zones of arrival before and after, in
    which the planned arrival is read."""
    if application.status != LOGGED_STATUS:
        return
    CaseCorrection.objects.bulk_create(
        _rows_for_changes(
            application_id=application.pk,
            user=user,
            at=timezone.now(),
            what=CorrectionKind.CASE_FIELD,
            before=before,
            after=after,
            zones=zones,
        )
    )


def _asked_case_ids(worker: Worker) -> list[int]:
    """The worker's cases now waiting for information, locked (in id order, so two edits take
    them in the same order) so an answer cannot slip between this read and the log."""
    return list(
        Application.objects.select_for_update(of=("self",))
        .filter(lines__worker=worker, status=LOGGED_STATUS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def log_worker_changes(*, worker: Worker, user, before: Mapping[str, Any], worker_name: str) -> None:
    """A registry worker's fields that changed (`before` from `stored_values`, the worker already
    saved), on every case of the worker that waits for information. `worker_name` is the name
    as it stood before the change."""
    after = stored_values(worker, before)
    if after == dict(before):
        return
    at = timezone.now()
    rows = []
    for application_id in _asked_case_ids(worker):
        rows += _rows_for_changes(
            application_id=application_id,
            user=user,
            at=at,
            what=CorrectionKind.WORKER_FIELD,
            before=before,
            after=after,
            worker=worker,
            worker_name=worker_name,
        )
    CaseCorrection.objects.bulk_create(rows)


def log_worker_line(*, application: Application, user, line: CaseWorker, added: bool) -> None:
    """A worker put on the case or taken off it, with the line's PCR test as entered (the only
    data of a line the employer gives; it changes by taking the worker off and on again)."""
    if application.status != LOGGED_STATUS:
        return
    tested = line.pcr_test_taken_at is not None
    test = raw_value(line.pcr_test_taken_at, line.pcr_test_zone) if tested else None
    CaseCorrection.objects.create(
        application=application,
        actor=user,
        what=CorrectionKind.WORKER_ADDED if added else CorrectionKind.WORKER_REMOVED,
        worker_id=line.worker_id,
        worker_name=line.worker.display_name,
        field="pcr_test_taken_at" if tested else "",
        before=None if added else test,
        after=test if added else None,
    )


def _document(document: Document) -> dict[str, str]:
    return {"name": document.original_name, "kind": document.kind}


def log_document(*, application: Application, user, document: Document, added: bool) -> None:
    """A document added to the case, or removed from it (today only a draft's may be removed;
    logged all the same should that change)."""
    if application.status != LOGGED_STATUS:
        return
    described = _document(document)
    CaseCorrection.objects.create(
        application=application,
        actor=user,
        what=CorrectionKind.DOCUMENT_ADDED if added else CorrectionKind.DOCUMENT_REMOVED,
        after=described if added else None,
        before=None if added else described,
    )


def _permit(permit: WorkerEarlierPermit) -> dict[str, Any]:
    return {
        "kind": permit.kind,
        "number": permit.number,
        "issued_on": raw_value(permit.issued_on),
        "region": permit.region_id,
        "scan": permit.has_scan,
    }


def log_permit(*, worker: Worker, user, permit: WorkerEarlierPermit, what: str) -> None:
    """An earlier permit of the worker declared or given its scan, on every case of the worker
    that waits for information (the officer judges the worker's earlier work by it). Removing
    one is refused while such a case exists, so it is never a correction."""
    described = _permit(permit)
    at = timezone.now()
    CaseCorrection.objects.bulk_create(
        CaseCorrection(
            application_id=application_id,
            actor=user,
            at=at,
            what=what,
            worker=worker,
            worker_name=worker.display_name,
            after=described,
        )
        for application_id in _asked_case_ids(worker)
    )
