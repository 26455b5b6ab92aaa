"""Employers keep their company up to date (issue 18, item 7): change its details (kept in the
company history with old and new values), delete a draft, remove a worker who is on no case, and
see why the submit button is disabled. Each only for their own company: another's is a 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, CaseWorker, EmployerEvent, Status, StatusChange, Worker
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.helpers.drafts import draft_fields
from tests.pages import text, url

pytestmark = pytest.mark.django_db

EDIT = reverse("applications:company-edit")


@pytest.fixture
def other_client(client, other_employer_user):
    client.force_login(other_employer_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# The company's details


def test_a_member_changes_the_details_and_the_history_keeps_old_and_new(employer_client, employer, employer_user):
    old_name = employer.name
    response = employer_client.post(
        EDIT, {"name": "ООО Новое имя", "legal_address": employer.legal_address, "phone": "+7 495 123-45-67"}, follow=True
    )

    page = text(response)
    assert "The company's details are saved" in page
    employer.refresh_from_db()
    assert employer.name == "ООО Новое имя" and employer.phone == "+7 495 123-45-67"
    event = EmployerEvent.objects.get(employer=employer)
    assert event.action == "details" and event.actor == employer_user
    assert event.changes == {"name": [old_name, "ООО Новое имя"], "phone": ["", "+7 495 123-45-67"]}
    assert "History of the company" in page and old_name in page and "ООО Новое имя" in page


def test_saving_the_same_details_records_nothing(employer_client, employer):
    employer_client.post(EDIT, {"name": employer.name, "legal_address": employer.legal_address, "phone": employer.phone})
    assert not EmployerEvent.objects.filter(employer=employer).exists()


def test_an_empty_name_is_refused_next_to_the_field(employer_client, employer):
    response = employer_client.post(EDIT, {"name": "", "legal_address": employer.legal_address, "phone": ""})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    employer.refresh_from_db()
    assert employer.name


def test_a_member_cannot_change_another_companys_details(employer_user):
    other = EmployerFactory()
    with pytest.raises(services.TransitionRefused):
        services.employer_details_update(employer=other, user=employer_user, name="Захват")


def test_an_officer_may_not_open_the_details_form(client, officer):
    client.force_login(officer)
    assert client.get(EDIT).status_code == 403


# Deleting a draft


def test_a_member_deletes_a_draft_and_it_leaves_their_list(employer_client, employer, draft_with_worker):
    worker = draft_with_worker.lines.get().worker
    page = text(employer_client.get(url("application-delete", draft_with_worker.pk)))
    assert f"Delete draft {draft_with_worker.reference}?" in page

    response = employer_client.post(url("application-delete", draft_with_worker.pk), follow=True)

    assert f"Draft {draft_with_worker.reference} is deleted." in text(response)
    assert draft_with_worker.reference not in text(employer_client.get(reverse("applications:employer-home")))
    assert employer_client.get(url("application-detail", draft_with_worker.pk)).status_code == 404
    # Kept, hidden: its history row ("created") is append-only and names it.
    kept = Application.objects.get(pk=draft_with_worker.pk)
    assert kept.deleted_at is not None and kept.status == Status.DRAFT
    # Its list is emptied, so the worker may leave the registry.
    assert not CaseWorker.objects.filter(application=kept).exists()
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_a_draft_made_by_the_service_is_deleted_with_its_history_kept(employer_user, employer):
    draft = services.application_create_draft(employer=employer, user=employer_user, **draft_fields())
    services.application_delete_draft(application=draft, user=employer_user)
    assert StatusChange.objects.filter(application=draft, transition="create").exists()
    assert Application.objects.get(pk=draft.pk).deleted_by == employer_user


def test_a_submitted_application_cannot_be_deleted(employer_client, employer_user, employer):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)

    response = employer_client.post(url("application-delete", submitted.pk), follow=True)

    assert "Only a draft can be deleted" in text(response)
    submitted.refresh_from_db()
    assert submitted.deleted_at is None
    with pytest.raises(services.TransitionRefused):
        services.application_delete_draft(application=submitted, user=employer_user)


def test_another_companys_draft_is_a_404(other_client, draft_with_worker):
    assert other_client.get(url("application-delete", draft_with_worker.pk)).status_code == 404
    assert other_client.post(url("application-delete", draft_with_worker.pk)).status_code == 404
    assert Application.objects.get(pk=draft_with_worker.pk).deleted_at is None


def test_the_draft_page_offers_deleting_only_for_a_draft(employer_client, employer, draft_with_worker):
    assert "Delete the draft" in text(employer_client.get(url("application-detail", draft_with_worker.pk)))
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    assert "Delete the draft" not in text(employer_client.get(url("application-detail", submitted.pk)))


# Removing a worker from the registry


def test_a_worker_on_no_case_is_removed(employer_client, employer):
    worker = WorkerFactory(employer=employer, surname_latin="FREEMAN")
    assert "Yes, remove the worker" in text(employer_client.get(url("worker-delete", worker.pk)))

    response = employer_client.post(url("worker-delete", worker.pk), follow=True)

    assert "is removed from the registry" in text(response)
    assert not Worker.objects.filter(pk=worker.pk).exists()


def test_a_worker_on_a_case_stays_and_the_page_says_which_case(employer_client, employer):
    line = CaseWorkerFactory(application__employer=employer, worker__employer=employer)
    worker, reference = line.worker, line.application.reference

    page = text(employer_client.get(url("worker-delete", worker.pk)))
    assert f"This worker cannot be removed: they are on application {reference}" in page
    assert "Yes, remove the worker" not in page

    response = employer_client.post(url("worker-delete", worker.pk), follow=True)

    assert f"is on application {reference}" in text(response)
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_a_worker_of_a_deleted_draft_may_be_removed(employer_user, draft_with_worker):
    worker = draft_with_worker.lines.get().worker
    services.application_delete_draft(application=draft_with_worker, user=employer_user)
    services.worker_delete(worker=worker, user=employer_user)
    assert not Worker.objects.filter(pk=worker.pk).exists()


def test_another_companys_worker_is_a_404(other_client, employer):
    worker = WorkerFactory(employer=employer)
    assert other_client.get(url("worker-delete", worker.pk)).status_code == 404
    assert other_client.post(url("worker-delete", worker.pk)).status_code == 404
    assert Worker.objects.filter(pk=worker.pk).exists()


# A disabled button says why


def submit_area(response) -> str:
    page = response.content.decode()
    return page.split('id="submit-application"')[1].split("</div>")[0]


def test_the_disabled_submit_button_looks_disabled_and_says_why_beside_it(
    employer_client, employer, moscow, moscow_rules, threshold
):
    failing = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__isolation_days=7
    ).application

    response = employer_client.get(url("application-detail", failing.pk))

    button = re.search(r'<button[^>]*id="submit-application"[^>]*>', response.content.decode()).group(0)
    assert "disabled" in button and "btn-secondary" in button and "btn-success" not in button
    assert 'aria-describedby="submit-why submit-blocked"' in button
    assert "Not available: the application fails some of the region's rules." in submit_area(response)


def test_an_unverified_company_is_told_beside_the_button(employer_client, employer, draft_with_worker):
    employer.verified_at = None
    employer.save(update_fields=["verified_at"])

    response = employer_client.get(url("application-detail", draft_with_worker.pk))

    assert "Not available: your company is not verified yet." in submit_area(response)
