"""Middlewares of the portal's security: how long a session lives, the second factor of officers
and admins, and the log of refused requests."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from portal.db_roles import refused_change
from portal.security.audit import log_refusal, logger
from portal.security.second_factor import has_confirmed_device, second_factor_required

# Stored in the session, in seconds since the epoch.
SESSION_STARTED_KEY = "security_session_started_at"
SESSION_SEEN_KEY = "security_session_last_seen_at"
# Writing the session on every request would cost a write per page; a minute's precision is plenty.
SEEN_PRECISION_SECONDS = 60


def start_session_clock(session, now: int | None = None) -> None:
    now = int(time.time()) if now is None else now
    session[SESSION_STARTED_KEY] = now
    session[SESSION_SEEN_KEY] = now


@receiver(user_logged_in, dispatch_uid="portal.security.start_session_clock")
def _restart_clock_on_login(sender, request, user, **kwargs) -> None:
    # A new sign-in, even of the same person in the same browser, starts both clocks anew.
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)


class SessionLifetimeMiddleware:
    """Signs a person out after SESSION_IDLE_MINUTES without a request, and after SESSION_MAX_HOURS
    whatever they do, so a session left open on a shared computer or stolen with a cookie does
    not last. Placed after the authentication and message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        started, seen = session.get(SESSION_STARTED_KEY), session.get(SESSION_SEEN_KEY)
        if not isinstance(started, int) or not isinstance(seen, int):
            # A session from before this middleware, or one made by force_login in a test.
            start_session_clock(session, now)
            return
        idle_limit = settings.SESSION_IDLE_MINUTES * 60
        absolute_limit = settings.SESSION_MAX_HOURS * 3600
        if now - seen > idle_limit:
            reason = "idle"
            message = ngettext(
                "You were signed out after %(count)d minute without activity. Sign in again to continue.",
                "You were signed out after %(count)d minutes without activity. Sign in again to continue.",
                settings.SESSION_IDLE_MINUTES,
            ) % {"count": settings.SESSION_IDLE_MINUTES}
        elif now - started > absolute_limit:
            reason = "absolute"
            message = ngettext(
                "You were signed out because a session lasts at most %(count)d hour. Sign in again to continue.",
                "You were signed out because a session lasts at most %(count)d hours. Sign in again to continue.",
                settings.SESSION_MAX_HOURS,
            ) % {"count": settings.SESSION_MAX_HOURS}
        else:
            if now - seen >= SEEN_PRECISION_SECONDS:
                session[SESSION_SEEN_KEY] = now
            return
        user = request.user
        logger.info("session_expired reason=%s user_id=%s email=%s", reason, user.pk, user.email,
                    extra={"event": "session_expired", "reason": reason, "user_id": user.pk, "email": user.email})
        logout(request)
        # The view now sees an anonymous visitor: a protected page sends them to the login page,
        # where this message says why.
        messages.info(request, message)


# URL names an officer or admin may reach before the second factor: the setup and verification
# pages themselves (a recovery code is the verification step without the phone), signing out,
# and the choice of language.
SECOND_FACTOR_EXEMPT = frozenset({"accounts:otp-setup", "accounts:otp-verify", "accounts:otp-recovery", "accounts:logout", "admin:logout", "set_language"})


class SecondFactorMiddleware:
    """With OTP_REQUIRED on, an officer or admin who signed in with a password reaches no page
    (the Django admin included) until they have given a code from their authenticator app in
    this session: they are sent to set the app up if they have none, else to give a code.
    Placed after django_otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or user.is_verified():
            return None
        if request.resolver_match and request.resolver_match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        target = reverse("accounts:otp-verify" if has_confirmed_device(user) else "accounts:otp-setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class RefusalLogMiddleware:
    """Writes to the security log every page a signed-in user was refused by a view: 403 (the
    wrong role) and 404 (a scoped selector found nothing of theirs with that id). Repeated
    refusals of one account are how an employer probing other companies' ids shows up.

    A change the database refused on principle (the app role lacks the right, or an append-only
    trigger said no; portal/db_roles.py) is logged the same way and answered with a page that
    says so, status 409, never a server error: nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, PermissionDenied):
            status = 403
        elif isinstance(exception, Http404):
            status = 404
        elif refused_change(exception):
            status = 409
        else:
            return None
        user = getattr(request, "user", None)
        if status == 409:
            # The database's own words name the table and the operation: for the log, not the page.
            logger.warning("refused_change path=%s error=%s", repr(request.path[:300]), repr(str(exception)[:500]))
        if user is not None and user.is_authenticated:
            log_refusal(request, status=status, reason=type(exception).__name__)
        if status == 409:
            return render(request, "refused_change.html", status=409)
        return None  # Django draws the 403 or 404 page as usual.
