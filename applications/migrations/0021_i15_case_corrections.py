"""The corrections an employer makes while the authority asks for information (issue 15, point 7):
one row per change, for the officer to read with the answer.

Append-only like the status history: the trigger function of migration 0002 refuses an UPDATE or
DELETE, whether from a view, the admin or a shell."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "applications_casecorrection"


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0020_i15_worker_identity_lock"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseCorrection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                (
                    "what",
                    models.CharField(
                        choices=[
                            ("case_field", "Detail of the application changed"),
                            ("worker_field", "Worker's data changed"),
                            ("worker_added", "Worker added"),
                            ("worker_removed", "Worker removed"),
                            ("document_added", "Document added"),
                            ("document_removed", "Document removed"),
                            ("permit_declared", "Earlier permit declared"),
                            ("permit_scan_added", "Scan of an earlier permit added"),
                        ],
                        max_length=20,
                        verbose_name="what",
                    ),
                ),
                ("worker_name", models.CharField(blank=True, max_length=300, verbose_name="worker")),
                ("field", models.CharField(blank=True, max_length=60, verbose_name="field")),
                ("before", models.JSONField(blank=True, null=True, verbose_name="before")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="after")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="applications.application",
                        verbose_name="application",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="applications.worker",
                        verbose_name="worker",
                    ),
                ),
            ],
            options={
                "verbose_name": "correction during a request for information",
                "verbose_name_plural": "corrections during requests for information",
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["application", "at"], name="case_correction_timeline")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("what__in", ["case_field", "worker_field"]), _negated=True),
                            models.Q(("field", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="case_correction_field_named",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("what", "worker_field"), _negated=True), ("worker__isnull", False), _connector="OR"
                        ),
                        name="case_correction_worker_field_names_worker",
                    ),
                ],
            },
        ),
        migrations.RunSQL(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();",
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
        ),
    ]
