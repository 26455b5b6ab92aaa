"""The database checks the shape of a rule version's codes: each listed citizenship is two capital
letters (ISO 3166-1 alpha-2), each closed activity an OKVED group written with dots ("47",
"47.7", "41.20", "01.11.11"). RuleSet.clean() repeats them with a message next to the field and
also knows which countries exist; the database can hold only the shape.

Existing versions were entered through the admin's form, which cleaned the codes as the model does
now. A version written some other way gets the same cleaning first (spaces trimmed, capitals,
repeats and empty entries dropped), which changes no code's meaning. A code that is still not of
its shape is not guessed at: the migration stops and lists those versions, for an admin to
correct, and changes nothing until then.

The regular expressions are written out here so the migration stays as it ran.
"""

import re

from django.db import migrations
from django.db.models import TextField, Value
from django.db.models.constraints import CheckConstraint
from django.db.models.functions import Cast
from django.db.models.lookups import Regex

COUNTRIES = r"^\{([A-Z]{2}(,[A-Z]{2})*)?\}$"
OKVED = r"^\{([0-9]{2}(\.[0-9]{1,2}){0,2}(,[0-9]{2}(\.[0-9]{1,2}){0,2})*)?\}$"
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
OKVED_CODE = re.compile(r"[0-9]{2}(\.[0-9]{1,2}){0,2}")


def _cleaned(codes, *, upper: bool) -> list[str]:
    kept = ((code.strip().upper() if upper else code.strip()) for code in codes or () if code and code.strip())
    return list(dict.fromkeys(kept))


def clean_codes(apps, schema_editor):
    RuleSet = apps.get_model("regions", "RuleSet")
    wrong = []
    rows = RuleSet.objects.order_by("pk").values_list(
        "pk", "region__number", "effective_from", "citizenships", "closed_activities"
    )
    for pk, region_number, effective_from, citizenships, closed_activities in rows:
        countries, activities = _cleaned(citizenships, upper=True), _cleaned(closed_activities, upper=False)
        if not all(COUNTRY_CODE.fullmatch(code) for code in countries) or not all(
            OKVED_CODE.fullmatch(code) for code in activities
        ):
            wrong.append(f"id {pk} (region {region_number}, from {effective_from}): {citizenships} / {closed_activities}")
        elif (countries, activities) != (citizenships, closed_activities):
            RuleSet.objects.filter(pk=pk).update(citizenships=countries, closed_activities=activities)
    if wrong:
        raise RuntimeError(
            "These rule versions list codes that are not ISO 3166-1 alpha-2 countries or OKVED groups "
            "(citizenships / closed activities); correct them, then migrate again:\n" + "\n".join(wrong)
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0007_i14_checkpoints_checkpoint")]

    operations = [
        migrations.RunPython(clean_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ruleset",
            constraint=CheckConstraint(
                condition=Regex(Cast("citizenships", TextField()), Value(COUNTRIES)), name="ruleset_citizenships_iso_codes"
            ),
        ),
        migrations.AddConstraint(
            model_name="ruleset",
            constraint=CheckConstraint(
                condition=Regex(Cast("closed_activities", TextField()), Value(OKVED)),
                name="ruleset_closed_activities_okved_codes",
            ),
        ),
    ]
