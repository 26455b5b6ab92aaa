"""The API from a browser, at 375 px and 1280 px with axe on every page: a clerk makes a key on
the company's API keys page, sees it once, uses it, revokes it; the API's documentation page
draws the endpoints under the portal's CSP (no CDN, no inline script)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from applications.models import ApiKey
from tests.api.conftest import ApiClient
from tests.applications.factories import EmployerMemberFactory
from tests.e2e.axe import no_violations
from tests.e2e.ui import WIDTHS
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_clerk_makes_a_key_sees_it_once_and_revokes_it(browsing, width):
    clerk = EmployerMemberFactory(user=UserFactory(email=f"clerk.{width}@api.example")).user
    page = browsing.new_page(language="en", user=clerk, viewport=WIDTHS[width], bypass_csp=True)

    page.goto("/employer/company/")
    page.get_by_role("link", name="Keys for your company's own systems to use the portal's API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    no_violations(page, "API keys, none yet")
    page.get_by_label("Name of the key").fill("HR system")
    page.get_by_role("button", name="Make the key").click()

    shown = page.get_by_label("Your new key")
    expect(shown).to_have_value(re.compile(rf"^mep_{ApiKey.objects.get().prefix}_\S{{40,}}$"))
    plaintext = shown.input_value()
    no_violations(page, "the new key shown")
    browsing.step(f"{width}: key shown once", page)
    assert ApiClient(plaintext).get("/api/v1/workers/").status_code == 200

    page.goto("/employer/company/api-keys/")
    expect(page.get_by_label("Your new key")).to_have_count(0)
    assert plaintext not in page.content()
    page.get_by_role("button", name="Revoke the key “HR system”").click()
    expect(page.get_by_role("row", name="HR system")).to_contain_text("revoked on")
    no_violations(page, "the key revoked")
    assert ApiClient(plaintext).get("/api/v1/workers/").status_code == 401


def test_the_api_docs_page_draws_the_endpoints_under_the_portals_csp(browsing):
    page = browsing.new_page(language="en")
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)

    page.goto("/api/v1/docs/")

    expect(page.get_by_text("/api/v1/workers/bulk/")).to_be_visible()
    expect(page.get_by_text("/api/v1/border/approved-workers/")).to_be_visible()
    assert refused == []
    browsing.step("API docs", page)
