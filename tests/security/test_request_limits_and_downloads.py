"""Request sizes and downloads (issue 16, items 2 and 7).

- A body larger than the sender may send is refused with a 413 page saying the limit, before it
  is read: 256 KB signed out, 51 MB signed in; a chunked body (no length given) is cut off as
  soon as it passes the limit. Nothing of such a request is saved.
- A passport copy or a PCR certificate may be at most 5 MB, other documents 10 MB; the form says
  so next to the file field.
- An uploaded file is always downloaded as an attachment named after the type found in its
  content, never after the uploader's name (`.html`, `.exe`, `.hta`), and never sniffed.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Document, DocumentKind, Status, WorkerEarlierPermit
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DocumentFactory,
    WorkerEarlierPermitFactory,
    WorkerFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def draft(employer, moscow_rules):
    return ApplicationFactory(employer=employer)


@pytest.fixture
def asked_case(employer, officer, moscow, moscow_rules, threshold):
    application = CaseWorkerFactory(
        application__employer=employer,
        application__region=moscow,
        application__status=Status.SUBMITTED,
    ).application
    application = services.application_take_into_review(application=application, user=officer)
    return services.application_request_information(
        application=application,
        user=officer,
        message="Send the PCR certificate.",
        reply_due=timezone.localdate() + dt.timedelta(days=5),
        requested_documents=[DocumentKind.PCR_CERTIFICATE],
    )


def upload_url(application) -> str:
    return reverse("applications:document-upload", args=[application.pk])


def chunked_post(client, path: str, data: dict):
    """A POST as a client streaming its body with `Transfer-Encoding: chunked` reaches Django
    through gunicorn: no Content-Length, the (de-chunked) body readable until its end."""
    body = encode_multipart(BOUNDARY, data)
    return client.generic(
        "POST",
        path,
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body)},
    )


# Request bodies


def test_a_stranger_sending_more_than_256_kb_gets_the_413_page_and_no_account(client):
    users_before = get_user_model().objects.count()

    response = client.post(
        reverse("accounts:register"),
        {"email": "big@x.example", "full_name": "Big", "legal_address": "x" * (300 * 1024)},
    )

    assert response.status_code == 413
    assert "The portal accepts at most 0.25 MB in one request; nothing of what you sent was saved." in text(response)
    assert "sign in first" in text(response)
    assert get_user_model().objects.count() == users_before


def test_a_declared_length_over_51_mb_is_refused_before_the_body_is_read(employer_client, draft, settings):
    # The body sent is small; the length announced is what is judged, so nothing is read.
    response = employer_client.post(
        upload_url(draft),
        {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile("a.pdf", PDF)},
        CONTENT_LENGTH=str(51 * MB + 1),
    )

    assert response.status_code == 413
    assert "The portal accepts at most 51 MB in one request; nothing of what you sent was saved." in text(response)
    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_signed_in_body_over_the_limit_is_refused_and_nothing_is_saved(employer_client, draft, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1 * MB

    response = employer_client.post(
        upload_url(draft), {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile("a.pdf", PDF + bytes(2 * MB))}
    )

    assert response.status_code == 413
    assert "The portal accepts at most 1 MB in one request" in text(response)
    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_body_at_the_limit_still_goes_through(employer_client, draft):
    response = employer_client.post(
        upload_url(draft), {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile("a.pdf", PDF + bytes(2 * MB))}
    )

    assert response.status_code == 302
    assert Document.objects.filter(application=draft).count() == 1


def test_a_chunked_body_over_the_limit_is_cut_off_with_the_413_page(employer_client, draft, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1 * MB

    response = chunked_post(
        employer_client,
        upload_url(draft),
        {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile("a.pdf", PDF + bytes(2 * MB))},
    )

    assert response.status_code == 413
    assert "The portal accepts at most 1 MB in one request" in text(response)
    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_chunked_body_under_the_limit_is_read_whole(employer_client, draft):
    response = chunked_post(
        employer_client, upload_url(draft), {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile("a.pdf", PDF)}
    )

    assert response.status_code == 302
    document = Document.objects.get(application=draft)
    assert document.file.read() == PDF


def test_a_stranger_cannot_stream_a_large_chunked_body(client):
    response = chunked_post(client, reverse("accounts:register"), {"legal_address": "x" * (300 * 1024)})

    assert response.status_code == 413


# Sizes per kind of document


@pytest.mark.parametrize(
    ("kind", "label"), [(DocumentKind.PASSPORT_COPY, "Passport copy"), (DocumentKind.PCR_CERTIFICATE, "PCR certificate")]
)
def test_a_passport_copy_or_pcr_certificate_over_5_mb_is_refused_naming_the_limit(employer_client, draft, settings, kind, label):
    response = employer_client.post(
        upload_url(draft), {"kind": kind, "file": SimpleUploadedFile("scan.pdf", PDF + bytes(6 * MB))}, follow=True
    )

    assert f"File: This file is 6.0 MB; a file for “{label}” may be at most 5 MB." in text(response)
    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_the_answer_form_shows_the_limit_next_to_the_file_of_a_pcr_certificate(employer_client, asked_case, settings):
    response = employer_client.post(
        reverse("applications:application-answer", args=[asked_case.pk]),
        {
            "version": asked_case.version,
            "message": "The certificate.",
            "document_1_kind": DocumentKind.PCR_CERTIFICATE,
            "document_1_file": SimpleUploadedFile("pcr.pdf", PDF + bytes(6 * MB)),
        },
    )

    assert response.status_code == 200
    # Next to its field (filesizeformat puts a no-break space before the unit).
    errors = [" ".join(error.split()) for error in response.context["form"].errors["document_1_file"]]
    assert errors == ["This file is 6.0 MB; a file for “PCR certificate” may be at most 5 MB."]
    assert "This file is 6.0 MB; a file for “PCR certificate” may be at most 5 MB." in text(response)
    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_6_mb_guarantee_letter_is_accepted(employer_client, draft):
    employer_client.post(
        upload_url(draft), {"kind": DocumentKind.GUARANTEE_LETTER, "file": SimpleUploadedFile("g.pdf", PDF + bytes(6 * MB))}
    )

    assert Document.objects.filter(application=draft, kind=DocumentKind.GUARANTEE_LETTER).count() == 1


def test_the_upload_form_states_the_limits(employer_client, draft):
    page = text(employer_client.get(reverse("applications:application-detail", args=[draft.pk])))

    assert "PDF, JPEG or PNG, at most 10 MB; a passport copy or a PCR certificate at most 5 MB." in page


# Downloads


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("invoice.html", PDF, ".pdf", "application/pdf"),
        ("setup.exe", PDF, ".pdf", "application/pdf"),
        ("run.hta", PNG_HEAD, ".png", "image/png"),
    ],
)
def test_a_document_uploaded_with_a_hostile_name_downloads_under_its_real_type(
    employer_client, draft, name, content, extension, content_type
):
    employer_client.post(upload_url(draft), {"kind": DocumentKind.OTHER, "file": SimpleUploadedFile(name, content, "text/html")})
    document = Document.objects.get(application=draft)

    response = employer_client.get(reverse("applications:document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}{extension}"'
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert name not in str(response.headers)


def test_a_stored_file_of_an_unknown_type_downloads_as_opaque_bytes(employer_client, draft):
    document = DocumentFactory(
        application=draft, original_name="page.html", content_type="text/html", file__data=b"<script>alert(1)</script>"
    )

    response = employer_client.get(reverse("applications:document-download", args=[document.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_permit_scan_named_hta_downloads_as_a_pdf(employer_client, employer):
    permit = WorkerEarlierPermitFactory(worker=WorkerFactory(employer=employer), scan_name="open-me.hta")

    response = employer_client.get(reverse("applications:earlier-permit-scan", args=[permit.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="permit-scan-{permit.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert WorkerEarlierPermit.objects.filter(pk=permit.pk).exists()


# The proxy settings in the deploy guide


def test_the_deploy_guide_gives_the_proxies_the_portals_own_limits(settings):
    guide = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = guide.split("### Request sizes")[1].split("\n### ")[0]

    assert settings.REQUEST_BODY_MAX_BYTES == 51 * MB and settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES == 256 * 1024
    assert "client_max_body_size 51m;" in section and "client_max_body_size 256k;" in section
    assert f"gt {settings.REQUEST_BODY_MAX_BYTES}" in section
    assert f"gt {settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES}" in section
    assert "large_client_header_buffers 4 8k;" in section
