"""When an admin publishes a region's rule version, the waiting cases it applies to are checked
again: those that now fail a blocking check are flagged, counted in a message, and found by the
queue's "fails a blocking check" filter. A draft, added or changed, flags nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from regions.models import RuleSet
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.helpers.rule_set_admin import ADD, CHANGELIST, form_data
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-queue")


def today():
    return timezone.localdate()


def publish(client, version):
    return client.post(reverse("admin:regions_ruleset_publish", args=[version.pk]), follow=True)


def added(region, effective_from):
    return RuleSet.objects.get(region=region, effective_from=effective_from)


def flagged(application) -> bool:
    return Application.objects.values_list("rule_check_failing", flat=True).get(pk=application.pk)


def waiting_case(reference, *, status=Status.SUBMITTED, region=None, **fields):
    application = ApplicationFactory(reference=reference, status=status, **({"region": region} if region else {}), **fields)
    CaseWorkerFactory(application=application)
    return application


@pytest.fixture
def pending(moscow_rules, threshold):
    return waiting_case("MOW-PENDING")


def test_publishing_a_version_that_suspends_intake_flags_the_pending_case_and_the_queue_finds_it(
    admin_client_, client, officer, moscow, pending
):
    passing = waiting_case("MOW-DECIDED", status=Status.APPROVED)
    draft = waiting_case("MOW-DRAFT", status=Status.DRAFT)

    # A new version starts tomorrow at the earliest; the pending case arrives after that.
    tomorrow = today() + dt.timedelta(days=1)
    response = admin_client_.post(
        ADD, form_data(region=moscow.pk, effective_from=tomorrow, intake_open=False, days_to_decide=10), follow=True
    )
    assert response.status_code == 200
    assert flagged(pending) is False  # a draft applies to nothing

    response = publish(admin_client_, added(moscow, tomorrow))

    assert flagged(pending) is True
    assert flagged(passing) is False  # decided: its flag is not kept
    assert flagged(draft) is False  # the employer's own business
    assert "1 undecided case was re-checked." in messages_of(response)
    assert "1 of them now fails a blocking check." in messages_of(response)

    client.force_login(officer)
    queue = client.get(QUEUE, {"failing": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [application.reference for application in queue.context["page"]] == ["MOW-PENDING"]
    page = queue.content.decode()
    assert "Fails the rules" in page.split(">MOW-PENDING<")[1].split("</tr>")[0]


def test_publishing_a_draft_that_refuses_a_citizenship_rechecks_only_the_cases_it_will_govern(admin_client_, moscow, threshold):
    RuleSetFactory(region=moscow, effective_from=dt.date(2020, 6, 1))
    later = RuleSetFactory(region=moscow, effective_from=today() + dt.timedelta(days=5), published_at=None)
    governed = waiting_case("MOW-LATER", status=Status.IN_REVIEW, planned_arrival_date=today() + dt.timedelta(days=20))
    earlier = waiting_case(
        "MOW-EARLY", status=Status.INFO_REQUESTED, planned_arrival_date=today() + dt.timedelta(days=2), rule_check_at=timezone.now()
    )

    response = admin_client_.post(
        reverse("admin:regions_ruleset_change", args=[later.pk]),
        form_data(later, citizenship_policy="all_except_listed", citizenships=["UZ"]),
        follow=True,
    )
    assert response.status_code == 200
    assert flagged(governed) is False  # still a draft

    response = publish(admin_client_, later)

    assert flagged(governed) is True
    assert flagged(earlier) is False  # arrives while the earlier version is in force
    assert "1 undecided case was re-checked." in messages_of(response)


def test_several_cases_are_counted_in_the_plural(admin_client_, moscow, pending):
    waiting_case("MOW-SECOND", status=Status.IN_REVIEW)
    start = today() + dt.timedelta(days=2)
    admin_client_.post(ADD, form_data(region=moscow.pk, effective_from=start, intake_open=False, days_to_decide=10))

    response = publish(admin_client_, added(moscow, start))

    assert "2 undecided cases were re-checked." in messages_of(response)
    assert "2 of them now fail a blocking check." in messages_of(response)


def test_publishing_a_version_that_lifts_the_suspension_clears_the_flag(admin_client_, moscow, threshold):
    RuleSetFactory(region=moscow, effective_from=dt.date(2020, 6, 1), intake_open=False)
    suspended = waiting_case("MOW-SUSPENDED", rule_check_failing=True)
    start = today() + dt.timedelta(days=1)
    admin_client_.post(ADD, form_data(region=moscow.pk, effective_from=start, days_to_decide=10))

    response = publish(admin_client_, added(moscow, start))

    assert flagged(suspended) is False
    assert "1 undecided case was re-checked." in messages_of(response)
    assert not any("now fail" in message for message in messages_of(response))


def test_publishing_in_another_region_leaves_moscow_cases_alone(admin_client_, spb, pending):
    start = today() + dt.timedelta(days=1)
    admin_client_.post(ADD, form_data(region=spb.pk, effective_from=start, intake_open=False, days_to_decide=10))

    response = publish(admin_client_, added(spb, start))

    assert flagged(pending) is False
    assert "No undecided case arrives under it: none needed a re-check." in messages_of(response)


def test_copying_a_version_rechecks_nothing_until_the_copy_is_published(admin_client_, moscow_rules, threshold):
    failing = waiting_case("MOW-FAILING", isolation_days=7)

    response = admin_client_.post(
        CHANGELIST, {"action": "copy_as_draft", "_selected_action": [moscow_rules.pk]}, follow=True
    )

    assert response.status_code == 200
    assert flagged(failing) is False
    assert not any("re-checked" in message or "now fail" in message for message in messages_of(response))
