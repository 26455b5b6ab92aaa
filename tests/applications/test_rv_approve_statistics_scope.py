"""The statistics page's "approved against a failing check" counts the officer's region only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import DecisionOverride, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The lab confirmed a negative retest on the 10th."


def test_the_statistics_count_only_the_regions_own_approvals_against_a_failing_check(
    officer, officer_spb, spb, moscow_rules, threshold, employer, client
):
    RuleSetFactory(region=spb)
    elsewhere = ApplicationFactory(employer=employer, region=spb, status=Status.IN_REVIEW, assigned_officer=officer_spb)
    stale = CaseWorkerFactory(
        application=elsewhere,
        pcr_test_taken_at=timezone.make_aware(
            dt.datetime.combine(elsewhere.planned_arrival_date - dt.timedelta(days=5), dt.time(10))
        ),
    )
    services.application_approve(application=elsewhere, user=officer_spb, overrides={stale.pk: JUSTIFICATION})
    assert DecisionOverride.objects.filter(decision__application=elsewhere).count() == 1
    client.force_login(officer)

    statistics = client.get(reverse("applications:review-statistics")).context["statistics"]

    assert (statistics.overridden_cases, statistics.overridden_workers) == (0, 0)
