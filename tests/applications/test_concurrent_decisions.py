"""Concurrent officers on real PostgreSQL, each thread on its own database connection."""

import threading

import pytest
from django.db import connection

from applications import services
from applications.models import Decision, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, ApplicationWorkerFactory, EmployerFactory
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory, region

# transaction=True: the threads must see each other's commits. serialized_rollback restores the
# regions (loaded by a data migration) that the flush after such a test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(actions):
    """Starts every action at the same moment in its own thread; returns results or exceptions."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_eight_officers_approving_at_once_never_exceed_the_monthly_quota(round_):
    moscow = region(77)
    RuleSetFactory(region=moscow, monthly_worker_quota=10)
    employer = EmployerFactory()
    already = ApplicationFactory(employer=employer, status=Status.APPROVED)
    ApplicationWorkerFactory.create_batch(9, application=already, outcome=WorkerOutcome.APPROVED)
    cases = [ApplicationFactory(employer=employer, status=Status.IN_REVIEW) for _ in range(8)]
    for case in cases:
        ApplicationWorkerFactory(application=case)
    officers = [OfficerFactory(regions=[moscow]) for _ in cases]

    results = run_at_once(
        [lambda c=case, o=officer: services.application_approve(application=c, user=o) for case, officer in zip(cases, officers)]
    )

    approved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, services.TransitionRefused)]
    assert len(approved) == 1 and len(refused) == 7, results
    assert all("would exceed the monthly quota of 10" in r.message for r in refused)
    approved_workers = sum(case.lines.filter(outcome=WorkerOutcome.APPROVED).count() for case in cases)
    assert approved_workers + 9 == 10


def test_two_officers_deciding_the_same_case_at_once_give_one_decision_and_one_clear_refusal():
    moscow = region(77)
    RuleSetFactory(region=moscow)
    case = ApplicationFactory(status=Status.IN_REVIEW)
    ApplicationWorkerFactory(application=case)
    first, second = OfficerFactory(regions=[moscow]), OfficerFactory(regions=[moscow])

    results = run_at_once(
        [
            lambda: services.application_approve(application=case, user=first, expected_version=1),
            lambda: services.application_reject(application=case, user=second, reason="No housing", expected_version=1),
        ]
    )

    refusals = [r for r in results if isinstance(r, services.TransitionRefused)]
    assert len(refusals) == 1, results
    assert "changed since you opened it" in refusals[0].message
    assert Decision.objects.filter(application=case).count() == 1
    case.refresh_from_db()
    assert case.status in (Status.APPROVED, Status.REJECTED)
    assert case.history.count() == 1
