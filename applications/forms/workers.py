"""The worker form of the company's registry. It validates; services.worker_create persists."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.forms.common import date_input, embedded_form_helper, years_between
from applications.models import Employer, Worker
from regions.countries import country_choices

ADULT_AGE_YEARS = 18


class WorkerForm(forms.ModelForm):
    """A foreign worker for the company's registry. Repeats the database's rule "one passport
    per citizenship per company" so a duplicate gets a message next to the passport number."""

    class Meta:
        model = Worker
        fields = [
            "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "sex", "date_of_birth",
            "citizenship", "passport_number", "passport_expiry", "occupation", "phone",
        ]
        widgets = {"date_of_birth": date_input(), "passport_expiry": date_input()}

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        # Country names in the user's language, sorted in that language.
        self.fields["citizenship"].choices = [("", "---------"), *country_choices()]
        self.helper = embedded_form_helper()

    def clean_passport_number(self) -> str:
        # Stored without spaces and in capitals, so "aa 123" and "AA123" are one passport.
        return "".join(self.cleaned_data["passport_number"].split()).upper()

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("The date of birth is in the future."))
        if years_between(born, today) < ADULT_AGE_YEARS:
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
