"""Migration applications.0022 fills the rule version each submitted case's check read."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import Application, Status
from tests.applications.factories import ApplicationFactory, DecisionFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

FILL = import_module("applications.migrations.0022_i15_application_rule_set_checked").FILL


def test_existing_submitted_cases_cite_the_version_in_force_on_arrival_or_their_decisions_and_drafts_none(
    moscow_rules, officer
):
    later = RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2021, 1, 1))
    submitted = ApplicationFactory(status=Status.SUBMITTED, planned_arrival_date=dt.date(2021, 2, 1), submitted_at=timezone.now())
    early = ApplicationFactory(status=Status.IN_REVIEW, planned_arrival_date=dt.date(2020, 7, 1), submitted_at=timezone.now())
    decided = ApplicationFactory(status=Status.APPROVED, planned_arrival_date=dt.date(2021, 2, 1), submitted_at=timezone.now())
    DecisionFactory(application=decided, decided_by=officer, rule_set=moscow_rules)
    draft = ApplicationFactory(status=Status.DRAFT, planned_arrival_date=dt.date(2021, 2, 1))

    with connection.cursor() as cursor:
        cursor.execute(FILL)

    cited = dict(Application.objects.values_list("pk", "rule_set_checked_id"))
    assert cited[submitted.pk] == later.pk
    assert cited[early.pk] == moscow_rules.pk
    assert cited[decided.pk] == moscow_rules.pk  # the decision's version, as the approval checked it
    assert cited[draft.pk] is None
