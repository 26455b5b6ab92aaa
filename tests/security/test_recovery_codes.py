"""Recovery codes of the second factor (shown once, single use, stored as keyed hashes) and the
admin's reset of a lost phone, both in the security log (issue 16, item 10)."""

import hashlib
import logging
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import RecoveryCode, Role
from portal.security.second_factor import RECOVERY_CODE_COUNT, recovery_code_use, recovery_codes_generate
from tests.concurrency import run_at_once
from tests.portal.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RECOVERY = "/accounts/second-factor/recovery/"
CODES_PAGE = "/accounts/second-factor/recovery-codes/"
USERS_ADMIN = "/admin/accounts/user/"


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def phone(officer):
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


def sign_in(client, user):
    client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})


def sign_in_with_the_app(client, user, device):
    sign_in(client, user)
    client.post(reverse("accounts:otp-verify"), {"token": f"{totp(device.bin_key):06d}"})


def codes_on(page: str) -> list[str]:
    listing = re.search(r'<ol[^>]*id="recovery-codes">(.*?)</ol>', page, re.S).group(1)
    return re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", listing)


def field_errors(response) -> str:
    return " ".join(str(error) for error in response.context["form"].errors.get("code", []))


def security_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "portal.security"]


def is_held(client) -> bool:
    return client.get("/review/").status_code == 302


# The page of codes


def test_the_codes_page_makes_ten_codes_shows_them_once_and_is_never_cached(client, officer, phone, otp_required):
    sign_in_with_the_app(client, officer, phone)

    before = client.get(CODES_PAGE)
    assert before.status_code == 200
    assert "You have 0 unused recovery codes." in before.content.decode()

    response = client.post(CODES_PAGE)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = codes_on(response.content.decode())
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    # Afterwards the page says how many are left, never the codes again.
    again = client.get(CODES_PAGE).content.decode()
    assert "You have 10 unused recovery codes." in again
    assert not any(code in again for code in codes)


def test_the_user_menu_links_to_the_codes_page_once_the_second_factor_was_given(client, officer, phone, otp_required):
    sign_in_with_the_app(client, officer, phone)
    assert CODES_PAGE in client.get("/review/").content.decode()


def test_codes_are_made_only_with_a_post(client, officer, phone, otp_required):
    sign_in_with_the_app(client, officer, phone)
    client.get(CODES_PAGE)
    assert not RecoveryCode.objects.exists()


def test_a_session_without_the_second_factor_cannot_make_codes(client, officer, phone):
    # With OTP_REQUIRED off nothing else holds the officer: the page itself asks for the app's code.
    sign_in(client, officer)

    response = client.post(CODES_PAGE)

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp-verify"))
    assert not RecoveryCode.objects.exists()


def test_codes_are_stored_only_as_keyed_hashes(client, officer, phone, otp_required):
    sign_in_with_the_app(client, officer, phone)
    codes = codes_on(client.post(CODES_PAGE).content.decode())

    stored = list(RecoveryCode.objects.filter(user=officer).values_list("code_hash", flat=True))

    assert len(stored) == RECOVERY_CODE_COUNT
    for code in codes:
        plain = code.replace("-", "")
        assert not any(plain in value or code in value for value in stored)
        # Not a bare hash either, which ten letters would not survive.
        assert hashlib.sha256(plain.encode()).hexdigest() not in stored
        assert hashlib.sha256(code.encode()).hexdigest() not in stored


def test_a_new_set_voids_the_old_one(client, officer, phone, otp_required):
    sign_in_with_the_app(client, officer, phone)
    old = codes_on(client.post(CODES_PAGE).content.decode())
    new = codes_on(client.post(CODES_PAGE).content.decode())
    assert not set(old) & set(new)
    assert RecoveryCode.objects.filter(user=officer).count() == RECOVERY_CODE_COUNT
    client.post(reverse("accounts:logout"))
    sign_in(client, officer)

    refused = client.post(RECOVERY, {"code": old[0]})
    assert "This recovery code is not right" in field_errors(refused)
    assert is_held(client)

    phone.refresh_from_db()
    phone.throttle_reset()  # the wrong code made the next try wait a second
    accepted = client.post(RECOVERY, {"code": new[0]})
    assert accepted.status_code == 302
    assert not is_held(client)


# Signing in with a code


def test_a_recovery_code_signs_in_once_and_its_second_use_is_refused(client, officer, phone, otp_required):
    code = recovery_codes_generate(user=officer)[3]
    sign_in(client, officer)
    held = client.get("/review/statistics/")
    assert held.url.startswith(reverse("accounts:otp-verify"))
    assert RECOVERY in client.get(held.url).content.decode()  # the verify page offers the way

    response = client.post(f"{RECOVERY}?next=/review/statistics/", {"code": f"  {code[:5].upper()}-{code[5:]} "})

    assert response.status_code == 302 and response.url == "/review/statistics/"
    page = client.get("/review/statistics/")
    assert page.status_code == 200
    assert "You signed in with a recovery code; it no longer works. 9 codes are left." in page.content.decode()
    assert RecoveryCode.objects.get(user=officer, used_at__isnull=False)

    client.post(reverse("accounts:logout"))
    sign_in(client, officer)
    again = client.post(RECOVERY, {"code": code})

    assert again.status_code == 200
    assert "This recovery code has already been used" in field_errors(again)
    assert is_held(client)


def test_a_code_that_is_not_one_in_form_is_refused_next_to_the_field(client, officer, phone, otp_required):
    sign_in(client, officer)
    for typed in ("", "123456", "abcde-fghij-klmno", "<script>", "abcd\x00efghj"):
        response = client.post(RECOVERY, {"code": typed})
        assert response.status_code in (200, 400), typed
        assert is_held(client)
    assert "A recovery code is ten letters and digits" in field_errors(client.post(RECOVERY, {"code": "123456"}))


def test_a_wrong_code_is_refused_and_counts_toward_the_same_wait_as_a_wrong_app_code(client, officer, phone, otp_required):
    codes = recovery_codes_generate(user=officer)
    sign_in(client, officer)

    wrong = client.post(RECOVERY, {"code": "zzzzz-zzzzz" if "zzzzzzzzzz" not in codes else "yyyyy-yyyyy"})

    assert "This recovery code is not right" in field_errors(wrong)
    phone.refresh_from_db()
    assert phone.throttling_failure_count == 1  # the counter the app's codes use
    # After a run of wrong codes even a right one waits, like a right code from the app.
    phone.throttling_failure_count = 8
    phone.save()
    waiting = client.post(RECOVERY, {"code": codes[0]})
    assert "Too many wrong codes were typed just now" in field_errors(waiting)
    assert is_held(client)
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()  # nothing was spent


def test_wrong_codes_from_the_app_make_the_recovery_step_wait_too(client, officer, phone, otp_required):
    codes = recovery_codes_generate(user=officer)
    sign_in(client, officer)
    client.post(reverse("accounts:otp-verify"), {"token": "000000" if totp(phone.bin_key) else "111111"})
    phone.refresh_from_db()
    phone.throttling_failure_count = 8  # as after eight wrong codes in a row
    phone.save()

    response = client.post(RECOVERY, {"code": codes[0]})

    assert "Too many wrong codes" in field_errors(response)
    assert is_held(client)


def test_a_used_code_also_counts_as_a_wrong_try(officer, phone):
    code = recovery_codes_generate(user=officer)[0]
    assert recovery_code_use(user=officer, code=code).device == phone

    recovery_code_use(user=officer, code=code)

    phone.refresh_from_db()
    assert phone.throttling_failure_count == 1


def test_someone_elses_code_does_not_work(officer, phone):
    other = UserFactory(role=Role.OFFICER, email="other@77.example")
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    code = recovery_codes_generate(user=other)[0]

    assert recovery_code_use(user=officer, code=code).device is None


def test_every_use_and_every_refusal_of_a_code_is_logged(client, officer, phone, otp_required, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    code = recovery_codes_generate(user=officer)[0]
    sign_in(client, officer)

    client.post(RECOVERY, {"code": "zzzzz-zzzzz"}, REMOTE_ADDR="203.0.113.5")
    phone.refresh_from_db()
    phone.throttle_reset()
    client.post(RECOVERY, {"code": code}, REMOTE_ADDR="203.0.113.5")

    lines = security_lines(caplog)
    assert f"recovery_code_failed reason=wrong user_id={officer.pk} email={officer.email} ip=203.0.113.5" in lines
    assert f"recovery_code_used user_id={officer.pk} email={officer.email} ip=203.0.113.5 codes_left=9" in lines
    assert not any(code in line for line in lines)


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_code_at_once_get_in_only_once(officer, phone):
    code = recovery_codes_generate(user=officer)[0]

    results = run_at_once([lambda: recovery_code_use(user=officer, code=code)] * 2)

    assert not any(isinstance(result, Exception) for result in results), results
    assert sorted(result.device is not None for result in results) == [False, True]


# The admin's reset


@pytest.fixture
def support_admin(db):
    """A staff member who may change users but was not given the right to reset a second factor."""
    user = UserFactory(email="support@example.com", role=Role.ADMIN, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return user


def verified_client(user) -> Client:
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(user)
    # With OTP_REQUIRED on the admin too is held until the second factor: give it.
    device = TOTPDevice.objects.create(user=user, name="admin phone", confirmed=True)
    other.post(reverse("accounts:otp-verify"), {"token": f"{totp(device.bin_key):06d}"})
    return other


def reset(client, user):
    return client.post(USERS_ADMIN, {"action": "reset_second_factor", "_selected_action": [user.pk]}, follow=True)


def test_the_reset_is_refused_without_its_own_permission(client, officer, phone, support_admin):
    recovery_codes_generate(user=officer)
    client.force_login(support_admin)

    changelist = client.get(USERS_ADMIN)
    assert changelist.status_code == 200  # they do reach the list of users
    assert "reset_second_factor" not in changelist.content.decode()
    response = reset(client, officer)

    assert response.status_code == 200
    assert "was reset" not in response.content.decode()

    assert TOTPDevice.objects.filter(user=officer).exists()
    assert RecoveryCode.objects.filter(user=officer).count() == RECOVERY_CODE_COUNT


def test_with_the_permission_the_reset_removes_the_app_and_the_codes_and_is_logged(
    client, officer, phone, support_admin, caplog, settings
):
    caplog.set_level(logging.INFO, logger="portal.security")
    recovery_codes_generate(user=officer)
    support_admin.user_permissions.add(Permission.objects.get(codename="reset_second_factor", content_type__app_label="accounts"))
    client.force_login(support_admin)

    response = reset(client, officer)

    assert "The second factor of 1 user was reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not RecoveryCode.objects.filter(user=officer).exists()
    assert (
        f"second_factor_reset user_id={officer.pk} email={officer.email} by_user_id={support_admin.pk} by_email={support_admin.email}"
        in " ".join(security_lines(caplog))
    )


def test_after_a_reset_the_officer_sets_up_a_new_app_even_in_a_session_already_verified(
    client, officer, phone, admin_user, otp_required
):
    sign_in_with_the_app(client, officer, phone)
    assert not is_held(client)
    admin_client = verified_client(admin_user)

    reset(admin_client, officer)

    held = client.get("/review/")
    assert held.status_code == 302 and held.url.startswith(reverse("accounts:otp-setup"))
