"""The company page's forms: inviting a colleague by e-mail, and stating new figures (revenue and
headcount for a year) with their evidence."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.forms.common import embedded_form_helper
from applications.forms.documents import ACCEPTED_FILE_TYPES
from portal.accounts.email_address import normalise_email

# The largest values the database columns hold; beyond them the form says so instead of a 500.
MAX_REVENUE_RUB = 9_223_372_036_854_775_807
MAX_HEADCOUNT = 2_147_483_647
EARLIEST_FIGURES_YEAR = 2000


class YearOfFiguresField(forms.IntegerField):
    """The year figures are for: a past or the current year (not a future one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year the figures are for"))
        kwargs.setdefault("help_text", _("Usually the last full year, e.g. the year of your latest accounts."))
        kwargs.setdefault("min_value", EARLIEST_FIGURES_YEAR)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.localdate().year:
            raise ValidationError(_("The figures must be for a year that has begun: %(year)d at the latest."),
                                  code="future_year", params={"year": timezone.localdate().year})


class EmployerFiguresForm(forms.Form):
    """New figures for eligibility; the file is checked (size, content) by the service."""

    year = YearOfFiguresField()
    annual_revenue_rub = forms.IntegerField(label=_("Yearly revenue, roubles"), min_value=0, max_value=MAX_REVENUE_RUB)
    average_headcount = forms.IntegerField(label=_("Average headcount"), min_value=0, max_value=MAX_HEADCOUNT)
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("The accounts or the tax office's form showing these figures: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("We send a link; with it your colleague chooses a password and joins your company."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


def add_service_errors(form: forms.Form, error) -> None:
    """Puts a service's ValidationError next to the fields it names; what the form has no field
    for goes above the form, so no message is lost and none raises."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
