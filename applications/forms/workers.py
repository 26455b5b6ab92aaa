"""Forms of the company's worker registry. They validate and shape; the services in
applications/services/workers.py persist."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from applications.forms.common import LongSelect, date_input, embedded_form_helper, years_between
from applications.forms.documents import ACCEPTED_FILE_TYPES
from applications.models import EarlierPermitKind, Employer, Worker
from applications.models.worker import passport_key
from applications.selectors.workers import worker_passports_for_employer
from applications.services.documents import check_document_file
from applications.services.errors import TransitionRefused
from applications.services.workers import WORKER_FIELDS
from applications.worker_import import MAX_FILE_BYTES, MAX_ROWS, ImportFileError, ImportRow, ImportTable, clip, read_worker_file
from regions.countries import country_choices, country_name
from regions.models import Region

ADULT_AGE_YEARS = 18
EARLIEST_BIRTH_YEAR = 1900
NAME_PUNCTUATION = frozenset(" -'")
# Typographic apostrophes people paste from documents; stored as the plain one.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
PHONE = re.compile(r"\+?[0-9 ()\-]{5,30}")
# What a passport number may be typed with and loses (the same set as Worker.passport_key's).
PASSPORT_CHARACTERS = re.compile("[A-Z0-9]+")
# The report of an import lists the problems of this many rows and counts the others: a file of
# 10,000 bad rows would otherwise be a page of 100,000 lines.
MAX_REPORTED_ROWS = 100
# A file of more rows is checked and imported by a background task (services/worker_imports.py):
# checking 500 rows takes about a second, 10,000 would hold the request for many.
BACKGROUND_IMPORT_ROWS = 500


@lru_cache(maxsize=8)
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    return (("", "---------"), *country_choices(language))


class CountryChoices(BaseChoiceIterator):
    """All countries, named and sorted in the language active when the list is read.

    Built once per language and shared: an import validates up to 10,000 forms, and copying and
    re-checking 249 choices for each of them took longer than everything else together.
    """

    def __iter__(self):
        return iter(_countries(get_language() or "ru"))

    def __deepcopy__(self, memo):
        return self


def _name(value: str) -> str:
    return " ".join(value.translate(APOSTROPHES).split())


def _is_latin_name(value: str) -> bool:
    return any(ch.isalpha() for ch in value) and all(
        ("A" <= ch <= "Z") or ("a" <= ch <= "z") or ch in NAME_PUNCTUATION for ch in value
    )


def _is_cyrillic_name(value: str) -> bool:
    # The whole Cyrillic script, not only Russian letters: Uzbek, Tajik and Kazakh spellings
    # use letters such as Ў, Ҷ and Қ.
    return any(ch.isalpha() for ch in value) and all(
        ch in NAME_PUNCTUATION or (ch.isalpha() and "CYRILLIC" in unicodedata.name(ch, "")) for ch in value
    )


class WorkerForm(forms.ModelForm):
    """A foreign worker for the company's registry. Repeats the database's rule "one passport
    per citizenship per company" so a duplicate gets a message next to the passport number.

    `existing_passports` lets an import check thousands of rows against the registry read once
    (pairs of citizenship and passport number), instead of a query per row.
    """

    citizenship = forms.ChoiceField(
        label=_("Citizenship"), choices=CountryChoices(), widget=LongSelect,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    # Longer than the stored 20 characters: spaces typed inside the number are removed first.
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=40, help_text=_("As printed in the passport; spaces are removed.")
    )

    class Meta:
        model = Worker
        fields = list(WORKER_FIELDS)
        widgets = {"date_of_birth": date_input(), "passport_expiry": date_input()}
        help_texts = {
            "surname_latin": _("Latin letters as in the passport; stored in capitals."),
            "given_names_latin": _("Latin letters as in the passport; stored in capitals."),
            "surname_cyrillic": _("Optional: the Russian spelling, in Cyrillic letters."),
            "given_names_cyrillic": _("Optional: the Russian spelling, in Cyrillic letters."),
        }

    def __init__(self, *args, employer: Employer, existing_passports: set[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.existing_passports = existing_passports
        # static/js/country-search.js puts a search box before this list; without JS it is a plain list.
        self.fields["citizenship"].widget.attrs.update(
            {"data-country-search": "", "data-search-label": _("Find a country"), "data-search-placeholder": _("Type a few letters"),
             "data-search-status": _("Countries in the list:")}
        )

    @cached_property
    def helper(self) -> FormHelper:
        # Built when a page renders the form, not for each of the thousands of rows an import checks.
        helper = embedded_form_helper()
        helper.layout = Layout(
            Fieldset(
                _("Name"),
                Row(Column("surname_latin", css_class="col-md-6"), Column("given_names_latin", css_class="col-md-6")),
                Row(Column("surname_cyrillic", css_class="col-md-6"), Column("given_names_cyrillic", css_class="col-md-6")),
                css_class="form-section",
            ),
            Fieldset(
                _("Person"),
                Row(Column("sex", css_class="col-md-3"), Column("date_of_birth", css_class="col-md-3"),
                    Column("citizenship", css_class="col-md-6")),
                css_class="form-section",
            ),
            Fieldset(
                _("Passport"),
                Row(Column("passport_number", css_class="col-md-6"), Column("passport_expiry", css_class="col-md-6")),
                css_class="form-section",
            ),
            Fieldset(
                _("Work and contact"),
                Row(Column("occupation", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
                css_class="form-section",
            ),
        )
        return helper

    def _get_validation_exclusions(self) -> set[str]:
        # The model's check "passport valid after birth" costs a database query per form (Django
        # evaluates it in SQL), and an import validates thousands of forms. clean() checks the
        # same dates in Python, and the database keeps the constraint.
        return super()._get_validation_exclusions() | {"passport_expiry"}

    def _latin(self, field: str) -> str:
        value = _name(self.cleaned_data[field])
        if not _is_latin_name(value):
            raise forms.ValidationError(
                _("Use the Latin letters of the passport (A–Z), spaces, hyphens and apostrophes only.")
            )
        return value.upper()

    def _cyrillic(self, field: str) -> str:
        value = _name(self.cleaned_data[field])
        if value and not _is_cyrillic_name(value):
            raise forms.ValidationError(_("Use Cyrillic letters, spaces, hyphens and apostrophes only, or leave it empty."))
        return value

    def clean_surname_latin(self) -> str:
        return self._latin("surname_latin")

    def clean_given_names_latin(self) -> str:
        return self._latin("given_names_latin")

    def clean_surname_cyrillic(self) -> str:
        return self._cyrillic("surname_cyrillic")

    def clean_given_names_cyrillic(self) -> str:
        return self._cyrillic("given_names_cyrillic")

    def clean_passport_number(self) -> str:
        # Stored as the person's key reads it (no spaces or dashes, in capitals), so "aa 123-4567"
        # and "AA1234567" are one passport; only A-Z and 0-9 pass, where Python's and PostgreSQL's
        # upper case agree (the database computes the key itself: Worker.passport_key).
        number = passport_key(self.cleaned_data["passport_number"])
        if not PASSPORT_CHARACTERS.fullmatch(number):
            raise forms.ValidationError(_("Enter the passport number with letters and digits only, as printed in the passport."))
        max_length = Worker._meta.get_field("passport_number").max_length
        if len(number) > max_length:
            raise forms.ValidationError(
                _("A passport number has at most %(length)d letters and digits."), params={"length": max_length}
            )
        return number

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("The date of birth is in the future."))
        if born.year < EARLIEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Check the date of birth: %(year)d is too long ago."), params={"year": born.year})
        if years_between(born, today) < ADULT_AGE_YEARS:
            raise forms.ValidationError(
                ngettext_lazy("The worker must be at least %(age)d year old.", "The worker must be at least %(age)d years old.", "age"),
                params={"age": ADULT_AGE_YEARS},
            )
        return born

    def clean_passport_expiry(self) -> dt.date:
        expiry = self.cleaned_data["passport_expiry"]
        if expiry < timezone.localdate():
            raise forms.ValidationError(
                _("The passport expired on %(date)s: enter the worker's current passport."),
                params={"date": date_format(expiry, "SHORT_DATE_FORMAT")},
            )
        return expiry

    def clean_occupation(self) -> str:
        return " ".join(self.cleaned_data["occupation"].split())

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(_("Enter the phone number with digits, spaces, brackets and hyphens, and + in front."))
        return phone

    def clean(self):
        cleaned = super().clean()
        born, expiry = cleaned.get("date_of_birth"), cleaned.get("passport_expiry")
        if born and expiry and expiry <= born:
            self.add_error("passport_expiry", _("The passport must be valid after the date of birth."))
        citizenship, number = cleaned.get("citizenship"), cleaned.get("passport_number")
        if citizenship and number and self._passport_taken(citizenship, number):
            self.add_error(
                "passport_number",
                _("A worker with this passport number and citizenship is already in your registry."),
            )
        return cleaned

    def _passport_taken(self, citizenship: str, number: str) -> bool:
        if self.existing_passports is not None:
            return (citizenship, number) in self.existing_passports
        duplicates = Worker.objects.filter(employer=self.employer, citizenship=citizenship, passport_key=number)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        return duplicates.exists()


class WorkerSearchForm(forms.Form):
    """The registry's search box and citizenship filter, sent in the URL (GET)."""

    q = forms.CharField(label=_("Name or passport number"), required=False, max_length=100, widget=forms.SearchInput)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)

    def __init__(self, *args, citizenships: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries of the company's own workers: a longer list would offer empty results.
        countries = sorted(((code, country_name(code)) for code in citizenships), key=lambda choice: choice[1])
        self.fields["citizenship"].choices = [("", _("Any citizenship")), *countries]
        self.helper = embedded_form_helper()
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-md-6"), Column("citizenship", css_class="col-md-4")),
        )


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CheckedRows:
    """What checking the rows of a file found: the rows ready for the registry, and the problems
    of the first MAX_REPORTED_ROWS rows with problems (`error_rows` counts them all)."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_rows: int = 0

    @property
    def unreported_rows(self) -> int:
        return max(0, self.error_rows - MAX_REPORTED_ROWS)


def _empty_cell(form: forms.Form, name: str, headers: dict[str, str]) -> str:
    """"This field is required", said of the file's own column."""
    column = headers.get(name) or (form.fields[name].label if name in form.fields else name)
    return _("“%(column)s” is empty: fill it in for this worker.") % {"column": clip(str(column))}


def check_import_rows(
    rows: Iterable[ImportRow], *, employer: Employer, headers: dict[str, str], progress: Callable[[int], None] | None = None,
    existing_passports: set[tuple[str, str]] | None = None,
) -> CheckedRows:
    """Checks each row of a file with WorkerForm, the same rules as adding one worker by hand,
    and the file's passports against each other and the registry. `progress` is told how many
    rows are checked every BACKGROUND_IMPORT_ROWS rows. `existing_passports` replaces the
    registry's passports (an import onto a case passes an empty set: it matches people already
    in the registry instead of refusing them)."""
    checked = CheckedRows()
    registry = worker_passports_for_employer(employer_id=employer.pk) if existing_passports is None else existing_passports
    first_row_of_passport: dict[tuple[str, str], int] = {}
    for count, row in enumerate(rows, start=1):
        if progress and count % BACKGROUND_IMPORT_ROWS == 0:
            progress(count)
        form = WorkerForm(data=row.data, employer=employer, existing_passports=registry)
        form.is_valid()
        # What the reader could not understand is the better explanation of an empty value.
        errors = {
            name: [
                _empty_cell(form, name, headers) if problem.code == "required" else " ".join(problem.messages)
                for problem in problems
            ]
            for name, problems in form.errors.as_data().items()
        }
        errors.update({name: [message] for name, message in row.errors.items()})
        passport = (form.cleaned_data.get("citizenship"), form.cleaned_data.get("passport_number"))
        if all(passport) and "passport_number" not in errors:
            if passport in first_row_of_passport:
                errors["passport_number"] = [
                    _("The same passport number and citizenship are on row %(row)d of the file too.")
                    % {"row": first_row_of_passport[passport]}
                ]
            else:
                first_row_of_passport[passport] = row.number
        if errors:
            checked.error_rows += 1
            if checked.error_rows <= MAX_REPORTED_ROWS:
                for name, messages in errors.items():
                    column = clip(headers.get(name, ""))
                    checked.errors.extend(RowError(row=row.number, column=column, message=str(message)) for message in messages)
        elif not checked.error_rows:
            # Once a row is refused nothing is imported: the good rows need not be kept.
            checked.rows.append({name: form.cleaned_data[name] for name in WORKER_FIELDS})
    return checked


class WorkerImportForm(forms.Form):
    """A file of workers, read by applications/worker_import.py and validated row by row with
    WorkerForm, the same rules as adding one worker by hand. All or nothing: one refused row
    makes the whole file refused, with the list of what to correct in `reported_errors`.

    A file of more than BACKGROUND_IMPORT_ROWS rows is only read here (so a bomb or a broken
    file is still refused on the page); `in_background` tells the view to hand its rows to a
    background import."""

    file = forms.FileField(
        label=_("File of workers (CSV or XLSX)"),
        error_messages={"empty": _("The file is empty.")},
    )

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        # The limits as numbers the reader's language writes ("10 000" in Russian, "10,000" in English).
        self.fields["file"].help_text = gettext(
            "CSV in UTF-8 (comma or semicolon separated) or an Excel workbook (.xlsx); at most %(megabytes)d MB and %(rows)s workers."
        ) % {"megabytes": MAX_FILE_BYTES // (1024 * 1024), "rows": number_format(MAX_ROWS, force_grouping=True)}
        self.rows: list[dict] = []
        self.checked = CheckedRows()
        self.table: ImportTable | None = None
        self.ignored_headers: list[str] = []
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.helper = embedded_form_helper()

    def clean_file(self) -> ImportTable:
        try:
            return read_worker_file(self.cleaned_data["file"])
        except ImportFileError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        cleaned = super().clean()
        table = cleaned.get("file")
        if isinstance(table, ImportTable):
            self.table = table
            self.ignored_headers = table.ignored_headers
            if self.in_background:
                return cleaned
            self.checked = self.check_rows(table)
            self.rows = self.checked.rows
            if self.checked.error_rows:
                raise forms.ValidationError(
                    ngettext_lazy(
                        "Nothing was imported: %(count)d of %(total)d row has errors. Correct it in the file and upload it again.",
                        "Nothing was imported: %(count)d of %(total)d rows have errors. Correct them in the file and upload it again.",
                        "total",
                    ),
                    params={"count": self.checked.error_rows, "total": len(table.rows)},
                )
        return cleaned

    def check_rows(self, table: ImportTable):
        """Each row through the worker form's rules; a form for another destination checks more."""
        return check_import_rows(table.rows, employer=self.employer, headers=table.headers)

    @property
    def in_background(self) -> bool:
        return self.table is not None and len(self.table.rows) > BACKGROUND_IMPORT_ROWS

    @property
    def row_errors(self) -> list[RowError]:
        return self.checked.errors

    @property
    def reported_errors(self) -> list[RowError]:
        return self.checked.errors

    @property
    def unreported_row_count(self) -> int:
        return self.checked.unreported_rows


class EarlierPermitForm(forms.Form):
    """A work permit or patent the worker held earlier for the company. Repeats the service's
    rules (an issue date in the past, a number, one declaration per number, an acceptable scan)
    so each mistake is shown next to its field."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EarlierPermitKind.choices)
    number = forms.CharField(
        label=_("Series and number"), max_length=40, help_text=_("As printed on the permit or patent, e.g. 77 № 1234567.")
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=date_input())
    region = forms.ModelChoiceField(
        label=_("Issued in region"), queryset=Region.objects.order_by("number"),
        error_messages={"invalid_choice": _("Select a valid choice: a region from the list.")},
    )
    scan = forms.FileField(
        label=_("Scan"), required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB. Without a scan the permit does not count as evidence of earlier work."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
        error_messages={"empty": _("The file is empty.")},
    )

    def __init__(self, *args, worker: Worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker = worker
        self.helper = embedded_form_helper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("number", css_class="col-md-8")),
            Row(Column("issued_on", css_class="col-md-4"), Column("region", css_class="col-md-8")),
            "scan",
        )

    def clean_number(self) -> str:
        return " ".join(self.cleaned_data["number"].split())

    def clean_issued_on(self) -> dt.date:
        issued_on = self.cleaned_data["issued_on"]
        if issued_on >= timezone.localdate():
            raise forms.ValidationError(_("The issue date is in the future or today: an earlier permit was issued before today."))
        if issued_on.year < EARLIEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Check the issue date: %(year)d is too long ago."), params={"year": issued_on.year})
        return issued_on

    def clean_scan(self):
        return clean_scan_file(self.cleaned_data.get("scan"))

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("kind"), cleaned.get("number")
        if kind and number and self.worker.earlier_permits.filter(kind=kind, number=number).exists():
            self.add_error("number", _("This permit or patent is already declared for the worker."))
        return cleaned


def clean_scan_file(scan):
    """A scan judged as the services judge it (content, size), with their message next to the field."""
    if not scan:
        return None
    try:
        check_document_file(scan)
    except TransitionRefused as exc:
        raise forms.ValidationError(exc.message) from exc
    return scan


class EarlierPermitScanForm(forms.Form):
    """The scan of a permit declared without one."""

    scan = forms.FileField(
        label=_("Scan"), help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
        error_messages={"empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()

    def clean_scan(self):
        return clean_scan_file(self.cleaned_data["scan"])
