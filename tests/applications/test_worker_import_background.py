"""A file of more than 500 workers is imported by a background task (issue 16, item 1): the
upload only reads the file within its limits and records the rows; the import's page shows the
progress, refreshes itself until the import is finished, then says what became of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.forms.workers import check_import_rows
from applications.models import Worker, WorkerImport, WorkerImportState
from applications.services import worker_imports
from applications.services.worker_imports import worker_import_run
from tests.applications.factories import WorkerFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

HEADER = "surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation,Notes"


def workers_file(count: int, *, bad_sex_from: int | None = None) -> bytes:
    expiry = (timezone.localdate() + dt.timedelta(days=3 * 365)).isoformat()
    rows = [
        f"KARIMOV,ALISHER,{'X' if bad_sex_from is not None and n >= bad_sex_from else 'M'},1990-05-17,UZ,FA{n:07d},{expiry},Bricklayer,"
        for n in range(count)
    ]
    return "\n".join([HEADER, *rows]).encode()


def upload(client, content: bytes):
    return client.post(reverse("applications:worker-import"), {"file": SimpleUploadedFile("workers.csv", content)})


def test_a_file_of_600_workers_is_imported_in_the_background_and_its_page_says_so(
    employer_client, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(employer_client, workers_file(600))

    worker_import = WorkerImport.objects.get(employer=employer)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:worker-import-status", args=[worker_import.pk])
    # Nothing is added by the request itself.
    assert not Worker.objects.filter(employer=employer).exists()

    waiting = employer_client.get(response["Location"])
    assert waiting["Refresh"] == "3"
    assert "Waiting to start" in text(waiting)
    assert "0 of 600 rows checked." in text(waiting)

    for callback in callbacks:  # the task, enqueued once the upload's transaction commits
        callback()

    finished = employer_client.get(response["Location"])
    assert "Refresh" not in finished
    assert "600 workers are added to your registry." in text(finished)
    assert "These columns of the file were not recognised and were left out: “Notes”" in text(finished)
    assert Worker.objects.filter(employer=employer).count() == 600
    worker_import.refresh_from_db()
    assert (worker_import.state, worker_import.checked_rows, worker_import.created_count) == (WorkerImportState.DONE, 600, 600)
    assert worker_import.rows == []  # the passport data waiting for the task is gone


def test_a_background_import_with_bad_rows_adds_nothing_and_reports_100_rows(
    employer_client, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(employer_client, workers_file(600, bad_sex_from=450))

    page = employer_client.get(response["Location"])

    assert "Not imported" in text(page)
    assert "Nothing was imported: correct the rows below in the file and upload it again." in text(page)
    assert page.content.decode().count("Write M or F") == 100
    assert "And 50 more rows with errors." in text(page)
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_passport_added_meanwhile_fails_the_background_import_and_adds_nothing(
    employer_client, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(employer_client, workers_file(600))
    WorkerFactory(employer=employer, passport_number="FA0000007", citizenship="UZ")

    for callback in callbacks:
        callback()

    page = employer_client.get(response["Location"])
    assert "Not imported" in text(page)
    assert Worker.objects.filter(employer=employer).count() == 1


def test_an_unexpected_error_in_the_task_fails_the_import_with_a_sentence_and_adds_nothing(
    employer_client, employer, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(worker_imports, "workers_import", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(employer_client, workers_file(600))

    assert WorkerImport.objects.get(employer=employer).state == WorkerImportState.FAILED
    assert "nothing was imported" in text(employer_client.get(response["Location"]))
    assert not Worker.objects.filter(employer=employer).exists()


def test_an_import_runs_once_even_if_the_task_is_given_twice(employer_client, employer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(employer_client, workers_file(501))
    worker_import = WorkerImport.objects.get(employer=employer)

    again = worker_import_run(import_id=worker_import.pk, check=check_import_rows)

    assert again.state == WorkerImportState.DONE
    assert Worker.objects.filter(employer=employer).count() == 501


def test_a_file_of_500_workers_is_still_imported_on_the_page(employer_client, employer):
    response = upload(employer_client, workers_file(500))

    assert response["Location"] == reverse("applications:worker-list")
    assert Worker.objects.filter(employer=employer).count() == 500
    assert not WorkerImport.objects.exists()


def test_another_companys_import_is_not_found(client, other_employer_user, employer, employer_user):
    worker_import = WorkerImport.objects.create(
        employer=employer, created_by=employer_user, file_name="workers.csv", total_rows=600
    )
    client.force_login(other_employer_user)

    response = client.get(reverse("applications:worker-import-status", args=[worker_import.pk]))

    assert response.status_code == 404
