"""The company page's form: inviting a colleague by e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.common import embedded_form_helper


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("We send a link; with it your colleague chooses a password and joins your company."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


def add_service_errors(form: forms.Form, error) -> None:
    """Puts a service's ValidationError next to the fields it names; what the form has no field
    for goes above the form, so no message is lost and none raises."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
