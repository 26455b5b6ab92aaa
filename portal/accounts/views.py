"""Home by role, company sign-up with e-mail confirmation, and joining a company by invitation.

The views validate with a form, call one service of applications.services.companies, and
redirect (post/redirect/get); a refused or spent link gets a page that says what to do next.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from applications.forms.company import add_service_errors
from applications.selectors.company import open_invitation_by_token
from applications.services import TransitionRefused
from applications.services.companies import (
    account_confirm_email,
    company_register,
    confirmation_email_resend,
    invitation_accept,
)

from .forms import AcceptInvitationForm, CompanyRegistrationForm, ResendConfirmationForm
from .models import Role

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
            company_register(password=form.cleaned_data["password1"], site_url=_site_url(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("accounts:register-done")
    return render(request, "registration/register.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/register_done.html")


@require_http_methods(["GET", "HEAD"])
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = account_confirm_email(uidb64=uidb64, token=token)
    except TransitionRefused as exc:
        return render(request, "registration/confirm_email_invalid.html", {"reason": exc.message}, status=400)
    login(request, user)
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


# Joining a company by invitation


def _invitation_invalid(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "registration/invitation_invalid.html", {"reason": reason}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation_by_token(token=token)
    if invitation is None:
        return _invitation_invalid(request)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"])
        except TransitionRefused as exc:
            return _invitation_invalid(request, exc.message)
        login(request, user)
        messages.success(request, gettext("Welcome to %(company)s: you are signed in.") % {"company": invitation.employer.name})
        return redirect("applications:employer-home")
    return render(request, "registration/accept_invitation.html", {"form": form, "invitation": invitation})
