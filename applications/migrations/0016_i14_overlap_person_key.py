"""A person's key: `Worker.passport_key`, the passport number in NFKC, upper case, without spaces
or dashes, computed by PostgreSQL as a stored generated column (so the rows already there get
theirs when the column is added: no separate data step is needed, and no writer can skip it); an
index on (citizenship, key) to find a person in every company; and the registry's "one passport
per citizenship" moved from the number as typed to the key.

Before that constraint, the registries are checked for one person entered twice under two
spellings ("AA 123-4567" and "AA1234567"): the migration then stops and names them, because
which entry to keep (both may be on cases) is the company's decision, not the migration's.
"""

import applications.models.worker
from django.db import migrations, models
from django.contrib.postgres.aggregates import StringAgg


def refuse_people_entered_twice(apps, schema_editor):
    Worker = apps.get_model("applications", "Worker")
    twice = (
        Worker.objects.values("employer_id", "citizenship", "passport_key")
        .annotate(entries=models.Count("pk"), numbers=StringAgg("passport_number", ", "))
        .filter(entries__gt=1)
        .order_by("employer_id", "citizenship", "passport_key")
    )
    found = [f"employer {row['employer_id']}, {row['citizenship']}: {row['numbers']}" for row in twice[:50]]
    if found:
        raise RuntimeError(
            "These registries hold one person twice under different spellings of the passport number; merge or "
            "delete one entry of each, then migrate again: " + "; ".join(found)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0015_i14_override_decision_overrides'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='worker',
            name='worker_passport_unique_per_employer',
        ),
        migrations.AddField(
            model_name='worker',
            name='passport_key',
            field=models.GeneratedField(db_persist=True, expression=applications.models.worker.PassportKey('passport_number'), output_field=models.TextField(), verbose_name='passport number (normalised)'),
        ),
        migrations.AddIndex(
            model_name='worker',
            index=models.Index(fields=['citizenship', 'passport_key'], name='worker_person'),
        ),
        migrations.RunPython(refuse_people_entered_twice, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='worker',
            constraint=models.UniqueConstraint(
                fields=('employer', 'citizenship', 'passport_key'), name='worker_passport_unique_per_employer',
                violation_error_message='A worker with this passport number and citizenship is already in your registry.',
            ),
        ),
    ]
