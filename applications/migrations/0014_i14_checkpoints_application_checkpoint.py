"""A case names its border crossing point from the reference list (regions.Checkpoint), or an
"other" crossing in words with its region.

Existing free text that names exactly one checkpoint (in Russian or English, whatever the case,
"ё" or "е", with or without words such as "airport" or "МАПП", or by an airport's IATA code in
brackets) becomes that checkpoint. Anything else stays as an "other" crossing, in the region of
the case: the region of work is the best guess there is, and the officer sees the text as it was.
Texts that fit a road and a rail crossing of one town alike ("Zabaikalsk") are not guessed.
The matching runs once per distinct text, and each text is one UPDATE, so a large table
migrates in a few statements.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from regions.checkpoints import checkpoint_keys, match_checkpoint


def free_text_to_checkpoints(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Checkpoint = apps.get_model("regions", "Checkpoint")
    checkpoints = {checkpoint.code: checkpoint for checkpoint in Checkpoint.objects.all()}
    index = checkpoint_keys(Checkpoint.objects.values("code", "kind", "name_ru", "name_en"))
    texts = Application.objects.filter(checkpoint__isnull=True).values_list("border_crossing_point", flat=True).distinct()
    for text in list(texts):
        code = match_checkpoint(text, index)
        if code is not None:
            Application.objects.filter(checkpoint__isnull=True, border_crossing_point=text).update(
                checkpoint=checkpoints[code], border_crossing_point="", border_region=None
            )
    others = Application.objects.filter(checkpoint__isnull=True)
    # The form always asked for a crossing, but the database did not insist: an empty one says so.
    others.filter(border_crossing_point="").update(border_crossing_point="—")
    others.filter(border_region__isnull=True).update(border_region=models.F("region"))


def checkpoints_to_free_text(apps, schema_editor):
    """Back to one text column: a checkpoint becomes its Russian name, as the portal's users wrote."""
    Application = apps.get_model("applications", "Application")
    Checkpoint = apps.get_model("regions", "Checkpoint")
    for checkpoint in Checkpoint.objects.filter(applications__isnull=False).distinct():
        Application.objects.filter(checkpoint=checkpoint).update(border_crossing_point=checkpoint.name_ru[:200])


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0013_i14_company_kind_constraint'),
        ('regions', '0007_i14_checkpoints_checkpoint'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='border_region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='region of the other crossing'),
        ),
        migrations.AddField(
            model_name='application',
            name='checkpoint',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='regions.checkpoint', verbose_name='border crossing point'),
        ),
        migrations.AlterField(
            model_name='application',
            name='border_crossing_point',
            field=models.CharField(blank=True, max_length=200, verbose_name='other border crossing point'),
        ),
        migrations.RunPython(free_text_to_checkpoints, checkpoints_to_free_text),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('border_crossing_point', ''), ('border_region__isnull', True), ('checkpoint__isnull', False)), models.Q(('border_crossing_point__gt', ''), ('border_region__isnull', False), ('checkpoint__isnull', True)), _connector='OR'), name='application_one_crossing_point', violation_error_message='Choose the border crossing point from the list, or name another crossing and its region.'),
        ),
    ]
