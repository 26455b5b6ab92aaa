"""Declaring a worker's earlier work permit or patent in the registry, with its scan: validated
like a case's documents (type from the content, size) with messages next to the fields, and the
scan served privately, only to the company and to officers of regions where the worker is on a
case."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import EarlierPermitKind, Status, WorkerEarlierPermit
from tests.applications.factories import CaseWorkerFactory, WorkerEarlierPermitFactory, WorkerFactory
from tests.helpers.documents import PDF, SCRIPT
from tests.pages import text, url
from tests.portal.factories import AdminFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(employer):
    return WorkerFactory(employer=employer, surname_latin="KARIMOV")


def declaration(moscow, **changes):
    data = {
        "kind": EarlierPermitKind.PATENT,
        "number": "77 № 1234567",
        "issued_on": "2020-02-01",
        "region": moscow.pk,
        "scan": SimpleUploadedFile("patent.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_employer_declares_a_patent_with_its_scan_and_sees_it_on_the_workers_page(
    employer_client, employer_user, worker, moscow
):
    response = employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow))

    assert response.status_code == 302
    permit = WorkerEarlierPermit.objects.get(worker=worker)
    assert (permit.kind, permit.number, permit.issued_on, permit.region) == ("patent", "77 № 1234567", dt.date(2020, 2, 1), moscow)
    assert permit.scan_content_type == "application/pdf" and permit.uploaded_by == employer_user
    page = employer_client.get(url("worker-edit", worker.pk))
    assert "Work patent 77 № 1234567 of 02/01/2020, Moscow" in text(page)
    assert url("earlier-permit-scan", permit.pk) in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"issued_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "issued_on", "The issue date is in the future"),
        ({"issued_on": timezone.localdate().isoformat()}, "issued_on", "The issue date is in the future"),
        ({"number": "   "}, "number", "This field is required"),
        ({"scan": SimpleUploadedFile("patent.pdf", SCRIPT)}, "scan", "is not a PDF, JPEG or PNG file"),
        ({"scan": SimpleUploadedFile("empty.pdf", b"")}, "scan", "The file is empty"),
        ({"region": "999999"}, "region", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field_and_nothing_is_saved(employer_client, worker, moscow, changes, field, message):
    response = employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow, **changes))

    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert not WorkerEarlierPermit.objects.exists()


def test_the_same_permit_twice_gets_a_message_next_to_the_number(employer_client, worker, moscow):
    WorkerEarlierPermitFactory(worker=worker, number="77 № 1234567")
    response = employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow))
    assert "already declared" in " ".join(response.context["form"].errors["number"])


def test_a_declaration_without_a_scan_is_kept_and_the_scan_can_be_added_later(employer_client, worker, moscow):
    employer_client.post(url("worker-permit-create", worker.pk), declaration(moscow, scan=None))
    permit = WorkerEarlierPermit.objects.get(worker=worker)
    assert not permit.has_scan
    assert "no scan" in text(employer_client.get(url("worker-edit", worker.pk)))

    response = employer_client.post(
        url("worker-permit-scan-upload", permit.pk), {"scan": SimpleUploadedFile("scan.pdf", PDF)}
    )

    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.has_scan and permit.scan_size == len(PDF)


def test_another_companys_worker_is_404_for_declaring(english, other_employer_user, worker, moscow):
    english.force_login(other_employer_user)
    assert english.post(url("worker-permit-create", worker.pk), declaration(moscow)).status_code == 404


def test_the_company_opens_its_scan_privately(employer_client, worker):
    permit = WorkerEarlierPermitFactory(worker=worker)
    response = employer_client.get(url("earlier-permit-scan", permit.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 patent"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_another_company_gets_404_for_the_scan(english, other_employer_user, worker):
    permit = WorkerEarlierPermitFactory(worker=worker)
    english.force_login(other_employer_user)
    assert english.get(url("earlier-permit-scan", permit.pk)).status_code == 404


def test_an_officer_opens_the_scan_only_where_the_worker_is_on_a_case_of_the_officers_region(
    english, officer, officer_spb, worker, moscow
):
    permit = WorkerEarlierPermitFactory(worker=worker)
    CaseWorkerFactory(worker=worker, application__employer=worker.employer, application__region=moscow,
                             application__status=Status.SUBMITTED)

    english.force_login(officer)
    assert english.get(url("earlier-permit-scan", permit.pk)).status_code == 200
    english.force_login(officer_spb)
    assert english.get(url("earlier-permit-scan", permit.pk)).status_code == 404


def test_a_draft_does_not_open_the_scan_to_the_officers(english, officer, worker, moscow):
    permit = WorkerEarlierPermitFactory(worker=worker)
    CaseWorkerFactory(worker=worker, application__employer=worker.employer, application__region=moscow)
    english.force_login(officer)
    assert english.get(url("earlier-permit-scan", permit.pk)).status_code == 404


def test_an_admin_opens_any_scan(english, worker):
    permit = WorkerEarlierPermitFactory(worker=worker)
    english.force_login(AdminFactory())
    assert english.get(url("earlier-permit-scan", permit.pk)).status_code == 200


def test_a_declaration_is_removed_while_no_case_relies_on_it_and_kept_once_one_does(employer_client, worker, moscow):
    kept = WorkerEarlierPermitFactory(worker=worker)
    assert employer_client.post(url("worker-permit-delete", kept.pk)).status_code == 302
    assert not WorkerEarlierPermit.objects.filter(pk=kept.pk).exists()

    relied_on = WorkerEarlierPermitFactory(worker=worker)
    CaseWorkerFactory(worker=worker, application__employer=worker.employer, application__status=Status.IN_REVIEW)
    employer_client.post(url("worker-permit-delete", relied_on.pk))
    assert WorkerEarlierPermit.objects.filter(pk=relied_on.pk).exists()


def test_an_officer_cannot_reach_the_declaration_pages(english, worker, moscow):
    english.force_login(OfficerFactory(regions=[moscow]))
    response = english.post(url("worker-permit-create", worker.pk), declaration(moscow))
    assert response.status_code in (302, 403, 404)
    assert not WorkerEarlierPermit.objects.exists()


def test_the_admin_sees_a_workers_declared_permits_read_only_with_the_scan_link(english, worker):
    permit = WorkerEarlierPermitFactory(worker=worker, number="77 № 7654321")
    english.force_login(AdminFactory())
    page = english.get(reverse("admin:applications_worker_change", args=[worker.pk])).content.decode()
    assert "77 № 7654321" in page
    assert url("earlier-permit-scan", permit.pk) in page
    assert 'name="earlier_permits-0-number"' not in page
