"""Deciding a case runs a constant number of queries whatever the number of workers on it:
approving, partly approving, rejecting and the quota's refusal are set-based SQL inside the
case's lock, not a query per line (issue 17, item 5)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from applications import services
from applications.models import Decision, DecisionWorker, Status, StatusChange, WorkerOutcome
from applications.selectors.quota import approved_workers_in_month
from applications.services import document_builds
from applications.services.errors import TransitionRefused
from tests.helpers.bulk_cases import case_of
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

BIG = 5000
SMALL = 10
REFUSED = 500


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def approve(application, officer):
    return services.application_approve(application=application, user=officer)


def approve_partially(application, officer):
    """Refuses the first `REFUSED` workers of a big case (half of a small one), each with a note."""
    line_ids = list(application.lines.order_by("pk").values_list("pk", flat=True))
    refused = line_ids[: min(REFUSED, len(line_ids) // 2)]
    refusals = {pk: ("pcr_test", f"No test for line {pk}") for pk in refused}
    return services.application_approve_partially(application=application, user=officer, refusals=refusals)


def reject(application, officer):
    return services.application_reject(application=application, user=officer, reason="The employer's licence was revoked.")


def queries_of_decision(decide, application, officer):
    # A fresh user each time: the officer's regions are read once per user object and kept.
    officer = type(officer).objects.get(pk=officer.pk)
    with CaptureQueriesContext(connection) as captured:
        decide(application, officer)
    return len(captured.captured_queries)


@pytest.mark.parametrize("decide", [approve, approve_partially, reject], ids=["approve", "partial", "reject"])
def test_a_decision_runs_the_same_number_of_queries_for_10_and_for_5000_workers(
    decide, employer, officer, moscow_rules, threshold, monkeypatch
):
    # A large case's decision also queues the builds of its letter and of its approved workers'
    # notices (a constant few queries): both cases count as large here, the small one's half
    # approved too, so the comparison is of the decision itself.
    monkeypatch.setattr(document_builds, "LARGE_CASE_WORKERS", SMALL // 2 - 1)
    small = case_of(SMALL, employer=employer, officer=officer)
    big = case_of(BIG, employer=employer, officer=officer)

    assert queries_of_decision(decide, small, officer) == queries_of_decision(decide, big, officer)


def test_the_quota_refuses_in_the_same_number_of_queries_for_10_and_for_5000_workers(
    employer, officer, moscow, moscow_rules, threshold
):
    # Two versions of the rules, each one place short for its month's case.
    today = timezone.localdate()
    RuleSetFactory(region=moscow, effective_from=today + dt.timedelta(days=10), monthly_worker_quota=SMALL - 1)
    RuleSetFactory(region=moscow, effective_from=today + dt.timedelta(days=70), monthly_worker_quota=BIG - 1)
    small = case_of(SMALL, employer=employer, officer=officer, arrival=today + dt.timedelta(days=40))
    big = case_of(BIG, employer=employer, officer=officer, arrival=today + dt.timedelta(days=100))

    counts = []
    for application in (small, big):
        user = type(officer).objects.get(pk=officer.pk)
        with CaptureQueriesContext(connection) as captured, pytest.raises(TransitionRefused) as refused:
            approve(application, user)
        counts.append(len(captured.captured_queries))
        assert "would exceed the monthly quota" in refused.value.message

    assert counts[0] == counts[1]
    big.refresh_from_db()
    assert big.status == Status.IN_REVIEW
    assert not big.lines.exclude(outcome=WorkerOutcome.PENDING).exists()
    assert not Decision.objects.filter(application=big).exists()


def test_approving_5000_workers_approves_every_line_once_and_writes_one_history_row(
    employer, officer, moscow, moscow_rules, threshold
):
    # The quota is exactly the case's size: the last place is the case's last worker.
    arrival = timezone.localdate() + dt.timedelta(days=40)
    RuleSetFactory(region=moscow, effective_from=timezone.localdate() + dt.timedelta(days=10), monthly_worker_quota=BIG)
    application = case_of(BIG, employer=employer, officer=officer, arrival=arrival)

    with CaptureQueriesContext(connection) as captured:
        approve(application, officer)

    # Every person's advisory lock in one statement, keys in ascending order (no lock cycles).
    locks = [query["sql"] for query in captured.captured_queries if "pg_advisory_xact_lock" in query["sql"]]
    assert len(locks) == 1
    keys = [int(key) for key in locks[0].split("'{", 1)[1].split("}'", 1)[0].split(",")]
    assert len(keys) == BIG and keys == sorted(keys)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.lines.filter(outcome=WorkerOutcome.APPROVED, refusal_reason="", refusal_note="").count() == BIG
    assert StatusChange.objects.filter(application=application, transition="approve").count() == 1
    decision = Decision.objects.get(application=application)
    assert decision.workers.filter(outcome=WorkerOutcome.APPROVED).count() == BIG
    assert sorted(decision.workers.values_list("position", flat=True)) == list(range(1, BIG + 1))
    assert approved_workers_in_month(region_id=moscow.pk, month_of=arrival) == BIG


def test_the_quota_refuses_the_5000th_worker_past_the_last_place(employer, officer, moscow, moscow_rules, threshold):
    arrival = timezone.localdate() + dt.timedelta(days=40)
    RuleSetFactory(region=moscow, effective_from=timezone.localdate() + dt.timedelta(days=10), monthly_worker_quota=BIG - 1)
    application = case_of(BIG, employer=employer, officer=officer, arrival=arrival)

    with pytest.raises(TransitionRefused) as refused:
        approve(application, officer)

    assert f"Approving {BIG} workers would exceed the monthly quota of {BIG - 1}" in refused.value.message
    assert "places left: 4999" in refused.value.message
    assert approved_workers_in_month(region_id=moscow.pk, month_of=arrival) == 0


def test_a_partial_approval_of_5000_workers_refuses_exactly_the_500_chosen(employer, officer, moscow_rules, threshold):
    application = case_of(BIG, employer=employer, officer=officer)

    approve_partially(application, officer)

    application.refresh_from_db()
    assert application.status == Status.PARTIALLY_APPROVED
    first = list(application.lines.order_by("pk").values_list("pk", flat=True))[:REFUSED]
    refused = application.lines.filter(outcome=WorkerOutcome.REFUSED)
    assert sorted(refused.values_list("pk", flat=True)) == first
    assert {
        (line.refusal_reason, line.refusal_note) for line in refused if line.refusal_note != f"No test for line {line.pk}"
    } == set()
    assert not refused.exclude(refusal_reason="pcr_test").exists()
    assert application.lines.filter(outcome=WorkerOutcome.APPROVED, refusal_reason="", refusal_note="").count() == BIG - REFUSED
    decision = Decision.objects.get(application=application)
    assert decision.workers.filter(outcome=WorkerOutcome.REFUSED).count() == REFUSED
    assert (
        DecisionWorker.objects.filter(
            decision=decision, outcome=WorkerOutcome.REFUSED, refusal_note__startswith="No test"
        ).count()
        == REFUSED
    )
    assert StatusChange.objects.filter(application=application, transition="approve_partially").count() == 1


def test_rejecting_5000_workers_refuses_every_line(employer, officer, moscow_rules, threshold):
    application = case_of(BIG, employer=employer, officer=officer)

    reject(application, officer)

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.lines.filter(outcome=WorkerOutcome.REFUSED, refusal_reason="other", refusal_note="").count() == BIG
    assert Decision.objects.get(application=application).workers.filter(outcome=WorkerOutcome.REFUSED).count() == BIG
    assert StatusChange.objects.filter(application=application, transition="reject").count() == 1
