"""Each region's IANA time zone, from the `time_zone` column of regions/data/regions_2021.csv."""

import csv
from pathlib import Path

from django.db import migrations, models

import regions.models

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions_2021.csv"


def load_time_zones(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    with REGIONS_CSV.open(encoding="utf-8", newline="") as csv_file:
        for row in csv.DictReader(csv_file):
            Region.objects.filter(number=int(row["number"])).update(time_zone=row["time_zone"])


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_regions"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="time_zone",
            field=models.CharField(default="Europe/Moscow", max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(load_time_zones, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="region",
            name="time_zone",
            field=models.CharField(
                help_text="IANA name, e.g. Asia/Vladivostok.", max_length=40,
                validators=[regions.models.validate_time_zone], verbose_name="time zone",
            ),
        ),
    ]
