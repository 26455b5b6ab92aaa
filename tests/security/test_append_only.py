"""The history and the decisions are append-only in the database itself: what the services'
tests (tests/applications/test_transitions.py) do not already try, a shell would: deleting a
decision, and rewriting either table with plain SQL."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from applications import services
from applications.models import Decision, DecisionWorker, Status, StatusChange
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(employer, officer, moscow_rules, threshold):
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    CaseWorkerFactory(application=case)
    return services.application_approve(application=case, user=officer)


def test_a_decision_cannot_be_deleted(decided):
    # The ORM refuses first (its workers protect it); the database's trigger refuses raw SQL below.
    with pytest.raises(ProtectedError), transaction.atomic():
        Decision.objects.filter(application=decided).delete()
    assert Decision.objects.filter(application=decided).exists()


@pytest.mark.parametrize("table", [StatusChange._meta.db_table, Decision._meta.db_table, DecisionWorker._meta.db_table])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_plain_sql_cannot_rewrite_the_history_or_the_decisions(decided, table, statement):
    rows_before = StatusChange.objects.count(), Decision.objects.count()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))
    assert (StatusChange.objects.count(), Decision.objects.count()) == rows_before
