"""The security log (logger `portal.security`): sign-ins, failed sign-ins, sign-outs, and
refused requests of signed-in users. Each line names the account and the client address, so an
operator can follow one account or one address; passwords are never written."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from portal.security.client_ip import client_ip_address

logger = logging.getLogger("portal.security")

# Enough to recognise what was typed, not enough to fill the log with an attacker's payload.
MAX_LOGGED_USERNAME = 100


def _ip(request: HttpRequest | None) -> str:
    return (client_ip_address(request) if request is not None else None) or "-"


def _typed_username(credentials: dict, request: HttpRequest | None) -> str:
    typed = credentials.get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    # repr() keeps control characters and line breaks from forging log lines.
    return repr(str(typed or "")[:MAX_LOGGED_USERNAME])


@receiver(user_logged_in, dispatch_uid="portal.security.log_login")
def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login user_id=%s email=%s ip=%s", user.pk, user.email, _ip(request),
                extra={"event": "login", "user_id": user.pk, "email": user.email, "client_ip": _ip(request)})


@receiver(user_login_failed, dispatch_uid="portal.security.log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = _typed_username(credentials, request)
    logger.warning("login_failed username=%s ip=%s", username, _ip(request),
                   extra={"event": "login_failed", "username": username, "client_ip": _ip(request)})


@receiver(user_logged_out, dispatch_uid="portal.security.log_logout")
def log_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    logger.info("logout user_id=%s email=%s ip=%s", user.pk, user.email, _ip(request),
                extra={"event": "logout", "user_id": user.pk, "email": user.email, "client_ip": _ip(request)})


def log_refusal(request: HttpRequest, *, status: int, reason: str) -> None:
    """A signed-in user was refused a page: 403 (wrong role) or 404 (not theirs, or not there)."""
    user = request.user
    logger.warning(
        "refused status=%s user_id=%s email=%s ip=%s method=%s path=%s reason=%s",
        status, user.pk, user.email, _ip(request), request.method, repr(request.path[:300]), reason,
        extra={"event": "refused", "status": status, "user_id": user.pk, "email": user.email, "client_ip": _ip(request)},
    )


def log_second_factor_failed(request: HttpRequest) -> None:
    user = request.user
    logger.warning("otp_failed user_id=%s email=%s ip=%s", user.pk, user.email, _ip(request),
                   extra={"event": "otp_failed", "user_id": user.pk, "email": user.email, "client_ip": _ip(request)})
