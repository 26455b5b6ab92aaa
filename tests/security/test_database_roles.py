"""Least privilege in the database (portal/db_roles.py, docs/security.md "Database roles"): the
portal serves as an ordinary role that owns nothing and may only add to the history and the
decisions. The proofs open a real connection as that role to the test database; a refused change
is a page that says so, never a server error.

The test database is created and migrated by the owner, as in production; its migrate granted
the app role's rights (post_migrate). With DATABASE_URL alone (one role for both, as in a quick
run on a local server) there is no app role configured, and the tests set one up with the same
function the migration would have called."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Decision, DecisionWorker, Status, StatusChange
from portal import db_roles
from regions.models import RuleSet
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, decide

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FALLBACK_APP_ROLE = "portal_app"

# The append-only tables of today; a new one is covered by its trigger's name alone.
KNOWN_APPEND_ONLY = {
    "applications_statuschange",
    "applications_decision",
    "applications_decisionworker",
    "applications_decisionoverride",
    "applications_decisionletter",
    "applications_employerfigures",
    "applications_employerevent",
    "applications_casecorrection",
    "applications_decisionredaction",
    "applications_retentionrun",
}


@pytest.fixture
def app_role(db) -> str:
    # The rights as the migration grants them, again: a transactional test's flush before this one
    # may have left the column grants of the redaction out (seen on the embedded server).
    role = settings.PORTAL_APP_DB_ROLE or FALLBACK_APP_ROLE
    db_roles.set_up_app_role(role=role, password=settings.PORTAL_APP_DB_PASSWORD or "")
    return role


@pytest.fixture
def as_app_role(app_role):
    """A real connection to the test database as the app role, one statement a transaction."""
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or None, port=params["PORT"] or None, dbname=params["NAME"], user=app_role,
        password=settings.PORTAL_APP_DB_PASSWORD or None, autocommit=True,
    ) as app:
        yield app


def append_only_tables() -> list[str]:
    with connection.cursor() as cursor:
        return db_roles.append_only_tables(cursor)


def a_case(*, employer, status, officer=None):
    case = ApplicationFactory(
        employer=employer, status=status, assigned_officer=officer, deadline=timezone.localdate() + dt.timedelta(days=10)
    )
    CaseWorkerFactory(application=case)
    return case


@pytest.fixture
def approved(employer, officer, moscow_rules, threshold):
    case = a_case(employer=employer, status=Status.IN_REVIEW, officer=officer)
    services.application_approve(application=case, user=officer)
    return Decision.objects.get(application=case)


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in append_only_tables():
            cursor.execute(f"SELECT count(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
        return result


def test_the_app_role_is_an_ordinary_role_that_owns_nothing(as_app_role, app_role):
    role = as_app_role.execute(
        "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles"
        " WHERE rolname = current_user"
    ).fetchone()
    assert role == (app_role, False, False, False, False, False)
    owned = as_app_role.execute(
        "SELECT relname FROM pg_class WHERE relowner = current_user::regrole"
        " UNION ALL SELECT nspname FROM pg_namespace WHERE nspowner = current_user::regrole"
    ).fetchall()
    assert owned == []
    assert as_app_role.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone() == (False,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app_role.execute("CREATE TABLE app_role_was_here (id int)")


def test_the_append_only_tables_are_read_from_their_triggers():
    assert KNOWN_APPEND_ONLY <= set(append_only_tables())
    assert "applications_application" not in append_only_tables()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_adds_to_the_history_but_cannot_rewrite_or_empty_it_nor_the_decisions(approved, as_app_role):
    history = StatusChange._meta.db_table
    columns = ", ".join(field.column for field in StatusChange._meta.concrete_fields if not field.primary_key)
    changes = StatusChange.objects.filter(application=approved.application)
    written = changes.count()

    as_app_role.execute(f"INSERT INTO {history} ({columns}) SELECT {columns} FROM {history} WHERE id = %s", [changes.latest("pk").pk])
    assert changes.count() == written + 1

    before = counts()
    decision_row = Decision.objects.filter(pk=approved.pk).values().get()
    refused = []
    for table in append_only_tables():
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                as_app_role.execute(statement)
            refused.append(statement)
    assert f"UPDATE {history} SET id = id" in refused and f"DELETE FROM {Decision._meta.db_table}" in refused
    assert counts() == before
    assert Decision.objects.filter(pk=approved.pk).values().get() == decision_row
    assert DecisionWorker.objects.filter(decision=approved).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_may_change_an_ordinary_table(approved, as_app_role):
    # The rights are not simply "read-only": the cases, say, change all the time.
    cases = Application.objects.filter(pk=approved.application_id)
    version = cases.get().version
    as_app_role.execute("UPDATE applications_application SET version = version + 1 WHERE id = %s", [approved.application_id])
    assert cases.get().version == version + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_can_neither_update_nor_delete_a_rule_version_a_decision_cites(employer, officer, moscow_rules, as_app_role):
    case = a_case(employer=employer, status=Status.APPROVED, officer=officer)
    case.submitted_at = timezone.now() - dt.timedelta(days=1)
    case.save(update_fields=["submitted_at"])
    decision = decide(case, user=officer, rule_set=moscow_rules)
    assert decision.rule_set_id == moscow_rules.pk
    before = RuleSet.objects.filter(pk=moscow_rules.pk).values().get()

    for statement in ("UPDATE regions_ruleset SET isolation_days = isolation_days + 1 WHERE id = %s", "DELETE FROM regions_ruleset WHERE id = %s"):
        with pytest.raises(psycopg.DatabaseError):
            as_app_role.execute(statement, [moscow_rules.pk])
    assert RuleSet.objects.filter(pk=moscow_rules.pk).values().get() == before


# The portal at work as the app role: the test's own transaction switches to that role (SET LOCAL
# ROLE), so a request runs with exactly the app's rights.


@pytest.fixture
def acting_as_app_role(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role,)
    yield app_role


def approve_url(case):
    return reverse("applications:review-approve", kwargs={"pk": case.pk})


def test_an_officer_approves_a_case_with_the_app_roles_rights(officer_client, employer, officer, moscow_rules, threshold, acting_as_app_role):
    case = a_case(employer=employer, status=Status.IN_REVIEW, officer=officer)

    response = officer_client.post(approve_url(case), {"version": case.version, "rule_check_confirmed": "on"}, follow=True)

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert Decision.objects.filter(application=case).exists()


@pytest.mark.parametrize("role", ["app", "owner"])
def test_a_change_the_database_refuses_is_a_clear_page_never_a_server_error(
    request, role, officer_client, employer, officer, moscow_rules, threshold, monkeypatch, caplog
):
    # As the app role the right is missing; as the owner the append-only trigger refuses.
    case = a_case(employer=employer, status=Status.IN_REVIEW, officer=officer)
    StatusChange.objects.create(
        application=case, from_status=Status.SUBMITTED, to_status=Status.IN_REVIEW, transition="take_into_review", actor=officer
    )
    if role == "app":
        request.getfixturevalue("acting_as_app_role")

    @transaction.atomic  # as every service is
    def rewriting_approve(*, application, **kwargs):
        StatusChange.objects.filter(application=application).update(message="rewritten")

    monkeypatch.setattr(services, "application_approve", rewriting_approve)
    officer_client.raise_request_exception = True  # a 500 would raise here

    response = officer_client.post(approve_url(case), {"version": case.version, "rule_check_confirmed": "on"})

    assert response.status_code == 409
    assert "This record cannot be changed" in response.content.decode()
    assert not StatusChange.objects.filter(application=case, message="rewritten").exists()
    assert "refused_change" in caplog.text


def test_the_portal_serves_as_the_app_role_and_migrates_as_the_owner():
    environment = {key: value for key, value in os.environ.items() if key not in {"PORTAL_DB_ROLE", "PYTEST_VERSION"}}
    environment.update(
        DATABASE_URL="postgres://portal_app:app-secret@db.example/portal",
        DATABASE_OWNER_URL="postgres://portal_owner:owner-secret@db.example/portal",
    )

    def user_of(**extra):
        result = subprocess.run(
            [sys.executable, "-c", "from portal import settings as s; print(s.DATABASES['default']['USER'], s.PORTAL_APP_DB_ROLE)"],
            cwd=ROOT, env={**environment, **extra}, capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert user_of() == ["portal_app", "portal_app"]
    assert user_of(PORTAL_DB_ROLE="owner") == ["portal_owner", "portal_app"]
    other_database = subprocess.run(
        [sys.executable, "-c", "import portal.settings"], cwd=ROOT, capture_output=True, text=True,
        env={**environment, "DATABASE_OWNER_URL": "postgres://portal_owner@db.example/elsewhere"},
    )
    assert "must name the same database" in other_database.stderr


def test_the_deploy_guide_lists_the_grants_the_migration_runs_and_its_append_only_tables(app_role):
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    listed = guide.split("REVOKE UPDATE, DELETE ON ")[1].split(" FROM portal_app;")[0]
    assert sorted(table.strip() for table in listed.split(",")) == append_only_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        redactable = db_roles.redactable_columns(cursor)
    statements = db_roles.grant_statements(
        role="portal_app", schema=schema, append_only=[], quote=lambda name: name, redactable=redactable
    )
    assert len(redactable) == 3
    for statement in statements:
        assert f"{statement};" in guide


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_may_remove_personal_data_once_due_and_nothing_more(approved, app_role, as_app_role):
    """The daily retention job runs as the app role: it may write the redaction's columns of the
    decisions' workers, and no other column of theirs."""
    from applications.services.retention import redact_personal_data

    decided = DecisionWorker.objects.get(decision=approved)
    assert as_app_role.execute(
        "SELECT has_column_privilege('applications_decisionworker', 'surname_latin', 'UPDATE'),"
        " has_column_privilege('applications_decisionworker', 'outcome', 'UPDATE'),"
        " has_table_privilege('applications_decisionworker', 'DELETE')"
    ).fetchone() == (True, False, False)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app_role.execute("UPDATE applications_decisionworker SET outcome = 'refused' WHERE id = %s", [decided.pk])

    far_ahead = timezone.localdate() + dt.timedelta(days=settings.PERSONAL_DATA_IDENTITY_DAYS + 400)
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(app_role)}")
        except Exception:  # an owner that may not act as the app role: the column rights above stand
            pytest.skip("the test's database user may not SET ROLE to the app role")
        try:
            run = redact_personal_data(today=far_ahead)
        finally:
            cursor.execute("RESET ROLE")
    assert (run.workers_redacted, run.decision_workers_redacted) == (1, 1)
    decided.refresh_from_db()
    assert decided.redacted_at is not None and decided.outcome == "approved"
