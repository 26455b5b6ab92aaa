"""Load the 85 Russian federal subjects of 2021 from regions/data/regions_2021.csv."""

import csv
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions_2021.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    with REGIONS_CSV.open(encoding="utf-8", newline="") as csv_file:
        for row in csv.DictReader(csv_file):
            Region.objects.update_or_create(
                number=int(row["number"]),
                defaults={
                    "iso_code": row["iso_code"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "federal_district": row["federal_district"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        # Reverse is a no-op: applications and other tables reference regions, so they are not deleted.
        migrations.RunPython(load_regions, migrations.RunPython.noop),
    ]
