"""Documents through the API: a file attached to a draft as the web page attaches it (the kind
from the list, the content sniffed, the size for its kind), the case's documents listed, and
refusals in JSON with the web's messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import CaseCorrection, CorrectionKind, Document, DocumentKind, Status
from applications.models.document import DOCUMENT_MAX_BYTES, MEGABYTE
from portal.security.request_limits import API_DOCUMENT_BODY_MAX_BYTES
from tests.api.conftest import ApiClient
from tests.applications.factories import ApplicationFactory
from tests.helpers.documents import PDF, PNG, SCRIPT, stored_files

pytestmark = pytest.mark.django_db


def documents_of(case) -> str:
    return f"/api/v1/applications/{case.pk}/documents/"


def a_file(content=PDF, name="guarantee.pdf", kind=DocumentKind.GUARANTEE_LETTER) -> dict:
    return {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")}


@pytest.fixture
def draft(employer, moscow_rules):
    return ApplicationFactory(employer=employer)


def test_an_employer_attaches_a_file_to_a_draft_and_lists_the_cases_documents(api, draft, employer_user):
    attached = api.upload(documents_of(draft), a_file(PNG, name="scan.png", kind=DocumentKind.PASSPORT_COPY))

    assert attached.status_code == 201, attached.json()
    body = attached.json()
    assert (body["kind"], body["original_name"], body["content_type"], body["size"]) == (
        "passport_copy",
        "scan.png",
        "image/png",
        len(PNG),
    )
    assert Document.objects.get(application=draft).uploaded_by == employer_user
    listed = api.get(documents_of(draft)).json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_a_file_that_is_not_a_pdf_jpeg_or_png_is_refused_next_to_the_file_and_not_stored(api, draft, settings):
    response = api.upload(documents_of(draft), a_file(SCRIPT, name="letter.pdf"))

    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "The file “letter.pdf” is not a PDF, JPEG or PNG file (judged by its content, not its name)."
    ]
    assert not Document.objects.exists() and not stored_files(settings.MEDIA_ROOT)


def test_a_file_too_large_for_its_kind_and_an_unknown_kind_get_the_web_forms_messages(api, draft):
    too_large = api.upload(documents_of(draft), a_file(PDF + bytes(5 * MEGABYTE), kind=DocumentKind.PCR_CERTIFICATE))
    assert too_large.status_code == 400
    assert too_large.json()["errors"]["file"] == ["This file is 5.0\xa0MB; a file for “PCR certificate” may be at most 5 MB."]

    unknown = api.upload(documents_of(draft), {**a_file(), "kind": "selfie"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["kind"] == ["Select a valid choice. selfie is not one of the available choices."]
    extra = api.upload(documents_of(draft), {**a_file(), "colour": "red"})
    assert extra.json()["errors"] == {"colour": ["There is no such field."]}
    missing = api.upload(documents_of(draft), {"kind": DocumentKind.OTHER})
    assert missing.json()["errors"]["file"] == ["This field is required."]
    assert not Document.objects.exists()


def test_the_apis_upload_limit_holds_the_largest_document_and_its_framing():
    assert DOCUMENT_MAX_BYTES < API_DOCUMENT_BODY_MAX_BYTES <= DOCUMENT_MAX_BYTES + 64 * 1024


def test_a_document_of_up_to_10_mb_passes_the_apis_body_limit_and_a_larger_body_is_a_413(api, draft):
    nine_mb = api.upload(documents_of(draft), a_file(PDF + bytes(9 * MEGABYTE), kind=DocumentKind.OTHER))
    assert nine_mb.status_code == 201, nine_mb.content

    too_large = api.upload(documents_of(draft), a_file(PDF + bytes(11 * MEGABYTE), kind=DocumentKind.OTHER))
    assert too_large.status_code == 413
    assert "larger than" in too_large.json()["detail"]
    assert Document.objects.count() == 1


def test_a_submitted_case_refuses_a_document_with_a_409_that_says_why(api, employer, moscow_rules):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)

    response = api.upload(documents_of(submitted), a_file())

    assert response.status_code == 409
    assert "Documents can be added only to a draft" in response.json()["detail"]


def test_a_document_sent_while_the_authority_asks_for_information_is_in_the_cases_corrections(
    api, employer, employer_user, moscow_rules
):
    asked = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED)

    assert api.upload(documents_of(asked), a_file()).status_code == 201

    correction = CaseCorrection.objects.get(application=asked)
    assert (correction.what, correction.actor) == (CorrectionKind.DOCUMENT_ADDED, employer_user)


def test_another_companys_case_is_a_404_for_its_documents(api, other_employer_user, settings):
    theirs = ApplicationFactory(employer=other_employer_user.employer_membership.employer)

    assert api.get(documents_of(theirs)).status_code == 404
    response = api.upload(documents_of(theirs), a_file())
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert not stored_files(settings.MEDIA_ROOT)


def test_a_document_sent_with_no_usable_key_is_a_401_and_never_read(draft, settings):
    response = ApiClient("mep_000000000000_wrong").upload(documents_of(draft), a_file(PDF + bytes(9 * MEGABYTE)))

    assert response.status_code == 401
    assert not stored_files(settings.MEDIA_ROOT)
