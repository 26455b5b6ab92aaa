#!/usr/bin/env python3
"""CI check of the Russian catalogue and the notice languages' catalogues: nothing the code shows
is left untranslated.

1. Copies the portal's sources to a temporary folder and runs scripts/update-translations.sh
   there, so the working tree is never touched; the catalogue it makes is the one a developer
   would get now.
2. Fails when that catalogue differs from the committed one in its messages (a string was added
   to or removed from the code without updating locale/), when any message is untranslated or
   fuzzy, or when the committed django.mo does not hold exactly the committed django.po.
3. The notice languages (NOTICE_LOCALES: the languages of the notices to approved workers,
   applications/notices.py) need only the messages of the context "worker notice": it fails
   when one of those in the code is missing, empty or fuzzy in any of their catalogues, when a
   catalogue holds a message that is no longer such a message, or when its django.mo differs.

Needs GNU gettext (xgettext, msgmerge, msgfmt), like update-translations.sh; CI installs it with
`apt-get install gettext` when it is missing. Usage: .venv/bin/python scripts/check-translations.py
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/ru/LC_MESSAGES")
# Keep in step with applications/notices.py (NOTICE_LANGUAGES) and update-translations.sh.
NOTICE_LOCALES = ("uz", "tg", "ky", "kk", "hy")
NOTICE_CONTEXT = "worker notice"
# Never read by makemessages (see update-translations.sh), so not worth copying.
NOT_COPIED = {".venv", "tests", "bench", "staticfiles", "media", "node_modules", "__pycache__", "*.egg-info", ".*"}


def _skip(_folder: str, names: list[str]) -> set[str]:
    return {name for name in names if any(fnmatch.fnmatch(name, pattern) for pattern in NOT_COPIED)}


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translation(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _short(key: tuple[str, str, str]) -> str:
    return repr(key[1] if len(key[1]) <= 90 else key[1][:87] + "...")


def untranslated_or_fuzzy(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]


def compiled_differs(po: polib.POFile, mo: polib.MOFile) -> list[str]:
    """What django.mo holds that django.po does not (or the other way round)."""
    expected = {_key(entry): _translation(entry) for entry in po.translated_entries()}
    compiled = {_key(entry): _translation(entry) for entry in mo if entry.msgid}
    problems = [f"not compiled: {_short(key)}" for key in expected.keys() - compiled.keys()]
    problems += [f"compiled but no longer in django.po: {_short(key)}" for key in compiled.keys() - expected.keys()]
    problems += [
        f"compiled translation differs: {_short(key)}"
        for key in expected.keys() & compiled.keys()
        if expected[key] != compiled[key]
    ]
    return problems


def fresh_catalogue() -> polib.POFile:
    with tempfile.TemporaryDirectory(prefix="portal-translations-") as folder:
        copy = Path(folder) / "portal"
        shutil.copytree(ROOT, copy, ignore=_skip)
        environment = {**os.environ, "PYTHON": sys.executable}
        result = subprocess.run(
            ["sh", "scripts/update-translations.sh"], cwd=copy, env=environment, capture_output=True, text=True
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit("check-translations: scripts/update-translations.sh failed (see above).")
        return polib.pofile(str(copy / CATALOGUE / "django.po"))


def compiled_problems(po: polib.POFile, mo_path: Path) -> list[str]:
    if not mo_path.exists():
        return [f"{mo_path.relative_to(ROOT)} is missing: run scripts/update-translations.sh"]
    return compiled_differs(po, polib.mofile(str(mo_path)))


def notice_catalogue_problems(code: str, notice_keys: set[tuple[str, str, str]]) -> list[str]:
    """What is wrong with a notice language's catalogue, given the notice's messages in the code."""
    folder = ROOT / "locale" / code / "LC_MESSAGES"
    if not (folder / "django.po").exists():
        return [f"locale/{code}: django.po is missing: run scripts/update-translations.sh"]
    po = polib.pofile(str(folder / "django.po"))
    entries = {_key(entry): entry for entry in po if not entry.obsolete}
    problems = [f"locale/{code}: the notice's message is missing: {_short(key)}" for key in sorted(notice_keys - entries.keys())]
    problems += [f"locale/{code}: not a message of the notice: {_short(key)}" for key in sorted(entries.keys() - notice_keys)]
    problems += [
        f"locale/{code}: untranslated or fuzzy: {_short(key)}"
        for key, entry in sorted(entries.items())
        if key in notice_keys and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    return problems + [f"locale/{code}: {problem}" for problem in compiled_problems(po, folder / "django.mo")]


def main() -> int:
    committed = polib.pofile(str(ROOT / CATALOGUE / "django.po"))
    problems = [f"untranslated or fuzzy in django.po: {_short(_key(entry))}" for entry in untranslated_or_fuzzy(committed)]
    mo_path = ROOT / CATALOGUE / "django.mo"
    if mo_path.exists():
        problems += compiled_differs(committed, polib.mofile(str(mo_path)))
    else:
        problems.append("django.mo is missing: run scripts/update-translations.sh")

    fresh = fresh_catalogue()
    in_code = {_key(entry) for entry in fresh if not entry.obsolete}
    in_catalogue = {_key(entry) for entry in committed if not entry.obsolete}
    problems += [f"in the code, not in the catalogue: {_short(key)}" for key in sorted(in_code - in_catalogue)]
    problems += [f"in the catalogue, no longer in the code: {_short(key)}" for key in sorted(in_catalogue - in_code)]
    notice_keys = {key for key in in_code if key[0] == NOTICE_CONTEXT}
    for code in NOTICE_LOCALES:
        problems += notice_catalogue_problems(code, notice_keys)

    if problems:
        print(f"check-translations: {len(problems)} problem(s) with locale/:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Run scripts/update-translations.sh, translate what it lists, run it again and commit locale/.", file=sys.stderr)
        return 1
    print(
        f"check-translations: locale/ru is complete and compiled ({len(in_catalogue)} messages), and so are the "
        f"notice's {len(notice_keys)} messages in locale/{{{','.join(NOTICE_LOCALES)}}}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
