"""Which kinds of application a region accepts: both, only returning workers, or none (intake
suspended). Shown and edited in the rule set admin; the database refuses any other value."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from regions.models import KindsAccepted, RuleSet
from tests.helpers.rule_set_admin import ADD, CHANGELIST, change_url, form_data
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db


def test_a_new_version_accepts_both_kinds_unless_told_otherwise(moscow):
    assert RuleSetFactory(region=moscow).kinds_accepted == KindsAccepted.BOTH


def test_the_admin_sets_a_draft_version_to_accept_only_returning_workers(admin_client_, moscow):
    data = form_data(region=moscow.pk, effective_from=timezone.localdate() + dt.timedelta(days=10),
                     kinds_accepted=KindsAccepted.RETURNING_ONLY)
    assert 'name="kinds_accepted"' in admin_client_.get(ADD).content.decode()

    response = admin_client_.post(ADD, data)

    assert response.status_code == 302
    assert RuleSet.objects.get(region=moscow).kinds_accepted == KindsAccepted.RETURNING_ONLY


def test_the_list_of_versions_shows_and_filters_the_kinds_accepted(admin_client_, moscow):
    RuleSetFactory(region=moscow, kinds_accepted=KindsAccepted.RETURNING_ONLY)
    page = admin_client_.get(CHANGELIST, {"kinds_accepted__exact": "returning"}).content.decode()
    assert "Only returning workers" in page


def test_a_version_in_force_shows_its_kinds_read_only(admin_client_, moscow):
    rule_set = RuleSetFactory(region=moscow, kinds_accepted=KindsAccepted.RETURNING_ONLY)
    page = admin_client_.get(change_url(rule_set)).content.decode()
    assert "Only returning workers" in page and 'name="kinds_accepted"' not in page


def test_the_database_refuses_a_kind_that_is_not_one_of_the_two(moscow):
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSetFactory(region=moscow, kinds_accepted="none")
