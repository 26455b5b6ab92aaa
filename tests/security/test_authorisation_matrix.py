"""The authorisation matrix: every URL of the project, for every role, against the objects of one
tenant (tenant A: a Moscow company, its worker, its decided case, document and invitation).

The URLs come from the resolver, so a new page is covered without editing this file's loop; a
page missing from MATRIX fails until someone says whose page it is. For each page and role:

- a role that may use the page gets it (2xx) or is sent on (3xx, never to the login page);
- any other role gets a login redirect (anonymous), 403 or 404, never a page;
- whoever is not allowed to see tenant A's data never finds it in the body (PDF and XLSX are
  read as text), whatever the status. The roles allowed to see it do find it where the page shows
  it (`shows_a`), which proves the markers would be seen.

Django's admin is one group (every changelist is refused to non-staff), tested at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.helpers.authorisation import PROJECT_URL_NAMES, World, body_text, tenant_a

pytestmark = pytest.mark.django_db

ANONYMOUS, EMPLOYER_A, EMPLOYER_B, OFFICER_A, OFFICER_B, ADMIN = (
    "anonymous", "employer A", "employer B", "officer of region A", "officer of region B", "admin",
)
ROLES = (ANONYMOUS, EMPLOYER_A, EMPLOYER_B, OFFICER_A, OFFICER_B, ADMIN)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
EVERYONE = frozenset(ROLES)
EMPLOYERS = frozenset({EMPLOYER_A, EMPLOYER_B})
OFFICERS = frozenset({OFFICER_A, OFFICER_B})



@dataclass(frozen=True)
class Page:
    """Who may use a URL: `allowed` get the page, `sees_a` may see tenant A's data on it (by
    default the allowed, for a page about A's objects), and `shows_a` says the page shows that
    data to them. POST-only views are requested with an empty POST."""

    allowed: frozenset[str]
    kwargs: Callable[[World], dict] = lambda world: {}
    method: str = "get"
    sees_a: frozenset[str] | None = None
    shows_a: bool = False
    also_fine: frozenset[int] = field(default_factory=frozenset)  # other statuses the allowed may get
    ends_at_login: bool = False  # signing out lands on the login page by design
    query: str = ""  # a query string the URL is asked with

    @property
    def may_see_a(self) -> frozenset[str]:
        return self.allowed if self.sees_a is None else self.sees_a


def case(world):
    return {"pk": world.case.pk}


def charter(world):
    return {"pk": world.charter.pk}


def company(world):
    return {"pk": world.employer.pk}


ONLY_EMPLOYER_A = frozenset({EMPLOYER_A})
ONLY_OFFICER_A = frozenset({OFFICER_A})
CASE_READERS = frozenset({EMPLOYER_A, OFFICER_A, ADMIN})  # the company, its region's officers, staff

MATRIX: dict[str, Page] = {
    # Everyone's pages
    "home": Page(SIGNED_IN),
    "set_language": Page(EVERYONE, method="post"),
    "accounts:login": Page(EVERYONE),
    "favicon": Page(EVERYONE),
    "applications:worker_check": Page(EVERYONE),
    # A scraper signs in with METRICS_TOKEN, not a session (tests/portal/test_metrics.py): without it, a 404.
    "metrics": Page(frozenset({ANONYMOUS}), also_fine=frozenset({404})),
    "accounts:logout": Page(EVERYONE, method="post", ends_at_login=True),
    "accounts:register": Page(EVERYONE),
    "accounts:register-done": Page(EVERYONE),
    "accounts:resend-confirmation": Page(EVERYONE),
    # A confirmation link for A's account with a token that is not right: the "link invalid" page.
    "accounts:confirm-email": Page(
        EVERYONE, kwargs=lambda world: {"uidb64": urlsafe_base64_encode(force_bytes(world.owner.pk)), "token": "0-0"},
        also_fine=frozenset({400}), sees_a=frozenset(),
    ),
    # Password reset: the same page for every address; a reset link with a token that is not right
    # gives the "link not valid" page and shows nothing of A's.
    "accounts:password-reset": Page(EVERYONE, sees_a=frozenset()),
    "accounts:password-reset-done": Page(EVERYONE, sees_a=frozenset()),
    "accounts:password-reset-confirm": Page(
        EVERYONE, kwargs=lambda world: {"uidb64": urlsafe_base64_encode(force_bytes(world.owner.pk)), "token": "0-0"},
        sees_a=frozenset(),
    ),
    "accounts:password-reset-complete": Page(EVERYONE, sees_a=frozenset()),
    # The invitation's token is the credential: whoever holds the link sees the company's name
    # (not its numbers) and may join.
    "accounts:accept-invitation": Page(EVERYONE, kwargs=lambda world: {"token": world.invitation.token}, sees_a=frozenset()),
    # The public check of a decision letter: the letter's code is the credential; whoever holds
    # it sees the case's reference, outcome, company and INN (never a worker's data).
    "applications:decision_check_form": Page(EVERYONE, sees_a=frozenset()),
    "applications:decision_check": Page(
        EVERYONE, kwargs=lambda world: {"code": world.case.decision.verification_code}, shows_a=True,
    ),
    "accounts:otp-setup": Page(SIGNED_IN, sees_a=frozenset()),
    "accounts:otp-verify": Page(SIGNED_IN, sees_a=frozenset()),
    "accounts:otp-recovery": Page(SIGNED_IN, sees_a=frozenset()),
    "accounts:otp-recovery-codes": Page(SIGNED_IN, sees_a=frozenset()),
    # The employer's pages: lists are every company's own; objects are tenant A's.
    "applications:employer-home": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A, shows_a=True),
    "applications:application-create": Page(EMPLOYERS, sees_a=frozenset()),
    "applications:application-detail": Page(ONLY_EMPLOYER_A, kwargs=case, shows_a=True),
    "applications:application-edit": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:application-rule-check": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:application-copy": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    "applications:application-add-worker": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    "applications:application-remove-worker": Page(
        ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.case.pk, "line_pk": world.line.pk}, method="post"
    ),
    # Filling a draft in bulk: A's case is decided, so A is sent back to its page with why.
    "applications:application-workers-bulk-add": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:application-workers-import": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:application-workers-manage": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    "applications:application-submit": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    # A's case is decided, not a draft: A is sent back to it with a refusal; anyone else gets 404 or 403.
    "applications:draft-split": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    "applications:application-withdraw": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:application-answer": Page(ONLY_EMPLOYER_A, kwargs=case),
    "applications:worker-list": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A, shows_a=True),
    "applications:worker-create": Page(EMPLOYERS, sees_a=frozenset()),
    "applications:worker-edit": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.worker.pk}, shows_a=True),
    "applications:worker-import": Page(EMPLOYERS, sees_a=frozenset()),
    "applications:worker-permit-create": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.worker.pk}),
    "applications:worker-permit-scan-upload": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.permit.pk}),
    "applications:worker-permit-delete": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.permit.pk}, method="post"),
    "applications:worker-import-template": Page(EMPLOYERS, sees_a=frozenset()),
    "applications:worker-import-status": Page(
        ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.worker_import.pk}, shows_a=True,
    ),
    "applications:company-detail": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A, shows_a=True),
    "applications:invitation-create": Page(EMPLOYERS, method="post", sees_a=ONLY_EMPLOYER_A),
    # Another company's invitation is a 404: it cannot be revoked, nor its existence learnt.
    "applications:invitation-revoke": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.invitation.pk}, method="post"),
    "applications:figures-create": Page(EMPLOYERS, method="post", sees_a=ONLY_EMPLOYER_A),
    # The company's own details: each company's own (no id in the URL).
    "applications:company-edit": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A),
    "applications:company-ask-again": Page(EMPLOYERS, method="post", sees_a=ONLY_EMPLOYER_A),
    # A's case is decided, not a draft: A is sent back to it with a refusal.
    "applications:application-delete": Page(ONLY_EMPLOYER_A, kwargs=case),
    # A's worker is on A's case: the page says so, naming it.
    "applications:worker-delete": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.worker.pk}, shows_a=True),
    # API keys: every company's own list; A's key revoked only by A (another company gets a 404).
    "applications:api-keys": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A),
    "applications:api-key-revoke": Page(ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": api_key_of(world)}, method="post"),
    "applications:document-upload": Page(ONLY_EMPLOYER_A, kwargs=case, method="post"),
    "applications:document-delete": Page(
        ONLY_EMPLOYER_A, kwargs=lambda world: {"pk": world.case.pk, "document_pk": world.document.pk}, method="post"
    ),
    # Charters: the list is every company's own; A's charter only to the companies on it (B is not).
    "applications:charter-list": Page(EMPLOYERS, sees_a=ONLY_EMPLOYER_A),
    "applications:charter-create": Page(EMPLOYERS, sees_a=frozenset()),
    "applications:charter-detail": Page(ONLY_EMPLOYER_A, kwargs=charter, shows_a=True),
    "applications:charter-invite": Page(ONLY_EMPLOYER_A, kwargs=charter, method="post"),
    "applications:charter-answer": Page(ONLY_EMPLOYER_A, kwargs=charter, method="post"),
    "applications:charter-leave": Page(ONLY_EMPLOYER_A, kwargs=charter, method="post"),
    "applications:charter-attach": Page(ONLY_EMPLOYER_A, kwargs=charter, method="post"),
    "applications:charter-detach": Page(ONLY_EMPLOYER_A, kwargs=charter, method="post"),
    "applications:arrival-report": Page(ONLY_EMPLOYER_A, kwargs=case, shows_a=True),
    "applications:arrival-report-file": Page(ONLY_EMPLOYER_A, kwargs=case, shows_a=True),
    # Read by both sides and by staff.
    "applications:document-download": Page(CASE_READERS, kwargs=lambda world: {"pk": world.document.pk}, shows_a=True),
    "applications:decision-letter": Page(CASE_READERS, kwargs=case, shows_a=True),
    "applications:decision-letter-status": Page(CASE_READERS, kwargs=case, shows_a=True),
    # The scan of a worker's earlier permit: the company, officers of a region where the worker is
    # on a case the company sent (A's worker is on A's approved case), staff.
    "applications:earlier-permit-scan": Page(CASE_READERS, kwargs=lambda world: {"pk": world.permit.pk}, shows_a=True),
    # The evidence of a company's figures: the company, the officers of a region it filed in, staff.
    "applications:figures-evidence": Page(CASE_READERS, kwargs=lambda world: {"pk": world.figures.pk}, shows_a=True),
    # The officer's pages: the queue and exports list every officer's own regions.
    # Every status: tenant A's case is decided, and the queue opens on the cases awaiting decision.
    "applications:review-queue": Page(OFFICERS, sees_a=ONLY_OFFICER_A, shows_a=True, query="?status=all"),
    "applications:review-statistics": Page(OFFICERS, sees_a=ONLY_OFFICER_A),
    "applications:review-export-csv": Page(OFFICERS, sees_a=ONLY_OFFICER_A, shows_a=True, query="?status=all"),
    # Asking for the spreadsheet: a job for a background task, then a redirect to "Your exports".
    "applications:review-export-xlsx": Page(OFFICERS, method="post", sees_a=ONLY_OFFICER_A),
    # Every officer's own spreadsheets; a spreadsheet only to the officer who asked for it (even
    # another officer of region A would get a 404).
    "applications:review-exports": Page(OFFICERS, sees_a=ONLY_OFFICER_A),
    "applications:review-export-download": Page(
        ONLY_OFFICER_A, kwargs=lambda world: {"pk": world.export.pk}, shows_a=True,
    ),
    "applications:review-export-border-list": Page(OFFICERS, sees_a=ONLY_OFFICER_A, shows_a=True),
    # The same list with the listed workers' notices (a ZIP: the CSV and a PDF, both read).
    "applications:review-export-border-bundle": Page(OFFICERS, sees_a=ONLY_OFFICER_A, shows_a=True),
    # A's approved worker's notices: the whole case's, and the one worker's.
    "applications:case-notices": Page(CASE_READERS, kwargs=case, shows_a=True),
    # Where a large case's notices are being built in the background (A's case is small: it says so).
    "applications:case-notices-status": Page(CASE_READERS, kwargs=case, shows_a=True, also_fine=frozenset({302})),
    "applications:worker-notice": Page(
        CASE_READERS, kwargs=lambda world: {"pk": world.case.pk, "line_pk": world.line.pk}, shows_a=True,
    ),
    "applications:review-detail": Page(ONLY_OFFICER_A, kwargs=case, shows_a=True),
    "applications:review-charter-list": Page(OFFICERS, sees_a=ONLY_OFFICER_A),
    "applications:review-charter-detail": Page(ONLY_OFFICER_A, kwargs=charter, shows_a=True),
    "applications:review-charter-decide": Page(ONLY_OFFICER_A, kwargs=charter, method="post"),
    "applications:review-charter-border-list": Page(ONLY_OFFICER_A, kwargs=charter, shows_a=True),
    "applications:review-charter-border-bundle": Page(ONLY_OFFICER_A, kwargs=charter, shows_a=True),
    "applications:review-take": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    "applications:review-request-information": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    "applications:review-approve": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    "applications:review-approve-partially": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    "applications:review-reject": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    "applications:review-verify-company": Page(ONLY_OFFICER_A, kwargs=case, method="post"),
    # Companies: every officer's own regions' queue; a company's card and its verification only to
    # the officers of the region it is registered in (company A: region A).
    "applications:review-companies": Page(OFFICERS, sees_a=ONLY_OFFICER_A),
    "applications:review-company": Page(ONLY_OFFICER_A, kwargs=company, shows_a=True),
    "applications:review-company-verify": Page(ONLY_OFFICER_A, kwargs=company, method="post"),
    "applications:review-company-refuse": Page(ONLY_OFFICER_A, kwargs=company, method="post"),
}


# The API's endpoints take keys, not sessions: tests/security/test_api_authorisation_matrix.py.
WEB_URL_NAMES = [name for name in PROJECT_URL_NAMES if not name.startswith("api:")]


def api_key_of(world) -> int:
    """A new API key of company A."""
    from datetime import timedelta

    from applications.services.api_keys import api_key_create

    made = api_key_create(employer=world.employer, user=world.owner, name="A", expires_at=timezone.now() + timedelta(days=1))
    return made.key.pk


# Tenant A and the people


@pytest.fixture
def world(employer, employer_user, officer, moscow_rules, threshold) -> World:
    return tenant_a(employer, employer_user, officer)


@pytest.fixture
def people(employer_user, other_employer_user, officer, officer_spb, admin_user) -> dict[str, object]:
    return {
        ANONYMOUS: None, EMPLOYER_A: employer_user, EMPLOYER_B: other_employer_user,
        OFFICER_A: officer, OFFICER_B: officer_spb, ADMIN: admin_user,
    }


def client_as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


LOGIN = reverse("accounts:login")


# The matrix


def test_every_url_in_the_matrix_still_exists():
    stale = sorted(set(MATRIX) - set(PROJECT_URL_NAMES))
    assert not stale, f"These names in MATRIX are no URL of the project any more: {stale}"


@pytest.mark.parametrize("url_name", WEB_URL_NAMES)
def test_each_role_gets_the_page_or_a_refusal_and_never_another_tenants_data(url_name, world, people):
    assert url_name in MATRIX, (
        f"URL name {url_name} is not described in the authorisation matrix: add it to MATRIX in "
        f"tests/security/test_authorisation_matrix.py, saying which roles may use it and how to fill its URL "
        f"with tenant A's objects."
    )
    page = MATRIX[url_name]
    url = reverse(url_name, kwargs=page.kwargs(world)) + page.query
    for role in ROLES:
        client = client_as(people[role])
        response = getattr(client, page.method)(url)
        status, where = response.status_code, f"{page.method.upper()} {url} as {role}"
        if role in page.allowed:
            assert 200 <= status < 400 or status in page.also_fine, f"{where}: {status}, but this role may use the page"
            if 300 <= status < 400 and role != ANONYMOUS and not page.ends_at_login:
                assert not response["Location"].startswith(LOGIN), f"{where}: sent to sign in, but is signed in and allowed"
        elif role == ANONYMOUS:
            assert status == 302 and response["Location"].startswith(f"{LOGIN}?next="), f"{where}: {status}, not a login redirect"
        else:
            assert status in (403, 404), f"{where}: {status}, but this role may not use the page"
        text = body_text(response)
        if role not in page.may_see_a:
            for marker in world.markers:
                assert marker not in text, f"{where}: tenant A's {marker!r} is in the response"
        elif page.shows_a and status == 200:
            assert any(marker in text for marker in world.markers), f"{where}: expected tenant A's data on the page"


# Django's admin, as one group


ADMIN_CHANGELISTS = sorted(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry)


@pytest.mark.parametrize("changelist", ADMIN_CHANGELISTS)
def test_every_admin_list_is_refused_to_everyone_but_staff(changelist, world, people):
    url = reverse(changelist)
    for role in ROLES:
        response = client_as(people[role]).get(url)
        if role == ADMIN:
            assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
            continue
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), f"{url} as {role}"
        for marker in world.markers:
            assert marker not in response.content.decode(), f"{url} as {role}: {marker!r} is in the response"


def test_the_admins_object_pages_are_refused_to_everyone_but_staff(world, people):
    urls = [
        reverse("admin:applications_application_change", args=[world.case.pk]),
        reverse("admin:applications_worker_change", args=[world.worker.pk]),
        reverse("admin:applications_employer_change", args=[world.employer.pk]),
    ]
    for url in urls:
        for role in (role for role in ROLES if role != ADMIN):
            response = client_as(people[role]).get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), f"{url} as {role}"
        assert client_as(people[ADMIN]).get(url).status_code == 200
