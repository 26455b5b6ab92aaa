"""A large case's decision letter is built by a background task once the decision commits: the
letter's page shows that it is being prepared (refreshing itself), then offers the PDF, whose
annex of workers repeats its header row on every page and numbers the pages "page x of y". A
small case's letter is still built when it is first downloaded."""

import io
import re

import pypdf
import pytest

from applications import services
from applications.letters import LETTER_ROWS_PER_PART
from applications.models import Application, DecisionLetter, DocumentBuild, DocumentBuildKind, DocumentBuildState, Status, Worker
from applications.services.document_builds import LARGE_CASE_WORKERS
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.helpers.bulk_cases import case_of as case_in_bulk
from tests.pages import url

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def company(employer):
    employer.language = "en"
    employer.save()
    return employer


def case_of(company, workers: int):
    application = ApplicationFactory(employer=company, status=Status.IN_REVIEW)
    CaseWorkerFactory.create_batch(workers, application=application)
    return application


def test_a_large_case_letter_is_queued_then_offered_with_a_paginated_annex(
    english, employer_user, company, moscow_rules, threshold, officer, django_capture_on_commit_callbacks
):
    application = case_of(company, 300)
    assert 300 > LARGE_CASE_WORKERS
    english.force_login(employer_user)

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        services.application_approve(application=application, user=officer)

    # Committed but not yet run: the letter is asked for and not built inside the request.
    build = DocumentBuild.objects.get(decision__application=application, kind=DocumentBuildKind.DECISION_LETTER)
    assert build.state == DocumentBuildState.PENDING
    response = english.get(url("decision-letter", application.pk))
    assert response.status_code == 302
    assert response["Location"] == url("decision-letter-status", application.pk)
    status = english.get(url("decision-letter-status", application.pk))
    assert status.status_code == 200
    assert status["Refresh"] == "3"
    assert "is being prepared" in status.content.decode()
    assert not DecisionLetter.objects.filter(decision__application=application).exists()

    for callback in after_commit:  # the background worker's turn (the tests' backend runs tasks inline)
        callback()

    build.refresh_from_db()
    assert build.state == DocumentBuildState.DONE
    status = english.get(url("decision-letter-status", application.pk))
    assert "Refresh" not in status
    assert "The letter is ready." in status.content.decode()
    assert url("decision-letter", application.pk) in status.content.decode()
    pdf = english.get(url("decision-letter", application.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = pdf_pages(pdf.content)
    assert len(pages) > 3
    assert f"page 1 of {len(pages)}" in pages[0]
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
    # The annex begins on the second page; every page of it starts its table with the header row.
    annex = pages[1:]
    assert annex[0].startswith("Annex: workers of application")
    for page in annex:
        assert "No. Name Citizenship Passport Outcome" in page
    assert "The 300 workers listed are named in the annex." in pages[0]


def test_a_small_case_letter_is_built_when_downloaded_as_before(
    english, employer_user, company, moscow_rules, threshold, officer, django_capture_on_commit_callbacks
):
    application = case_of(company, 3)
    english.force_login(employer_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, user=officer)

    assert not DocumentBuild.objects.exists()
    response = english.get(url("decision-letter", application.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(response.content))
    assert "page 1 of 2" in text  # the letter, then the annex on its own page
    status = english.get(url("decision-letter-status", application.pk))
    assert "Refresh" not in status
    assert "The letter is ready." in status.content.decode()


def test_a_build_that_fails_says_so_on_its_page(
    english, employer_user, company, moscow_rules, threshold, officer, django_capture_on_commit_callbacks, monkeypatch
):
    application = case_of(company, LARGE_CASE_WORKERS + 1)
    english.force_login(employer_user)

    def broken(decision):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("applications.services.document_builds.decision_letter_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, user=officer)

    assert DocumentBuild.objects.get(kind=DocumentBuildKind.DECISION_LETTER).state == DocumentBuildState.FAILED
    status = english.get(url("decision-letter-status", application.pk))
    assert "Refresh" not in status
    assert "could not be prepared" in status.content.decode()
    assert english.get(url("decision-letter", application.pk)).status_code == 302


def test_a_letter_laid_out_in_parts_lists_every_worker_once_in_order_on_pages_numbered_throughout(
    english, employer_user, company, moscow_rules, threshold, officer, django_capture_on_commit_callbacks
):
    application = case_in_bulk(600, employer=company, officer=officer)
    assert 600 > 1.5 * LETTER_ROWS_PER_PART  # three parts: the letter with the first rows, and two more
    # The last part's workers have long names, which would widen its name column on its own
    # (named while the case is a draft: a case in review locks its workers' names).
    last = application.lines.order_by("-worker__surname_latin").values_list("worker_id", flat=True)[:150]
    Application.objects.filter(pk=application.pk).update(status=Status.DRAFT)
    Worker.objects.filter(pk__in=list(last)).update(given_names_latin="ABDUKHOLIKOVICH-KHOJIMUKHAMMADOVICH")
    Application.objects.filter(pk=application.pk).update(status=Status.IN_REVIEW)
    english.force_login(employer_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, user=officer)

    pdf = english.get(url("decision-letter", application.pk)).content
    pages = pdf_pages(pdf)

    decision = application.decision
    names = list(decision.workers.order_by("position").values_list("surname_latin", flat=True))
    assert len(names) == 600
    assert re.findall(r"WORKER\d{5}", " ".join(pages)) == names
    # "page x of y" runs over the whole letter, not part by part.
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"page {number} of {len(pages)}")
    assert f"Verification code {decision.verification_code}." in pages[0]
    assert "The 600 workers listed are named in the annex." in pages[0]
    annex = pages[1:]
    assert annex[0].startswith("Annex: workers of application")
    assert sum(page.startswith("Annex:") for page in pages) == 1
    on_page = [re.findall(r"WORKER\d{5}", page) for page in annex]
    rows = [len(found) for found in on_page if not set(found) & set(names[-150:])]
    for page in annex:
        assert page.startswith(("Annex: workers of application", "No. Name Citizenship Passport Outcome"))
    # Where the first part ends and the second begins, no page is left half empty: every page of
    # rows of one height but the annex's first (under its heading) holds as many of them.
    assert len(rows) > 20 and len(set(rows[1:])) == 1
    # The columns stand in the same place on the annex's first page and its last.
    assert column_starts(pdf, 1) == column_starts(pdf, len(pages) - 1)


def column_starts(pdf: bytes, page: int) -> list[float]:
    """Where the header row's titles begin, left to right, on a page of the PDF."""
    starts = []

    def title(text, cm, tm, font, size):
        if text.strip() in {"No.", "Name", "Citizenship", "Passport", "Outcome"}:
            starts.append(round(tm[4], 1))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=title)
    return starts
