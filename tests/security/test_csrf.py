"""Every state-changing request needs the CSRF token: a post without it is refused with 403 and
changes nothing, whoever is signed in. The same post with the token goes through, so the
refusal is the token's doing."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status, Worker
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.portal.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


def csrf_token_of(client, path) -> str:
    page = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


WORKER = {
    "surname_latin": "KARIMOV", "given_names_latin": "ALISHER", "sex": "M", "date_of_birth": "1990-05-17",
    "citizenship": "UZ", "passport_number": "FA1234567", "passport_expiry": "2035-01-01", "occupation": "Bricklayer",
}


def test_adding_a_worker_without_the_token_is_refused_and_adds_nothing(strict_client, employer_user):
    strict_client.force_login(employer_user)

    response = strict_client.post(reverse("applications:worker-create"), WORKER)

    assert response.status_code == 403
    assert not Worker.objects.exists()


def test_adding_a_worker_with_the_token_goes_through(strict_client, employer_user):
    strict_client.force_login(employer_user)
    token = csrf_token_of(strict_client, reverse("applications:worker-create"))

    response = strict_client.post(reverse("applications:worker-create"), {**WORKER, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Worker.objects.count() == 1


def test_submitting_a_draft_without_the_token_is_refused_and_the_draft_stays(strict_client, employer_user, employer, moscow_rules, threshold):
    draft = ApplicationFactory(employer=employer)
    CaseWorkerFactory(application=draft)
    strict_client.force_login(employer_user)

    response = strict_client.post(reverse("applications:application-submit", kwargs={"pk": draft.pk}), {"version": draft.version, "declaration": "on"})

    assert response.status_code == 403
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_officers_approval_without_the_token_is_refused_and_the_case_stays_in_review(
    strict_client, officer, employer, moscow_rules, threshold
):
    case = ApplicationFactory(
        employer=employer, status=Status.IN_REVIEW, assigned_officer=officer, deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    CaseWorkerFactory(application=case)
    strict_client.force_login(officer)

    response = strict_client.post(
        reverse("applications:review-approve", kwargs={"pk": case.pk}), {"version": case.version, "rule_check_confirmed": "on"}
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert not case.history.exists()


def test_signing_out_without_the_token_is_refused_and_the_session_stays(strict_client, employer_user):
    strict_client.force_login(employer_user)

    assert strict_client.post(reverse("accounts:logout")).status_code == 403
    assert SESSION_KEY in strict_client.session


def test_signing_in_without_the_token_is_refused(strict_client, employer_user):
    response = strict_client.post(reverse("accounts:login"), {"username": employer_user.email, "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert SESSION_KEY not in strict_client.session


def test_an_invitation_without_the_token_is_refused_and_none_is_made(strict_client, employer_user, employer):
    strict_client.force_login(employer_user)

    response = strict_client.post(reverse("applications:invitation-create"), {"email": "new.colleague@a.example"})

    assert response.status_code == 403
    assert not employer.invitations.exists()


def test_no_view_of_the_portal_is_exempt_from_the_csrf_check():
    from django.urls import get_resolver

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield pattern

    from django.conf import settings
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.views import APIView

    def takes_no_cookies(callback) -> bool:
        # The API (/api/v1/) knows a caller only by the key in its Authorization header, never by
        # the session cookie, so a forged cross-site request carries nothing to act with: REST
        # framework's views are exempt by design, as long as none of them reads the session.
        view = getattr(callback, "cls", None)
        return isinstance(view, type) and issubclass(view, APIView) and not any(
            issubclass(auth, SessionAuthentication) for auth in view.authentication_classes
        )

    assert not any("Session" in name for name in settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"])
    exempt = [
        str(pattern.pattern) for pattern in views(get_resolver())
        if getattr(pattern.callback, "csrf_exempt", False) and not takes_no_cookies(pattern.callback)
    ]
    assert exempt == []


# `{% include … only %}` hides the page's context, the CSRF token included: a form drawn that way
# posts without its token and the browser gets Django's 403 (the test client never checks it).
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
INCLUDE_ONLY = re.compile(r"""\{%\s*include\s+["']([^"']+)["']([^%]*)\bonly\s*%\}""")


def _draws_form(name: str, seen: frozenset = frozenset()) -> bool:
    """Whether the template, or one it includes, draws a CSRF token that has a form posting."""
    path = TEMPLATES_DIR / name
    if name in seen or not path.exists():
        return False
    source = path.read_text()
    if "csrf_token" in source:
        return True
    return any(_draws_form(inner, seen | {name}) for inner in re.findall(r"""\{%\s*include\s+["']([^"']+)["']""", source))


def test_every_form_included_with_only_is_given_the_csrf_token():
    missing = [
        f"{page.relative_to(TEMPLATES_DIR)} includes {included}"
        for page in TEMPLATES_DIR.rglob("*.html")
        for included, arguments in INCLUDE_ONLY.findall(page.read_text())
        if _draws_form(included) and "csrf_token=csrf_token" not in arguments
    ]
    assert not missing, missing


def test_every_posting_form_of_the_portal_carries_the_csrf_token():
    posting_form = re.compile(r"""<form[^>]*method=["']post["'][^>]*>(.*?)</form>""", re.S | re.I)
    missing = [
        f"{page.relative_to(TEMPLATES_DIR)}:{page.read_text()[: form.start()].count(chr(10)) + 1}"
        for page in TEMPLATES_DIR.rglob("*.html")
        for form in posting_form.finditer(page.read_text())
        if "csrf_token" not in form.group(1)
    ]
    assert not missing, missing
