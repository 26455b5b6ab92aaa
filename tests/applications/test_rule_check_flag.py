"""The "fails a blocking check" flag the queue filters on follows the rules in force."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(employer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    CaseWorkerFactory(application=application)
    return application


def flag(application) -> bool:
    return Application.objects.values_list("rule_check_failing", flat=True).get(pk=application.pk)


def test_a_new_rule_version_that_suspends_intake_flags_the_regions_pending_cases(pending, moscow):
    draft = ApplicationFactory(employer=pending.employer)  # drafts are the employer's business
    RuleSetFactory(region=moscow, effective_from=pending.planned_arrival_date, intake_open=False)

    assert services.recheck_pending_cases(region_id=moscow.pk) == 1
    assert flag(pending) is True
    assert flag(draft) is False


def test_a_rule_change_in_another_region_flags_nothing_here(pending, spb):
    RuleSetFactory(region=spb, effective_from=pending.planned_arrival_date, intake_open=False)
    assert services.recheck_pending_cases(region_id=spb.pk) == 0
    assert flag(pending) is False


def test_an_answer_that_fixes_the_failure_clears_the_flag(pending, employer_user, officer):
    Application.objects.filter(pk=pending.pk).update(isolation_days=7)
    services.recheck_pending_cases(region_id=pending.region_id)
    assert flag(pending) is True

    services.application_take_into_review(application=pending, user=officer)
    services.application_request_information(application=pending, user=officer, message="Isolation must be 14 days.")
    Application.objects.filter(pk=pending.pk).update(isolation_days=14)
    services.application_answer_request(application=pending, user=employer_user, message="Fixed: 14 days.")
    assert flag(pending) is False


def test_after_a_rule_change_the_queue_counts_the_failing_cases_again(
    pending, moscow, officer, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    queue = reverse("applications:review-queue") + "?failing=on"
    assert client.get(queue).context["page"].paginator.count == 0  # the tabs' counts are kept now

    RuleSetFactory(region=moscow, effective_from=pending.planned_arrival_date, intake_open=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.recheck_pending_cases(region_id=moscow.pk)

    tabs = {tab["value"]: tab["count"] for tab in client.get(queue).context["status_tabs"]}
    assert tabs["submitted"] == 1
