"""Documents of a case: the employer uploads PDF, JPEG and PNG files (judged by content, at most
10 MB, while the case is a draft or awaits information); both sides open them through one
authorised view; nobody else can."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Document, DocumentKind, Status
from applications.selectors.documents import documents_for_case
from applications.services.documents import display_name, document_upload
from tests.applications.factories import ApplicationFactory, DocumentFactory, EmployerMemberFactory
from tests.helpers.documents import JPEG, PDF, PNG, SCRIPT, stored_files, upload
from tests.pages import followed_messages, url
from tests.portal.factories import AdminFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(employer, moscow_rules):
    return ApplicationFactory(employer=employer)


# Upload


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [("guarantee.pdf", PDF, "application/pdf"), ("scan.jpg", JPEG, "image/jpeg"), ("photo.png", PNG, "image/png")],
)
def test_employer_attaches_a_pdf_jpeg_or_png_to_a_draft(employer_client, draft, employer_user, settings, name, content, expected_type):
    response = upload(employer_client, draft, name, content)

    assert response.status_code == 302
    assert response["Location"] == url("application-detail", draft.pk)
    document = Document.objects.get(application=draft)
    assert (document.original_name, document.content_type, document.size) == (name, expected_type, len(content))
    assert document.uploaded_by == employer_user
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored.read_bytes() == content
    # The stored name is random: the uploader's name never decides where a file lands.
    assert name not in document.file.name and document.file.name.startswith(f"documents/{draft.pk}/")
    assert f"“{name}” is attached to the application." in followed_messages(employer_client, response)


def test_the_type_is_read_from_the_content_not_from_the_name_or_the_browser(employer, employer_user, draft):
    document = document_upload(
        application=draft, user=employer_user, kind=DocumentKind.OTHER,
        uploaded_file=SimpleUploadedFile("looks-like-a.pdf", PNG, content_type="application/pdf"),
    )

    assert document.content_type == "image/png"


def test_a_script_renamed_pdf_is_refused_and_nothing_is_stored(employer_client, draft, settings):
    response = upload(employer_client, draft, "invoice.pdf", SCRIPT)

    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
    assert "The file “invoice.pdf” is not a PDF, JPEG or PNG file (judged by its content, not its name)." in followed_messages(
        employer_client, response
    )


def test_an_html_page_named_pdf_is_refused(employer_user, draft):
    with pytest.raises(services.TransitionRefused):
        document_upload(
            application=draft, user=employer_user, kind=DocumentKind.OTHER,
            uploaded_file=SimpleUploadedFile("a.pdf", b"<html><script>alert(1)</script></html>%PDF-1.4"),
        )


def test_a_file_over_10_mb_is_refused_before_anything_is_stored(employer_client, draft, settings):
    response = upload(employer_client, draft, "big.pdf", PDF + bytes(11 * 1024 * 1024))

    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
    assert "File: This file is 11.0 MB; a file for “Guarantee letter” may be at most 10 MB." in followed_messages(
        employer_client, response
    )


def test_the_service_holds_a_passport_copy_to_5_mb_whichever_door_it_comes_through(employer_user, draft, settings):
    with pytest.raises(services.TransitionRefused, match="a document may be at most 5 MB"):
        document_upload(
            application=draft, user=employer_user, kind=DocumentKind.PASSPORT_COPY,
            uploaded_file=SimpleUploadedFile("passport.pdf", PDF + bytes(5 * 1024 * 1024)),
        )

    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_the_size_is_checked_before_the_content_is_read(employer_user, draft):
    class Oversized(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the content of an oversized file must not be read")

    oversized = Oversized("big.pdf", PDF)
    oversized.size = 10 * 1024 * 1024 + 1

    with pytest.raises(services.TransitionRefused, match="a document may be at most 10 MB"):
        document_upload(application=draft, user=employer_user, kind=DocumentKind.OTHER, uploaded_file=oversized)


def test_a_path_in_the_file_name_is_stripped_to_a_plain_name(employer_client, draft, settings):
    upload(employer_client, draft, "../../etc/passwd.pdf", PDF)

    document = Document.objects.get(application=draft)
    assert document.original_name == "passwd.pdf"
    assert (Path(settings.MEDIA_ROOT) / document.file.name).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("Договор аренды.pdf", "Договор_аренды.pdf"),
        ('evil"; filename=x.exe', "evil_filenamex.exe"),
        ("..", "document.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_the_original_name_is_made_safe_to_show(raw, shown):
    assert display_name(raw, content_type="application/pdf") == shown


def test_upload_is_refused_once_the_case_is_submitted(employer_client, employer, moscow_rules, settings):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)

    response = upload(employer_client, submitted, "late.pdf", PDF)

    assert not Document.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
    assert (
        "Documents can be added only to a draft or while the authority asks for information; this application is “Submitted”."
        in followed_messages(employer_client, response)
    )


def test_upload_is_allowed_while_the_authority_asks_for_information(employer_client, employer, moscow_rules):
    waiting = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED)

    upload(employer_client, waiting, "housing.pdf", PDF, kind=DocumentKind.ISOLATION_HOUSING)

    assert Document.objects.get(application=waiting).kind == DocumentKind.ISOLATION_HOUSING


def test_upload_without_a_file_names_the_missing_field(employer_client, draft):
    response = employer_client.post(url("document-upload", draft.pk), {"kind": DocumentKind.OTHER})

    assert not Document.objects.exists()
    assert "File: This field is required." in followed_messages(employer_client, response)


def test_another_company_cannot_upload_to_the_case(english, other_employer_user, draft):
    english.force_login(other_employer_user)

    response = upload(english, draft, "x.pdf", PDF)

    assert response.status_code == 404
    assert not Document.objects.exists()


def test_an_officer_cannot_upload(english, officer, draft):
    english.force_login(officer)

    assert upload(english, draft, "x.pdf", PDF).status_code == 403


# Removal


def test_the_uploader_removes_a_document_from_a_draft_and_its_file_goes(
    employer_client, draft, employer_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(employer_client, draft, "wrong.pdf", PDF)
    document = Document.objects.get()
    stored = Path(settings.MEDIA_ROOT) / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post(url("document-delete", draft.pk, document.pk))

    assert not Document.objects.exists()
    assert not stored.exists()
    assert "“wrong.pdf” is removed from the application." in followed_messages(employer_client, response)


def test_a_document_cannot_be_removed_once_the_case_is_submitted(employer_client, employer, employer_user, moscow_rules):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    document = DocumentFactory(application=submitted, uploaded_by=employer_user)

    response = employer_client.post(url("document-delete", submitted.pk, document.pk))

    assert Document.objects.filter(pk=document.pk).exists()
    assert "Documents can be removed only from a draft; this application is “Submitted”." in followed_messages(
        employer_client, response
    )


def test_a_colleague_cannot_remove_a_document_someone_else_uploaded(english, employer, employer_user, draft):
    document = DocumentFactory(application=draft, uploaded_by=employer_user)
    colleague = EmployerMemberFactory(employer=employer).user
    english.force_login(colleague)

    response = english.post(url("document-delete", draft.pk, document.pk))

    assert Document.objects.filter(pk=document.pk).exists()
    assert "Only the person who uploaded a document can remove it." in followed_messages(english, response)


def test_another_company_cannot_remove_a_document(english, other_employer_user, draft, employer_user):
    document = DocumentFactory(application=draft, uploaded_by=employer_user)
    english.force_login(other_employer_user)

    assert english.post(url("document-delete", draft.pk, document.pk)).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


# Download


@pytest.fixture
def submitted_document(employer, employer_user, moscow_rules):
    application = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    return DocumentFactory(
        application=application, uploaded_by=employer_user, original_name="Гарантийное письмо.pdf", size=len(PDF),
        file__data=PDF,
    )


def test_the_company_opens_its_document_with_safe_headers(employer_client, submitted_document):
    response = employer_client.get(url("document-download", submitted_document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Always saved, named after the type found in the content, never after the uploader's name
    # (tests/security/test_request_limits_and_downloads.py has the hostile names).
    assert response["Content-Disposition"] == f'attachment; filename="document-{submitted_document.pk}.pdf"'
    # Nothing of where the file is stored leaks into the response.
    assert submitted_document.file.name.rsplit("/", 1)[-1] not in str(response.headers)


def test_an_officer_of_the_region_opens_the_document(english, officer, submitted_document):
    english.force_login(officer)

    response = english.get(url("document-download", submitted_document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_staff_open_any_document(english, submitted_document):
    english.force_login(AdminFactory())

    assert english.get(url("document-download", submitted_document.pk)).status_code == 200


def test_another_company_gets_404(english, other_employer_user, submitted_document):
    english.force_login(other_employer_user)

    assert english.get(url("document-download", submitted_document.pk)).status_code == 404


def test_an_officer_of_another_region_gets_404(english, officer_spb, submitted_document):
    english.force_login(officer_spb)

    assert english.get(url("document-download", submitted_document.pk)).status_code == 404


def test_an_officer_cannot_open_a_document_of_a_draft(english, officer, employer, employer_user, moscow_rules):
    document = DocumentFactory(application=ApplicationFactory(employer=employer), uploaded_by=employer_user)
    english.force_login(officer)

    assert english.get(url("document-download", document.pk)).status_code == 404


def test_an_officer_without_regions_gets_404(english, submitted_document):
    english.force_login(OfficerFactory())

    assert english.get(url("document-download", submitted_document.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(english, submitted_document):
    response = english.get(url("document-download", submitted_document.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_document_whose_file_is_gone_is_a_404_not_an_error(employer_client, submitted_document, settings):
    (Path(settings.MEDIA_ROOT) / submitted_document.file.name).unlink()

    assert employer_client.get(url("document-download", submitted_document.pk)).status_code == 404


# The list fragment on the case pages


def test_the_case_documents_list_shows_kind_name_size_and_uploader_in_the_same_number_of_queries(
    draft, employer_user, django_assert_num_queries
):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    DocumentFactory(application=draft, uploaded_by=employer_user, original_name="one.pdf", size=2048)
    with django_assert_num_queries(1):
        documents = documents_for_case(draft, user=employer_user)
    for _ in range(4):
        DocumentFactory(application=draft, uploaded_by=employer_user)
    with django_assert_num_queries(1):
        documents = documents_for_case(draft, user=employer_user)

    request = RequestFactory().get("/")
    request.user = employer_user
    with django_assert_num_queries(0):
        rendered = render_to_string(
            "includes/_case_documents.html",
            {"documents": documents, "viewer": "employer", "application": draft},
            request=request,
        )
    assert "one.pdf" in rendered and "2.0" in rendered and "Guarantee letter" in rendered
    assert url("document-download", documents[0].pk) in rendered
    assert url("document-delete", draft.pk, documents[0].pk) in rendered


def test_the_upload_fragment_posts_a_multipart_form_to_the_upload_view(draft):
    from django.template.loader import render_to_string

    from applications.forms.documents import DocumentUploadForm

    rendered = render_to_string("includes/_document_upload.html", {"application": draft, "upload_form": DocumentUploadForm()})

    assert 'enctype="multipart/form-data"' in rendered
    assert f'action="{url("document-upload", draft.pk)}"' in rendered
    assert 'name="kind"' in rendered and 'type="file"' in rendered
    assert re.search(r'<label[^>]*for="id_file"', rendered)


def test_both_case_pages_list_the_document_with_its_download_link(employer_client, english, officer, submitted_document):
    application = submitted_document.application
    link = url("document-download", submitted_document.pk)

    employer_page = employer_client.get(url("application-detail", application.pk)).content.decode()
    english.force_login(officer)
    officer_page = english.get(reverse("applications:review-detail", args=[application.pk])).content.decode()

    for page in (employer_page, officer_page):
        assert f'href="{link}"' in page
        assert "Гарантийное письмо.pdf" in page
