"""The second factor of officers and admins: a TOTP authenticator app (django-otp).

Who must use it, and the two writes it needs: the device made when someone starts the setup,
and its confirmation with a first code. The secret is shown only until the device is
confirmed; a lost phone is handled by an admin deleting the device in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import Role

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
