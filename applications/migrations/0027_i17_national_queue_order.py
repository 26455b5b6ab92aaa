from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0026_i17_charters"),
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
