"""The scan of an earlier work permit at its edges: exactly the size limit and one byte past it,
a hostile file name, a second scan, the same number declared twice past the form, and another
company's declaration."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import EarlierPermitKind, Status, WorkerEarlierPermit
from applications.services.documents import MAX_DOCUMENT_SIZE
from applications.services.earlier_permits import PermitAlreadyDeclared, earlier_permit_declare
from tests.applications.factories import WorkerEarlierPermitFactory, WorkerFactory
from tests.helpers.documents import PDF
from tests.helpers.returning_workers import arrived_earlier, returning_case
from tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(employer):
    return WorkerFactory(employer=employer)


def pdf_of_size(size: int, name: str = "patent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"\0" * (size - len(PDF)), content_type="application/pdf")


def declaration(region, scan):
    return {"kind": EarlierPermitKind.PATENT, "number": "77 № 1234567", "issued_on": "2020-02-01", "region": region.pk, "scan": scan}


def test_a_scan_of_exactly_10_mb_is_accepted(employer_client, worker, moscow):
    response = employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow, pdf_of_size(MAX_DOCUMENT_SIZE)))

    assert response.status_code == 302
    assert WorkerEarlierPermit.objects.get(worker=worker).scan_size == MAX_DOCUMENT_SIZE


def test_a_scan_one_byte_past_10_mb_gets_a_message_next_to_the_field_and_nothing_is_saved(employer_client, worker, moscow):
    response = employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow, pdf_of_size(MAX_DOCUMENT_SIZE + 1)))

    assert response.status_code == 200
    assert "at most 10 MB" in " ".join(response.context["form"].errors["scan"])
    assert not WorkerEarlierPermit.objects.exists()


def test_a_path_in_the_scans_name_is_stripped_and_the_file_is_stored_under_a_random_name(employer_client, worker, moscow):
    employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow, pdf_of_size(len(PDF), "../../etc/passwd.pdf")))

    permit = WorkerEarlierPermit.objects.get(worker=worker)
    assert permit.scan_name == "passwd.pdf"
    assert "passwd" not in permit.scan.name and ".." not in permit.scan.name


def test_a_second_scan_for_a_permit_that_has_one_is_refused_with_a_message(employer_client, worker):
    permit = WorkerEarlierPermitFactory(worker=worker)
    stored = permit.scan.name

    response = employer_client.post(url("worker-permit-scan-upload", permit.pk), {"scan": pdf_of_size(len(PDF))})

    assert response.status_code == 200
    assert "has its scan already" in " ".join(response.context["form"].non_field_errors())
    permit.refresh_from_db()
    assert permit.scan.name == stored


def test_the_same_permit_declared_twice_past_the_form_is_refused_and_leaves_no_file(employer_user, worker, moscow, settings):
    earlier_permit_declare(
        worker=worker, user=employer_user, kind="patent", number="77 № 1", issued_on=dt.date(2020, 2, 1), region=moscow
    )
    with pytest.raises(PermitAlreadyDeclared):
        earlier_permit_declare(
            worker=worker, user=employer_user, kind="patent", number="77  №  1", issued_on=dt.date(2020, 2, 1), region=moscow,
            scan=pdf_of_size(len(PDF)),
        )
    assert WorkerEarlierPermit.objects.count() == 1
    assert [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()] == []


def test_another_company_gets_404_for_adding_a_scan_or_removing_a_declaration(english, other_employer_user, worker):
    permit = WorkerEarlierPermitFactory(worker=worker, scan="")
    english.force_login(other_employer_user)

    assert english.post(url("worker-permit-scan-upload", permit.pk), {"scan": pdf_of_size(len(PDF))}).status_code == 404
    assert english.post(url("worker-permit-delete", permit.pk)).status_code == 404
    assert WorkerEarlierPermit.objects.filter(pk=permit.pk).exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_for_a_scan(client, worker):
    permit = WorkerEarlierPermitFactory(worker=worker)

    response = client.get(url("earlier-permit-scan", permit.pk))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_officers_case_page_shows_the_evidence_in_the_same_number_of_queries_for_one_worker_or_many(
    client, officer, employer, moscow_rules, threshold, django_assert_num_queries
):
    def submitted(*workers):
        application = returning_case(employer, *workers)
        application.status, application.submitted_at = Status.SUBMITTED, timezone.now()
        application.save()
        return application

    one = submitted(WorkerFactory(employer=employer))
    many_workers = [WorkerFactory(employer=employer) for _ in range(6)]
    scanned = []
    for worker in many_workers:
        arrived_earlier(worker, reference=f"M-{worker.pk}")
        scanned.append(WorkerEarlierPermitFactory(worker=worker))
        WorkerEarlierPermitFactory(worker=worker, scan="")
    many = submitted(*many_workers)
    client.force_login(officer)
    client.get(url("review-detail", one.pk))  # sessions and caches warmed

    with CaptureQueriesContext(connection) as for_one:
        assert client.get(url("review-detail", one.pk)).status_code == 200
    with django_assert_num_queries(len(for_one)):
        page = client.get(url("review-detail", many.pk))
    shown = page.content.decode()
    assert all(url("earlier-permit-scan", permit.pk) in shown for permit in scanned)
    assert all(f"M-{worker.pk}" in shown for worker in many_workers)
