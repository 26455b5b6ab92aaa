"""Migrating date-only arrivals: a planned or reported arrival date becomes 12:00 on that day in
the zone of the case's region, PCR tests (entered in Moscow time before) get Moscow's zone, and
undecided cases are marked for a new rule check."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.models import Application, CaseWorker, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.regions.factories import region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def the_migration(executor: MigrationExecutor) -> tuple[str, str]:
    (key,) = [key for key in executor.loader.graph.nodes if key[0] == "applications" and key[1].endswith("i14_arrival_local_time")]
    return key


def rerun_the_migration() -> None:
    """Back to just before it (its new columns dropped, the dates kept), then forward to the end."""
    executor = MigrationExecutor(connection)
    migration = the_migration(executor)
    (before,) = [parent for parent in executor.loader.graph.node_map[migration].parents if parent[0] == "applications"]
    executor.migrate([before])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_date_only_arrivals_become_noon_in_the_regions_zone_and_undecided_cases_are_marked_for_a_check():
    pending = ApplicationFactory(
        region=region(25), status=Status.SUBMITTED, planned_arrival_at=dt.datetime(2031, 5, 1, 3, 0, tzinfo=VLADIVOSTOK),
    )
    Application.objects.filter(pk=pending.pk).update(rule_check_at=dt.datetime(2031, 4, 1, tzinfo=dt.UTC))
    decided = ApplicationFactory(region=region(25), status=Status.APPROVED, planned_arrival_date=dt.date(2031, 5, 1))
    Application.objects.filter(pk=decided.pk).update(rule_check_at=dt.datetime(2031, 4, 1, tzinfo=dt.UTC))
    arrived = CaseWorkerFactory(
        application=decided, outcome=WorkerOutcome.APPROVED, pcr_test_zone="Asia/Tashkent",
        arrived_on=dt.date(2031, 5, 2), arrived_at=dt.datetime(2031, 5, 2, 6, 0, tzinfo=VLADIVOSTOK),
    )
    untested = CaseWorkerFactory(application=pending, pcr_test_taken_at=None)

    rerun_the_migration()

    pending.refresh_from_db()
    assert (pending.planned_arrival_at, pending.planned_arrival_date) == (dt.datetime(2031, 5, 1, 12, 0, tzinfo=VLADIVOSTOK), dt.date(2031, 5, 1))
    assert pending.rule_check_at is None  # to be re-checked by manage.py recheck_rule_checks
    decided.refresh_from_db()
    assert decided.rule_check_at is not None
    arrived.refresh_from_db()
    assert (arrived.arrived_at, arrived.arrived_on) == (dt.datetime(2031, 5, 2, 12, 0, tzinfo=VLADIVOSTOK), dt.date(2031, 5, 2))
    assert arrived.pcr_test_zone == "Europe/Moscow"
    assert CaseWorker.objects.get(pk=untested.pk).pcr_test_zone == ""
