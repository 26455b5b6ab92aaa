from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking the cases against writes (docs/operations.md).
    atomic = False

    dependencies = [
        ("applications", "0032_i18_draft_deleted"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status__in", ["submitted", "in_review"])),
                fields=["region", "deadline", "submitted_at", "id"],
                name="application_queue_awaiting",
            ),
        ),
        AddIndexConcurrently(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status__in", ["submitted", "in_review"])),
                fields=["deadline", "submitted_at", "id"],
                name="application_queue_awaiting_all",
            ),
        ),
    ]
