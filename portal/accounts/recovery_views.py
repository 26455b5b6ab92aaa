"""Recovery codes of the second factor: the page that makes a new set (shown once), and the
sign-in step that takes a recovery code in place of a code from the app. The rules, the hashing
and the security log live in portal.security.second_factor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from portal.security.client_ip import client_ip_address
from portal.security.second_factor import (
    RecoveryRefusal,
    format_recovery_code,
    has_confirmed_device,
    recovery_code_use,
    recovery_codes_generate,
    recovery_codes_left,
)

from .recovery_forms import RecoveryCodeForm
from .views import _after_second_factor


def _refusal_message(refusal: RecoveryRefusal) -> str:
    if refusal is RecoveryRefusal.USED:
        return gettext("This recovery code has already been used; each code works once. Type another one.")
    if refusal is RecoveryRefusal.THROTTLED:
        return gettext(
            "Too many wrong codes were typed just now. Wait a little and try again; each wrong code makes the wait longer."
        )
    return gettext("This recovery code is not right. Check it against your copy; codes from an older set no longer work.")


def _to(name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def otp_recovery(request: HttpRequest) -> HttpResponse:
    """The second-factor step for someone without their phone: one recovery code, used up."""
    if not has_confirmed_device(request.user):
        return _to("accounts:otp-setup", request.GET.get("next", ""))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = recovery_code_use(user=request.user, code=form.cleaned_data["code"], client_ip=client_ip_address(request))
        if result.refusal is RecoveryRefusal.NO_DEVICE:  # reset by an admin a moment ago
            return _to("accounts:otp-setup", request.GET.get("next", ""))
        if result.refusal is not None:
            form.add_error("code", _refusal_message(result.refusal))
        else:
            otp_login(request, result.device)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code; it no longer works. %(count)d code is left. "
                    "If your phone is lost, ask an administrator to reset your second factor.",
                    "You signed in with a recovery code; it no longer works. %(count)d codes are left. "
                    "If your phone is lost, ask an administrator to reset your second factor.",
                    result.codes_left,
                )
                % {"count": result.codes_left},
            )
            return _after_second_factor(request)
    return render(request, "registration/otp_recovery.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # the codes are on the page: no cache may keep it
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and a button that makes a new set and shows it once."""
    here = reverse("accounts:otp-recovery-codes")
    if not has_confirmed_device(request.user):
        return _to("accounts:otp-setup", here)
    # Codes open the account without the phone: only a session that gave the second factor makes them.
    if not request.user.is_verified():
        return _to("accounts:otp-verify", here)
    codes = None
    if request.method == "POST":
        codes = [
            format_recovery_code(code)
            for code in recovery_codes_generate(user=request.user, client_ip=client_ip_address(request))
        ]
    context = {"codes": codes, "codes_left": recovery_codes_left(user=request.user)}
    return render(request, "registration/otp_recovery_codes.html", context)
