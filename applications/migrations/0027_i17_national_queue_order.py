from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0025_i17_document_builds"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status", "draft"), _negated=True),
                fields=["deadline", "submitted_at", "id"],
                name="application_queue_national",
            ),
        ),
    ]
