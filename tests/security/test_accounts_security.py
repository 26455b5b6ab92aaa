"""Accounts: lockout after failed logins (also behind a reverse proxy), sessions that end, the
security log, and the second factor of officers and admins."""

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security.client_ip import client_ip_address
from portal.security.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.applications.factories import ApplicationFactory
from tests.portal.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"  # the reverse proxy's own address, as REMOTE_ADDR shows it


def sign_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def fail_five_times(client, email, **extra):
    for _ in range(5):
        sign_in(client, email, "not-the-password", **extra)


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


# Lockout


def test_five_failed_logins_lock_the_account_from_that_address_with_a_clear_page(client, employer_user):
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")

    response = sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Signing in is locked for a while" in page
    assert "Try again in 30 minutes." in page
    assert "contact an administrator" in page


def test_four_failed_logins_still_let_the_right_password_in(client, employer_user):
    for _ in range(4):
        sign_in(client, employer_user.email, "not-the-password", REMOTE_ADDR="203.0.113.5")

    response = sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_locked_account_can_still_sign_in_from_another_address(client, employer_user):
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")

    response = sign_in(Client(), employer_user.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_another_account_can_still_sign_in_from_a_locked_address(client, employer_user, other_employer_user):
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")

    response = sign_in(Client(), other_employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302


def test_the_e_mail_counts_as_one_account_whatever_its_case(client, employer_user):
    for variant in ("CLERK@A.EXAMPLE", "Clerk@A.example", "clerk@a.example", " clerk@A.example", "CLERK@a.example"):
        sign_in(client, variant, "not-the-password", REMOTE_ADDR="203.0.113.5")

    assert sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429


def test_the_lock_lifts_after_thirty_minutes(client, employer_user):
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))

    response = sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302


def test_an_admin_unlocks_an_account_by_deleting_its_access_attempts(client, employer_user):
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")
    assert AccessAttempt.objects.filter(username=employer_user.email).exists()

    AccessAttempt.objects.filter(username=employer_user.email).delete()

    assert sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_two_people_behind_the_same_trusted_proxy_are_locked_separately(settings, employer_user):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    fail_five_times(attacker, employer_user.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert sign_in(attacker, employer_user.email, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429

    response = sign_in(colleague, employer_user.email, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_client_writing_its_own_forwarded_for_header_without_a_trusted_proxy_changes_nothing(settings, client, employer_user):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        sign_in(client, employer_user.email, "not-the-password", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_a_trusted_proxy_a_forged_address_before_the_proxys_own_entry_is_ignored(settings, client, employer_user):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client writes a new address each time; the proxy appends the one it really saw.
    for number in range(5):
        sign_in(client, employer_user.email, "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5")

    response = sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "client_address"),
    [
        (0, "203.0.113.5", "", "203.0.113.5"),
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, PROXY, "192.0.2.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, PROXY, "203.0.113.5", PROXY),  # did not pass through both proxies: only the peer is known
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_only_as_far_as_trusted_proxies_wrote_it(
    settings, proxies, remote_addr, forwarded_for, client_address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == client_address


def test_the_test_clients_login_still_works_with_the_lockout_backend(client, employer_user):
    assert client.login(username=employer_user.email, password=TEST_PASSWORD)
    assert not client.login(username=employer_user.email, password="wrong")


# Sessions end


@pytest.fixture
def signed_in_employer(client, employer_user):
    client.force_login(employer_user)
    assert client.get("/employer/").status_code == 200  # starts the session's clocks
    return client


def _age_session(client, *, started_minutes_ago: int, seen_minutes_ago: int) -> None:
    session = client.session
    now = int(dt.datetime.now(dt.UTC).timestamp())
    session[SESSION_STARTED_KEY] = now - started_minutes_ago * 60
    session[SESSION_SEEN_KEY] = now - seen_minutes_ago * 60
    session.save()


def test_a_session_idle_for_longer_than_the_limit_ends_and_says_why(signed_in_employer):
    _age_session(signed_in_employer, started_minutes_ago=40, seen_minutes_ago=31)

    response = signed_in_employer.get("/employer/", follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=/employer/")
    assert not is_signed_in(signed_in_employer)
    assert "You were signed out after 30 minutes without activity" in response.content.decode()


def test_a_session_used_within_the_idle_limit_goes_on(signed_in_employer):
    _age_session(signed_in_employer, started_minutes_ago=40, seen_minutes_ago=29)

    assert signed_in_employer.get("/employer/").status_code == 200
    assert signed_in_employer.session[SESSION_SEEN_KEY] >= int(dt.datetime.now(dt.UTC).timestamp()) - 5


def test_a_session_ends_after_the_absolute_limit_even_when_in_use(signed_in_employer):
    _age_session(signed_in_employer, started_minutes_ago=12 * 60 + 1, seen_minutes_ago=1)

    response = signed_in_employer.get("/employer/", follow=True)

    assert not is_signed_in(signed_in_employer)
    assert "a session lasts at most 12 hours" in response.content.decode()


def test_the_limits_come_from_the_settings(settings, signed_in_employer):
    settings.SESSION_IDLE_MINUTES = 5
    _age_session(signed_in_employer, started_minutes_ago=6, seen_minutes_ago=6)

    assert signed_in_employer.get("/employer/").status_code == 302
    assert not is_signed_in(signed_in_employer)


def test_signing_in_starts_the_clocks_whatever_the_session_held_before(client, employer_user):
    # Stale clocks in the anonymous session a sign-in reuses must not shorten the new session.
    _age_session(client, started_minutes_ago=11 * 60, seen_minutes_ago=10)
    sign_in(client, employer_user.email, TEST_PASSWORD)

    now = int(dt.datetime.now(dt.UTC).timestamp())
    assert client.session[SESSION_STARTED_KEY] >= now - 5


def test_the_session_cookie_lives_no_longer_than_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


# The security log


def _security_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "portal.security"]


def test_a_login_is_logged_with_the_user_and_the_client_address(client, employer_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    sign_in(client, employer_user.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert f"login user_id={employer_user.pk} email={employer_user.email} ip=203.0.113.5" in _security_lines(caplog)


def test_a_failed_login_is_logged_with_what_was_typed_and_the_address_but_never_the_password(client, employer_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    sign_in(client, employer_user.email, "my-secret-guess", REMOTE_ADDR="203.0.113.5")

    lines = _security_lines(caplog)
    assert f"login_failed username='{employer_user.email}' ip=203.0.113.5" in lines
    assert not any("my-secret-guess" in line for line in lines)


def test_a_lockout_is_logged(client, employer_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    fail_five_times(client, employer_user.email, REMOTE_ADDR="203.0.113.5")

    assert f"locked_out username='{employer_user.email}' ip=203.0.113.5" in _security_lines(caplog)


def test_a_refused_page_of_the_wrong_role_is_logged_as_403(client, employer_user, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.force_login(employer_user)

    assert client.get("/review/", REMOTE_ADDR="203.0.113.5").status_code == 403

    expected = f"refused status=403 user_id={employer_user.pk} email={employer_user.email} ip=203.0.113.5 method=GET path='/review/'"
    assert any(line.startswith(expected) for line in _security_lines(caplog))


def test_another_companys_case_is_logged_as_a_refused_404(client, other_employer_user, employer, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    case = ApplicationFactory(employer=employer)
    client.force_login(other_employer_user)

    assert client.get(f"/employer/applications/{case.pk}/").status_code == 404

    assert any(
        line.startswith(f"refused status=404 user_id={other_employer_user.pk} email={other_employer_user.email}")
        and f"path='/employer/applications/{case.pk}/'" in line
        for line in _security_lines(caplog)
    )


def test_an_anonymous_visitors_404_is_not_a_refusal(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.get("/documents/999999/")
    assert not any(line.startswith("refused") for line in _security_lines(caplog))


def test_a_forged_log_line_in_a_username_stays_on_its_own_line(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.post(LOGIN, {"username": "a@b.example\nlogin user_id=1 email=admin", "password": "x"})
    assert not any(line.startswith("login user_id=1") for line in _security_lines(caplog))
    assert all("\n" not in line for line in _security_lines(caplog))


# The second factor of officers and admins


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True


def _secret_on(page: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)


def test_with_the_second_factor_off_an_officer_goes_straight_to_the_queue(client, officer):
    sign_in(client, officer.email, TEST_PASSWORD)
    assert client.get("/review/").status_code == 200


def test_an_officer_without_an_app_is_sent_to_set_one_up_from_every_page(client, officer, otp_required):
    sign_in(client, officer.email, TEST_PASSWORD)

    for path in ("/review/", "/review/statistics/", "/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("accounts:otp-setup")), path


def test_the_setup_page_shows_the_secret_as_text_and_as_an_otpauth_link(client, officer, otp_required):
    sign_in(client, officer.email, TEST_PASSWORD)

    response = client.get(reverse("accounts:otp-setup"))
    page = response.content.decode()

    assert "no-store" in response["Cache-Control"]
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = _secret_on(page)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert "otpauth://totp/" in page
    # Reloading keeps the same secret: it may already be typed into the app.
    assert _secret_on(client.get(reverse("accounts:otp-setup")).content.decode()) == secret


def test_a_wrong_code_is_refused_next_to_the_field_and_the_officer_stays_held(client, officer, otp_required):
    sign_in(client, officer.email, TEST_PASSWORD)
    client.get(reverse("accounts:otp-setup"))

    response = client.post(reverse("accounts:otp-setup"), {"token": "000000"})

    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert client.get("/review/").status_code == 302


def test_the_right_code_confirms_the_app_and_opens_the_page_first_asked_for(client, officer, otp_required):
    sign_in(client, officer.email, TEST_PASSWORD)
    setup = client.get("/review/statistics/")
    client.get(setup.url)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(setup.url, {"token": f"{totp(device.bin_key):06d}"})

    assert response.status_code == 302
    assert response.url == "/review/statistics/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/review/").status_code == 200


def test_an_officer_with_an_app_is_asked_for_a_code_and_never_shown_the_secret_again(client, officer, otp_required):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer.email, TEST_PASSWORD)

    held = client.get("/review/")
    assert held.url.startswith(reverse("accounts:otp-verify"))
    setup = client.get(reverse("accounts:otp-setup"))
    assert setup.status_code == 302 and setup.url.startswith(reverse("accounts:otp-verify"))
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    wrong = client.post(held.url, {"token": "123456" if totp(device.bin_key) != 123456 else "654321"})
    assert "This code is not right" in wrong.content.decode()
    assert client.get("/review/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # django-otp refuses even a right code for a second after a wrong one
    right = client.post(held.url, {"token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 302 and right.url == "/review/"
    assert client.get("/review/").status_code == 200


def test_a_code_is_asked_again_at_the_next_sign_in(client, officer, otp_required):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer.email, TEST_PASSWORD)
    client.post(reverse("accounts:otp-verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/review/").status_code == 200
    client.post(reverse("accounts:logout"))

    sign_in(client, officer.email, TEST_PASSWORD)

    assert client.get("/review/").status_code == 302


def test_an_admin_reaches_no_admin_page_without_the_second_factor(client, admin_user, otp_required):
    sign_in(client, admin_user.email, TEST_PASSWORD)

    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin_user.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp-setup")), path


def test_an_admin_signing_in_through_the_admins_own_login_page_is_held_too(client, admin_user, otp_required):
    client.post("/admin/login/", {"username": admin_user.email, "password": TEST_PASSWORD})
    assert client.get("/admin/").url.startswith(reverse("accounts:otp-setup"))


def test_an_employer_is_not_asked_for_a_second_factor(client, employer_user, otp_required):
    sign_in(client, employer_user.email, TEST_PASSWORD)
    assert client.get("/employer/").status_code == 200


def test_a_held_officer_can_still_sign_out(client, officer, otp_required):
    sign_in(client, officer.email, TEST_PASSWORD)
    client.post(reverse("accounts:logout"))
    assert not is_signed_in(client)


def test_the_page_after_the_code_is_never_another_site(client, officer, otp_required):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer.email, TEST_PASSWORD)

    response = client.post(f"{reverse('accounts:otp-verify')}?next=https://evil.example/", {"token": f"{totp(device.bin_key):06d}"})

    assert response.status_code == 302 and response.url == "/"


def test_a_wrong_code_is_logged(client, officer, otp_required, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.5")

    client.post(reverse("accounts:otp-verify"), {"token": "000000"}, REMOTE_ADDR="203.0.113.5")

    assert f"otp_failed user_id={officer.pk} email={officer.email} ip=203.0.113.5" in _security_lines(caplog)


def test_an_anonymous_visitor_is_sent_to_sign_in_before_any_second_factor_page(client, otp_required):
    for name in ("accounts:otp-setup", "accounts:otp-verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(LOGIN)
