"""Home by role, company sign-up with e-mail confirmation, password reset, joining a company by
invitation, and the second factor of officers and admins.

The views validate with a form, call one service of applications.services.companies, and
redirect (post/redirect/get); a refused or spent link gets a page that says what to do next.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from applications.forms.company import add_service_errors
from applications.selectors.company import open_invitation_by_token
from applications.services import TransitionRefused
from applications.services.companies import (
    account_confirm_email,
    company_register,
    confirmation_email_resend,
    confirmation_link_account,
    invitation_accept,
    password_reset_request,
)
from portal.security.audit import log_second_factor_failed
from portal.security.second_factor import has_confirmed_device, totp_device_confirm, totp_device_for_setup

from .forms import (
    AcceptInvitationForm,
    CompanyRegistrationForm,
    PasswordResetRequestForm,
    ResendConfirmationForm,
    SecondFactorCodeForm,
)
from .models import Role

INVITATION_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

# A confirmation or invitation link signs the person in as their password would; with the lockout
# backend listed too, Django needs to be told which backend vouches for them.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"

HOME_BY_ROLE = {
    Role.EMPLOYER: "applications:employer-home",
    Role.OFFICER: "applications:review-queue",
    Role.ADMIN: "admin:index",
}


@login_required
def home(request):
    """`/` sends each role to its own home page."""
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:
        raise PermissionDenied
    return redirect(target)


def _site_url(request: HttpRequest) -> str:
    # The links in e-mails point back to the address the person used (Host is checked
    # against ALLOWED_HOSTS, as for Django's password reset).
    return request.build_absolute_uri("/")


# Sign-up and e-mail confirmation


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = CompanyRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name not in ("password1", "password2")}
        try:
            # None when the address or the company is already known: the same page follows, and
            # the e-mail says the rest (no probing for accounts or companies).
            company_register(password=form.cleaned_data["password1"], site_url=_site_url(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("accounts:register-done")
    return render(request, "registration/register.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/register_done.html")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Opening the link shows whose account it confirms and a button; only the button (a POST
    with this page's CSRF token) confirms and signs in. A GET that signed in would let anyone
    who sends a person their own link sign that person into their account, and mail scanners
    that open links would spend it."""
    try:
        if request.method == "POST":
            user = account_confirm_email(uidb64=uidb64, token=token)
        else:
            account = confirmation_link_account(uidb64=uidb64, token=token)
            return render(request, "registration/confirm_email.html", {"account_email": account.email})
    except TransitionRefused as exc:
        return render(request, "registration/confirm_email_invalid.html", {"reason": exc.message}, status=400)
    login(request, user, backend=PASSWORD_BACKEND)
    messages.success(
        request,
        gettext(
            "Your e-mail is confirmed and you are signed in. Until an officer of your region or an admin "
            "verifies your company, you can prepare drafts but not submit them."
        ),
    )
    return redirect("applications:employer-home")


@require_http_methods(["GET", "HEAD", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmation_email_resend(email=form.cleaned_data["email"], site_url=_site_url(request))
        # The same answer whether or not such an account exists, so nobody can probe for accounts.
        messages.info(
            request,
            gettext("If an account with this e-mail is waiting for confirmation, we have sent a new link to it. "
                    "Check your inbox and spam folder."),
        )
        return redirect("accounts:login")
    return render(request, "registration/resend_confirmation.html", {"form": form})


# Password reset (setting the new password is Django's view, see urls.py)


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"], site_url=_site_url(request))
        # The same page whether or not the address has an account.
        return redirect("accounts:password-reset-done")
    return render(request, "registration/password_reset_request.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_sent.html")


# Joining a company by invitation


def _invitation_invalid(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "registration/invitation_invalid.html", {"reason": reason}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    # Tokens are URL-safe base64 (secrets.token_urlsafe); anything else in the link, such as a NUL
    # that PostgreSQL would refuse to compare, is simply not an invitation.
    if not INVITATION_TOKEN.fullmatch(token):
        return _invitation_invalid(request)
    invitation = open_invitation_by_token(token=token)
    if invitation is None:
        return _invitation_invalid(request)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"])
        except TransitionRefused as exc:
            return _invitation_invalid(request, exc.message)
        login(request, user, backend=PASSWORD_BACKEND)
        messages.success(request, gettext("Welcome to %(company)s: you are signed in.") % {"company": invitation.employer.name})
        return redirect("applications:employer-home")
    return render(request, "registration/accept_invitation.html", {"form": form, "invitation": invitation})


# The second factor (officers and admins, when OTP_REQUIRED is on; see portal/security)


def _after_second_factor(request: HttpRequest) -> HttpResponse:
    """Where the page the person first asked for was, if it is on this site; else their home."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("home")


def _totp_secret(device) -> str:
    """The key as the letters an authenticator app asks for when it cannot scan a code."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # the page shows the secret: no cache may keep it
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Shows the secret of a new authenticator device and confirms it with a first code. Once a
    device is confirmed the secret is never shown again: a code is asked for instead."""
    if has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:otp-verify')}?{urlencode({'next': request.GET.get('next', '')})}")
    device = totp_device_for_setup(user=request.user)
    form = SecondFactorCodeForm(request.POST or None, submit_label=gettext("Confirm the app"))
    if request.method == "POST" and form.is_valid():
        confirmed = totp_device_confirm(user=request.user, device_id=device.pk, token=form.cleaned_data["token"])
        if confirmed is None:
            form.add_error(
                "token", gettext("This code is not right. Check the key typed into the app, wait for a new code and type that one.")
            )
        else:
            otp_login(request, confirmed)
            messages.success(request, gettext("Your authenticator app is set up. From now on you sign in with a code from it."))
            return _after_second_factor(request)
    context = {"form": form, "secret": _totp_secret(device), "config_url": device.config_url}
    return render(request, "registration/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:otp-setup')}?{urlencode({'next': request.GET.get('next', '')})}")
    form = SecondFactorCodeForm(request.POST or None, submit_label=gettext("Sign in"))
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            log_second_factor_failed(request)
            # django-otp also refuses codes for a while after wrong ones (throttling), hence the wait.
            form.add_error("token", gettext("This code is not right. Wait for the app to show a new code and type that one."))
        else:
            otp_login(request, device)
            return _after_second_factor(request)
    return render(request, "registration/otp_verify.html", {"form": form})
