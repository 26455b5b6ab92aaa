"""The second factor of officers and admins: a TOTP authenticator app (django-otp).

Who must use it, and the two writes it needs: the device made when someone starts the setup,
and its confirmation with a first code. The secret is shown only until the device is
confirmed. For a lost phone: recovery codes the person printed beforehand (single use, stored
only as keyed hashes), and an admin's reset (the admin action "Reset the second factor", with its
own permission). Every use of a recovery code and every reset goes to the security log."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import RecoveryCode, Role, User
from portal.security.audit import logger

DEVICE_NAME = "Authenticator app"


def second_factor_required(user) -> bool:
    """Officers decide on people's entry and admins can change everything: with OTP_REQUIRED
    on, a password alone is not enough for them."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.role in (Role.OFFICER, Role.ADMIN) or user.is_staff or user.is_superuser


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


@transaction.atomic
def totp_device_for_setup(*, user) -> TOTPDevice:
    """The user's unconfirmed device, made on the first visit to the setup page and the same
    one on every reload, so the secret already typed into the app stays the right one."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user, device_id: int, token: str) -> TOTPDevice | None:
    """Confirms the device when the code is right (and the device is the user's and still
    unconfirmed); None otherwise. Wrong codes are throttled by django-otp itself."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, pk=device_id, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


# Recovery codes

# Ten is what people get from most services: enough for the weeks until an admin resets the app,
# few enough to print on one slip.
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code is copied from paper by hand. Ten letters of 31 give about 49 bits; with
# django-otp's doubling wait after each wrong code, guessing one is out of reach.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
_RECOVERY_CODE_SALT = "portal.security.second_factor.recovery_code"


def _recovery_code_hash(*, user_id: int, code: str, secret: str) -> str:
    # HMAC keyed from SECRET_KEY (not a bare hash): ten letters are too few to survive a brute
    # force of a stolen table, a key the database never holds is not. The user id is in the
    # message, so one person's code is nobody else's.
    return salted_hmac(_RECOVERY_CODE_SALT, f"{user_id}:{code}", secret=secret, algorithm="sha256").hexdigest()


def _recovery_code_hashes(*, user_id: int, code: str) -> list[str]:
    """The hash under SECRET_KEY and under every fallback, so rotating the key keeps codes valid."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_recovery_code_hash(user_id=user_id, code=code, secret=secret) for secret in secrets_]


def normalise_recovery_code(typed: str) -> str:
    """What the person typed, as stored: without spaces or dashes, lower case."""
    return "".join(ch for ch in typed if ch not in " -\t").lower()


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def format_recovery_code(code: str) -> str:
    """Two groups of five, as printed: easier to copy and to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def recovery_codes_generate(*, user, client_ip: str | None = None) -> list[str]:
    """A new set of codes, returned once in plain text (shown on the page, never stored); every
    earlier code of the person stops working."""
    # Two clicks at once must not leave two valid sets: the user's row is the lock.
    User.objects.select_for_update().filter(pk=user.pk).first()
    RecoveryCode.objects.filter(user=user).delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = _new_recovery_code()
        if code not in codes:
            codes.append(code)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_code_hash(user_id=user.pk, code=code, secret=settings.SECRET_KEY))
        for code in codes
    )
    logger.info("recovery_codes_generated user_id=%s email=%s ip=%s count=%s", user.pk, user.email, client_ip or "-", len(codes),
                extra={"event": "recovery_codes_generated", "user_id": user.pk, "email": user.email, "client_ip": client_ip})
    return codes


class RecoveryRefusal(enum.Enum):
    NO_DEVICE = "no_device"  # nothing to recover: the person sets up an app instead
    THROTTLED = "throttled"  # too many wrong codes (of the app or recovery codes) just now
    WRONG = "wrong"
    USED = "used"


@dataclass(frozen=True)
class RecoveryResult:
    device: TOTPDevice | None = None  # the device the session is marked verified with
    refusal: RecoveryRefusal | None = None
    codes_left: int = 0


@transaction.atomic
def recovery_code_use(*, user, code: str, client_ip: str | None = None) -> RecoveryResult:
    """Spends one recovery code of `user` in place of a code from the app.

    Wrong and already used codes count against the same django-otp throttle as wrong app codes
    (the user's confirmed devices, locked here): recovery codes are no second, unthrottled door.
    The code's row is locked too, so two requests with one code cannot both get in."""
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"))
    if not devices:
        return RecoveryResult(refusal=RecoveryRefusal.NO_DEVICE)
    ip = client_ip or "-"
    extra = {"user_id": user.pk, "email": user.email, "client_ip": client_ip}
    if not all(device.verify_is_allowed()[0] for device in devices):
        logger.warning("recovery_code_failed reason=throttled user_id=%s email=%s ip=%s", user.pk, user.email, ip,
                       extra={"event": "recovery_code_failed", "reason": "throttled", **extra})
        return RecoveryResult(refusal=RecoveryRefusal.THROTTLED)
    normalised = normalise_recovery_code(code)
    row = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash__in=_recovery_code_hashes(user_id=user.pk, code=normalised))
        .first()
        if normalised
        else None
    )
    if row is None or row.used_at is not None:
        refusal = RecoveryRefusal.WRONG if row is None else RecoveryRefusal.USED
        for device in devices:
            device.throttle_increment()
        logger.warning("recovery_code_failed reason=%s user_id=%s email=%s ip=%s", refusal.value, user.pk, user.email, ip,
                       extra={"event": "recovery_code_failed", "reason": refusal.value, **extra})
        return RecoveryResult(refusal=refusal)
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    for device in devices:
        device.throttle_reset()
    left = recovery_codes_left(user=user)
    logger.warning("recovery_code_used user_id=%s email=%s ip=%s codes_left=%s", user.pk, user.email, ip, left,
                   extra={"event": "recovery_code_used", "codes_left": left, **extra})
    return RecoveryResult(device=devices[0], codes_left=left)


@transaction.atomic
def second_factor_reset(*, user, by, client_ip: str | None = None) -> None:
    """For a lost phone: removes every device and recovery code of `user`, so at the next sign-in
    they set up a new app. A session verified with the old device is no longer verified."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    RecoveryCode.objects.filter(user=user).delete()
    logger.warning(
        "second_factor_reset user_id=%s email=%s by_user_id=%s by_email=%s ip=%s",
        user.pk, user.email, by.pk, by.email, client_ip or "-",
        extra={"event": "second_factor_reset", "user_id": user.pk, "email": user.email, "by_user_id": by.pk,
               "by_email": by.email, "client_ip": client_ip},
    )
