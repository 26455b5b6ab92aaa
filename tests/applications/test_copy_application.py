"""Copy as a new application: a new draft with the details and the workers of any earlier case of
the company, without the workers' outcomes and without their (by then stale) PCR test times."""

import pytest
from django.urls import reverse

from applications.models import Application, RefusalReason, Status, WorkerOutcome
from applications.services import DRAFT_FIELDS, TransitionRefused
from applications.services.drafts import application_copy
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.pages import text, url
from tests.regions.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_case(employer):
    """A partly approved case in Saint Petersburg: one worker approved, one refused."""
    application = ApplicationFactory(
        employer=employer, region=region(78), status=Status.PARTIALLY_APPROVED, project_name="Bridge repair",
        activity_okved="42.13", isolation_days=21, charter_transport_agreed=True, vaccination_booked=True,
    )
    CaseWorkerFactory(application=application, outcome=WorkerOutcome.APPROVED)
    CaseWorkerFactory(
        application=application, outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.PCR_TEST, refusal_note="Test too old",
    )
    return application


def test_copying_a_decided_case_makes_a_draft_with_its_details_and_workers_but_no_outcomes_or_pcr_times(
    employer_client, employer_user, decided_case
):
    response = employer_client.post(url("application-copy", decided_case.pk))

    copy = Application.objects.exclude(pk=decided_case.pk).get(employer=decided_case.employer)
    assert response.status_code == 302
    assert response.url == reverse("applications:application-detail", args=[copy.pk])
    assert copy.status == Status.DRAFT
    assert copy.reference != decided_case.reference
    assert copy.copied_from == decided_case
    assert copy.created_by == employer_user
    assert {name: getattr(copy, name) for name in DRAFT_FIELDS} == {name: getattr(decided_case, name) for name in DRAFT_FIELDS}
    assert sorted(copy.lines.values_list("worker_id", flat=True)) == sorted(decided_case.lines.values_list("worker_id", flat=True))
    assert set(copy.lines.values_list("outcome", "refusal_reason", "refusal_note", "pcr_test_taken_at")) == {
        (WorkerOutcome.PENDING, "", "", None)
    }
    created = copy.history.get()
    assert (created.from_status, created.to_status, created.transition, created.actor) == ("", Status.DRAFT, "create", employer_user)
    # The original is untouched.
    assert decided_case.lines.filter(pcr_test_taken_at__isnull=False).count() == 2
    assert decided_case.history.count() == 0


def test_after_copying_the_new_draft_says_where_it_came_from_and_asks_for_new_tests(employer_client, decided_case):
    response = employer_client.post(url("application-copy", decided_case.pk), follow=True)

    copy = Application.objects.exclude(pk=decided_case.pk).get()
    page = text(response)
    assert f"Draft {copy.reference} is a copy of {decided_case.reference}, with the same workers." in page
    assert "enter each worker's new PCR test" in page
    assert f"Copied from {decided_case.reference}" in page


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN, Status.REJECTED])
def test_a_case_in_any_status_can_be_copied(employer_user, employer, status):
    original = CaseWorkerFactory(application__employer=employer, application__status=status).application

    copy = application_copy(application=original, user=employer_user)

    assert copy.status == Status.DRAFT
    assert copy.lines.count() == 1


def test_the_case_page_offers_the_copy_button(employer_client, decided_case):
    page = employer_client.get(url("application-detail", decided_case.pk)).content.decode()

    assert f'action="{url("application-copy", decided_case.pk)}"' in page
    assert "Copy as a new application" in page


def test_another_company_gets_404_and_nothing_is_copied(client, other_employer_user, decided_case):
    client.force_login(other_employer_user)

    response = client.post(url("application-copy", decided_case.pk))

    assert response.status_code == 404
    assert Application.objects.count() == 1


def test_the_service_refuses_a_copy_for_another_company(other_employer_user, decided_case):
    with pytest.raises(TransitionRefused):
        application_copy(application=decided_case, user=other_employer_user)
    assert Application.objects.count() == 1


def test_an_officer_is_forbidden_to_copy(client, officer, decided_case):
    client.force_login(officer)

    assert client.post(url("application-copy", decided_case.pk)).status_code == 403
    assert Application.objects.count() == 1


def test_copying_needs_a_post(employer_client, decided_case):
    assert employer_client.get(url("application-copy", decided_case.pk)).status_code == 405
    assert Application.objects.count() == 1
