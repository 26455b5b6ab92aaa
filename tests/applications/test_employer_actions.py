"""'What needs your action' at the top of the employer's home: open requests with their reply
dates, drafts not submitted, arrivals to report, expiring passports; each links to where the
employer acts, only the company's own, in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status, WorkerOutcome
from applications.selectors.employer import ACTIONS_SHOWN, employer_actions
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory

pytestmark = pytest.mark.django_db

HOME = reverse("applications:employer-home")


def today():
    return timezone.localdate()


def actions_section(response) -> str:
    page = response.content.decode()
    return page.split('aria-labelledby="actions-heading"')[1].split("</section>")[0]


def test_nothing_waiting_says_so(employer_client, employer):
    ApplicationFactory(employer=employer, status=Status.SUBMITTED)

    section = actions_section(employer_client.get(HOME))

    assert "What needs your action" in employer_client.get(HOME).content.decode()
    assert "Nothing waits for you" in section


def test_an_open_request_links_to_its_answer_with_the_reply_date(employer_client, employer):
    due = today() + dt.timedelta(days=3)
    late = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED, reply_due=today() - dt.timedelta(days=1))
    asked = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED, reply_due=due)

    section = actions_section(employer_client.get(HOME))

    assert "2 requests for information to answer" in section
    answer = reverse("applications:application-answer", kwargs={"pk": asked.pk})
    assert f'<a href="{answer}">Answer the request on {asked.reference}</a>' in section
    assert f"reply by {due:%m/%d/%Y}" in section
    # The late one first, said to be late.
    assert section.index(late.reference) < section.index(asked.reference)
    assert "the reply was due by" in section


def test_a_draft_links_to_its_page(employer_client, employer):
    draft = ApplicationFactory(employer=employer, status=Status.DRAFT, project_name="Tower 7")

    section = actions_section(employer_client.get(HOME))

    assert "1 draft not submitted" in section
    assert reverse("applications:application-detail", kwargs={"pk": draft.pk}) in section
    assert "Tower 7" in section


def test_an_approved_case_whose_arrival_day_came_asks_for_its_arrivals(employer_client, employer):
    arrived_day = today() - dt.timedelta(days=2)
    due = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=arrived_day)
    CaseWorkerFactory(application=due, outcome=WorkerOutcome.APPROVED)
    CaseWorkerFactory(application=due, outcome=WorkerOutcome.APPROVED)
    reported = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=arrived_day)
    CaseWorkerFactory(application=reported, outcome=WorkerOutcome.APPROVED, arrived_on=arrived_day)
    ahead = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=today() + dt.timedelta(days=5))
    CaseWorkerFactory(application=ahead, outcome=WorkerOutcome.APPROVED)

    section = actions_section(employer_client.get(HOME))

    assert "1 arrival to report" in section
    assert reverse("applications:arrival-report", kwargs={"pk": due.pk}) in section
    assert "2 workers not reported yet" in section
    assert reported.reference not in section
    assert ahead.reference not in section


def test_passports_expiring_soon_or_before_a_planned_arrival_are_listed(employer_client, employer):
    soon = WorkerFactory(employer=employer, surname_latin="SOON", passport_expiry=today() + dt.timedelta(days=10))
    before_arrival = WorkerFactory(employer=employer, surname_latin="TRAVELS", passport_expiry=today() + dt.timedelta(days=60))
    case = ApplicationFactory(employer=employer, status=Status.SUBMITTED, planned_arrival_date=today() + dt.timedelta(days=90))
    CaseWorkerFactory(application=case, worker=before_arrival)
    WorkerFactory(employer=employer, surname_latin="FINE", passport_expiry=today() + dt.timedelta(days=400))
    expired = WorkerFactory(employer=employer, surname_latin="GONE", passport_expiry=today() - dt.timedelta(days=1))

    section = actions_section(employer_client.get(HOME))

    assert "3 passports expiring" in section
    for worker in (soon, before_arrival, expired):
        assert reverse("applications:worker-edit", kwargs={"pk": worker.pk}) in section
    assert "FINE" not in section
    assert "expired on" in section


def test_another_companys_cases_and_workers_are_not_listed(employer_client, employer):
    other = EmployerFactory()
    ApplicationFactory(employer=other, status=Status.INFO_REQUESTED, reply_due=today())
    ApplicationFactory(employer=other, status=Status.DRAFT)
    WorkerFactory(employer=other, passport_expiry=today())

    assert "Nothing waits for you" in actions_section(employer_client.get(HOME))


def test_each_kind_lists_a_few_and_links_to_the_rest(employer_client, employer):
    for _ in range(ACTIONS_SHOWN + 2):
        ApplicationFactory(employer=employer, status=Status.DRAFT)

    section = actions_section(employer_client.get(HOME))

    assert f"{ACTIONS_SHOWN + 2} drafts not submitted" in section
    assert section.count("Finish and submit") == ACTIONS_SHOWN
    assert 'href="?status=draft"' in section


def test_the_actions_cost_four_queries_whatever_their_number(employer, employer_user, django_assert_num_queries):
    user = type(employer_user).objects.select_related("employer_membership").get(pk=employer_user.pk)

    def make(count):
        for _ in range(count):
            ApplicationFactory(employer=employer, status=Status.DRAFT)
            ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED, reply_due=today())
            arrived = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=today())
            CaseWorkerFactory(application=arrived, outcome=WorkerOutcome.APPROVED)
            WorkerFactory(employer=employer, passport_expiry=today())

    make(1)
    with django_assert_num_queries(4):  # one a kind
        actions = employer_actions(user=user, today=today())
    assert (actions.drafts_total, actions.requests_total, actions.arrivals_total) == (1, 1, 1)
    make(8)
    with django_assert_num_queries(4):
        actions = employer_actions(user=user, today=today())
    assert (actions.drafts_total, len(actions.drafts)) == (9, ACTIONS_SHOWN)


def test_a_deleted_draft_and_a_worker_whose_data_was_removed_are_not_listed(employer_client, employer):
    # A deleted draft is gone from the company's pages; a worker kept past the retention period
    # has a placeholder passport that "expired" in 1900 and must not ask for a new one.
    ApplicationFactory(employer=employer, status=Status.DRAFT, deleted_at=timezone.now())
    WorkerFactory(
        employer=employer, date_of_birth=dt.date(1900, 1, 1), passport_expiry=dt.date(1900, 1, 2), redacted_at=timezone.now()
    )

    assert "Nothing waits for you" in actions_section(employer_client.get(HOME))
