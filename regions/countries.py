"""Country names (ISO 3166-1) in the user's language, from the translations pycountry ships."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    language = (language or get_language() or "ru")[:2]
    if language == "en":
        return name
    return _translation(language).gettext(country.name)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """All countries, sorted by their name in the user's language."""
    return list(_sorted_choices((language or get_language() or "ru")[:2]))


@cache
def _sorted_choices(language: str) -> tuple[tuple[str, str], ...]:
    # Named and sorted once per language: forms ask for the list on every page that shows it.
    choices = [(country.alpha_2, country_name(country.alpha_2, language)) for country in pycountry.countries]
    return tuple(sorted(choices, key=lambda choice: choice[1]))
