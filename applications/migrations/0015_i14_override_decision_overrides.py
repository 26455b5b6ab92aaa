"""Approvals against a failing check: one row per worker (or for the whole case) an officer approved
despite a blocking failure of the rule check, with the failing checks and the justification.

Append-only like the decision it belongs to: the same trigger function as migration 0002 refuses
an UPDATE or DELETE, whether from a view, the admin or a shell."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

TABLE = "applications_decisionoverride"


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0014_i14_checkpoints_application_checkpoint'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worker_name', models.CharField(blank=True, max_length=300, verbose_name='worker')),
                ('failed_checks', models.JSONField(default=list, verbose_name='failing checks overridden')),
                ('justification', models.TextField(verbose_name='justification')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='overrides', to='applications.decision', verbose_name='decision')),
                ('line', models.ForeignKey(blank=True, help_text='Empty: the override is of a check of the whole application.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='overrides', to='applications.applicationworker', verbose_name='worker on the application')),
            ],
            options={
                'verbose_name': 'approval against a failing check',
                'verbose_name_plural': 'approvals against a failing check',
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(fields=('decision', 'line'), name='decision_override_once_per_worker', nulls_distinct=False), models.CheckConstraint(condition=models.Q(django.db.models.lookups.GreaterThanOrEqual(django.db.models.functions.text.Length(django.db.models.functions.text.Trim('justification')), 20), ('justification__regex', '\\S\\s+\\S')), name='decision_override_justified')],
            },
        ),
        migrations.RunSQL(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();",
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
        ),
    ]
