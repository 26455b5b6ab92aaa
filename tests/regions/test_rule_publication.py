"""Rule versions are published on purpose (issue 18, item 9): a version is a draft until an admin
with the permission publishes it from a confirmation page that names the region and the date it
takes effect; a draft never applies, even after its date; publishing records who and when,
freezes the version and re-checks the undecided cases it applies to."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.models import Application, Status
from applications.selectors import case_rule_check
from applications.selectors.quota import quotas_on_firsts
from portal.accounts.models import Role
from regions.models import RuleSet
from regions.selectors import rule_set_in_force
from regions.services import rule_set_publish
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.pages import messages_of
from tests.portal.factories import UserFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

publish_existing_versions = import_module("regions.migrations.0010_i18_rule_publication").publish_existing_versions


def today():
    return timezone.localdate()


def long_date(value):
    with translation.override("en"):
        return date_format(value, "DATE_FORMAT")


def publish_url(rule_set):
    return reverse("admin:regions_ruleset_publish", args=[rule_set.pk])


def change_url(rule_set):
    return reverse("admin:regions_ruleset_change", args=[rule_set.pk])


@pytest.fixture
def draft(moscow_rules):
    """Moscow's next version as a draft from in a week: no isolation-free arrivals, intake suspended."""
    return RuleSetFactory(
        region=moscow_rules.region, effective_from=today() + dt.timedelta(days=7), published_at=None, intake_open=False
    )


def rules_admin(*codenames):
    """A staff admin who may work on rule versions with the given permissions, and nothing else."""
    user = UserFactory(email=f"rules-{'-'.join(codenames)}@example.com", role=Role.ADMIN, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="regions", codename__in=codenames))
    return user


# A draft never applies


def test_a_draft_never_applies_even_after_its_date(moscow_rules, threshold):
    lapsed = RuleSetFactory(
        region=moscow_rules.region,
        effective_from=today() - dt.timedelta(days=10),
        published_at=None,
        intake_open=False,
        monthly_worker_quota=1,
    )
    application = ApplicationFactory(status=Status.SUBMITTED, planned_arrival_date=today() + dt.timedelta(days=3))
    CaseWorkerFactory(application=application)

    assert rule_set_in_force(region_id=moscow_rules.region_id, on=today()) == moscow_rules
    assert RuleSet.objects.in_force_on(today()).get() == moscow_rules
    rules, checks = case_rule_check(application)
    assert rules == moscow_rules
    assert not any(check.code == "intake.open" and not check.passed for check in checks)
    month = today().replace(day=1) + dt.timedelta(days=31)
    assert quotas_on_firsts(region_ids=[moscow_rules.region_id], months=[month.replace(day=1)]) == {
        (moscow_rules.region_id, month.replace(day=1)): None
    }
    assert lapsed.frozen_reason() is None


def test_the_change_page_says_a_draft_applies_to_no_case_and_offers_to_publish_it(admin_client_, draft):
    page = admin_client_.get(change_url(draft)).content.decode()

    assert "This version is a draft: it applies to no case, even after its start date, until it is published." in page
    assert f'href="{publish_url(draft)}"' in page


# Publishing asks first, then records who and when


def test_the_confirmation_names_the_region_and_the_date_it_takes_effect_and_publishes_nothing(admin_client_, draft):
    ApplicationFactory(status=Status.SUBMITTED, planned_arrival_date=draft.effective_from + dt.timedelta(days=2))

    response = admin_client_.get(publish_url(draft))

    page = response.content.decode()
    assert f"The rules of Moscow in this version take effect on {long_date(draft.effective_from)}." in page
    assert "1 undecided case arriving under it will be re-checked now." in page
    assert 'value="Yes, publish it"' in page
    assert "No legal basis is given" in page
    assert RuleSet.objects.get(pk=draft.pk).published_at is None


def test_confirming_publishes_the_version_and_records_who_and_when(admin_client_, admin_user, draft):
    before = timezone.now()

    response = admin_client_.post(publish_url(draft), follow=True)

    draft.refresh_from_db()
    assert draft.published_by == admin_user and draft.published_at >= before
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert f"Published: the rules of Moscow in this version take effect on {long_date(draft.effective_from)}." in messages_of(
        response
    )
    assert "This version has been published and takes effect on" in response.content.decode()
    assert 'name="isolation_days"' not in response.content.decode()  # frozen: no inputs


def test_the_admin_sees_how_many_undecided_cases_were_rechecked(admin_client_, draft, threshold):
    arriving = [
        ApplicationFactory(status=status, planned_arrival_date=draft.effective_from + dt.timedelta(days=2))
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)
    ]
    for application in arriving:
        CaseWorkerFactory(application=application)
    # Arriving before the version starts, and checked already: not this version's business.
    ApplicationFactory(
        status=Status.SUBMITTED, planned_arrival_date=draft.effective_from - dt.timedelta(days=1), rule_check_at=timezone.now()
    )
    ApplicationFactory(status=Status.DRAFT, planned_arrival_date=draft.effective_from + dt.timedelta(days=2))

    response = admin_client_.post(publish_url(draft), follow=True)

    assert "3 undecided cases were re-checked." in messages_of(response)
    assert "3 of them now fail a blocking check." in messages_of(response)  # intake suspended
    assert set(Application.objects.filter(rule_check_failing=True).values_list("pk", flat=True)) == {a.pk for a in arriving}
    assert not Application.objects.filter(status__in=["submitted", "in_review", "info_requested"], rule_check_at=None).exists()


def test_a_draft_whose_date_has_passed_cannot_be_published_until_it_is_moved(admin_client_, admin_user, moscow_rules):
    lapsed = RuleSetFactory(region=moscow_rules.region, effective_from=today(), published_at=None)

    page = admin_client_.get(publish_url(lapsed)).content.decode()
    assert "Change its start date to" in page
    assert "Yes, publish it" not in page

    response = admin_client_.post(publish_url(lapsed), follow=True)
    assert any("which is not after today" in message for message in messages_of(response))
    assert RuleSet.objects.get(pk=lapsed.pk).published_at is None


def test_a_published_version_is_not_published_again(admin_user, moscow_rules):
    scheduled = RuleSetFactory(region=moscow_rules.region, effective_from=today() + dt.timedelta(days=3))

    with pytest.raises(ValidationError, match="already published"):
        rule_set_publish(rule_set=scheduled, user=admin_user)


# Only staff with the permission publish


def test_an_admin_without_the_publish_permission_sees_no_button_and_is_refused(client, draft):
    editor = rules_admin("view_ruleset", "change_ruleset", "add_ruleset")
    client.force_login(editor)

    assert publish_url(draft) not in client.get(change_url(draft)).content.decode()
    assert client.get(publish_url(draft)).status_code == 403
    assert client.post(publish_url(draft)).status_code == 403
    assert RuleSet.objects.get(pk=draft.pk).published_at is None
    with pytest.raises(PermissionDenied):
        rule_set_publish(rule_set=draft, user=editor)


def test_an_admin_with_the_publish_permission_publishes(client, draft):
    publisher = rules_admin("view_ruleset", "change_ruleset", "publish_ruleset")
    client.force_login(publisher)

    client.post(publish_url(draft))

    assert RuleSet.objects.get(pk=draft.pk).published_by == publisher


def test_an_officer_cannot_publish(officer, draft):
    with pytest.raises(PermissionDenied):
        rule_set_publish(rule_set=draft, user=officer)


# The migration


def test_the_migration_publishes_every_existing_version_as_of_its_creation(moscow_rules):
    legacy = RuleSetFactory(region=moscow_rules.region, effective_from=today() + dt.timedelta(days=4), published_at=None)

    publish_existing_versions(apps, None)

    legacy.refresh_from_db()
    assert (legacy.published_at, legacy.published_by) == (legacy.created_at, None)
