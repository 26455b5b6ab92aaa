"""A large case's notices to its approved workers are built by a background task once the decision
commits, kept in the private storage and served from there; their page shows that they are being
prepared, ready or failed, and a request never lays them out. A small case's are built inline."""

import io
import zipfile

import pypdf
import pytest

from applications import notices, tasks
from applications.models import DocumentBuild, DocumentBuildKind, DocumentBuildState
from applications.services import document_builds
from tests.helpers.notices import approved_case, rules  # noqa: F401 (fixtures)
from tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_case(monkeypatch, request):
    """The notice tests' case (six workers approved), large because the threshold is lowered to five."""
    monkeypatch.setattr(document_builds, "LARGE_CASE_WORKERS", 5)
    return request.getfixturevalue("approved_case")


@pytest.fixture
def rendered(monkeypatch):
    """Counts the parts of notices laid out by WeasyPrint, whoever asks for them."""
    calls = []
    real = notices._notices_part_pdf

    def counting(batch):
        calls.append(len(batch))
        return real(batch)

    monkeypatch.setattr(notices, "_notices_part_pdf", counting)
    return calls


def notices_build(application) -> DocumentBuild:
    return DocumentBuild.objects.get(decision__application=application, kind=DocumentBuildKind.WORKER_NOTICES)


def test_a_large_cases_notices_are_queued_and_the_request_does_not_build_them(employer_client, large_case, rendered):
    build = notices_build(large_case)
    assert build.state == DocumentBuildState.PENDING  # queued with the decision, to run once it commits

    response = employer_client.get(url("case-notices", large_case.pk))

    assert response.status_code == 302 and response["Location"] == url("case-notices-status", large_case.pk)
    status = employer_client.get(url("case-notices-status", large_case.pk))
    assert status["Refresh"] == "3"
    assert 'id="notices-state"' in status.content.decode()
    assert rendered == []
    build.refresh_from_db()
    assert build.state == DocumentBuildState.PENDING and not build.file


def test_the_task_builds_them_once_and_they_are_served_from_storage(employer_client, officer_client, large_case, rendered):
    build = notices_build(large_case)

    assert tasks.build_decision_document.enqueue(build_id=build.pk).return_value == DocumentBuildState.DONE

    build.refresh_from_db()
    assert build.state == DocumentBuildState.DONE and build.file.name.startswith("document-builds/")
    assert rendered == [6]
    for client in (employer_client, officer_client):
        response = client.get(url("case-notices", large_case.pk))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages]
        assert len(pages) == 6
        assert any("WORKERKZ" in page for page in pages) and not any("REFUSED" in page for page in pages)
        status = client.get(url("case-notices-status", large_case.pk))
        assert "Refresh" not in status and url("case-notices", large_case.pk) in status.content.decode()
    assert rendered == [6]  # served as built, never laid out again


def test_another_company_and_another_regions_officer_get_404(client, other_employer_user, officer_spb, large_case):
    tasks.build_decision_document.enqueue(build_id=notices_build(large_case).pk)
    for user in (other_employer_user, officer_spb):
        client.force_login(user)
        assert client.get(url("case-notices", large_case.pk)).status_code == 404
        assert client.get(url("case-notices-status", large_case.pk)).status_code == 404


def test_a_build_that_fails_says_so_and_is_not_built_in_the_request(employer_client, large_case, monkeypatch, rendered):
    def broken(workers):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(document_builds, "render_notices", broken)
    build = notices_build(large_case)
    assert tasks.build_decision_document.enqueue(build_id=build.pk).return_value == DocumentBuildState.FAILED

    build.refresh_from_db()
    assert build.state == DocumentBuildState.FAILED and "no fonts" in build.failure and not build.file
    status = employer_client.get(url("case-notices-status", large_case.pk))
    assert "Refresh" not in status and "alert-danger" in status.content.decode()
    assert employer_client.get(url("case-notices", large_case.pk)).status_code == 302
    assert rendered == []


def test_a_small_cases_notices_are_still_built_in_the_request(employer_client, approved_case, rendered):  # noqa: F811
    assert not DocumentBuild.objects.filter(kind=DocumentBuildKind.WORKER_NOTICES).exists()
    response = employer_client.get(url("case-notices", approved_case.pk))
    assert response.status_code == 200 and len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 6
    assert rendered == [6]


def test_a_border_list_bundle_of_more_than_a_large_case_leaves_the_notices_out_with_a_note(officer_client, large_case, rendered):
    response = officer_client.get(url("review-export-border-bundle"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["border-list.csv", "notices-not-included.txt"]
    assert archive.read("border-list.csv").decode("utf-8-sig").count("WORKER") == 6
    assert "6" in archive.read("notices-not-included.txt").decode()
    assert rendered == []
