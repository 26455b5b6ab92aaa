"""Returning workers' cases: a worker's earlier reported arrival, and a case of the returning kind."""

import datetime as dt

from applications.models import ApplicationKind, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory


def arrived_earlier(worker, *, employer=None, arrived_on=dt.date(2021, 3, 12), reference="M-2021-000123"):
    """An approved line of an earlier case on which the worker's arrival was reported."""
    return CaseWorkerFactory(
        worker=worker,
        application__employer=employer or worker.employer,
        application__reference=reference,
        application__status=Status.APPROVED,
        application__planned_arrival_date=arrived_on,
        outcome=WorkerOutcome.APPROVED,
        arrived_on=arrived_on,
    )


def returning_case(employer, *workers, region=None, kind=ApplicationKind.RETURNING_WORKERS):
    application = ApplicationFactory(employer=employer, kind=kind, **({"region": region} if region else {}))
    for worker in workers:
        CaseWorkerFactory(application=application, worker=worker)
    return application
