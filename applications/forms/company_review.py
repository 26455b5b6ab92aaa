"""The forms of a company's verification (the officer's card) and of its details (the company's
own page): they validate and shape; the services in company_verification.py and
company_details.py decide and record."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.common import embedded_form_helper
from applications.models import Employer
from applications.services.company_verification import REFUSAL_REASON_MAX_LENGTH


class _EmbeddedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class VerifyCompanyCardForm(_EmbeddedForm):
    company_checked = forms.BooleanField(
        label=_("I have checked the company's INN and OGRN against the state register"),
        error_messages={"required": _("Confirm that you have checked the company before verifying it.")},
    )


class RefuseCompanyForm(_EmbeddedForm):
    reason = forms.CharField(
        label=_("Reason for refusing"),
        max_length=REFUSAL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company's members read it by e-mail and on their company page: say what to correct."),
        error_messages={"required": _("Say why, so the company knows what to correct.")},
    )


class AskAgainForm(_EmbeddedForm):
    note = forms.CharField(
        label=_("What you corrected (optional)"),
        max_length=REFUSAL_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _model_field(name: str):
    return Employer._meta.get_field(name)


class CompanyDetailsForm(_EmbeddedForm):
    """The details a member may change; the INN, OGRN and region stay as verified."""

    name = forms.CharField(label=_("Company name"), max_length=_model_field("name").max_length)
    legal_address = forms.CharField(label=_("Legal address"), max_length=_model_field("legal_address").max_length)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=_model_field("phone").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
