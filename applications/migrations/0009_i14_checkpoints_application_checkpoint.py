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

import re
import unicodedata
from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Words that say what kind of crossing a text means, in normalised form (see `normalise`).
KIND_WORDS = {
    "airport": ("международный аэропорт", "аэропорт", "а п", "international airport", "airport"),
    "road": ("мапп", "автомобильный пункт пропуска", "автомобильный", "автодорожный", "road crossing", "road"),
    "rail": ("железнодорожный", "ж д", "жд", "railway", "rail", "station", "станция"),
    "sea": ("морской порт", "речной порт", "морской", "речной", "seaport", "sea port", "port", "river", "порт"),
}
NOISE_WORDS = ("пункт пропуска", "пп", "checkpoint", "border crossing", "crossing", "international", "международный")
PARENTHESES = re.compile(r"\(([^()]*)\)")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = re.sub(r"[^\w()]+", " ", text)
    return " ".join(text.split())


def _without(text: str, words) -> str:
    for word in words:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text)
    text = re.sub(r"\(\s*\)", " ", text)
    return " ".join(text.replace("( ", "(").replace(" )", ")").split())


def _variants(text: str) -> set[str]:
    """The text, the text without its brackets, and what each bracket holds."""
    variants = {text, " ".join(PARENTHESES.sub(" ", text).split())}
    variants.update(inner.strip() for inner in PARENTHESES.findall(text))
    return {variant for variant in variants if variant}


def _strip_kind(text: str) -> tuple[str, str | None]:
    kind = next((kind for kind, words in KIND_WORDS.items() if _without(text, words) != text), None)
    every_kind_word = [word for words in KIND_WORDS.values() for word in words]
    return _without(_without(text, every_kind_word), NOISE_WORDS), kind


def checkpoint_keys(checkpoints) -> tuple[dict[str, set[str]], dict[str, str]]:
    """{normalised name: codes} and {code: kind} of dicts with code, kind, name_ru and name_en."""
    keys, kinds = defaultdict(set), {}
    for checkpoint in checkpoints:
        code = checkpoint["code"]
        kinds[code] = checkpoint["kind"]
        for name in (checkpoint["name_ru"], checkpoint["name_en"]):
            for variant in _variants(_strip_kind(normalise(name))[0]):
                keys[variant].add(code)
        if checkpoint["kind"] == "airport":
            keys[code.casefold()].add(code)
    return keys, kinds


def match_checkpoint(text: str, index) -> str | None:
    """The code of the one checkpoint `text` names, or None when it names none or several."""
    keys, kinds = index
    stripped, kind = _strip_kind(normalise(text))
    codes = set()
    for variant in _variants(stripped):
        codes |= keys.get(variant, set())
    if kind is not None:
        codes = {code for code in codes if kinds[code] == kind}
    return codes.pop() if len(codes) == 1 else None


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
        ('applications', '0008_employer_earlier_cases_index'),
        ('regions', '0004_i14_checkpoints_checkpoint'),
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
