"""Migration 0036 renames ApplicationWorker to CaseWorker: the workers already on cases stay on
them, and the database's own bookkeeping of a case's citizenships (functions that named the old
table) keeps working on the renamed table."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.models import CaseCitizenships, CaseWorker
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate_to(target: tuple[str, str] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


def rename_migration() -> tuple[str, str]:
    (key,) = [
        key
        for key in MigrationExecutor(connection).loader.graph.nodes
        if key[0] == "applications" and key[1].endswith("_i19_caseworker")
    ]
    return key


def test_workers_on_cases_survive_the_rename_and_a_new_workers_citizenship_still_reaches_the_queue_filter():
    case = ApplicationFactory()
    on_case = CaseWorkerFactory(application=case, worker=WorkerFactory(employer=case.employer, citizenship="UZ"))
    (before,) = [
        p for p in MigrationExecutor(connection).loader.graph.node_map[rename_migration()].parents if p[0] == "applications"
    ]

    migrate_to(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, worker_id FROM applications_applicationworker WHERE application_id = %s", [case.pk])
        assert cursor.fetchall() == [(on_case.pk, on_case.worker_id)]
    migrate_to(None)

    assert list(CaseWorker.objects.filter(application=case).values_list("pk", "worker_id")) == [(on_case.pk, on_case.worker_id)]
    CaseWorkerFactory(application=case, worker=WorkerFactory(employer=case.employer, citizenship="TJ"))
    assert CaseCitizenships.objects.get(application=case).codes == ["TJ", "UZ"]
