"""django-axes adapted to the portal: e-mail logins, authentication without a request, and a
lockout page in the portal's own words."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.accounts.email_address import normalise_email
from portal.security.audit import logger
from portal.security.client_ip import client_ip_address

# AccessAttempt.username holds 255 characters.
MAX_USERNAME = 255


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for every sign-in that comes with a request (the login page, the
    admin's login page). Authentication without a request (Django's test client `login()`, a
    shell) has no address to lock and no attacker behind it, so it is let through to the next
    backend instead of failing with axes' "request required" error."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: people sign in by e-mail in any spelling, so "Clerk@A.example",
    "clerk@a.example" and look-alikes such as "clerK@a.example" (Kelvin sign) or full-width
    letters are one account and share one count of failures: the key is the address normalised
    exactly as sign-in looks it up (normalise_email)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        typed = credentials[field]
    else:
        typed = request.POST.get(field, "") if request is not None else ""
    # PostgreSQL text cannot hold NUL; the attempt is still counted under what remains. The
    # input is cut before normalising so a megabyte of text costs nothing; normalising can
    # lengthen a string, hence the cut after it too.
    return normalise_email(str(typed).replace("\x00", "")[: 4 * MAX_USERNAME])[:MAX_USERNAME]


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a page that says what happened and what to do, with 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    logger.warning(
        "locked_out username=%s ip=%s", repr(lockout_username(request, credentials)[:100]), client_ip_address(request) or "-",
        extra={"event": "locked_out", "client_ip": client_ip_address(request)},
    )
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)
