import re
import unicodedata

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from .retention import REDACTED_NAME

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda choice: choice[1])


def validate_country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(_("%(value)s is not an ISO 3166-1 country code."), params={"value": value})


# Every dash a passport number may be typed or pasted with (hyphen-minus, the Unicode hyphens and
# dashes, the minus sign, the soft hyphen); NFKC has already turned the small and full-width forms
# into one of these.
_PASSPORT_SEPARATORS = r"[\s\u00AD\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]"
# The same, for the Python side's clean-up of what is typed (Python's re reads the \u escapes too).
PASSPORT_SEPARATORS = re.compile(_PASSPORT_SEPARATORS)


def passport_key(value: str) -> str:
    """The passport number as the worker form stores it: NFKC, no spaces or dashes, upper case.
    (The form then accepts only A-Z and 0-9, where this and PassportKey agree.)"""
    return PASSPORT_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


class PassportKey(Func):
    """The normal form of a passport number that identifies a person (with the citizenship)
    across companies: NFKC (full-width letters, the Kelvin sign, the long s become plain
    letters), upper case, without spaces or dashes: "aa 123-4567" and "AA1234567" are one key.

    Computed by PostgreSQL alone (every function here is IMMUTABLE, so it can be a stored
    generated column), never also in Python: Python's upper() and PostgreSQL's UPPER() disagree
    on letters such as ı, so two computations could give one person two keys. The worker form
    accepts only A-Z and 0-9 after the same clean-up, where both agree.
    """

    template = f"regexp_replace(upper(normalize(%(expressions)s, NFKC)), '{_PASSPORT_SEPARATORS}', '', 'g')"
    output_field = models.TextField()


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Worker(models.Model):
    """A foreign national in an employer's registry, reused across that employer's applications."""

    employer = models.ForeignKey(
        "applications.Employer", on_delete=models.CASCADE, related_name="workers", verbose_name=_("employer")
    )
    surname_latin = models.CharField(_("surname (Latin, as in the passport)"), max_length=100)
    given_names_latin = models.CharField(_("given names (Latin, as in the passport)"), max_length=150)
    surname_cyrillic = models.CharField(_("surname (Cyrillic)"), max_length=100, blank=True)
    given_names_cyrillic = models.CharField(_("given names (Cyrillic)"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    citizenship = models.CharField(
        _("citizenship"), max_length=2, choices=COUNTRY_CHOICES, validators=[validate_country_code]
    )
    passport_number = models.CharField(_("passport number"), max_length=20)
    # Who the worker is across every company's registry, with the citizenship: the overlap
    # check, the approval guard, the quota and the border list key a person on these two.
    passport_key = models.GeneratedField(
        expression=PassportKey("passport_number"), output_field=models.TextField(), db_persist=True,
        verbose_name=_("passport number (normalised)"),
    )
    passport_expiry = models.DateField(_("passport valid until"))
    occupation = models.CharField(_("occupation"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # Set when the retention job replaced the identity by placeholders (models/retention.py).
    redacted_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["surname_latin", "given_names_latin"]
        indexes = [
            # A person's lines in every company (the overlap check and the approval guard).
            models.Index(fields=["citizenship", "passport_key"], name="worker_person"),
            # Django admin's list of every registry (Meta.ordering, then -pk).
            models.Index(fields=["surname_latin", "given_names_latin", "-id"], name="worker_admin_name"),
        ]
        constraints = [
            # On the key, so "AA 123-4567" and "aa1234567" cannot be two workers of one registry.
            models.UniqueConstraint(
                fields=["employer", "citizenship", "passport_key"], name="worker_passport_unique_per_employer",
                violation_error_message=_("A worker with this passport number and citizenship is already in your registry."),
            ),
            models.CheckConstraint(condition=Q(passport_expiry__gt=F("date_of_birth")), name="worker_passport_after_birth"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.surname_latin, self.given_names_latin)


def display_name(surname_latin: str, given_names_latin: str) -> str:
    """Surname and initials, the way officers refer to a worker: "IVANOV I."; for a worker whose
    personal data was removed, a note saying so."""
    if surname_latin == REDACTED_NAME:
        return str(_("(personal data removed)"))
    initials = " ".join(f"{part[0]}." for part in given_names_latin.split() if part)
    return f"{surname_latin} {initials}".strip()
