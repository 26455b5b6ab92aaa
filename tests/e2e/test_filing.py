"""Filing that states what it needs (issue 18, item 5), in Chromium at 375 px and 1280 px with axe
on every page visited: the draft form's note of the fields saving needs and its error summary,
then "check your answers", the declaration refused unticked and kept once ticked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application, Status, StatusChange
from tests.applications.factories import EmployerMemberFactory, WorkerFactory
from tests.e2e.axe import no_violations
from tests.e2e.scene import file_case, moscow_rules_and_threshold, regions_are_loaded
from tests.e2e.ui import WIDTHS, button, message
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_clerk_checks_the_answers_and_declares_the_guarantees(browsing, width):
    assert regions_are_loaded()
    moscow_rules_and_threshold()
    clerk = EmployerMemberFactory(user=UserFactory(email=f"clerk.{width}@filing.example")).user
    worker = WorkerFactory(employer=clerk.employer_membership.employer, surname_latin="KARIMOV")
    draft = file_case(clerk=clerk, workers=[worker], project="Depot in Khimki")
    page = browsing.new_page(language="en", user=clerk, viewport=WIDTHS[width], bypass_csp=True)

    # The draft form says what saving needs; a failed save lists the errors at the top.
    page.goto(f"/employer/applications/{draft.pk}/edit/")
    expect(page.locator("#draft-required")).to_contain_text("Border crossing point")
    no_violations(page, "draft form")
    page.get_by_label(re.compile(r"^\s*Project or site")).fill("")
    button(page, "Save the draft").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    no_violations(page, "draft form with errors")
    browsing.step(f"{width}: error summary", page)

    # Check your answers: unticked, the declaration says why next to the box.
    page.goto(f"/employer/applications/{draft.pk}/")
    button(page, "Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers before submitting")
    no_violations(page, "check your answers")
    button(page, "Submit to the authority").click()
    expect(page.locator("#error-summary")).to_contain_text("Tick the declaration to submit")
    no_violations(page, "check your answers with an error")
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT

    page.get_by_role("checkbox", name=re.compile(r"^On behalf of ")).check()
    button(page, "Submit to the authority").click()
    expect(message(page, f"Application {draft.reference} is submitted to Moscow.")).to_be_visible()
    no_violations(page, "submitted case")
    browsing.step(f"{width}: submitted", page)
    assert StatusChange.objects.get(application=draft, transition="submit").declaration.startswith("On behalf of ")
