"""Forms of signing in, signing up a company, confirming the e-mail and accepting an invitation.
They validate and shape what a person typed; applications.services.companies persists it."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.forms.company import MAX_HEADCOUNT, MAX_REVENUE_RUB, YearOfFiguresField
from applications.forms.employer import RegionChoiceField
from applications.models import Employer, EmployerKind
from applications.validators import kind_number_errors, validate_inn, validate_ogrn
from portal.accounts.email_address import NormalisedEmailField
from portal.accounts.models import User
from regions.models import Region


def _form_helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class LoginForm(AuthenticationForm):
    """Django's own form (fields `username` and `password`), labelled for e-mail login."""

    # Normalised, so the backend and the lockout see one spelling of the address (email_address.py).
    username = NormalisedEmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "unconfirmed": _("Confirm your e-mail first: we sent you a link. If it has not arrived, ask for a new one."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper(_("Sign in"))

    def get_invalid_login_error(self):
        # Django's backend never returns an inactive user, so an account waiting for its e-mail
        # confirmation looks like a wrong password. Tell its owner (and only someone who knows
        # the password) what to do instead.
        if self._awaits_confirmation(self.cleaned_data.get("username"), self.cleaned_data.get("password")):
            return ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")
        return super().get_invalid_login_error()

    @staticmethod
    def _awaits_confirmation(email: str | None, password: str | None) -> bool:
        if not email or not password:
            return False
        user = User.objects.filter(email=email, is_active=False, last_login__isnull=True).first()
        return user is not None and user.check_password(password)


class NewPasswordFieldsMixin(forms.Form):
    """A password typed twice, checked by the portal's password validators against the person's
    own e-mail and name (`_password_owner`)."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure of it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so it is in the language of the request.
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def _password_owner(self) -> User:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            try:
                password_validation.validate_password(password1, self._password_owner())
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CompanyRegistrationForm(NewPasswordFieldsMixin):
    """The first member's account and the company, in one form.

    Whether the address, the INN or the OGRN is already on the portal is not checked here: the
    page must answer the same either way (no probing for accounts or companies), so the service
    decides and says the rest by e-mail."""

    email = NormalisedEmailField(label=_("Your work e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(label=_("Your full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name = forms.CharField(
        label=_("Company name"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("As in the state register, e.g. ООО «Стройка»."),
    )
    inn = forms.CharField(
        label=_("INN"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("10 digits for a company, 12 for an individual entrepreneur."),
    )
    ogrn = forms.CharField(
        label=_("OGRN / OGRNIP"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("13 digits for a company (OGRN), 15 for an individual entrepreneur (OGRNIP)."),
    )
    legal_address = forms.CharField(
        label=_("Legal address"), max_length=500, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    region = RegionChoiceField(
        queryset=Region.objects.order_by("number"), label=_("Region of registration"),
        help_text=_("Officers of this region verify your company."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        validators=[
            RegexValidator(
                r"^\+?[\d\s()\-]*\d[\d\s()\-]*$", _("Write the phone number with digits, e.g. +7 495 123-45-67."), code="phone"
            )
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of company"), choices=EmployerKind.choices, widget=forms.RadioSelect,
        help_text=_("A legal entity has a 10-digit INN and a 13-digit OGRN; an entrepreneur a 12-digit INN and a 15-digit OGRNIP."),
    )
    figures_year = YearOfFiguresField()
    annual_revenue_rub = forms.IntegerField(
        label=_("Yearly revenue, roubles"), min_value=0, max_value=MAX_REVENUE_RUB,
        help_text=_("Regions accept applications only from employers above the federal thresholds."),
    )
    average_headcount = forms.IntegerField(label=_("Average headcount"), min_value=0, max_value=MAX_HEADCOUNT)
    language = forms.ChoiceField(
        label=_("Language of letters"), choices=Employer._meta.get_field("language").choices,
        help_text=_("The portal writes to your company in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = "en" if (get_language() or "ru").startswith("en") else "ru"
        self.helper = _form_helper(_("Register the company"))
        self.helper.layout = Layout(
            Fieldset(_("You"), "email", "full_name", "password1", "password2"),
            Fieldset(
                _("Your company"), "name", "kind", "inn", "ogrn", "legal_address", "region", "phone", "language",
            ),
            Fieldset(_("Figures for eligibility"), "figures_year", "annual_revenue_rub", "average_headcount"),
        )

    def _password_owner(self) -> User:
        return User(email=self.cleaned_data.get("email", ""), full_name=self.cleaned_data.get("full_name", ""))

    def clean_inn(self) -> str:
        inn = "".join(self.cleaned_data["inn"].split())
        validate_inn(inn)
        return inn

    def clean_ogrn(self) -> str:
        ogrn = "".join(self.cleaned_data["ogrn"].split())
        validate_ogrn(ogrn)
        return ogrn

    def clean(self):
        cleaned = super().clean()
        # Each number that does not fit the kind is said next to its own field.
        for field, error in kind_number_errors(cleaned.get("kind", ""), cleaned.get("inn", ""), cleaned.get("ogrn", "")).items():
            self.add_error(field, error)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = NormalisedEmailField(
        label=_("The e-mail you registered with"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper(_("Send a new link"))


class PasswordResetRequestForm(forms.Form):
    email = NormalisedEmailField(
        label=_("The e-mail you sign in with"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper(_("Send me a link"))


class NewPasswordForm(SetPasswordForm):
    """Django's form of a new password (typed twice, checked by the validators), with the
    portal's button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper(_("Set the new password"))


class AcceptInvitationForm(NewPasswordFieldsMixin):
    """The invited colleague's name and password; the e-mail is the one the invitation went to."""

    full_name = forms.CharField(label=_("Your full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))

    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _form_helper(_("Join the company"))

    def _password_owner(self) -> User:
        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class SecondFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app; whether it is right is the device's business."""

    token = forms.CharField(
        label=_("Code from your authenticator app"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("Six digits; the app shows a new code every 30 seconds."),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper(submit_label or _("Continue"))

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit()) or not 6 <= len(token) <= 8:
            raise ValidationError(_("Type the digits the app shows, e.g. 123456."), code="digits")
        return token
