"""Personal data kept no longer than needed (docs/operations.md, "Personal data retention").

The append-only tables that hold a worker's identity (the decisions' workers, the corrections,
the kept letters) now let through exactly one kind of UPDATE, the retention job's: the row's
`redacted_at` goes from empty to set, the listed columns take their placeholders (or, for the
digest columns, any value), and every other column stays as it was. Anything else, and any
DELETE, is refused as before. The triggers keep their `<table>_append_only` names, so the app
role still gets no table-wide UPDATE or DELETE on them (portal/db_roles.py), only UPDATE of the
columns the redaction writes, read from these triggers' arguments.

The worker's identity lock (migration 0020) lets the same redaction through on a worker of a
decided case. The retention job's own two tables are append-only.
"""

import django.db.models.deletion
import django.utils.timezone
import json

from django.db import migrations, models

# Kept equal to the placeholders of applications/models/retention.py (a test checks).
DECISION_WORKER_PLACEHOLDERS = {
    "surname_latin": "***", "given_names_latin": "", "surname_cyrillic": "", "given_names_cyrillic": "",
    "date_of_birth": "1900-01-01", "passport_number": "~{id}", "passport_expiry": "1900-01-02",
}
# table -> (the columns the redaction may write, the values it must write to those it names).
REDACTABLE = {
    "applications_decisionworker": (
        [*DECISION_WORKER_PLACEHOLDERS, "passport_key", "identity_salt", "identity_sha256", "redacted_at"],
        DECISION_WORKER_PLACEHOLDERS,
    ),
    "applications_casecorrection": (["worker_name", "before", "after", "redacted_at"], {"worker_name": "***", "before": None, "after": None}),
    "applications_decisionletter": (["pdf", "redacted_at"], {"pdf": "\\x"}),
}

FUNCTION = """
CREATE FUNCTION portal_allow_redaction_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    may_change text[] := TG_ARGV[0]::text[];
    placeholders jsonb := TG_ARGV[1]::jsonb;
    new_row jsonb;
    column_name text;
    placeholder text;
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    new_row := to_jsonb(NEW);
    IF OLD.redacted_at IS NOT NULL OR NEW.redacted_at IS NULL OR (to_jsonb(OLD) - may_change) IS DISTINCT FROM (new_row - may_change) THEN
        RAISE EXCEPTION 'history is append-only: on % only the removal of personal data may update a row', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    FOR column_name, placeholder IN SELECT key, value FROM jsonb_each_text(placeholders) LOOP
        IF new_row ->> column_name IS DISTINCT FROM replace(placeholder, '{id}', OLD.id::text) THEN
            RAISE EXCEPTION 'history is append-only: on % personal data may only be replaced by its placeholder (%)', TG_TABLE_NAME, column_name
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;
"""

APPEND_ONLY = (
    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();"
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def redaction_trigger(table: str, may_change: list[str], placeholders: dict) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION portal_allow_redaction_only({_literal('{' + ','.join(may_change) + '}')}, {_literal(json.dumps(placeholders))});"
    )


# Migration 0020's function as it ran, with the redaction let through where the mark stands.
WORKER_IDENTITY_LOCK = """
CREATE OR REPLACE FUNCTION applications_worker_identity_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locking_reference text;
BEGIN
    -- REDACTION --
    SELECT a.reference INTO locking_reference
      FROM applications_applicationworker AS l
      JOIN applications_application AS a ON a.id = l.application_id
     WHERE l.worker_id = OLD.id
       AND a.status IN ('submitted', 'in_review', 'approved', 'partially_approved')
     ORDER BY a.reference
     LIMIT 1;
    IF locking_reference IS NOT NULL THEN
        RAISE EXCEPTION 'The name, birth date, citizenship, passport and company of worker % cannot change while application % is under review or approved.',
            OLD.id, locking_reference
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'worker_identity_locked',
                  HINT = 'A renewed passport is a new registry entry.';
    END IF;
    RETURN NEW;
END;
$$;
"""
# The retention job's redaction of a worker whose cases all closed long ago (it checks that;
# the database checks only that this is a redaction and nothing more).
WORKER_REDACTION = """IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND NEW.surname_latin = '***' AND NEW.given_names_latin = '' AND NEW.passport_number = '~' || OLD.id
       AND NEW.date_of_birth = DATE '1900-01-01' AND NEW.passport_expiry = DATE '1900-01-02'
       AND NEW.citizenship = OLD.citizenship AND NEW.employer_id = OLD.employer_id THEN
        RETURN NEW;
    END IF;"""



class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0033_i18_pending_queue_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='RetentionRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('finished_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='finished at')),
                ('documents_closed_before', models.DateField(verbose_name='documents of cases closed on or before')),
                ('identities_closed_before', models.DateField(verbose_name='workers of cases closed on or before')),
                ('documents_deleted', models.PositiveIntegerField(default=0, verbose_name='documents deleted')),
                ('workers_redacted', models.PositiveIntegerField(default=0, verbose_name='registry workers redacted')),
                ('decision_workers_redacted', models.PositiveIntegerField(default=0, verbose_name='workers of decisions redacted')),
                ('earlier_permits_deleted', models.PositiveIntegerField(default=0, verbose_name='earlier permits deleted')),
                ('corrections_redacted', models.PositiveIntegerField(default=0, verbose_name='corrections redacted')),
                ('letters_removed', models.PositiveIntegerField(default=0, verbose_name='decision letters removed')),
                ('decisions_not_verified', models.PositiveIntegerField(default=0, verbose_name='decisions left as they were (record did not verify)')),
            ],
            options={
                'verbose_name': 'personal data retention run',
                'verbose_name_plural': 'personal data retention runs',
                'ordering': ['-started_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='casecorrection',
            name='redacted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='personal data removed at'),
        ),
        migrations.AddField(
            model_name='decisionletter',
            name='redacted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='removed at'),
        ),
        migrations.AddField(
            model_name='decisionworker',
            name='identity_salt',
            field=models.CharField(blank=True, default='', max_length=36, verbose_name='salt of the identity digest'),
        ),
        migrations.AddField(
            model_name='decisionworker',
            name='identity_sha256',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='SHA-256 of the removed identity'),
        ),
        migrations.AddField(
            model_name='decisionworker',
            name='redacted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='personal data removed at'),
        ),
        migrations.AddField(
            model_name='worker',
            name='redacted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='personal data removed at'),
        ),
        migrations.CreateModel(
            name='DecisionRedaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the redacted record')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='redactions', to='applications.decision', verbose_name='decision')),
            ],
            options={
                'verbose_name': 'redaction of a decision',
                'verbose_name_plural': 'redactions of decisions',
                'ordering': ['decision', 'at', 'pk'],
                'indexes': [models.Index(fields=['decision', '-at', '-id'], name='decision_redaction_latest')],
            },
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS portal_allow_redaction_only();"),
        *[
            migrations.RunSQL(
                f"DROP TRIGGER {table}_append_only ON {table}; " + redaction_trigger(table, may_change, placeholders),
                f"DROP TRIGGER {table}_append_only ON {table}; " + APPEND_ONLY.format(table=table),
            )
            for table, (may_change, placeholders) in REDACTABLE.items()
        ],
        *[
            migrations.RunSQL(APPEND_ONLY.format(table=table), f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            for table in ("applications_retentionrun", "applications_decisionredaction")
        ],
        migrations.RunSQL(WORKER_IDENTITY_LOCK.replace("-- REDACTION --", WORKER_REDACTION), WORKER_IDENTITY_LOCK.replace("-- REDACTION --", "")),
    ]
