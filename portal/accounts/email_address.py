"""One spelling per e-mail address, for every place that stores or looks one up.

People sign in by e-mail, and the lockout counts failures per address: if two spellings of one
address reached the same account but counted apart (the database matching without case, the
lockout keying on Python's `lower()`), every spelling would bring fresh attempts. So sign-up,
sign-in, the lockout key, password reset and the admin all use `normalise_email` and compare
exactly.
"""

from __future__ import annotations

import unicodedata

from django import forms


def normalise_email(value: str) -> str:
    """NFKC, then upper case, then case folding, then NFKC again.

    NFKC turns compatibility forms into plain letters (full-width `ａ` into `a`, the Kelvin sign
    `K` into `K`). Going through upper case first maps the letters that `casefold()` alone keeps
    apart to the letter they are written as: dotless `ı` → `I` → `i`, long `ſ` → `S` → `s`.
    Case folding then gives one lower-case form (`ß` → `ss`), and the last NFKC recomposes what
    folding decomposed. Leading and trailing white space is dropped.
    """
    folded = unicodedata.normalize("NFKC", str(value)).upper().casefold()
    return unicodedata.normalize("NFKC", folded).strip()


class NormalisedEmailField(forms.EmailField):
    """An e-mail field whose value is normalised before it is validated, so that a full-width
    spelling of a valid address is the valid address."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_email(value) if value else value
