"""Decisions frozen with what they rest on (applications/decision_record.py): the decision's
snapshot columns, one row per worker of a decision, and the letter as built. The two new tables
are append-only like the decision itself (the trigger function of migration 0002)."""

import applications.models.worker
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0017_i14_arrival_local_time'),
        ('regions', '0007_i14_checkpoints_checkpoint'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('accounts', '0003_i15_officer_position'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=5, verbose_name='language')),
                ('pdf', models.BinaryField(verbose_name='PDF')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the PDF')),
                ('built_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='built at')),
            ],
            options={
                'verbose_name': 'decision letter',
                'verbose_name_plural': 'decision letters',
            },
        ),
        migrations.CreateModel(
            name='DecisionWorker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(verbose_name='number on the letter')),
                ('surname_latin', models.CharField(max_length=100, verbose_name='surname (Latin, as in the passport)')),
                ('given_names_latin', models.CharField(max_length=150, verbose_name='given names (Latin, as in the passport)')),
                ('surname_cyrillic', models.CharField(blank=True, max_length=100, verbose_name='surname (Cyrillic)')),
                ('given_names_cyrillic', models.CharField(blank=True, max_length=150, verbose_name='given names (Cyrillic)')),
                ('date_of_birth', models.DateField(verbose_name='date of birth')),
                ('citizenship', models.CharField(max_length=2, verbose_name='citizenship')),
                ('passport_number', models.CharField(max_length=20, verbose_name='passport number')),
                ('passport_expiry', models.DateField(verbose_name='passport valid until')),
                ('passport_key', models.GeneratedField(db_persist=True, expression=applications.models.worker.PassportKey('passport_number'), output_field=models.TextField())),
                ('outcome', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('refused', 'Refused')], max_length=10, verbose_name='outcome')),
                ('refusal_reason', models.CharField(blank=True, choices=[('citizenship', 'Citizenship not accepted by the region'), ('pcr_test', 'PCR test missing or too old'), ('passport', 'Passport invalid or expiring'), ('quota', 'Monthly quota reached'), ('documents', 'Documents missing or inconsistent'), ('other', 'Other')], max_length=20, verbose_name='refusal reason')),
                ('refusal_note', models.CharField(blank=True, max_length=500, verbose_name='refusal note')),
                ('override_note', models.TextField(blank=True, verbose_name='justification of an approval against a failing check')),
            ],
            options={
                'verbose_name': 'worker of a decision',
                'verbose_name_plural': 'workers of decisions',
                'ordering': ['decision', 'position'],
            },
        ),
        migrations.AddField(
            model_name='decision',
            name='case_override_note',
            field=models.TextField(blank=True, verbose_name='justification of an approval against a failure of the whole application'),
        ),
        migrations.AddField(
            model_name='decision',
            name='case_particulars',
            field=models.JSONField(default=dict, verbose_name='the application as decided'),
        ),
        migrations.AddField(
            model_name='decision',
            name='company_address',
            field=models.CharField(blank=True, max_length=500, verbose_name='legal address'),
        ),
        migrations.AddField(
            model_name='decision',
            name='company_inn',
            field=models.CharField(blank=True, max_length=12, verbose_name='INN'),
        ),
        migrations.AddField(
            model_name='decision',
            name='company_name',
            field=models.CharField(blank=True, max_length=300, verbose_name='company'),
        ),
        migrations.AddField(
            model_name='decision',
            name='company_ogrn',
            field=models.CharField(blank=True, max_length=15, verbose_name='OGRN / OGRNIP'),
        ),
        migrations.AddField(
            model_name='decision',
            name='legal_basis',
            field=models.TextField(blank=True, verbose_name='legal basis, as printed on the letter'),
        ),
        migrations.AddField(
            model_name='decision',
            name='letter_language',
            field=models.CharField(blank=True, max_length=5, verbose_name='language of the letter'),
        ),
        migrations.AddField(
            model_name='decision',
            name='officer_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='officer'),
        ),
        migrations.AddField(
            model_name='decision',
            name='officer_position',
            field=models.CharField(blank=True, max_length=200, verbose_name="officer's position"),
        ),
        migrations.AddField(
            model_name='decision',
            name='record_sha256',
            field=models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the decision record'),
        ),
        migrations.AddField(
            model_name='decision',
            name='rule_set_content',
            field=models.JSONField(blank=True, null=True, verbose_name='rules applied, as they stood'),
        ),
        migrations.AddField(
            model_name='decision',
            name='rule_set_sha256',
            field=models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the rules applied'),
        ),
        migrations.AddField(
            model_name='decision',
            name='verification_code',
            field=models.CharField(blank=True, max_length=19, verbose_name='verification code'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='decided_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided at'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(condition=models.Q(('verification_code', ''), _negated=True), fields=('verification_code',), name='decision_verification_code_unique'),
        ),
        migrations.AddField(
            model_name='decisionletter',
            name='decision',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='letter', to='applications.decision', verbose_name='decision'),
        ),
        migrations.AddField(
            model_name='decisionworker',
            name='decision',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='workers', to='applications.decision', verbose_name='decision'),
        ),
        migrations.AddField(
            model_name='decisionworker',
            name='line',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='decided', to='applications.applicationworker', verbose_name='worker on the application'),
        ),
        migrations.AddConstraint(
            model_name='decisionworker',
            constraint=models.UniqueConstraint(fields=('decision', 'position'), name='decision_worker_position_unique'),
        ),
        migrations.AddConstraint(
            model_name='decisionworker',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['approved', 'refused'])), name='decision_worker_decided_outcome'),
        ),
        *[
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();",
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        )
        for table in ("applications_decisionworker", "applications_decisionletter")
    ],
    ]
