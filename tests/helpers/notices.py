"""An approved case for the notice tests: a Moscow case landing at Vladivostok, with a worker of
each notice language and a Vietnamese worker approved and one worker refused."""

import datetime as dt

import pytest

from applications import services
from applications.models import RefusalReason, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.regions.factories import checkpoint, new_version

# 04:30 UTC is 14:30 in Vladivostok (UTC+10) and 07:30 in Moscow, three weeks from now.
ARRIVAL = dt.datetime.combine(dt.date.today() + dt.timedelta(days=20), dt.time(4, 30), tzinfo=dt.UTC)
VLADIVOSTOK_DAY = ARRIVAL.date()


@pytest.fixture
def rules(moscow_rules):
    return new_version(moscow_rules, pcr_max_age_hours=48, isolation_days=10)


@pytest.fixture
def approved_case(employer, rules, threshold, officer):
    """A Moscow case landing at Vladivostok: a worker of each notice language and a Vietnamese
    worker approved, one Uzbek worker refused."""
    employer.phone = "+7 495 123-45-67"
    employer.save()
    application = ApplicationFactory(
        employer=employer,
        status=Status.IN_REVIEW,
        checkpoint=checkpoint("VVO"),
        planned_arrival_at=ARRIVAL,
        isolation_address="Moscow, Stroiteley street 5, hostel",
    )
    lines = {
        citizenship: CaseWorkerFactory(
            application=application,
            worker=WorkerFactory(employer=employer, citizenship=citizenship, surname_latin=f"WORKER{citizenship}"),
        )
        for citizenship in ("UZ", "TJ", "KG", "KZ", "AM", "VN")
    }
    refused = CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin="REFUSED"))
    services.application_approve_partially(
        application=application,
        user=officer,
        refusals={refused.pk: (RefusalReason.PCR_TEST, "Too old")},
        message="",
    )
    application.refresh_from_db()
    application.lines_by_citizenship, application.refused_line = lines, refused
    return application
