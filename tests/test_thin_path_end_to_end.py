"""The thin path through the portal, across roles, as two people would walk it with a browser:
an employer signs in, registers a worker with the patent they worked on, files a draft to bring
them back, submits it; an officer of the region signs in, finds it in the queue, takes it into
review and approves it; the employer sees the decision. Only web requests drive the story; the database is read to check what it recorded."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Decision, Status
from tests.pages import url
from tests.portal.factories import TEST_PASSWORD
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def test_an_employer_files_and_an_officer_of_the_region_approves(employer_user, employer, officer, officer_spb, moscow, moscow_rules, threshold):
    # A PCR test is entered once taken (never in the future), so the workers arrive tomorrow.
    arrival = timezone.localdate() + dt.timedelta(days=1)
    clerk = signed_in(employer_user)

    clerk.post(
        url("worker-create"),
        {
            "surname_latin": "RAHIMOV", "given_names_latin": "BOBUR", "sex": "M", "date_of_birth": "1988-02-03",
            "citizenship": "TJ", "passport_number": "400123456",
            "passport_expiry": (arrival + dt.timedelta(days=900)).isoformat(), "occupation": "Welder",
        },
    )
    # Bringing the worker back: the patent they worked on for the company, with its scan.
    clerk.post(
        url("worker-permit-create", employer.workers.get().pk),
        {
            "kind": "patent", "number": "77 № 1904518", "issued_on": "2019-04-12", "region": moscow.pk,
            "scan": SimpleUploadedFile("patent.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    )
    clerk.post(
        url("application-create"),
        {
            "region": moscow.pk, "kind": "returning", "project_name": "Bridge over the Yauza",
            "planned_arrival_date": arrival.isoformat(), "planned_arrival_time": "12:00", "checkpoint": checkpoint("DME").pk,
            "transport_to_isolation": "on", "isolation_address": "Moscow, Mostovaya 1", "isolation_days": "14",
            "insurance_policy": "RESO-77-000123",
        },
    )
    application = Application.objects.get(employer=employer)
    worker = employer.workers.get()
    tested = timezone.localtime() - dt.timedelta(hours=3)  # read in Dushanbe (UTC+5): 5 hours ago
    clerk.post(url("application-add-worker", application.pk), {"worker": worker.pk, "pcr_test_taken_at": tested.strftime("%Y-%m-%dT%H:%M")})
    application.refresh_from_db()
    clerk.post(url("application-submit", application.pk), {"version": application.version, "declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    inspector = signed_in(officer)
    queue = inspector.get(url("review-queue")).content.decode()
    assert application.reference in queue
    assert application.reference not in signed_in(officer_spb).get(url("review-queue")).content.decode()

    inspector.post(url("review-take", application.pk), {"version": application.version})
    application.refresh_from_db()
    assert (application.status, application.assigned_officer) == (Status.IN_REVIEW, officer)
    case_page = inspector.get(url("review-detail", application.pk)).content.decode()
    assert "RAHIMOV B." in case_page
    assert "77 № 1904518" in case_page  # the evidence of earlier work, with its scan
    inspector.post(url("review-approve", application.pk), {"version": application.version, "rule_check_confirmed": "on"})

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert Decision.objects.get(application=application).rule_set == moscow_rules
    employer_view = clerk.get(url("application-detail", application.pk)).content.decode()
    assert "Approved" in employer_view
    assert [change.to_status for change in application.history.order_by("at", "pk")] == [
        Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED,
    ]
