"""Headers and deployment: the Content-Security-Policy (and pages that need no inline script or
style to live under it), framing, referrer and opener policies, HSTS, cookies, the friendly
error pages, and `manage.py check --deploy` reporting nothing with production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse

from portal.urls import urlpatterns as portal_urlpatterns
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, DocumentFactory
from tests.regions.factories import RuleSetFactory

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# An executable inline script: a <script> without src whose type is not a data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# A view that fails, to see the 500 page (this module is also the URLconf of the tests marked so).
def _fails(request):
    raise RuntimeError("a bug")


def _refuses(request):
    raise PermissionDenied


urlpatterns = [path("test-fails/", _fails), path("test-refuses/", _refuses), *portal_urlpatterns]


# The policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/register/", "/healthz-not-a-page/"])
def test_every_page_carries_the_content_security_policy(client, path):
    response = client.get(path)
    assert policy_of(response) == EXPECTED_POLICY


@pytest.mark.django_db
def test_the_policy_allows_no_inline_script_or_style_and_nothing_from_elsewhere(client):
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*"):
        assert forbidden not in header


@pytest.mark.django_db
def test_pages_are_not_framed_not_sniffed_and_leak_no_referrer(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_an_https_response_tells_the_browser_to_keep_to_https(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only_or_secure_as_configured(client, employer_user, settings):
    from tests.portal.factories import TEST_PASSWORD

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": employer_user.email, "password": TEST_PASSWORD})
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] and session_cookie["secure"]
    assert session_cookie["samesite"] == "Lax"


# Pages that live under the policy: no inline script, no style attribute, no <style>


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=[str(t.relative_to(ROOT / "templates")) for t in TEMPLATES])
def test_no_template_of_the_portal_has_an_inline_script_or_style(template):
    source = template.read_text()
    assert not INLINE_SCRIPT.search(source), "Move the script to static/js/ and load it with src."
    assert not INLINE_STYLE.search(source), "Move the style to a class in static/css/portal.css."


@pytest.fixture
def a_case_of_every_kind(employer, officer, moscow_rules, threshold):
    from applications.models import Status

    cases = {}
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        cases[status] = ApplicationFactory(employer=employer, status=status)
        CaseWorkerFactory(application=cases[status])
        DocumentFactory(application=cases[status])
    return cases


@pytest.mark.django_db
def test_the_rendered_pages_of_every_role_have_no_inline_script_or_style(client, employer_user, officer, a_case_of_every_kind):
    from applications.models import Status

    draft, in_review = a_case_of_every_kind[Status.DRAFT], a_case_of_every_kind[Status.IN_REVIEW]
    worker = draft.lines.get().worker
    pages = {
        employer_user: [
            "/employer/", "/employer/workers/", "/employer/workers/new/", f"/employer/workers/{worker.pk}/edit/",
            "/employer/workers/import/", "/employer/company/", "/employer/applications/new/",
            f"/employer/applications/{draft.pk}/", f"/employer/applications/{draft.pk}/edit/",
            f"/employer/applications/{draft.pk}/withdraw/",
        ],
        officer: ["/review/", "/review/statistics/", f"/review/applications/{in_review.pk}/"],
    }
    for user, paths in pages.items():
        client.force_login(user)
        for page_path in paths:
            response = client.get(page_path)
            assert response.status_code == 200, page_path
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), page_path
            assert not INLINE_STYLE.search(html), page_path
    client.logout()
    for page_path in ("/accounts/login/", "/accounts/register/", "/accounts/confirm/resend/"):
        html = client.get(page_path).content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html), page_path


# Django's admin under the same policy


def _admin_pages(admin_user):
    pages = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    pages.append(reverse("admin:accounts_user_change", args=[admin_user.pk]))
    pages.append(reverse("admin:regions_ruleset_add"))
    return pages


@pytest.mark.django_db
def test_the_admins_pages_render_under_the_same_policy_with_nothing_inline(client, admin_user):
    RuleSetFactory()
    client.force_login(admin_user)
    for page_path in _admin_pages(admin_user):
        response = client.get(page_path)
        assert response.status_code == 200, page_path
        assert policy_of(response) == EXPECTED_POLICY, page_path
        html = response.content.decode()
        # The admin's inline <script> elements are JSON data blocks, which a CSP does not block.
        assert not INLINE_SCRIPT.search(html), page_path
        # A changelist without actions gets an inline <style> from Django; see docs/security.md.
        assert not INLINE_STYLE.search(html), f"{page_path}: an inline style the CSP will drop"


# Friendly error pages


@pytest.mark.django_db
def test_a_page_that_does_not_exist_gets_the_portals_own_404_page(client, employer_user):
    client.force_login(employer_user)
    response = client.get("/employer/applications/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Entry portal" in page
    assert 'href="/"' in page or "Go to your home page" in page


@pytest.mark.django_db
def test_a_page_of_another_role_gets_the_portals_own_403_page(client, employer_user):
    client.force_login(employer_user)
    response = client.get("/review/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page and "Go to your home page" in page


@pytest.mark.django_db
@pytest.mark.urls("tests.security.test_headers")
def test_a_failure_gets_the_portals_own_500_page_without_details(client, employer_user):
    client.raise_request_exception = False
    client.force_login(employer_user)
    response = client.get("/test-fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "a bug" not in page and "Traceback" not in page


def test_the_500_page_renders_with_no_request_and_no_context():
    html = get_template("500.html").render()
    assert "Something went wrong on our side" in html


# Production settings


def _production_environment(**overrides) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "OTP_", "TRUSTED_PROXY", "CSRF_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    environment.update(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="portal.example", PORTAL_BASE_URL="https://portal.example",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://portal@127.0.0.1:5432/portal",
    )
    environment.update(overrides)
    return environment


def _production_setting(name: str, **overrides):
    result = subprocess.run(
        [sys.executable, "-c", f"import portal.settings as s; print(repr(getattr(s, {name!r}, None)))"],
        cwd=ROOT, env=_production_environment(**overrides), capture_output=True, text=True, check=True,
    )
    return eval(result.stdout)  # noqa: S307 -- the repr of a setting printed by our own process


def test_with_production_settings_check_deploy_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_environment(), capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECURE_SSL_REDIRECT", True),
        ("SECURE_HSTS_SECONDS", 31_536_000),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", True),
        ("SESSION_COOKIE_SECURE", True),
        ("CSRF_COOKIE_SECURE", True),
        ("OTP_REQUIRED", True),
        ("SECURE_PROXY_SSL_HEADER", None),
        ("TRUSTED_PROXY_COUNT", 0),
    ],
)
def test_production_defaults_are_the_safe_ones(name, expected):
    assert _production_setting(name) == expected


def test_the_forwarded_protocol_is_believed_only_behind_a_trusted_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_development_defaults_need_no_https_and_no_phone():
    assert _production_setting("OTP_REQUIRED", DEBUG="1") is False
    assert _production_setting("SECURE_HSTS_SECONDS", DEBUG="1") == 0
    assert _production_setting("SECURE_SSL_REDIRECT", DEBUG="1") is False
