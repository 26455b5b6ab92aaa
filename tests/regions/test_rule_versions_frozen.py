"""Rules cannot change under a decision (issue 15, point 4; issue 18, item 9): a rule version is
read-only from the moment it is published (in force by its region's clock or not yet), or a
decision cites it, or the stored check of a submitted case cites it, whichever comes first; in
the admin, in the services and in the database. A draft, even past its date, stays editable. A
change is always a new version."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from applications.services.rule_checks import application_refresh_rule_check
from regions.models import RuleSet
from regions.services import RuleVersionFrozen, rule_set_copy_as_draft, rule_set_delete, rule_set_save
from tests.applications.factories import ApplicationFactory, DecisionFactory
from tests.helpers.rule_set_admin import change_url, form_data
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db

FROZEN = "is frozen"
NEW_VERSION = "Add a new version instead."


def moscow_today():
    return timezone.localtime(timezone.now(), region(77).zone).date()


@pytest.fixture
def future(moscow_rules):
    """A draft of Moscow's next version, ten days ahead; the version in force stays `moscow_rules`."""
    return RuleSetFactory(region=moscow_rules.region, effective_from=moscow_today() + dt.timedelta(days=10), published_at=None)


@pytest.fixture
def scheduled(moscow_rules):
    """Moscow's next version, published, taking effect in twelve days."""
    return RuleSetFactory(region=moscow_rules.region, effective_from=moscow_today() + dt.timedelta(days=12))


def cite(rule_set, application):
    """The stored check of `application` cites `rule_set`. Only versions published before
    publication was recorded (migration 0010) can be cited unpublished; the guard stays for them."""
    Application.objects.filter(pk=application.pk).update(rule_set_checked=rule_set)


def arriving_under(rule_set, *, status):
    """A case of the version's region arriving after the version starts, so checked against it."""
    return ApplicationFactory(
        region=rule_set.region, status=status, planned_arrival_date=rule_set.effective_from + dt.timedelta(days=5)
    )


@pytest.fixture
def cited_by_submitted_case(future):
    cite(future, arriving_under(future, status=Status.SUBMITTED))
    return future


@pytest.fixture
def cited_by_decision(future, officer):
    DecisionFactory(application=arriving_under(future, status=Status.APPROVED), decided_by=officer, rule_set=future)
    return future


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused_in_sql(statement, *params) -> str:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        sql(statement, *params)
    return str(error.value)


def stored(rule_set):
    return RuleSet.objects.filter(pk=rule_set.pk).values("isolation_days", "effective_from").first()


# The database refuses, whatever the writer


@pytest.mark.parametrize("version", ["moscow_rules", "scheduled", "cited_by_decision", "cited_by_submitted_case"])
def test_an_update_in_raw_sql_of_a_frozen_version_is_refused_and_nothing_changes(request, version):
    rule_set = request.getfixturevalue(version)
    before = stored(rule_set)

    message = refused_in_sql("UPDATE regions_ruleset SET isolation_days = 7 WHERE id = %s", rule_set.pk)

    assert FROZEN in message and NEW_VERSION in message
    assert f"Rule version {rule_set.pk} of Moscow" in message
    assert stored(rule_set) == before


@pytest.mark.parametrize("version", ["moscow_rules", "scheduled", "cited_by_decision", "cited_by_submitted_case"])
def test_a_delete_in_raw_sql_of_a_frozen_version_is_refused_and_nothing_changes(request, version):
    rule_set = request.getfixturevalue(version)

    message = refused_in_sql("DELETE FROM regions_ruleset WHERE id = %s", rule_set.pk)

    assert FROZEN in message and NEW_VERSION in message
    assert RuleSet.objects.filter(pk=rule_set.pk).exists()


def test_the_database_says_why_a_version_is_frozen(moscow_rules, scheduled, cited_by_decision, cited_by_submitted_case):
    assert "in force since 01.06.2020" in refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", moscow_rules.pk)
    assert "published to take effect on" in refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", scheduled.pk)
    assert "a decision cites it" in refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", cited_by_decision.pk)


def test_the_database_names_a_submitted_cases_check(cited_by_submitted_case):
    message = refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", cited_by_submitted_case.pk)
    assert "the rule check of a submitted application cites it" in message


def test_a_draft_nothing_cites_can_be_changed_and_deleted_in_raw_sql(future):
    sql("UPDATE regions_ruleset SET isolation_days = 7 WHERE id = %s", future.pk)
    assert stored(future)["isolation_days"] == 7

    sql("DELETE FROM regions_ruleset WHERE id = %s", future.pk)
    assert not RuleSet.objects.filter(pk=future.pk).exists()


def test_a_draft_version_whose_date_has_passed_is_not_in_force_and_stays_editable(moscow_rules):
    lapsed = RuleSetFactory(region=moscow_rules.region, effective_from=moscow_today() - dt.timedelta(days=3), published_at=None)

    sql("UPDATE regions_ruleset SET isolation_days = 7 WHERE id = %s", lapsed.pk)

    assert stored(lapsed)["isolation_days"] == 7
    assert lapsed.frozen_reason() is None


def test_the_database_refuses_to_publish_a_draft_to_take_effect_today_or_earlier(moscow_rules):
    lapsed = RuleSetFactory(region=moscow_rules.region, effective_from=moscow_today(), published_at=None)

    message = refused_in_sql("UPDATE regions_ruleset SET published_at = now() WHERE id = %s", lapsed.pk)

    assert "cannot be published to take effect on" in message
    assert RuleSet.objects.get(pk=lapsed.pk).published_at is None


def test_a_withdrawn_case_that_was_submitted_still_freezes_the_version_it_was_checked_on(cited_by_submitted_case):
    application = cited_by_submitted_case.checked_applications.get()
    sql("UPDATE applications_application SET status = 'withdrawn' WHERE id = %s", application.pk)

    assert FROZEN in refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", cited_by_submitted_case.pk)


# The one home of the rule: RuleSet.frozen_reason


def test_frozen_reason_says_why_in_a_sentence(moscow_rules, scheduled, cited_by_decision):
    assert moscow_rules.frozen_reason().startswith("This version has been in force since")
    assert scheduled.frozen_reason().startswith("This version has been published and takes effect on")
    assert cited_by_decision.frozen_reason() == "Decisions cite this version."
    assert not cited_by_decision.is_editable()


def test_frozen_reason_names_a_submitted_cases_check(cited_by_submitted_case):
    assert cited_by_submitted_case.frozen_reason() == "The rule checks of submitted applications cite this version."


def test_a_draft_nothing_cites_is_editable(future):
    assert future.frozen_reason() is None and future.is_editable()


def test_submitting_a_case_records_the_published_version_its_check_read_never_a_draft(
    scheduled, employer_user, threshold
):
    from applications.services import application_submit
    from tests.applications.factories import CaseWorkerFactory

    later_draft = RuleSetFactory(region=scheduled.region, effective_from=scheduled.effective_from + dt.timedelta(days=1), published_at=None)
    draft = arriving_under(later_draft, status=Status.DRAFT)
    draft.employer = employer_user.employer_membership.employer
    draft.save()
    CaseWorkerFactory(application=draft)

    application = application_submit(application=draft, user=employer_user)

    assert application.rule_set_checked == scheduled


# Each region's own clock

KAMCHATKA, KALININGRAD = 41, 39
# 13:00 UTC: already 01:00 on 11 March in Kamchatka (UTC+12), still 15:00 on 10 March in Kaliningrad (UTC+2).
INSTANT = dt.datetime(2031, 3, 10, 13, 0, tzinfo=dt.UTC)
STARTS = dt.date(2031, 3, 11)


@pytest.fixture
def starting_on_the_11th(db):
    return {
        number: RuleSetFactory(region=region(number), effective_from=STARTS) for number in (KAMCHATKA, KALININGRAD)
    }


def test_a_version_starting_on_the_11th_is_in_force_in_kamchatka_and_not_yet_in_kaliningrad(monkeypatch, starting_on_the_11th):
    monkeypatch.setattr(timezone, "now", lambda: INSTANT)

    assert "in force since" in starting_on_the_11th[KAMCHATKA].frozen_reason()
    assert "published and takes effect on" in starting_on_the_11th[KALININGRAD].frozen_reason()


@pytest.fixture
def database_clock_at_instant():
    """The trigger reads now(); a function of the same name earlier on the search path stands in
    for it for this transaction only (the test's transaction is rolled back)."""
    sql("CREATE SCHEMA test_clock")
    sql(f"CREATE FUNCTION test_clock.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '{INSTANT.isoformat()}'::timestamptz $$")
    sql("SET LOCAL search_path = test_clock, pg_catalog, public")
    yield
    sql("SET LOCAL search_path = public")


def test_the_database_reads_each_regions_own_clock(starting_on_the_11th, database_clock_at_instant):
    kamchatka, kaliningrad = starting_on_the_11th[KAMCHATKA], starting_on_the_11th[KALININGRAD]

    message = refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", kamchatka.pk)
    assert "Kamchatka" in message and "in force since 11.03.2031" in message
    message = refused_in_sql("UPDATE regions_ruleset SET notes = 'x' WHERE id = %s", kaliningrad.pk)
    assert "published to take effect on 11.03.2031" in message


def test_the_database_reads_each_regions_own_clock_when_a_draft_is_published(database_clock_at_instant):
    drafts = {number: RuleSetFactory(region=region(number), effective_from=STARTS, published_at=None) for number in (KAMCHATKA, KALININGRAD)}

    # Already the 11th in Kamchatka: too late to publish for that day there; not yet in Kaliningrad.
    assert "cannot be published" in refused_in_sql("UPDATE regions_ruleset SET published_at = now() WHERE id = %s", drafts[KAMCHATKA].pk)
    sql("UPDATE regions_ruleset SET published_at = now() WHERE id = %s", drafts[KALININGRAD].pk)
    assert RuleSet.objects.get(pk=drafts[KALININGRAD].pk).published_at is not None


# The services


def test_the_service_refuses_to_save_a_frozen_version_and_nothing_changes(admin_user, cited_by_submitted_case):
    rule_set = RuleSet.objects.get(pk=cited_by_submitted_case.pk)
    rule_set.isolation_days = 7

    with pytest.raises(RuleVersionFrozen, match="cannot be changed or deleted: The rule checks of submitted"):
        rule_set_save(rule_set=rule_set, user=admin_user)

    assert stored(rule_set)["isolation_days"] == 14


def test_the_service_refuses_to_delete_a_frozen_version(admin_user, moscow_rules):
    with pytest.raises(RuleVersionFrozen, match="Copy as a new draft version"):
        rule_set_delete(rule_set=moscow_rules, user=admin_user)

    assert RuleSet.objects.filter(pk=moscow_rules.pk).exists()


def test_the_service_turns_the_databases_refusal_into_the_same_refusal(admin_user, cited_by_decision, monkeypatch):
    """A case decided between the service's check and its write: the trigger has the last word."""
    monkeypatch.setattr(RuleSet, "frozen_reason", lambda self, today=None: None)
    cited_by_decision.isolation_days = 7

    with pytest.raises(RuleVersionFrozen):
        rule_set_save(rule_set=cited_by_decision, user=admin_user)

    assert stored(cited_by_decision)["isolation_days"] == 14


def test_the_service_saves_a_draft_nothing_cites(admin_user, future):
    future.isolation_days = 7
    rule_set_save(rule_set=future, user=admin_user)
    assert stored(future)["isolation_days"] == 7

    rule_set_delete(rule_set=future, user=admin_user)
    assert not RuleSet.objects.filter(pk=future.pk).exists()


def test_a_draft_version_a_draft_case_was_checked_on_can_be_deleted(admin_user, future):
    draft = arriving_under(future, status=Status.DRAFT)
    cite(future, draft)

    rule_set_delete(rule_set=future, user=admin_user)

    assert not RuleSet.objects.filter(pk=future.pk).exists()
    draft.refresh_from_db()
    assert draft.rule_set_checked is None


def test_copying_a_frozen_version_makes_a_new_editable_version(admin_user, cited_by_decision):
    copy = rule_set_copy_as_draft(rule_set=cited_by_decision, user=admin_user)

    assert copy.pk != cited_by_decision.pk and copy.effective_from > cited_by_decision.effective_from
    assert copy.is_editable()
    copy.isolation_days = 7
    rule_set_save(rule_set=copy, user=admin_user)
    assert stored(copy)["isolation_days"] == 7


# The admin


@pytest.mark.parametrize("version", ["cited_by_decision", "cited_by_submitted_case"])
def test_the_admin_shows_a_frozen_future_version_without_inputs_and_says_why(request, admin_client_, version):
    rule_set = request.getfixturevalue(version)

    page = admin_client_.get(change_url(rule_set)).content.decode()

    assert 'name="isolation_days"' not in page and 'name="effective_from"' not in page
    assert 'name="_save"' not in page and "deletelink" not in page
    assert "cite this version" in page


@pytest.mark.parametrize("version", ["moscow_rules", "cited_by_decision", "cited_by_submitted_case"])
def test_a_post_to_a_frozen_version_in_the_admin_changes_nothing(request, admin_client_, version):
    rule_set = request.getfixturevalue(version)
    before = stored(rule_set)

    response = admin_client_.post(change_url(rule_set), form_data(rule_set, isolation_days=7))

    assert response.status_code == 302
    assert stored(rule_set) == before
    [message] = messages_of(response)
    assert message.startswith(f"“{rule_set}” was not changed:")


@pytest.mark.parametrize("version", ["moscow_rules", "cited_by_submitted_case"])
def test_deleting_a_frozen_version_in_the_admin_is_refused_with_a_message(request, admin_client_, version):
    rule_set = request.getfixturevalue(version)
    url = reverse("admin:regions_ruleset_delete", args=[rule_set.pk])

    response = admin_client_.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert RuleSet.objects.filter(pk=rule_set.pk).exists()
    [message] = messages_of(response)
    assert message.startswith(f"“{rule_set}” was not deleted:")


def test_a_version_frozen_between_the_form_and_the_save_is_refused_with_a_message(
    admin_client_, future, monkeypatch
):
    """The page was opened while the version was free; a case is decided before the save."""
    import regions.admin

    monkeypatch.setattr(regions.admin, "_frozen_reason", lambda rule_set: None)
    monkeypatch.setattr(RuleSet, "frozen_reason", lambda self, today=None: None)
    DecisionFactory(application=arriving_under(future, status=Status.APPROVED), rule_set=future)

    response = admin_client_.post(change_url(future), form_data(future, isolation_days=7))

    assert response.status_code == 302
    assert stored(future)["isolation_days"] == 14
    assert any("cannot be changed or deleted" in message for message in messages_of(response))


def test_the_admin_still_edits_a_draft_nothing_cites(admin_client_, future):
    response = admin_client_.post(change_url(future), form_data(future, isolation_days=7))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored(future)["isolation_days"] == 7


def test_a_copy_stays_editable_though_pending_cases_arrive_after_its_start(admin_client_, moscow_rules):
    """A draft applies to no case: the pending case arriving after the copy's start is still
    checked against the version in force, and the copy can still be corrected."""
    waiting = ApplicationFactory(status=Status.SUBMITTED, planned_arrival_date=moscow_today() + dt.timedelta(days=20))
    application_refresh_rule_check(waiting)

    response = admin_client_.post(
        reverse("admin:regions_ruleset_changelist"), {"action": "copy_as_draft", "_selected_action": [moscow_rules.pk]}
    )

    copy = RuleSet.objects.exclude(pk=moscow_rules.pk).get()
    waiting.refresh_from_db()
    assert waiting.rule_set_checked == moscow_rules
    assert copy.is_editable()
    assert not any("kept as it is" in message for message in messages_of(response))


def test_a_version_that_took_effect_between_the_delete_page_and_the_delete_is_kept_and_no_deletion_is_logged(
    admin_client_, moscow_rules, monkeypatch
):
    """The page was opened before midnight in the region; the trigger has the last word."""
    from django.contrib.admin.models import LogEntry

    import regions.admin

    monkeypatch.setattr(regions.admin, "_frozen_reason", lambda rule_set: None)
    monkeypatch.setattr(RuleSet, "frozen_reason", lambda self, today=None: None)

    response = admin_client_.post(reverse("admin:regions_ruleset_delete", args=[moscow_rules.pk]), {"post": "yes"})

    assert response.status_code == 302 and response.url == change_url(moscow_rules)
    assert RuleSet.objects.filter(pk=moscow_rules.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(moscow_rules.pk)).exists()
    assert any("cannot be changed or deleted" in message for message in messages_of(response))
