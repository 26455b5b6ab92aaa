"""Invitations expire and can be revoked (issue 16, item 4). An invitation sent before this
migration expires a week after it was sent, as a new one does."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import applications.models.employer


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0023_i16_worker_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="employerinvitation", name="invitation_one_open_per_email"),
        migrations.AddField(
            model_name="employerinvitation",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunSQL(
            "UPDATE applications_employerinvitation SET expires_at = created_at + interval '7 days'",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="employerinvitation",
            name="expires_at",
            field=models.DateTimeField(default=applications.models.employer.invitation_expiry, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="employerinvitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AddField(
            model_name="employerinvitation",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="revoked by",
            ),
        ),
        migrations.AddConstraint(
            model_name="employerinvitation",
            constraint=models.UniqueConstraint(
                models.F("employer"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("accepted_at__isnull", True), ("revoked_at__isnull", True)),
                name="invitation_one_open_per_email",
            ),
        ),
        migrations.AddConstraint(
            model_name="employerinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("accepted_at__isnull", True), ("revoked_at__isnull", True), _connector="OR"),
                name="invitation_accepted_or_revoked",
            ),
        ),
    ]
