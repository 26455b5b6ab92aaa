"""Real portal processes for the tests of a deployment: gunicorn started with the production
settings against the test database, and a browser that talks to them over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.portal.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str | None = None) -> str:
    """The test database (or another database of the same server) as a DATABASE_URL."""
    params = connection.settings_dict
    host = params["HOST"] or params["OPTIONS"].get("host", "")
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{params['USER'] or 'postgres'}@{urllib.parse.quote(host, safe='')}{port}/{name or params['NAME']}"


def production_environment(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "portal-processes-test-secret-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "STATIC_HASHED": "0",
        "SECURE_COOKIES": "0",  # the tests talk plain HTTP to the processes
        "SECURE_SSL_REDIRECT": "0",
        "OTP_REQUIRED": "0",  # the second factor has its own tests; here the deployment is the point
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def portal_process(environment: dict[str, str]):
    """One gunicorn process with these settings; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "portal.wsgi"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if healthy(f"http://127.0.0.1:{port}/healthz"):
                break
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def portal_processes(environment: dict[str, str], count: int):
    with ExitStack() as stack:
        yield [stack.enter_context(portal_process(environment)) for _ in range(count)]


def with_production_password(user) -> None:
    """Tests hash with MD5 for speed; the portal processes accept only the production hashers."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(TEST_PASSWORD, hasher.salt())
    user.save(update_fields=["password"])


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


def sign_in(browser: Browser, base: str, email: str) -> None:
    _status, page = browser.request(f"{base}/accounts/login/")
    status, text = browser.request(
        f"{base}/accounts/login/", {"csrfmiddlewaretoken": csrf_token(page), "username": email, "password": TEST_PASSWORD}
    )
    assert status == 302, text[:500]
