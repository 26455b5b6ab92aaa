"""Freezes the decisions made before decisions were frozen.

Their snapshot is built from the rows AS THEY STAND when this migration runs: the company's,
the workers' and the officer's current data, the rule version the decision cites and the checks it
kept (text in the language of the moment of the decision, shown as such). A correction made
between such a decision and this migration is therefore in its record; nothing made afterwards
is. docs/design.md, "What a decision keeps", says the same to readers of old letters.

The decision table is append-only, so its trigger is switched off for this one update, in this
migration's transaction, as the owner role.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation


def freeze_existing(apps, schema_editor):
    from applications import decision_record
    from regions.legal_basis import format_legal_basis

    Decision = apps.get_model("applications", "Decision")
    DecisionWorker = apps.get_model("applications", "DecisionWorker")
    DecisionOverride = apps.get_model("applications", "DecisionOverride")
    ApplicationWorker = apps.get_model("applications", "ApplicationWorker")

    pending = Decision.objects.filter(record_sha256="").select_related(
        "application__employer", "application__region", "application__checkpoint__region", "application__border_region",
        "rule_set", "decided_by",
    )
    if not pending.exists():
        return
    # Deferred foreign-key checks of rows written earlier in the transaction run now: a table
    # with pending checks cannot be altered.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("ALTER TABLE applications_decision DISABLE TRIGGER applications_decision_append_only")
    for decision in pending.iterator(chunk_size=200):
        application = decision.application
        language = application.employer.language or settings.LANGUAGE_CODE
        with translation.override(language):
            legal_basis = format_legal_basis(decision.rule_set) if decision.rule_set is not None else ""
        for name, value in decision_record.snapshot_fields(
            application=application, rule_set=decision.rule_set, user=decision.decided_by,
            letter_language=language, legal_basis=legal_basis,
        ).items():
            setattr(decision, name, value)
        notes = dict(DecisionOverride.objects.filter(decision=decision).values_list("line_id", "justification"))
        decision.case_override_note = notes.pop(None, "")
        lines = ApplicationWorker.objects.filter(application=application).select_related("worker").order_by(
            "worker__surname_latin", "worker__given_names_latin", "pk"
        )
        workers = decision_record.worker_rows(DecisionWorker, lines, notes)
        for worker in workers:
            worker.decision = decision
        decision_record.seal(decision, workers)
        decision.save()
        DecisionWorker.objects.bulk_create(workers, batch_size=1000)
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("ALTER TABLE applications_decision ENABLE TRIGGER applications_decision_append_only")


class Migration(migrations.Migration):
    dependencies = [("applications", "0018_i15_decision_snapshot")]

    operations = [migrations.RunPython(freeze_existing, migrations.RunPython.noop, elidable=False)]
