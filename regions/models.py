"""Regions (federal subjects of 2021) and the versioned epidemiological rules each one sets."""

import datetime as dt
import re
import zoneinfo

import pycountry
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import Regex
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from regions.legal_basis import ActType, format_legal_basis


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", _("Central")
    NORTHWESTERN = "northwestern", _("Northwestern")
    SOUTHERN = "southern", _("Southern")
    NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
    VOLGA = "volga", _("Volga")
    URAL = "ural", _("Ural")
    SIBERIAN = "siberian", _("Siberian")
    FAR_EASTERN = "far_eastern", _("Far Eastern")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a time zone of the IANA database, e.g. Europe/Moscow."), params={"value": value})


class Region(models.Model):
    number = models.PositiveSmallIntegerField(
        _("federal subject number"), unique=True, help_text=_("As used by the Federal Tax Service: 77 is Moscow.")
    )
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    federal_district = models.CharField(_("federal district"), max_length=20, choices=FederalDistrict.choices)
    # Arrivals and PCR tests are instants; the region's zone is the one people there read clocks in.
    # A region spanning several zones (Yakutia) keeps its capital's: see regions/data/regions_2021.csv.
    time_zone = models.CharField(
        _("time zone"), max_length=40, validators=[validate_time_zone], help_text=_("IANA name, e.g. Asia/Vladivostok.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["iso_code"], condition=~Q(iso_code=""), name="region_iso_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ru if (get_language() or "ru").startswith("ru") else self.name_en

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class CheckpointKind(models.TextChoices):
    AIRPORT = "airport", _("airport")
    ROAD = "road", _("road crossing")
    RAIL = "rail", _("railway crossing")
    SEA = "sea", _("sea or river port")


class Checkpoint(models.Model):
    """A border crossing point open to the procedure: reference data loaded by a migration from
    regions/data/checkpoints.csv. Its region gives the clock an arrival there is read in."""

    # Stable across reloads of the data file: an airport's IATA code, else "<kind>-<place>".
    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=CheckpointKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="checkpoints", verbose_name=_("region"))
    # A checkpoint closed later stays for the cases that named it; new cases cannot choose it.
    active = models.BooleanField(_("open to the procedure"), default=True)

    class Meta:
        verbose_name = _("border crossing point")
        verbose_name_plural = _("border crossing points")
        ordering = ["name_en", "kind"]

    def __str__(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        return self.name_ru if (get_language() or "ru").startswith("ru") else self.name_en

    @property
    def label(self) -> str:
        """E.g. “Sheremetyevo — airport (SVO), Moscow Oblast”: the kind and the region tell two
        crossings of one town apart (Zabaikalsk by road and by rail). Expects `region` fetched."""
        kind = self.get_kind_display()
        if self.kind == CheckpointKind.AIRPORT:
            kind = f"{kind} ({self.code})"
        return f"{self.name} — {kind}, {self.region.name}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return self.region.zone


class PcrTestTiming(models.TextChoices):
    BEFORE_ARRIVAL = "before", _("Taken before arrival")
    BEFORE_OR_AFTER_ARRIVAL = "either", _("Taken before arrival, or after arrival instead")
    AFTER_ARRIVAL = "after", _("Taken after arrival")


class CitizenshipPolicy(models.TextChoices):
    ALL = "all", _("All citizenships accepted")
    ONLY_LISTED = "only_listed", _("Only the listed citizenships")
    ALL_EXCEPT_LISTED = "all_except_listed", _("All but the listed citizenships")


class KindsAccepted(models.TextChoices):
    """Which kinds of application a region accepts while its intake is open. "None" is not a
    third value: it is `intake_open=False` (intake suspended), which already existed and which
    decisions already refer to."""

    BOTH = "both", _("New and returning workers")
    RETURNING_ONLY = "returning", _("Only returning workers")


# The codes a rule version lists: ISO 3166-1 alpha-2 countries, and OKVED groups written with
# dots ("47", "47.7", "41.20", "01.11.11"; the field holds up to 8 characters). [0-9], not \d,
# which in Python also matches other scripts' digits.
COUNTRY_CODE_SHAPE = "[A-Z]{2}"
OKVED_CODE_SHAPE = r"[0-9]{2}(\.[0-9]{1,2}){0,2}"


def every_element_matches(shape: str) -> str:
    """A regular expression over an array as PostgreSQL prints it ({UZ,TJ}) that holds when every
    element has `shape`. The database's CHECK reads the array this way: an element holding a comma,
    a space, a quote or a brace is printed quoted, and NULL as NULL, so neither can pass. (The
    cast calls array_out, STABLE in general because some element types print by the session's
    settings; varchar elements print the same everywhere, which is what a CHECK assumes.)"""
    return rf"^\{{({shape}(,{shape})*)?\}}$"


def _unique(items) -> list:
    return list(dict.fromkeys(items))


class RuleSetQuerySet(models.QuerySet):
    def published(self):
        """The versions that may apply: a draft applies to no case, whatever its date."""
        return self.filter(published_at__isnull=False)

    def in_force_on(self, date):
        """The versions in force on `date`, one per region at most: the latest published that started on or before it."""
        return self.published().filter(effective_from__lte=date).order_by("region_id", "-effective_from").distinct("region_id")


class RuleSet(models.Model):
    """One version of a region's rules, in force from `effective_from` until the next published version.

    A version is a draft until an admin publishes it (regions.services.rule_set_publish): a draft
    applies to no case, even once its start date has passed, so rules never take effect by the
    calendar alone. A published version is never edited (frozen_reason; the database's trigger
    rule_version_frozen repeats it): a change is a new version, so every decision can be
    explained by the rules that stood when it was made.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rule_sets", verbose_name=_("region"))
    effective_from = models.DateField(_("in force from"))

    intake_open = models.BooleanField(_("intake open"), default=True)
    kinds_accepted = models.CharField(
        _("kinds of application accepted"), max_length=10, choices=KindsAccepted.choices, default=KindsAccepted.BOTH,
        help_text=_("While the intake is open. To accept no applications at all, untick “intake open”."),
    )
    isolation_days = models.PositiveSmallIntegerField(
        _("isolation days on arrival"), default=14, validators=[MaxValueValidator(60)]
    )
    isolation_until_test_result = models.BooleanField(
        _("isolated until the test result comes"),
        default=False,
        help_text=_("Workers stay isolated until their test on arrival is negative (as in Tyumen)."),
    )
    pcr_test_timing = models.CharField(
        _("PCR test timing"), max_length=10, choices=PcrTestTiming.choices, default=PcrTestTiming.BEFORE_ARRIVAL
    )
    pcr_max_age_hours = models.PositiveSmallIntegerField(
        _("PCR test maximum age, hours"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("Before arrival: how old the test may be on the arrival day. After arrival: within how many hours of arrival it must be taken."),
    )
    vaccination_required = models.BooleanField(
        _("vaccination to be booked"), default=False, help_text=_("The employer books vaccination for the list (as in Moscow).")
    )
    insurance_required = models.BooleanField(_("medical insurance required"), default=True)
    isolation_housing_required = models.BooleanField(_("isolation housing required"), default=True)
    charter_transport_required = models.BooleanField(
        _("charter transport agreed with the headquarters"),
        default=False,
        help_text=_("The employer agrees charter flights with the region's headquarters (as in Khanty-Mansi)."),
    )
    max_workers_per_application = models.PositiveIntegerField(
        _("maximum workers per application"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Empty: no limit."),
    )
    monthly_worker_quota = models.PositiveIntegerField(
        _("monthly worker quota"), null=True, blank=True, help_text=_("Workers approved per arrival month. Empty: no cap.")
    )
    citizenship_policy = models.CharField(
        _("citizenships"), max_length=20, choices=CitizenshipPolicy.choices, default=CitizenshipPolicy.ALL
    )
    citizenships = ArrayField(
        models.CharField(max_length=2), blank=True, default=list, verbose_name=_("listed citizenships"),
        help_text=_("ISO 3166-1 two-letter codes, e.g. UZ, TJ, KG."),
    )
    closed_activities = ArrayField(
        models.CharField(max_length=8), blank=True, default=list, verbose_name=_("activities closed to foreign labour"),
        help_text=_("OKVED codes or code prefixes, e.g. 47.7 or 49.3."),
    )
    # Working days of the production calendar (regions/production_calendar.py), counted from the
    # day after submission in the region's own time zone.
    days_to_decide = models.PositiveSmallIntegerField(
        _("working days to decide"), default=5, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Working days of the production calendar, from the day after submission; the clock stops while the employer is asked for information."),
    )
    legal_basis_number = models.CharField(
        _("number of the act"), max_length=100, blank=True, help_text=_("Only the number, e.g. 108-ПГ (without “№”).")
    )
    legal_basis_date = models.DateField(_("date of the act"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    days_to_answer = models.PositiveSmallIntegerField(
        _("working days to answer a request"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Working days the employer has to answer a request for information; the officer may change them per request (1 to 30)."),
    )
    # The legal basis is printed from these parts (regions.legal_basis.format_legal_basis), never
    # from one free text: the letter then says "постановление Губернатора … от 12.03.2020 № 108-ПГ".
    legal_basis_type = models.CharField(_("type of the act"), max_length=20, choices=ActType.choices, blank=True)
    legal_basis_body = models.CharField(
        _("issued by"), max_length=300, blank=True,
        help_text=_("The issuing body as it follows the type of act, e.g. Губернатора Московской области."),
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    # Set once, by rule_set_publish, and never again: the trigger refuses any change to a
    # published row. PROTECT: the record of who put rules into force outlives an account.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published by"), editable=False,
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["region__number", "-effective_from"]
        permissions = [("publish_ruleset", _("Can publish rule version"))]
        constraints = [
            # Who published is recorded only with when (versions published before the record was
            # kept have a time and no person).
            models.CheckConstraint(
                condition=Q(published_by__isnull=True) | Q(published_at__isnull=False), name="ruleset_published_by_with_time",
            ),
            models.UniqueConstraint(fields=["region", "effective_from"], name="ruleset_one_version_per_region_and_date"),
            models.CheckConstraint(condition=Q(isolation_days__lte=60), name="ruleset_isolation_days_sane"),
            models.CheckConstraint(
                condition=Q(pcr_max_age_hours__gte=1, pcr_max_age_hours__lte=720), name="ruleset_pcr_age_sane"
            ),
            models.CheckConstraint(
                condition=Q(max_workers_per_application__isnull=True) | Q(max_workers_per_application__gte=1),
                name="ruleset_max_workers_positive",
            ),
            models.CheckConstraint(
                condition=Q(days_to_decide__gte=1, days_to_decide__lte=90), name="ruleset_days_to_decide_sane"
            ),
            models.CheckConstraint(
                condition=Q(citizenship_policy="all") | ~Q(citizenships=[]),
                name="ruleset_citizenship_list_given",
            ),
            models.CheckConstraint(
                condition=Q(days_to_answer__gte=1, days_to_answer__lte=30), name="ruleset_days_to_answer_sane"
            ),
            # Only the two values: "no kind accepted" is intake_open=False, never a third spelling.
            models.CheckConstraint(
                condition=Q(kinds_accepted__in=["both", "returning"]), name="ruleset_kinds_accepted_known",
            ),
            # The shape of each code; clean() also knows which countries exist and says which
            # code is wrong, next to the field.
            models.CheckConstraint(
                condition=Regex(Cast("citizenships", TextField()), Value(every_element_matches(COUNTRY_CODE_SHAPE))),
                name="ruleset_citizenships_iso_codes",
            ),
            models.CheckConstraint(
                condition=Regex(Cast("closed_activities", TextField()), Value(every_element_matches(OKVED_CODE_SHAPE))),
                name="ruleset_closed_activities_okved_codes",
            ),
        ]
        indexes = [models.Index(fields=["region", "-effective_from"], name="ruleset_region_latest")]

    def __str__(self) -> str:
        return f"{self.region} — {self.effective_from:%d.%m.%Y}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def legal_basis_display(self) -> str:
        """The legal basis in the active language, e.g. for templates."""
        return format_legal_basis(self)

    def clean(self):
        """The rules of a version that every writer meets (the admin's form, "copy as draft", a
        command, a shell calling full_clean): codes cleaned to one spelling and known, and a new
        start date no earlier than the region's tomorrow. The errors stand next to their fields."""
        super().clean()
        errors = {}
        self.citizenships = _unique(code.strip().upper() for code in self.citizenships or () if code and code.strip())
        unknown = [code for code in self.citizenships if pycountry.countries.get(alpha_2=code) is None]
        if unknown:
            errors["citizenships"] = ValidationError(
                _("Not ISO 3166-1 country codes: %(codes)s."), code="unknown_country", params={"codes": ", ".join(unknown)}
            )
        self.closed_activities = _unique(code.strip() for code in self.closed_activities or () if code and code.strip())
        wrong = [code for code in self.closed_activities if not re.fullmatch(OKVED_CODE_SHAPE, code)]
        if wrong:
            errors["closed_activities"] = ValidationError(
                _("Not OKVED codes: %(codes)s. Write them as 47, 47.7 or 47.71."),
                code="okved_format",
                params={"codes": ", ".join(wrong)},
            )
        if problem := self._start_problem():
            errors["effective_from"] = problem
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def earliest_start(region: Region | None) -> dt.date:
        """The first day a new version may start: tomorrow, by the region's own clocks.

        Not today: a version starting today is in force the moment it is saved, and a version in
        force is never edited, so a slip in it could not even be corrected, and cases filed
        earlier today would have been checked against other rules. The region's day, not
        Moscow's: at 20:00 in Moscow it is already tomorrow in Kamchatka.
        """
        zone = region.zone if region is not None else timezone.get_current_timezone()
        return timezone.localtime(timezone.now(), zone).date() + dt.timedelta(days=1)

    def _start_problem(self) -> ValidationError | None:
        """Only a new start is judged: a stored version keeps its date, however long in force."""
        if self.effective_from is None:
            return None
        if self.pk is not None and RuleSet.objects.filter(pk=self.pk, effective_from=self.effective_from).exists():
            return None
        return self._too_early(
            _(
                "A new version cannot start in the past or today (%(date)s): it would be in force at once, and a "
                "version in force is never edited. It may start on %(earliest)s at the earliest."
            ),
            code="effective_from_past",
        )

    def publication_problem(self) -> ValidationError | None:
        """Why this draft cannot be published as it stands; None when it can. Published, it
        would take effect on its start date, and a version never takes effect on the day it is
        published or earlier: cases filed meanwhile were checked against other rules, and the
        version could no longer be corrected. (The trigger of migration 0010 repeats it.)"""
        return self._too_early(
            _(
                "This draft would take effect on %(date)s, which is not after today by the region's clock. "
                "Change its start date to %(earliest)s or later, then publish it."
            ),
            code="published_late",
        )

    def _too_early(self, message, *, code: str) -> ValidationError | None:
        """`message` about the start date when it is before the region's tomorrow; else None."""
        earliest = self.earliest_start(self.region if self.region_id else None)
        if self.effective_from >= earliest:
            return None
        return ValidationError(
            message,
            code=code,
            params={
                "date": date_format(self.effective_from, "SHORT_DATE_FORMAT"),
                "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
            },
        )

    def region_today(self) -> dt.date:
        """Today by the clocks of the version's region: in force or not is the region's day."""
        return timezone.localtime(timezone.now(), self.region.zone).date()

    def frozen_reason(self, today: dt.date | None = None) -> str | None:
        """Why this version can no longer change, in a sentence; None while it still may.

        The one home of the rule (the admin and regions.services ask it; the trigger of migration
        0010 repeats it in the database): a version is frozen once it is published, or a decision
        or the stored check of a case that is no longer a draft cites it (only versions published
        before publication existed can be cited without being published). A draft whose date has
        passed is not in force and stays editable: its date has to move before it is published.
        It is judged on the stored row, so an unsaved change cannot thaw it. A change is always a
        new version.
        """
        if self.pk is None:
            return None
        stored = RuleSet.objects.filter(pk=self.pk).values_list("effective_from", "published_at").first()
        if stored is None:
            return None
        effective_from, published_at = stored
        if published_at is not None:
            today = today or self.region_today()
            if effective_from <= today:
                return gettext("This version has been in force since %(date)s (by the region's clock).") % {
                    "date": date_format(effective_from, "SHORT_DATE_FORMAT")
                }
            return gettext("This version has been published and takes effect on %(date)s.") % {
                "date": date_format(effective_from, "SHORT_DATE_FORMAT")
            }
        if self.decisions.exists():
            return gettext("Decisions cite this version.")
        if self.checked_applications.exclude(status="draft").exists():
            return gettext("The rule checks of submitted applications cite this version.")
        return None

    def is_editable(self, today: dt.date | None = None) -> bool:
        """Only a version that is not frozen (see frozen_reason) may change or be deleted."""
        return self.frozen_reason(today) is None


class EligibilityThreshold(models.Model):
    """The federal procedure's thresholds for employers that may file, per edition of the procedure.

    The 2021 edition required a yearly revenue of at least 800 million roubles and an average
    headcount of at least 100; editions changed them, so they are data, not constants.
    """

    effective_from = models.DateField(_("in force from"), unique=True)
    min_annual_revenue_rub = models.PositiveBigIntegerField(_("minimum yearly revenue, roubles"))
    min_average_headcount = models.PositiveIntegerField(_("minimum average headcount"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("employer eligibility threshold")
        verbose_name_plural = _("employer eligibility thresholds")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d.%m.%Y}: {self.min_annual_revenue_rub:,} ₽, {self.min_average_headcount}"
