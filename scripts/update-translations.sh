#!/usr/bin/env sh
# Brings the Russian catalogue, and the notice languages' catalogues, up to date with the code and
# compiles them:
#   1. makemessages: adds the new strings of templates and Python to locale/ru/LC_MESSAGES/django.po
#      (empty, or "fuzzy" when gettext guesses from a similar old string) and drops the strings
#      that are gone;
#   2. you translate every empty or fuzzy entry (and remove the fuzzy flag);
#   3. compilemessages: writes django.mo, which the portal reads. Commit both files: the portal
#      runs without GNU gettext, only this script needs it.
# Run it again after translating; scripts/check-translations.py (run by CI) fails while any
# message is missing, fuzzy or not compiled.
#
# The notice languages (NOTICE_LOCALES: the languages of the notices to approved workers,
# applications/notices.py) are not languages of the portal: their catalogues hold only the
# messages of the context "worker notice", which is all that is ever shown in them; the rest is
# filtered out after makemessages. Translate those as in step 2.
#
# English needs no catalogue: the strings in the code are the English text.
# The static JavaScript has no user-facing strings, so there is no djangojs domain.
set -eu
cd "$(dirname "$0")/.."

python=${PYTHON:-.venv/bin/python}
for tool in xgettext msgmerge msguniq msgattrib msgfmt msggrep; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is missing: install GNU gettext (Debian/Ubuntu: apt-get install gettext)." >&2
    exit 1
  fi
done

# Reading the settings must not start the embedded PostgreSQL: these commands never connect.
DATABASE_URL=${DATABASE_URL:-postgres://translations@127.0.0.1:5432/unused}
export DATABASE_URL

# Keep in step with applications/notices.py (NOTICE_LANGUAGES) and scripts/check-translations.py.
NOTICE_LOCALES="uz tg ky kk hy"
locale_options="--locale ru"
for code in $NOTICE_LOCALES; do
  locale_options="$locale_options --locale $code"
done

# What makemessages must not read: the virtualenv, tests, data and generated files.
# shellcheck disable=SC2086 # the options are meant to split
"$python" manage.py makemessages $locale_options --no-obsolete --verbosity 0 \
  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media \
  --ignore='*.egg-info' --ignore=node_modules
for code in $NOTICE_LOCALES; do
  catalogue="locale/$code/LC_MESSAGES/django.po"
  msggrep --msgctxt --regexp='^worker notice$' --sort-output -o "$catalogue.notice" "$catalogue"
  mv "$catalogue.notice" "$catalogue"
done
# shellcheck disable=SC2086
"$python" manage.py compilemessages $locale_options --verbosity 0 \
  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media --ignore=node_modules

"$python" - ru $NOTICE_LOCALES <<'EOF'
import sys

import polib

for code in sys.argv[1:]:
    po = polib.pofile(f"locale/{code}/LC_MESSAGES/django.po")
    todo = [entry for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]
    print(f"locale/{code}: {len(po.translated_entries())} messages translated, {len(todo)} to translate or check.")
    for entry in todo[:20]:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        print(f"  {'fuzzy' if 'fuzzy' in entry.flags else 'empty'}: {entry.msgid[:70]!r} ({where})")
EOF
