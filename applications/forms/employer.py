"""Forms of the employer's pages. They validate and shape what a user typed; the views hand
the cleaned data to applications.services, which persist it (no form.save() here)."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Employer, Worker
from applications.services import DRAFT_FIELDS
from regions.countries import country_choices
from regions.models import Region

ADULT_AGE_YEARS = 18

# Browsers send <input type=date> and <input type=datetime-local> values in ISO format whatever
# the page's language, and render initial values only when they are given in that format.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def _helper() -> FormHelper:
    """The templates write the <form> tag and the buttons, so one page can hold several forms."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class VersionForm(forms.Form):
    """The version of the case the page showed, so a change made meanwhile is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class WorkerForm(forms.ModelForm):
    """A foreign worker for the company's registry. Repeats the database's rule "one passport
    per citizenship per company" so a duplicate gets a message next to the passport number."""

    class Meta:
        model = Worker
        fields = [
            "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "sex", "date_of_birth",
            "citizenship", "passport_number", "passport_expiry", "occupation", "phone",
        ]
        widgets = {"date_of_birth": _date_input(), "passport_expiry": _date_input()}

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        # Country names in the user's language, sorted in that language.
        self.fields["citizenship"].choices = [("", "---------"), *country_choices()]
        self.helper = _helper()

    def clean_passport_number(self) -> str:
        # Stored without spaces and in capitals, so "aa 123" and "AA123" are one passport.
        return "".join(self.cleaned_data["passport_number"].split()).upper()

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("The date of birth is in the future."))
        if _years_between(born, today) < ADULT_AGE_YEARS:
            raise forms.ValidationError(
                _("The worker must be at least %(age)d years old."), params={"age": ADULT_AGE_YEARS}
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

    def clean(self):
        cleaned = super().clean()
        citizenship, number = cleaned.get("citizenship"), cleaned.get("passport_number")
        if citizenship and number:
            duplicates = Worker.objects.filter(
                employer=self.employer, citizenship=citizenship, passport_number__iexact=number
            )
            if self.instance.pk:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                self.add_error(
                    "passport_number",
                    _("A worker with this passport number and citizenship is already in your registry."),
                )
        return cleaned


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.number} — {obj.name}"


class ApplicationDraftForm(forms.ModelForm):
    """The fields of a draft an employer may change (services.DRAFT_FIELDS)."""

    region = RegionChoiceField(queryset=Region.objects.order_by("number"), label=_("Region of work"))
    # The database refuses more than 60 days; saying so here puts the message next to the field.
    isolation_days = forms.IntegerField(label=_("Isolation days guaranteed"), min_value=0, max_value=60, initial=14)

    class Meta:
        model = Application
        fields = list(DRAFT_FIELDS)
        widgets = {"planned_arrival_date": _date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AddWorkerForm(forms.Form):
    """Puts a worker of the company's registry on the case, with the worker's PCR test time."""

    worker = forms.ModelChoiceField(queryset=Worker.objects.none(), label=_("Worker from your registry"))
    pcr_test_taken_at = forms.DateTimeField(
        label=_("PCR test taken at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME_LOCAL),
        help_text=_("Date and time of the sample, Moscow time. Leave empty if the region accepts a test after arrival."),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda worker: f"{worker.display_name} — {worker.passport_number}"


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(VersionForm):
    message = forms.CharField(
        label=_("Your answer to the authority"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you changed or add the information the officer asked for."),
    )
