"""Decisions made before decisions were frozen get their record from the rows as they stand when
migration 0019 runs; every decision of the demo data matches its stored digest."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection

from applications.decision_record import stored_record_matches
from applications.models import Decision, DecisionOverride, RefusalReason, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.seed import run_seed
from tests.portal.factories import OfficerFactory

pytestmark = pytest.mark.django_db

freeze_migration = importlib.import_module("applications.migrations.0019_i15_freeze_existing_decisions")


class _AppsAfterRename:
    """The live models under the names migration 0019 asks for: ApplicationWorker is CaseWorker
    since migration 0036 (the rows it reads are the same)."""

    def get_model(self, app_label: str, name: str):
        return apps.get_model(app_label, {"ApplicationWorker": "CaseWorker"}.get(name, name))


APPS_AFTER_RENAME = _AppsAfterRename()


def test_an_old_decision_is_frozen_from_its_rows_as_they_stand(employer, moscow, moscow_rules):
    officer = OfficerFactory(full_name="Petrov P. P.", position="Inspector", regions=[moscow])
    case = ApplicationFactory(employer=employer, status=Status.PARTIALLY_APPROVED, planned_arrival_date=dt.date(2031, 5, 3))
    kept = CaseWorkerFactory(
        application=case, outcome=WorkerOutcome.APPROVED,
        worker=WorkerFactory(employer=employer, surname_latin="ALIEV", passport_number="AB7654321"),
    )
    CaseWorkerFactory(
        application=case, outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.QUOTA,
        worker=WorkerFactory(employer=employer, surname_latin="BOBOEV"),
    )
    # As the approval wrote it before decisions were frozen: the outcome, the rules, the checks.
    old = Decision.objects.create(
        application=case, outcome=Status.PARTIALLY_APPROVED, rule_set=moscow_rules, decided_by=officer,
        checks=[{"code": "quota.month", "passed": False, "blocking": True, "message": "Квота исчерпана.", "line_id": None}],
    )
    DecisionOverride.objects.create(
        decision=old, line=kept, worker_name="ALIEV A.", failed_checks=[], justification="The ministry asked for this worker by name.",
    )

    with connection.schema_editor() as schema_editor:
        freeze_migration.freeze_existing(APPS_AFTER_RENAME, schema_editor)

    frozen = Decision.objects.get(pk=old.pk)
    assert stored_record_matches(frozen)
    assert (frozen.company_name, frozen.company_inn, frozen.officer_name, frozen.officer_position) == (
        employer.name, employer.inn, "Petrov P. P.", "Inspector",
    )
    assert frozen.rule_set_content["id"] == moscow_rules.pk
    assert frozen.checks[0]["message"] == "Квота исчерпана."  # kept as it was stored
    aliev, boboev = frozen.workers.order_by("position")
    assert (aliev.surname_latin, aliev.passport_number, aliev.outcome) == ("ALIEV", "AB7654321", WorkerOutcome.APPROVED)
    assert aliev.override_note == "The ministry asked for this worker by name."
    assert (boboev.outcome, boboev.refusal_reason) == (WorkerOutcome.REFUSED, RefusalReason.QUOTA)
    assert frozen.case_particulars["reference"] == case.reference


def test_running_the_migration_again_changes_no_frozen_decision(employer, moscow, moscow_rules):
    case = ApplicationFactory(employer=employer, status=Status.REJECTED)
    CaseWorkerFactory(application=case, outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.OTHER)
    old = Decision.objects.create(application=case, outcome=Status.REJECTED, decided_by=OfficerFactory(regions=[moscow]))
    with connection.schema_editor() as schema_editor:
        freeze_migration.freeze_existing(APPS_AFTER_RENAME, schema_editor)
    digest = Decision.objects.get(pk=old.pk).record_sha256

    with connection.schema_editor() as schema_editor:
        freeze_migration.freeze_existing(APPS_AFTER_RENAME, schema_editor)

    assert Decision.objects.get(pk=old.pk).record_sha256 == digest
    assert Decision.objects.get(pk=old.pk).workers.count() == 1


def test_every_decision_of_the_demo_data_matches_its_stored_digest(settings):
    run_seed(settings)

    decisions = list(Decision.objects.all())
    assert decisions, "the demo has decided cases"
    assert all(decision.record_sha256 and stored_record_matches(decision) for decision in decisions)
    assert len({decision.verification_code for decision in decisions}) == len(decisions)
