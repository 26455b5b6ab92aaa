"""The border crossing points' reference data: the loader of regions/data/checkpoints.csv and
the matcher that turns a free-text crossing into the checkpoint it names.

Migrations call these (regions 0004: load; applications 0009: match the cases' free text), so
they take the historical models from `apps` and must keep doing what they do: a change of
behaviour belongs in a new function and a new migration.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

CHECKPOINTS_CSV = Path(__file__).resolve().parent / "data" / "checkpoints.csv"


def load_checkpoints(apps, schema_editor):
    Checkpoint = apps.get_model("regions", "Checkpoint")
    Region = apps.get_model("regions", "Region")
    regions = {region.number: region for region in Region.objects.all()}
    with CHECKPOINTS_CSV.open(encoding="utf-8", newline="") as csv_file:
        rows = (line for line in csv_file if not line.startswith("#"))
        for row in csv.DictReader(rows):
            Checkpoint.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": row["kind"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "region": regions[int(row["region"])],
                    "active": row["active"] == "1",
                },
            )


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
