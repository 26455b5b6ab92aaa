"""Races and failures on real PostgreSQL, each thread on its own connection: the quota is never
exceeded, one case gets one decision, a double-clicked submit makes one transition, and a
failure half-way through a transition leaves nothing changed."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from applications import services
from applications.models import Application, Decision, Status, StatusChange, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, EmployerMemberFactory
from tests.concurrency import run_at_once
from tests.portal.factories import OfficerFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, region

ROUNDS = 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_quota_of_10_and_9_used_eight_officers_at_once_get_exactly_one_approval_fifty_times_over():
    moscow = region(77)
    RuleSetFactory(region=moscow, monthly_worker_quota=10)
    employer = EmployerFactory()
    officers = [OfficerFactory(regions=[moscow]) for _ in range(8)]
    first_month = timezone.localdate().replace(day=1) + dt.timedelta(days=40)

    for round_ in range(ROUNDS):
        # Each round fills its own arrival month, so the rounds do not share a quota.
        month = (first_month.replace(day=1) + dt.timedelta(days=31 * round_)).replace(day=10)
        already = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=month)
        CaseWorkerFactory.create_batch(9, application=already, outcome=WorkerOutcome.APPROVED)
        cases = [ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=month) for _ in officers]
        for case in cases:
            # Rounds run years ahead: the passport must outlast the arrival, or the rule check
            # blocks the approval (a blocking failure blocks it) before the quota is reached.
            CaseWorkerFactory(application=case, worker__passport_expiry=month + dt.timedelta(days=365))

        results = run_at_once(
            [lambda c=case, o=officer: services.application_approve(application=c, user=o) for case, officer in zip(cases, officers)]
        )

        errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, services.TransitionRefused)]
        assert errors == [], f"round {round_}: {errors}"
        approved = Application.objects.filter(pk__in=[c.pk for c in cases], status=Status.APPROVED).count()
        assert approved == 1, f"round {round_}: {approved} approvals"
        assert Decision.objects.filter(application__in=cases).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_deciding_the_same_case_at_once_always_give_one_decision_and_one_refusal():
    moscow = region(77)
    RuleSetFactory(region=moscow)
    first, second = OfficerFactory(regions=[moscow]), OfficerFactory(regions=[moscow])
    for round_ in range(20):
        case = ApplicationFactory(status=Status.IN_REVIEW)
        CaseWorkerFactory(application=case)
        results = run_at_once(
            [
                lambda case=case: services.application_approve(application=case, user=first, expected_version=1),
                lambda case=case: services.application_reject(application=case, user=second, reason="No housing", expected_version=1),
            ]
        )
        refusals = [r for r in results if isinstance(r, services.TransitionRefused)]
        assert len(refusals) == 1, f"round {round_}: {results}"
        assert Decision.objects.filter(application=case).count() == 1
        assert StatusChange.objects.filter(application=case).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_clicked_submit_makes_one_transition_and_one_clear_refusal():
    RuleSetFactory(region=region(77))
    EligibilityThresholdFactory()
    member = EmployerMemberFactory()
    case = ApplicationFactory(employer=member.employer, created_by=member.user)
    CaseWorkerFactory(application=case)

    def submit_in_english():  # each thread starts in the default language, Russian
        with translation.override("en"):
            return services.application_submit(application=case, user=member.user)

    results = run_at_once([submit_in_english] * 2)

    refusals = [r for r in results if isinstance(r, services.TransitionRefused)]
    assert len(refusals) == 1, results
    assert "not possible while the application is" in refusals[0].message
    assert list(StatusChange.objects.filter(application=case).values_list("transition", flat=True)) == ["submit"]


@pytest.mark.django_db
def test_a_failure_half_way_through_a_decision_leaves_the_case_lines_and_decisions_unchanged(
    employer, officer, moscow_rules, threshold, monkeypatch
):
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory.create_batch(2, application=case)

    def fail_on_history(*args, **kwargs):
        raise RuntimeError("database connection lost")

    # The decision and the workers' outcomes are written before the history row; the history
    # row failing must take them all back.
    monkeypatch.setattr(StatusChange.objects, "create", fail_on_history)
    with pytest.raises(RuntimeError):
        services.application_approve(application=case, user=officer)

    case.refresh_from_db()
    assert (case.status, case.version, case.decided_at) == (Status.IN_REVIEW, 1, None)
    assert set(case.lines.values_list("outcome", flat=True)) == {WorkerOutcome.PENDING}
    assert not Decision.objects.filter(application=case).exists()
