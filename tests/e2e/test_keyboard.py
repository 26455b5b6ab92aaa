"""The story's main path with the keyboard alone (Tab to reach, Enter or Space to act), errors
announced next to their field, and statuses that never rely on colour alone."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from applications import services
from applications.models import Application, Status
from tests.applications.factories import EmployerMemberFactory, WorkerFactory
from tests.e2e.scene import PASSWORD, build_scene, file_case, moscow_rules_and_threshold, region, regions_are_loaded, url
from tests.e2e.ui import field, message
from tests.portal.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_TAB_PRESSES = 150


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user moves through the page."""
    target.wait_for()
    for _ in range(MAX_TAB_PRESSES):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reached with the Tab key ({MAX_TAB_PRESSES} presses)")


def sign_in_with_keyboard(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    address = field(page, "E-mail")
    tab_to(page, address)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert is_focused(field(page, "Password")), "Tab from the e-mail does not reach the password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def employer_with_ready_draft():
    moscow_rules_and_threshold()
    clerk = EmployerMemberFactory(user=UserFactory(email="clerk@stroyka.example", preferred_language="en")).user
    worker = WorkerFactory(employer=clerk.employer_membership.employer, surname_latin="RAHIMOV", given_names_latin="BOBUR")
    return clerk, file_case(clerk=clerk, workers=[worker], project="Bridge over the Yauza")


def test_a_clerk_signs_in_opens_a_case_and_submits_it_with_the_keyboard_alone(browsing):
    assert regions_are_loaded()
    clerk, draft = employer_with_ready_draft()
    page = browsing.new_page()

    sign_in_with_keyboard(page, clerk.email)
    tab_to(page, page.get_by_role("link", name=draft.reference, exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(url("application-detail", draft.pk) + "$"))
    browsing.step("case opened with the keyboard", page)

    tab_to(page, page.get_by_role("button", name="Check and submit"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers before submitting")
    tab_to(page, page.get_by_role("checkbox", name=re.compile(r"^On behalf of ")))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Submit to the authority"))
    page.keyboard.press("Enter")
    expect(message(page, f"Application {draft.reference} is submitted to Moscow.")).to_be_visible()
    assert Application.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_an_officer_takes_a_case_into_review_and_approves_it_with_the_keyboard_alone(browsing):
    assert regions_are_loaded()
    clerk, draft = employer_with_ready_draft()
    services.application_submit(application=draft, user=clerk)
    officer = OfficerFactory(email="officer@77.example", regions=[region(77)], preferred_language="en")
    page = browsing.new_page()

    sign_in_with_keyboard(page, officer.email)
    tab_to(page, page.get_by_role("link", name=draft.reference, exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Take into review"))
    page.keyboard.press("Space")
    expect(message(page, "is in review and assigned to you")).to_be_visible()

    confirmed = page.get_by_role("checkbox", name="I have checked the rule check")
    tab_to(page, confirmed)
    page.keyboard.press("Space")
    expect(confirmed).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Approve all workers"))
    page.keyboard.press("Enter")
    expect(message(page, f"Application {draft.reference} is approved for every worker.")).to_be_visible()
    assert Application.objects.get(pk=draft.pk).status == Status.APPROVED


def test_the_skip_link_is_the_first_stop_and_takes_the_keyboard_to_the_content(browsing):
    assert regions_are_loaded()
    clerk, _draft = employer_with_ready_draft()
    page = browsing.new_page(user=clerk)
    page.goto(url("employer-home"))

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert is_focused(skip), "the first Tab stop is not the skip link"
    expect(skip).to_be_visible()  # visually hidden until focused, then shown
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "after the skip link, Tab stays outside <main>"


def test_errors_are_announced_next_to_the_field_they_concern(browsing):
    assert regions_are_loaded()
    clerk, _draft = employer_with_ready_draft()
    page = browsing.new_page(user=clerk)
    page.goto(url("worker-create"))
    tab_to(page, page.get_by_role("button", name="Add the worker"))
    page.keyboard.press("Enter")

    invalid = page.locator("main [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    described = invalid.evaluate_all(
        """inputs => inputs.map(input => {
            const wrapper = input.closest('[id^=div_id_]');
            const notes = (input.getAttribute('aria-describedby') || input.closest('fieldset')?.getAttribute('aria-describedby') || '')
                .split(/\\s+/).filter(Boolean).map(id => document.getElementById(id)).filter(Boolean);
            const errors = notes.filter(note => note.classList.contains('invalid-feedback'));
            return {
                name: input.name,
                error: errors.map(note => note.textContent.trim()).join(' '),
                nextToField: errors.length > 0 && errors.every(note => wrapper && wrapper.contains(note)),
            };
        })"""
    )
    names = {item["name"] for item in described}
    assert {"surname_latin", "given_names_latin", "date_of_birth", "passport_number", "passport_expiry", "occupation"} <= names
    silent = [item for item in described if not item["error"] or not item["nextToField"]]
    assert not silent, f"errors not referenced by their field (aria-describedby) or not next to it: {silent}"


def test_a_status_is_never_shown_by_colour_alone(browsing):
    assert regions_are_loaded()
    scene = build_scene()
    with translation.override("en"):
        labels = {str(label) for label in Status.labels}

    clerk = browsing.new_page(user=scene.clerk)
    clerk.goto(url("employer-home"))
    officer = browsing.new_page(user=scene.officer)
    officer.goto(url("review-queue"))
    for page in (clerk, officer):
        badges = page.locator("main table .status-badge").all_inner_texts()
        assert badges and all(text.strip() in labels for text in badges), badges

    clerk.goto(url("application-detail", scene.draft.pk))
    items = clerk.locator(".rule-check li").all_text_contents()
    assert items
    for item in items:
        assert re.match(r"^(Passed|Failed|Warning|Note):", item.strip()), item
    clerk.goto(url("worker-list"))
    expect(clerk.get_by_role("row").filter(has_text="TOKTOGULOV")).to_contain_text("Expires within 6 months")
