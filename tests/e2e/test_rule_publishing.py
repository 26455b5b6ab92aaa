"""Rule versions are published on purpose (issue 18, item 9), as an admin does it in Chromium at
375 px and 1280 px with axe on every page visited: copy the version in force into a draft, see
that the draft is not in force and carries no legal basis, publish it through the confirmation
that names the region and the date, and read how many waiting cases were re-checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from applications.models import Status
from regions.models import RuleSet
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.e2e.axe import no_violations
from tests.e2e.scene import moscow_rules_and_threshold, regions_are_loaded
from tests.e2e.ui import WIDTHS, button
from tests.portal.factories import AdminFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def row_of(page, rule_set):
    return page.locator("tr", has=page.locator(f'a[href*="/ruleset/{rule_set.pk}/change/"]'))


def admin_message(page, text: str):
    return page.locator("ul.messagelist li").filter(has_text=text)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_admin_copies_a_version_and_publishes_the_draft_on_purpose(browsing, width):
    assert regions_are_loaded()
    in_force, _threshold = moscow_rules_and_threshold()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    waiting = ApplicationFactory(
        region=in_force.region, status=Status.SUBMITTED, planned_arrival_date=tomorrow + dt.timedelta(days=10)
    )
    CaseWorkerFactory(application=waiting)
    admin = AdminFactory(email=f"admin.{width}@rules.example")
    page = browsing.new_page(language="en", user=admin, viewport=WIDTHS[width], bypass_csp=True)

    # The list of versions: the one in force is copied into a new draft.
    page.goto(reverse("admin:regions_ruleset_changelist"))
    no_violations(page, "rule versions")
    page.get_by_role("checkbox", name=f"Select this object for an action - {in_force}").check()
    page.get_by_label("Action:").select_option(label="Copy as a new draft version")
    button(page, "Go").click()
    copied = admin_message(page, "Created a draft version")
    expect(copied).to_contain_text("It applies to no case until it is published")
    no_violations(page, "rule versions, after copying")
    draft = RuleSet.objects.exclude(pk=in_force.pk).get()
    assert (draft.effective_from, draft.published_at, draft.legal_basis_number) == (tomorrow, None, "")
    expect(row_of(page, draft)).to_contain_text("Draft, not published")
    browsing.step(f"{width}: the copy in the list", page)

    # The draft's page: not in force, without the old act; the button leads to a confirmation.
    copied.get_by_role("link", name=str(draft)).click()
    expect(page.locator("#content-main")).to_contain_text("This version is a draft: it applies to no case")
    expect(page.locator("#id_legal_basis_number")).to_have_value("")
    no_violations(page, "the draft")
    page.get_by_role("link", name="Publish…").click()

    with translation.override("en"):
        takes_effect = date_format(tomorrow, "DATE_FORMAT")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the rule version")
    expect(page.locator(".publish-summary")).to_have_text(f"The rules of Moscow in this version take effect on {takes_effect}.")
    expect(page.locator("#content-main")).to_contain_text("1 undecided case arriving under it will be re-checked now.")
    no_violations(page, "publish confirmation")
    browsing.step(f"{width}: the confirmation", page)
    assert RuleSet.objects.get(pk=draft.pk).published_at is None  # nothing happens before the button

    button(page, "Yes, publish it").click()
    expect(admin_message(page, f"Published: the rules of Moscow in this version take effect on {takes_effect}.")).to_be_visible()
    expect(admin_message(page, "1 undecided case was re-checked.")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("This version has been published and takes effect on")
    expect(page.get_by_role("link", name="Publish…")).to_have_count(0)
    no_violations(page, "the published version")
    browsing.step(f"{width}: published", page)

    published = RuleSet.objects.get(pk=draft.pk)
    assert published.published_by == admin and published.published_at is not None
    waiting.refresh_from_db()
    assert waiting.rule_set_checked == published

    page.goto(reverse("admin:regions_ruleset_changelist"))
    expect(row_of(page, draft)).to_contain_text("Published, not yet in force")
    no_violations(page, "rule versions, after publishing")
