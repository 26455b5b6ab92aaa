"""Stateless application servers: two portal processes on different ports, one PostgreSQL and
one Redis. A user signed in through one is signed in through the other, and a decision made
through one is seen through the other."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.db import connection

from applications.models import Status
from tests.applications.factories import ApplicationFactory, ApplicationWorkerFactory
from tests.portal.factories import TEST_PASSWORD, OfficerFactory
from tests.regions.factories import RuleSetFactory, region

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or params["OPTIONS"].get("host", "")
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{params['USER'] or 'postgres'}@{urllib.parse.quote(host, safe='')}{port}/{params['NAME']}"


@pytest.fixture
def portal_processes():
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.fail(f"Redis is needed at {REDIS_URL} (set TEST_REDIS_URL to another server)")
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "two-processes-test-secret-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "STATIC_HASHED": "0",
        "SECURE_COOKIES": "0",  # the test talks plain HTTP to the processes
        "SECURE_SSL_REDIRECT": "0",
        "OTP_REQUIRED": "0",  # the second factor has its own tests; here the session is the point
        "LOG_LEVEL": "WARNING",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "portal.wsgi"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes):
            for _ in range(100):
                if healthy(f"http://127.0.0.1:{port}/healthz"):
                    break
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode())
                time.sleep(0.1)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: a cookie jar shared by every request, whichever server answers."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Accept-Language": "en", "Referer": url})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def sign_in(browser: Browser, base: str, email: str) -> None:
    _status, page = browser.request(f"{base}/accounts/login/")
    status, text = browser.request(
        f"{base}/accounts/login/", {"csrfmiddlewaretoken": csrf_token(page), "username": email, "password": TEST_PASSWORD}
    )
    assert status == 302, text[:500]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_and_a_decision_made_through_one_process_are_seen_through_the_other(portal_processes):
    first, second = portal_processes
    moscow = region(77)
    RuleSetFactory(region=moscow)
    officer = OfficerFactory(regions=[moscow])
    # Tests hash with MD5 for speed; the portal processes accept only the production hashers.
    hasher = PBKDF2PasswordHasher()
    officer.password = hasher.encode(TEST_PASSWORD, hasher.salt())
    officer.save(update_fields=["password"])
    case = ApplicationFactory(status=Status.IN_REVIEW)
    ApplicationWorkerFactory(application=case)

    browser = Browser()
    sign_in(browser, first, officer.email)
    assert any(b"django.contrib.sessions.cache" in key for key in redis.Redis.from_url(REDIS_URL).keys("*"))
    assert not Session.objects.exists()
    # The session cookie was issued by the first process; the second finds the session in Redis.
    status, queue = browser.request(f"{second}/review/")
    assert status == 200 and case.reference in queue

    _status, case_page = browser.request(f"{first}/review/applications/{case.pk}/")
    status, _text = browser.request(
        f"{first}/review/applications/{case.pk}/approve/",
        {"csrfmiddlewaretoken": csrf_token(case_page), "version": case.version, "rule_check_confirmed": "on"},
    )
    assert status == 302

    _status, seen_elsewhere = browser.request(f"{second}/review/applications/{case.pk}/")
    assert "Approved" in seen_elsewhere
