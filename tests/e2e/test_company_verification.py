"""Company verification as the officer's work, and the employer's upkeep of its company (issue 18,
items 1 and 7), in Chromium at 375 px and 1280 px with axe on every page visited: an officer of
the company's region opens the companies queue from the menu, opens the card, refuses with a
reason; the employer reads it, corrects the company's details and asks again; the officer
verifies. The employer deletes a draft, and sees why "Check and submit" is disabled meanwhile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications.models import Application, EmployerEvent, EmployerFigures
from tests.applications.factories import EmployerFactory, EmployerMemberFactory, WorkerFactory
from tests.e2e.axe import no_violations
from tests.e2e.scene import file_case, moscow_rules_and_threshold, regions_are_loaded
from tests.e2e.ui import WIDTHS, button, field, message
from tests.portal.factories import OfficerFactory, UserFactory
from tests.regions.factories import region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def open_menu_link(page, name: str, width: str) -> None:
    """A link of the header's menu; on a phone the menu is folded behind its button first."""
    if width == "phone":
        button(page, "Menu").click()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_officer_refuses_then_verifies_a_company_that_corrects_its_details(browsing, width):
    assert regions_are_loaded()
    moscow_rules_and_threshold()
    company = EmployerFactory(name=f"ООО Новичок {width}", region=region(77), verified_at=None)
    # As signed up: the figures stated with the form, no evidence file yet.
    EmployerFigures.objects.create(employer=company, year=2020, annual_revenue_rub=900_000_000, average_headcount=150)
    clerk = EmployerMemberFactory(employer=company, user=UserFactory(email=f"clerk.{width}@newcomer.example")).user
    officer = OfficerFactory(email=f"officer.{width}@77.example", regions=[region(77)], preferred_language="en")
    draft = file_case(clerk=clerk, workers=[WorkerFactory(employer=company)], project="Depot in Khimki")
    spare = file_case(clerk=clerk, workers=[], project="Abandoned idea")
    viewport = WIDTHS[width]

    # The employer, unverified, sees why it cannot submit yet, beside the greyed button.
    employer_page = browsing.new_page(user=clerk, viewport=viewport, bypass_csp=True)
    employer_page.goto(f"/employer/applications/{draft.pk}/")
    expect(button(employer_page, "Check and submit")).to_be_disabled()
    expect(employer_page.locator("#submit-why")).to_contain_text("your company is not verified yet")
    no_violations(employer_page, "draft of an unverified company")

    # The officer opens the companies queue from the menu and the company's card.
    officer_page = browsing.new_page(user=officer, viewport=viewport, bypass_csp=True)
    officer_page.goto("/review/")
    open_menu_link(officer_page, "Companies 1 company waits for verification", width)
    expect(officer_page.get_by_role("heading", level=1)).to_have_text("Companies waiting for verification")
    no_violations(officer_page, "companies queue")
    officer_page.get_by_role("link", name=company.name).click()
    expect(officer_page.locator("#number-checks")).to_be_visible()
    expect(officer_page.get_by_text("Check digit correct").first).to_be_visible()
    no_violations(officer_page, "company card")
    browsing.step(f"{width}: company card", officer_page)

    # Refused with a reason.
    field(officer_page, "Reason for refusing").fill("The legal address differs from the state register.")
    button(officer_page, "Refuse with this reason").click()
    expect(message(officer_page, "its members are told why by e-mail")).to_be_visible()
    no_violations(officer_page, "refused company card")

    # The employer reads the reason, corrects the address and asks again.
    employer_page.goto("/employer/company/")
    expect(employer_page.locator("#verification-refused")).to_contain_text("The legal address differs from the state register.")
    no_violations(employer_page, "company page, refused")
    employer_page.get_by_role("link", name="Change the company's details").click()
    no_violations(employer_page, "company details form")
    field(employer_page, "Legal address").fill("Москва, ул. Тверская, 7")
    button(employer_page, "Save the details").click()
    expect(message(employer_page, "The company's details are saved")).to_be_visible()
    expect(employer_page.locator("#company-history")).to_contain_text("Москва, ул. Тверская, 7")
    button(employer_page, "Ask for verification again").click()
    expect(message(employer_page, "back in the queue")).to_be_visible()
    no_violations(employer_page, "company page, asked again")
    browsing.step(f"{width}: company page after asking again", employer_page)

    # The officer verifies it.
    officer_page.goto("/review/companies/")
    officer_page.get_by_role("link", name=company.name).click()
    expect(officer_page.locator("#company-history")).to_contain_text("Москва, ул. Тверская, 7")
    officer_page.get_by_role("checkbox", name="I have checked the company's INN and OGRN against the state register").check()
    button(officer_page, "Verify this company").click()
    expect(message(officer_page, f"{company.name} is verified")).to_be_visible()
    no_violations(officer_page, "verified company card")
    assert list(EmployerEvent.objects.filter(employer=company).values_list("action", flat=True)) == [
        "refuse",
        "details",
        "ask_again",
        "verify",
    ]

    # The employer deletes the draft it no longer needs.
    employer_page.goto(f"/employer/applications/{spare.pk}/")
    employer_page.get_by_role("link", name="Delete the draft").click()
    no_violations(employer_page, "delete draft confirmation")
    button(employer_page, "Yes, delete the draft").click()
    expect(message(employer_page, f"Draft {spare.reference} is deleted.")).to_be_visible()
    expect(employer_page.get_by_text("Abandoned idea")).to_have_count(0)
    no_violations(employer_page, "applications after deleting")
    browsing.step(f"{width}: draft deleted", employer_page)
    assert Application.objects.get(pk=spare.pk).deleted_at is not None
