"""What the browser tests need in the database, made the way the portal makes it (services),
and the files people upload.

`Scene` is a Moscow company with workers and a case in every state an employer or an officer
meets on the story's pages; the accessibility, phone and front-end tests visit all of them.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from applications import services
from applications.models import Application, DocumentKind, RefusalReason, Status
from portal.accounts.models import User
from regions.models import EligibilityThreshold, Region, RuleSet
from regions.time_zones import local_instant
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    EmployerFactory,
    EmployerMemberFactory,
    WorkerFactory,
)
from tests.portal.factories import TEST_PASSWORD, AdminFactory, OfficerFactory, UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, checkpoint, region

PASSWORD = TEST_PASSWORD


def small_pdf() -> bytes:
    """A real one-page PDF, as a scanner would produce (the portal checks the content)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pcr_taken_for(arrival: dt.date) -> dt.datetime:
    """A PCR test the day before arrival, fresh enough for every region's rules."""
    return timezone.make_aware(dt.datetime.combine(arrival - dt.timedelta(days=1), dt.time(9, 30)))


def regions_are_loaded() -> bool:
    """The live-server tests empty the database after each test; serialized_rollback brings the
    data migration's regions back. Without them nothing here could work: say so plainly."""
    return Region.objects.filter(number__in=(77, 78)).count() == 2


def moscow_rules_and_threshold() -> tuple[RuleSet, EligibilityThreshold]:
    return RuleSetFactory(region=region(77), legal_basis_number="12-УМ"), EligibilityThresholdFactory()


def url(name: str, *args) -> str:
    return reverse(f"applications:{name}", args=args)


@dataclass
class Scene:
    clerk: User
    officer: User
    admin: User
    workers: list
    draft: Application  # fails the isolation-days check
    submitted: Application  # of a company not yet verified: the officer's page offers "Verify this company"
    in_review: Application  # every officer action open
    info_requested: Application  # the employer may answer
    decided: Application  # partially approved: decision letter, arrival report

    def employer_pages(self) -> list[tuple[str, str]]:
        """(name, path) of every employer page of the story."""
        worker = self.workers[0]
        return [
            ("employer home", url("employer-home")),
            ("worker list", url("worker-list")),
            ("worker form", url("worker-create")),
            ("worker edit form", url("worker-edit", worker.pk)),
            ("worker import", url("worker-import")),
            ("new draft form", url("application-create")),
            ("draft edit form with rule check", url("application-edit", self.draft.pk)),
            ("case page: draft failing a rule", url("application-detail", self.draft.pk)),
            ("case page: information requested", url("application-detail", self.info_requested.pk)),
            ("answer page", url("application-answer", self.info_requested.pk)),
            ("case page: decided", url("application-detail", self.decided.pk)),
            ("arrival report", url("arrival-report", self.decided.pk)),
            ("withdraw page", url("application-withdraw", self.draft.pk)),
            ("company page", url("company-detail")),
            ("company details form", url("company-edit")),
            ("delete draft page", url("application-delete", self.draft.pk)),
            ("remove worker page", url("worker-delete", worker.pk)),
        ]

    def officer_pages(self) -> list[tuple[str, str]]:
        return [
            ("review queue", url("review-queue")),
            ("review queue filtered", url("review-queue") + "?status=in_review&reference=" + self.in_review.reference),
            ("review case: submitted, company to verify", url("review-detail", self.submitted.pk)),
            ("review case: in review", url("review-detail", self.in_review.pk)),
            ("review case: decided", url("review-detail", self.decided.pk)),
            ("statistics", url("review-statistics")),
            ("companies waiting for verification", url("review-companies")),
            ("company card", url("review-company", self.submitted.employer_id)),
        ]

    @staticmethod
    def anonymous_pages() -> list[tuple[str, str]]:
        return [
            ("sign-in", reverse("accounts:login")),
            ("register", reverse("accounts:register")),
            ("register done", reverse("accounts:register-done")),
            ("resend confirmation", reverse("accounts:resend-confirmation")),
            ("letter check", reverse("applications:decision_check_form")),
            ("worker's approval check", reverse("applications:worker_check")),
        ]


def file_case(*, clerk: User, workers, isolation_days: int = 14, project: str, arrival_in_days: int = 20) -> Application:
    employer = clerk.employer_membership.employer
    arrival = timezone.localdate() + dt.timedelta(days=arrival_in_days)
    application = services.application_create_draft(
        employer=employer, user=clerk, region=region(77), kind="new", project_name=project, activity_okved="41.20",
        planned_arrival_at=local_instant(arrival, dt.time(12), region(77).zone), checkpoint=checkpoint("SVO"), transport_to_isolation=True,
        isolation_address="Moscow, Stroiteley 5", isolation_days=isolation_days, insurance_policy="INGO-123456",
        charter_transport_agreed=False, vaccination_booked=False,
    )
    for worker in workers:
        services.application_add_worker(application=application, user=clerk, worker=worker, pcr_test_taken_at=pcr_taken_for(arrival))
    return Application.objects.get(pk=application.pk)


def _attach_guarantee_letter(application: Application, clerk: User) -> None:
    services.document_upload(
        application=application, user=clerk, uploaded_file=SimpleUploadedFile("guarantee.pdf", small_pdf()),
        kind=DocumentKind.GUARANTEE_LETTER,
    )


def build_scene() -> Scene:
    moscow_rules_and_threshold()
    clerk = EmployerMemberFactory(
        user=UserFactory(email="clerk@stroyka.example", full_name="Anna Petrova"),
        employer=EmployerFactory(name="ООО Стройка", annual_revenue_rub=2_000_000_000, average_headcount=500),
    ).user
    employer = clerk.employer_membership.employer
    officer = OfficerFactory(email="officer@77.example", full_name="Ivan Sidorov", regions=[region(77)])
    admin = AdminFactory(email="admin@portal.example")
    workers = [
        WorkerFactory(employer=employer, surname_latin=surname, given_names_latin=given, surname_cyrillic=cyr_surname,
                      given_names_cyrillic=cyr_given, citizenship=citizenship, passport_number=passport)
        for surname, given, cyr_surname, cyr_given, citizenship, passport in (
            ("RAHIMOV", "BOBUR", "Рахимов", "Бобур", "TJ", "400123456"),
            ("KARIMOV", "ALISHER", "Каримов", "Алишер", "UZ", "AA1234567"),
            ("TOKTOGULOV", "AIBEK", "Токтогулов", "Айбек", "KG", "ID7654321"),
        )
    ]
    # A passport that runs out soon shows the registry's warning text.
    workers[2].passport_expiry = timezone.localdate() + dt.timedelta(days=100)
    workers[2].save()

    draft = file_case(clerk=clerk, workers=workers[:1], isolation_days=10, project="Warehouse in Khimki")

    # The cases that reach the authority arrive a fortnight apart: one person is on one live case
    # for the same time (the rule check refuses an overlap).
    in_review = file_case(clerk=clerk, workers=workers, project="Bridge over the Yauza", arrival_in_days=35)
    _attach_guarantee_letter(in_review, clerk)
    services.application_submit(application=in_review, user=clerk)
    services.application_take_into_review(application=in_review, user=officer)

    info_requested = file_case(clerk=clerk, workers=workers[:2], project="School No. 5", arrival_in_days=50)
    _attach_guarantee_letter(info_requested, clerk)
    services.application_submit(application=info_requested, user=clerk)
    services.application_take_into_review(application=info_requested, user=officer)
    services.application_request_information(
        application=info_requested, user=officer, message="Send the insurance policy for every worker.",
        reply_due=timezone.localdate() + dt.timedelta(days=7), requested_documents=[DocumentKind.INSURANCE_POLICY],
    )

    decided = file_case(clerk=clerk, workers=workers, project="Metro depot", arrival_in_days=65)
    services.application_submit(application=decided, user=clerk)
    services.application_take_into_review(application=decided, user=officer)
    lines = {line.worker_id: line for line in decided.lines.all()}
    services.application_approve_partially(
        application=decided, user=officer,
        refusals={lines[workers[2].pk].pk: (RefusalReason.PCR_TEST, "The certificate is unreadable.")},
    )

    # A case of a company not verified yet, made directly (the portal would not let it submit), only
    # so that the officer's case page draws its "Verify this company" form for the checks.
    unverified = EmployerFactory(name="ООО Новая", verified_at=None)
    submitted = ApplicationFactory(employer=unverified, status=Status.SUBMITTED, created_by=admin)
    CaseWorkerFactory(application=submitted)

    return Scene(
        clerk=clerk, officer=officer, admin=admin, workers=workers, draft=draft, submitted=submitted,
        in_review=Application.objects.get(pk=in_review.pk), info_requested=Application.objects.get(pk=info_requested.pk),
        decided=Application.objects.get(pk=decided.pk),
    )
