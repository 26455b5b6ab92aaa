"""The Django admin joins the accessibility test (issue 18, item 10): axe-core finds no serious or
critical violation on the admin's index, a list, a change form with an autocomplete field, and a
rule version's change and publish pages, in Russian and in English; and the Russian admin names
its apps and models in Russian, in the right case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import blocking_violations
from tests.e2e.scene import moscow_rules_and_threshold, regions_are_loaded
from tests.portal.factories import AdminFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def admin_pages(draft) -> list[tuple[str, str]]:
    return [
        ("admin index", reverse("admin:index")),
        ("regions and rules", reverse("admin:app_list", args=["regions"])),
        ("rule versions", reverse("admin:regions_ruleset_changelist")),
        ("new rule version (region autocomplete)", reverse("admin:regions_ruleset_add")),
        ("draft rule version", reverse("admin:regions_ruleset_change", args=[draft.pk])),
        ("publish the draft", reverse("admin:regions_ruleset_publish", args=[draft.pk])),
        ("border crossing point (region autocomplete)", reverse("admin:regions_checkpoint_change", args=[1])),
        ("users", reverse("admin:accounts_user_changelist")),
        ("sign-in lockouts", reverse("admin:axes_accessattempt_changelist")),
        ("background tasks", reverse("admin:django_tasks_database_dbtaskresult_changelist")),
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_admin_page_has_a_serious_or_critical_axe_violation(browsing, language):
    assert regions_are_loaded()
    rules, _threshold = moscow_rules_and_threshold()
    draft = RuleSetFactory(region=rules.region, effective_from=timezone.localdate() + dt.timedelta(days=9), published_at=None)
    admin = AdminFactory(email=f"admin.{language}@axe.example")
    page = browsing.new_page(language=language, user=admin, bypass_csp=True)

    found = {}
    for name, path in admin_pages(draft):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{name} ({path}) answered {response and response.status}"
        page.wait_for_load_state("load")
        if violations := blocking_violations(page):
            found[f"{name} ({path})"] = violations

    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in found.items())
    assert not report, f"Serious or critical accessibility violations in the admin ({language}):\n{report}"


def test_the_admin_names_every_app_by_a_name_of_its_own_and_titles_with_the_models_name(browsing):
    """In English; the Russian words of these names are in the catalogue (portal/admin_apps.py,
    portal/admin_site.py), and tests/portal/test_admin_names.py checks every model has them."""
    assert regions_are_loaded()
    moscow_rules_and_threshold()
    page = browsing.new_page(language="en", user=AdminFactory(email="admin.names@axe.example"), bypass_csp=True)

    page.goto(reverse("admin:index"))
    index = page.locator("#content-main").inner_text().lower()  # the app names are set in capitals
    for label in ("axes", "otp_totp", "tasks database backend", "task results", "totp devices"):
        assert label not in index
    for name in ("sign-in lockouts", "second factor", "background tasks", "authenticator apps", "rule versions"):
        assert name in index

    page.goto(reverse("admin:regions_ruleset_changelist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Select rule version to change")
    expect(page.locator(".object-tools .addlink")).to_have_text("Add rule version")
    page.goto(reverse("admin:axes_accessattempt_changelist"))
    expect(page.locator(".breadcrumbs")).to_contain_text("Sign-in lockouts")
    # The autocomplete field is named by its label.
    page.goto(reverse("admin:regions_ruleset_add"))
    expect(page.get_by_role("combobox", name="Region")).to_be_visible()
