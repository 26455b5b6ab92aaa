"""Making, revoking and checking API keys (docs/api.md).

A key reads `mep_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of the secret is
stored, compared in constant time. A SHA-256 (not a slow password hash) is enough: the secret is
32 random bytes, which no one guesses, and every API request checks it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import ApiKey, ApiKeyKind, Employer
from applications.permissions import employer_id_of
from applications.services.errors import TransitionRefused

KEY_START = "mep_"
# Writing the last-used time on every request would make each read a write; once a minute tells
# the company as much.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
LONGEST_VALIDITY = dt.timedelta(days=366)


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    # The whole key, shown once: the portal keeps only its digest.
    plaintext: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_key(**fields) -> NewKey:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(prefix=prefix, secret_sha256=_digest(secret), **fields)
    return NewKey(key=key, plaintext=f"{KEY_START}{prefix}_{secret}")


def _check_expiry(expires_at: dt.datetime) -> None:
    now = timezone.now()
    if expires_at <= now:
        raise TransitionRefused(_("The key must expire in the future."))
    if expires_at > now + LONGEST_VALIDITY:
        raise TransitionRefused(_("A key may be valid for a year at most."))


@transaction.atomic
def api_key_create(*, employer: Employer, user, name: str, expires_at: dt.datetime) -> NewKey:
    """A company's key, made by one of its members; it acts as that member."""
    if employer_id_of(user) != employer.pk:
        raise TransitionRefused(_("Only the company's own people can make its API keys."))
    _check_expiry(expires_at)
    return _new_key(kind=ApiKeyKind.EMPLOYER, employer=employer, name=name, created_by=user, expires_at=expires_at)


@transaction.atomic
def border_key_create(*, user, name: str, expires_at: dt.datetime, regions=(), nationwide: bool = False) -> NewKey:
    """A border service's read-only key: only an admin makes one (Django admin)."""
    if not (user.is_superuser or user.is_admin):
        raise TransitionRefused(_("Only an administrator can make a border service key."))
    if not nationwide and not regions:
        raise TransitionRefused(_("Choose the regions the key reads, or make it nationwide."))
    _check_expiry(expires_at)
    new = _new_key(kind=ApiKeyKind.BORDER, name=name, created_by=user, expires_at=expires_at, nationwide=nationwide)
    if not nationwide:
        new.key.regions.set(regions)
    return new


@transaction.atomic
def api_key_revoke(*, key: ApiKey, user) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.kind == ApiKeyKind.EMPLOYER and employer_id_of(user) != key.employer_id and not user.is_superuser:
        raise TransitionRefused(_("Only the company's own people can revoke its API keys."))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The usable key `raw` names, or None (unknown, wrong secret, revoked, expired, or a company
    key whose maker has left the company); notes when it was last used."""
    if not raw.startswith(KEY_START) or raw.count("_") < 2:
        return None
    prefix, _sep, secret = raw[len(KEY_START) :].partition("_")
    key = ApiKey.objects.select_related("created_by", "employer").filter(prefix=prefix[:16]).first()
    # Compared even when no key has the prefix, so the time taken does not tell which prefixes exist.
    expected = key.secret_sha256 if key else "0" * 64
    if not hmac.compare_digest(_digest(secret), expected) or key is None:
        return None
    now = timezone.now()
    if not key.is_usable(now) or not key.created_by.is_active:
        return None
    if key.kind == ApiKeyKind.EMPLOYER and employer_id_of(key.created_by) != key.employer_id:
        return None
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
