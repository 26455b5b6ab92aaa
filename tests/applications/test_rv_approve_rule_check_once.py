"""An approval runs the rule check once: the override guard and the recorded decision read the same
checks (taken with the case locked), so the decision keeps exactly what the guard judged."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from applications import services, transitions
from applications.models import Decision, DecisionOverride, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The lab confirmed a negative retest on the 10th."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(employer, officer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin="AZIMOV"))
    CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(employer=employer, surname_latin="STALETEST"),
        pcr_test_taken_at=timezone.make_aware(
            dt.datetime.combine(application.planned_arrival_date - dt.timedelta(days=5), dt.time(10))
        ),
    )
    return application


@pytest.fixture
def rule_check_calls(monkeypatch):
    calls = []
    original = transitions.case_rule_check

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    # Where the approval's guards and effect look it up (the transitions table imports it).
    monkeypatch.setattr(transitions, "case_rule_check", counting)
    return calls


def test_an_approval_against_a_failing_check_runs_the_rule_check_once(case, officer, rule_check_calls):
    failing = case.lines.get(worker__surname_latin="STALETEST")

    services.application_approve(application=case, user=officer, overrides={failing.pk: JUSTIFICATION})

    assert len(rule_check_calls) == 1
    decision = Decision.objects.get(application=case)
    override = DecisionOverride.objects.get(decision=decision)
    assert override.line_id == failing.pk
    assert [check["code"] for check in override.failed_checks] == ["worker.pcr_test"]


def test_a_partial_approval_runs_the_rule_check_once(case, officer, rule_check_calls):
    failing = case.lines.get(worker__surname_latin="STALETEST")

    services.application_approve_partially(application=case, user=officer, refusals={failing.pk: ("pcr_test", "")})

    assert len(rule_check_calls) == 1
    case.refresh_from_db()
    assert case.status == Status.PARTIALLY_APPROVED
    assert not DecisionOverride.objects.filter(decision__application=case).exists()

