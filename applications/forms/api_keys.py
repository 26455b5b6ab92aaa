"""The form that makes a company's API key (applications/services/api_keys.py persists it)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.forms.common import date_input, embedded_form_helper

DEFAULT_VALIDITY_DAYS = 90
LONGEST_VALIDITY_DAYS = 365


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name of the key"), max_length=100, help_text=_("What the key is for, e.g. the HR system."))
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=date_input(),
        help_text=_("The key stops working at the end of this day; at most a year from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=DEFAULT_VALIDITY_DAYS)
        self.helper = embedded_form_helper()

    def clean_expires_on(self) -> dt.date:
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."), code="expiry_past")
        if day > today + dt.timedelta(days=LONGEST_VALIDITY_DAYS):
            raise forms.ValidationError(_("A key may be valid for a year at most."), code="expiry_too_far")
        return day

    @property
    def expires_at(self) -> dt.datetime:
        """The end of the chosen day in the portal's time zone."""
        next_day = self.cleaned_data["expires_on"] + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(next_day, dt.time()))
