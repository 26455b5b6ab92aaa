"""The form of the second factor's recovery step: a recovery code typed in place of a code from
the app. Whether the code is right is portal.security.second_factor's business."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.security.second_factor import RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH, normalise_recovery_code


class RecoveryCodeForm(forms.Form):
    # Room for spaces and dashes around the ten characters, and no more.
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}),
        help_text=_("One of the codes you printed or wrote down, e.g. abcde-23456. Each code works once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in")))

    def clean_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != RECOVERY_CODE_LENGTH or any(ch not in RECOVERY_CODE_ALPHABET for ch in code):
            raise ValidationError(
                _("A recovery code is ten letters and digits, e.g. abcde-23456. Check it against your copy."), code="format"
            )
        return code
