"""Every upload field of the portal against every hostile file kept in tests/data/: pixel floods,
zip bombs under a document's name, PDFs with script or nested 20,000 deep, polyglots, programs
named .pdf, and the workbook and CSV bombs of the worker import (tests/data/import_bombs/).

For each field and file, as the employer would send it through the page:
- the answer is never a server error;
- memory allocated while the request runs stays under MEMORY_CEILING: no file is unpacked,
  decoded or parsed into memory past the limits;
- a refused file changes nothing (no row, no stored file); an accepted one adds its row and its
  one stored file, never a row without its file or a file without its row.

The list of upload fields is checked against the forms themselves, so a new file field cannot be
left out of this pass.
"""

from __future__ import annotations

import datetime as dt
import inspect
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

import applications.forms
from applications.models import CaseWorker, Document, DocumentKind, EmployerFigures, Worker, WorkerEarlierPermit
from tests.applications.factories import WorkerEarlierPermitFactory
from tests.helpers.hostile_world import World, client_for

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE_FILES = sorted(
    path for folder in ("hostile_uploads", "import_bombs") for path in (DATA / folder).glob("*")
    if path.is_file() and path.suffix != ".md"
)
# The most a request may allocate in Python objects while judging one upload. Generous against a
# legitimate 10 MB scan held in memory once or twice; far under what an unpacked bomb takes.
MEMORY_CEILING = 100 * 1024 * 1024


@dataclass(frozen=True)
class UploadField:
    form: str  # the form class holding the field, by name
    field: str
    url: Callable[[World, dict], str]
    data: Callable[[World, dict], dict]
    # The rows an accepted file adds one of.
    table: type


def _url(name: str, **kwargs) -> str:
    return reverse(f"applications:{name}", kwargs=kwargs)


UPLOAD_FIELDS = {
    "case document": UploadField(
        "DocumentUploadForm", "file", lambda w, extra: _url("document-upload", pk=w.draft.pk),
        lambda w, extra: {"kind": DocumentKind.OTHER}, Document,
    ),
    "answer's document": UploadField(
        "AnswerForm", "document_1_file", lambda w, extra: _url("application-answer", pk=w.info_requested.pk),
        lambda w, extra: {"version": w.info_requested.version, "message": "The papers asked for.", "document_1_kind": DocumentKind.OTHER},
        Document,
    ),
    "worker import": UploadField(
        "WorkerImportForm", "file", lambda w, extra: _url("worker-import"), lambda w, extra: {}, Worker,
    ),
    "import onto a draft": UploadField(
        "CaseWorkerImportForm", "file", lambda w, extra: _url("application-workers-import", pk=w.draft.pk),
        lambda w, extra: {}, Worker,
    ),
    "file of arrivals": UploadField(
        "ArrivalFileForm", "file", lambda w, extra: _url("arrival-report-file", pk=w.approved.pk),
        lambda w, extra: {}, CaseWorker,
    ),
    "company figures' evidence": UploadField(
        "EmployerFiguresForm", "evidence", lambda w, extra: _url("figures-create"),
        lambda w, extra: {"year": dt.date.today().year - 1, "annual_revenue_rub": 120_000_000, "average_headcount": 80},
        EmployerFigures,
    ),
    "earlier permit with its scan": UploadField(
        "EarlierPermitForm", "scan", lambda w, extra: _url("worker-permit-create", pk=w.worker.pk),
        lambda w, extra: {"kind": "patent", "number": "77 № 7654321", "issued_on": "2019-03-01", "region": w.draft.region_id},
        WorkerEarlierPermit,
    ),
    "earlier permit's scan alone": UploadField(
        "EarlierPermitScanForm", "scan", lambda w, extra: _url("worker-permit-scan-upload", pk=extra["permit"].pk),
        lambda w, extra: {}, WorkerEarlierPermit,
    ),
}


def _forms_with_file_fields() -> set[str]:
    """Every form class of the portal that takes a file, declared or added in __init__."""
    found = set()
    for module in applications.forms.__dict__.values():
        if not inspect.ismodule(module) or not module.__name__.startswith("applications.forms"):
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            declared = any(isinstance(field, forms.FileField) for field in cls.base_fields.values())
            if declared or "FileField" in inspect.getsource(cls):
                found.add(name)
    return found


def test_the_pass_covers_every_upload_field_of_the_portal():
    import applications.forms.arrivals  # noqa: F401
    import applications.forms.case_workers  # noqa: F401
    import applications.forms.company  # noqa: F401
    import applications.forms.documents  # noqa: F401
    import applications.forms.employer  # noqa: F401
    import applications.forms.workers  # noqa: F401

    assert _forms_with_file_fields() <= {upload.form for upload in UPLOAD_FIELDS.values()}


def test_the_hostile_files_are_there_and_small():
    names = {path.name for path in HOSTILE_FILES}
    assert {"pixel-flood.png", "zip-bomb.pdf", "deeply-nested.pdf", "program.pdf"} <= names
    assert all(path.stat().st_size < 100 * 1024 for path in HOSTILE_FILES)


def _stored_files(media_root: Path) -> int:
    return sum(1 for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else 0


def _oversized() -> tuple[str, bytes]:
    # A PDF's first bytes, then more than any document may weigh.
    return "oversized.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)


@pytest.mark.parametrize("upload_name", sorted(UPLOAD_FIELDS))
def test_every_hostile_file_in_every_upload_field(upload_name, world, settings):
    upload = UPLOAD_FIELDS[upload_name]
    extra = {"permit": WorkerEarlierPermitFactory(worker=world.worker, scan="", scan_name="", scan_content_type="")}
    client = client_for("employer", world)
    files = [(path.name, path.read_bytes()) for path in HOSTILE_FILES] + [_oversized()]
    media_root = Path(settings.MEDIA_ROOT)
    for file_name, content in files:
        with transaction.atomic():
            rows_before, files_before = upload.table.objects.count(), _stored_files(media_root)
            data = {**upload.data(world, extra), upload.field: SimpleUploadedFile(file_name, content)}
            tracemalloc.start()
            try:
                response = client.post(upload.url(world, extra), data)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            added_rows = upload.table.objects.count() - rows_before
            added_files = _stored_files(media_root) - files_before
            extra["permit"].refresh_from_db()
            scan_kept = bool(extra["permit"].scan)
            transaction.set_rollback(True)

        where = f"{upload_name}, {file_name}"
        assert response.status_code < 500, f"{where}: {response.status_code}"
        assert peak < MEMORY_CEILING, f"{where}: {peak / 2**20:.0f} MB allocated"
        if upload.table is WorkerEarlierPermit and upload.form == "EarlierPermitScanForm":
            # The scan goes onto an existing row: the row names a file exactly when one is stored.
            assert added_rows == 0 and added_files == int(scan_kept), f"{where}: scan {scan_kept}, {added_files} files"
        elif upload.table is Worker:
            # No hostile file holds a worker the import could take.
            assert (added_rows, added_files) == (0, 0), where
        else:
            assert (added_rows, added_files) in ((0, 0), (1, 1)), f"{where}: {added_rows} rows, {added_files} files"
