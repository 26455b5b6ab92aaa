"""Answering a request for information: the corrections asked for (details and workers, allowed
while the authority waits), then a message with up to five documents, all kept or none."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.models import Document, DocumentKind, Status, StatusChange
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import draft_form_data, field_error, text, url
from tests.regions.factories import region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name="policy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def script(name="policy.pdf") -> SimpleUploadedFile:
    """A shell script dressed up as a PDF by its name and its claimed type."""
    return SimpleUploadedFile(name, b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def asked_case(employer, officer, moscow, moscow_rules, threshold):
    """A case in review on which the officer asked for the insurance policy by a date."""
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED,
        application__isolation_days=10,
    ).application
    application = services.application_take_into_review(application=application, user=officer)
    return services.application_request_information(
        application=application, user=officer, message="Guarantee 14 days of isolation and send the insurance policy.",
        reply_due=timezone.localdate() + dt.timedelta(days=5), requested_documents=[DocumentKind.INSURANCE_POLICY],
    )


def answer_data(application, **overrides):
    return {"version": application.version, "message": "Done: 14 days, policy attached.", **overrides}


# What the employer sees


def test_the_case_page_and_the_answer_page_list_the_documents_asked_for_and_the_reply_date(employer_client, asked_case):
    due = (timezone.localdate() + dt.timedelta(days=5)).strftime("%m/%d/%Y")

    detail = text(employer_client.get(url("application-detail", asked_case.pk)))
    answer = text(employer_client.get(url("application-answer", asked_case.pk)))

    for page in (detail, answer):
        assert "Guarantee 14 days of isolation and send the insurance policy." in page
        assert "Documents asked for: Insurance policy" in page
        assert f"Reply by {due}." in page
    assert "Correct the details" in detail
    assert "Correct the details" in answer


# Corrections while the authority waits


def test_the_details_can_be_corrected_while_information_is_requested(employer_client, asked_case):
    form = employer_client.get(url("application-edit", asked_case.pk))
    assert f"Correct application {asked_case.reference}" in text(form)

    response = employer_client.post(
        url("application-edit", asked_case.pk),
        draft_form_data(asked_case.region, asked_case.planned_arrival_date, isolation_days="14"),
        follow=True,
    )

    assert f"Your corrections to {asked_case.reference} are saved." in text(response)
    asked_case.refresh_from_db()
    assert asked_case.isolation_days == 14
    assert asked_case.status == Status.INFO_REQUESTED


def test_the_region_cannot_be_changed_while_correcting(employer_client, employer_user, asked_case):
    form = employer_client.get(url("application-edit", asked_case.pk))
    assert "The region cannot change once the application is submitted." in text(form)
    assert re.search(r'<select name="region"[^>]* disabled', form.content.decode())

    employer_client.post(
        url("application-edit", asked_case.pk),
        draft_form_data(region(78), asked_case.planned_arrival_date, project_name="Block 5"),
    )

    asked_case.refresh_from_db()
    assert (asked_case.region, asked_case.project_name) == (region(77), "Block 5")  # a disabled field keeps its value
    with pytest.raises(services.TransitionRefused, match="The region cannot change"):
        services.application_update_draft(application=asked_case, user=employer_user, region=region(78))


def test_workers_can_be_added_and_removed_while_information_is_requested(employer_client, employer, asked_case):
    newcomer = WorkerFactory(employer=employer)
    old_line = asked_case.lines.get()

    employer_client.post(url("application-add-worker", asked_case.pk), {"worker": newcomer.pk})
    response = employer_client.post(url("application-remove-worker", asked_case.pk, old_line.pk), follow=True)

    assert f"{old_line.worker.display_name} is removed from the application." in text(response)
    assert list(asked_case.lines.values_list("worker", flat=True)) == [newcomer.pk]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED])
def test_a_case_the_authority_did_not_ask_about_cannot_be_corrected(employer_client, employer, employer_user, status):
    application = CaseWorkerFactory(application__employer=employer, application__status=status).application

    response = employer_client.get(url("application-edit", application.pk), follow=True)

    assert "Only a draft can be changed, or an application the authority asked you to correct" in text(response)
    with pytest.raises(services.TransitionRefused):
        services.application_update_draft(application=application, user=employer_user, project_name="Sneaky")
    with pytest.raises(services.TransitionRefused):
        services.application_add_worker(application=application, user=employer_user, worker=WorkerFactory(employer=employer))
    with pytest.raises(services.TransitionRefused):
        services.application_remove_worker(line=application.lines.get(), user=employer_user)
    application.refresh_from_db()
    assert application.project_name != "Sneaky"
    assert application.lines.count() == 1


# The answer


def test_an_answer_with_corrections_and_a_good_document_goes_back_to_review_with_the_document_attached(
    employer_client, asked_case, settings
):
    employer_client.post(
        url("application-edit", asked_case.pk), draft_form_data(asked_case.region, asked_case.planned_arrival_date)
    )

    response = employer_client.post(
        url("application-answer", asked_case.pk),
        answer_data(asked_case, document_2_kind=DocumentKind.INSURANCE_POLICY, document_2_file=pdf("INGO policy.pdf")),
        follow=True,
    )

    page = text(response)
    assert "Your answer is sent; the application is back in review." in page
    asked_case.refresh_from_db()
    assert asked_case.status == Status.IN_REVIEW
    assert asked_case.isolation_days == 14
    assert asked_case.rule_check_failing is False
    answer = asked_case.history.get(transition="answer_request")
    document = Document.objects.get(application=asked_case)
    assert (document.status_change, document.kind, document.original_name) == (answer, DocumentKind.INSURANCE_POLICY, "INGO_policy.pdf")
    assert len(stored_files(settings)) == 1
    assert "Documents sent with it: INGO_policy.pdf (Insurance policy)" in page


def test_an_answer_with_a_bad_file_keeps_the_case_waiting_and_stores_nothing(employer_client, asked_case, settings):
    response = employer_client.post(
        url("application-answer", asked_case.pk),
        answer_data(
            asked_case,
            document_1_kind=DocumentKind.INSURANCE_POLICY, document_1_file=pdf(),
            document_3_kind=DocumentKind.OTHER, document_3_file=script("notes.pdf"),
        ),
    )

    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG file" in field_error(response, "document_3_file")
    assert "Nothing was sent." in text(response)
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED
    assert not asked_case.history.filter(transition="answer_request").exists()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_an_answer_refused_for_its_message_keeps_no_file(employer_client, asked_case, settings):
    stale = asked_case.version + 1

    response = employer_client.post(
        url("application-answer", asked_case.pk),
        answer_data(asked_case, version=stale, document_1_kind=DocumentKind.OTHER, document_1_file=pdf()),
        follow=True,
    )

    assert "The application changed since you opened it" in text(response)
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_file_without_its_kind_is_refused_next_to_the_kind(employer_client, asked_case):
    response = employer_client.post(url("application-answer", asked_case.pk), answer_data(asked_case, document_1_file=pdf()))

    assert field_error(response, "document_1_kind") == "Say what this document is."
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED


def test_a_kind_without_a_file_is_refused_next_to_the_file(employer_client, asked_case):
    response = employer_client.post(
        url("application-answer", asked_case.pk), answer_data(asked_case, document_1_kind=DocumentKind.OTHER)
    )

    assert field_error(response, "document_1_file") == "Choose the file, or leave “what it is” empty."
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED


def test_the_service_keeps_nothing_when_the_last_of_several_files_is_bad(employer_user, asked_case, settings):
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_answer_request(
            application=asked_case, user=employer_user, message="Here they are.",
            documents=[(DocumentKind.INSURANCE_POLICY, pdf()), (DocumentKind.OTHER, pdf("b.pdf")), (DocumentKind.OTHER, script())],
            expected_version=asked_case.version,
        )

    assert refused.value.index == 2
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED
    assert not Document.objects.exists()
    assert stored_files(settings) == []
    assert StatusChange.objects.filter(application=asked_case).count() == 2  # take into review, request


def test_an_answer_without_documents_still_works(employer_user, asked_case):
    answered = services.application_answer_request(application=asked_case, user=employer_user, message="Done.")

    assert answered.status == Status.IN_REVIEW
    assert not Document.objects.exists()


# Who may


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_company_gets_404_on_the_answer(client, other_employer_user, asked_case, method):
    client.force_login(other_employer_user)

    response = getattr(client, method)(url("application-answer", asked_case.pk), answer_data(asked_case) if method == "post" else None)

    assert response.status_code == 404
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED


def test_an_officer_is_forbidden_to_answer(client, officer, asked_case):
    client.force_login(officer)

    assert client.post(url("application-answer", asked_case.pk), answer_data(asked_case)).status_code == 403
    asked_case.refresh_from_db()
    assert asked_case.status == Status.INFO_REQUESTED


def test_a_case_not_waiting_for_information_cannot_be_answered(employer_client, employer):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)

    response = employer_client.post(url("application-answer", application.pk), answer_data(application), follow=True)

    assert "“Answer the request” is not possible while the application is “In review”." in text(response)


def test_corrections_keep_the_queues_failing_check_flag_true_to_the_case(employer_user, asked_case):
    services.application_update_draft(application=asked_case, user=employer_user, isolation_days=14)
    asked_case.refresh_from_db()
    assert asked_case.rule_check_failing is False

    services.application_remove_worker(line=asked_case.lines.get(), user=employer_user)
    asked_case.refresh_from_db()
    assert asked_case.rule_check_failing is True  # no worker left
