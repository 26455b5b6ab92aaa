"""Tenant A of the authorisation matrices (web and API): its objects, the text that gives its
data away, every URL name of the project, and what a person could read in a response."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from applications import services
from applications.filters.review import filtered_queue
from applications.models import Application, EmployerInvitation, QueueExport, Status, WorkerImport, WorkerImportState
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DocumentFactory,
    WorkerEarlierPermitFactory,
    WorkerFactory,
)

REFERENCE_A = "MATRIX-A-0001"
PASSPORT_A = "MX7770001"


@dataclass
class World:
    """Tenant A's objects, whose ids fill the URLs, and the text that gives its data away."""

    employer: object
    worker: object
    case: object
    line: object
    document: object
    invitation: object
    owner: object
    export: object  # officer A's spreadsheet of the queue, ready to download
    permit: object = None  # the worker's earlier work patent, with its scan
    figures: object = None  # company A's statement of its figures, with its evidence
    worker_import: object = None  # company A's background import of a file of workers, done
    charter: object = None  # company A's charter of region A, with A's approved case on it

    @property
    def markers(self) -> tuple[str, ...]:
        return (REFERENCE_A, PASSPORT_A, self.employer.inn)


def project_url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """The name of every URL pattern of the project, with its namespaces; the admin's are one group.
    A pattern without a name is listed by its route, so it cannot slip through either."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner == "admin:":
                continue
            names.extend(project_url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed route {pattern.pattern}>")
    return names


PROJECT_URL_NAMES = sorted(set(project_url_names()))


def body_text(response) -> str:
    """What a person receiving the response could read: PDF, XLSX and the files of a ZIP are opened."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row
            if value is not None
        )
    if content_type.startswith("application/zip") and content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as bundle:
            return " ".join(_file_text(bundle.read(name)) for name in bundle.namelist())
    if content_type.startswith("application/pdf"):
        return _file_text(content)
    return content.decode("utf-8", errors="replace")


def _file_text(content: bytes) -> str:
    if content.startswith(b"%PDF") and len(content) > 100:
        return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages) + content.decode("latin-1")
    return content.decode("utf-8", errors="replace")


def tenant_a(employer, employer_user, officer) -> World:
    """Tenant A's objects: a worker on a decided case of the company, its document, invitation,
    export, earlier permit, figures, import and charter (the rules and threshold set up by the caller)."""
    worker = WorkerFactory(employer=employer, passport_number=PASSPORT_A, surname_latin="ASECRETOV")
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, reference=REFERENCE_A, assigned_officer=officer)
    line = CaseWorkerFactory(application=application, worker=worker)
    services.application_approve(application=application, user=officer)
    application.refresh_from_db()
    document = DocumentFactory(
        application=application, uploaded_by=employer_user,
        file__data=f"%PDF-1.4 {REFERENCE_A} {PASSPORT_A}".encode(),
    )
    invitation = EmployerInvitation.objects.create(
        employer=employer, email="new.colleague@a.example", token="matrix-invitation-token", invited_by=employer_user
    )
    export = services.queue_export_request(user=officer, query="status=all")
    services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue)  # what the task does once the request commits
    permit = WorkerEarlierPermitFactory(worker=worker, scan__data=f"%PDF-1.4 {PASSPORT_A}".encode())
    figures = services.employer_figures_record(
        employer=employer, user=employer_user, year=2020, annual_revenue_rub=1, average_headcount=1,
        evidence=SimpleUploadedFile("figures.pdf", f"%PDF-1.4 {REFERENCE_A} {PASSPORT_A} {employer.inn}".encode()),
    )
    worker_import = WorkerImport.objects.create(
        employer=employer, created_by=employer_user, file_name=f"{REFERENCE_A}.csv", state=WorkerImportState.DONE,
        total_rows=600, checked_rows=600, created_count=600, finished_at=timezone.now(),
    )
    charter = services.charter_create(
        employer=employer, user=employer_user, transport_kind="flight", transport_number="SU 1881", region=application.region,
        checkpoint=application.checkpoint, arrival_date=max(application.planned_arrival_date, timezone.localdate()),
    )
    Application.objects.filter(pk=application.pk).update(charter=charter)  # decided on the charter
    return World(
        employer=employer, worker=worker, case=application, charter=charter, line=line, document=document, invitation=invitation,
        owner=employer_user, export=QueueExport.objects.get(pk=export.pk), permit=permit, figures=figures,
        worker_import=worker_import,
    )
