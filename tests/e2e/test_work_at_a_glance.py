"""Work at a glance (issue 18, items 2 and 6), in Chromium at 375 px and 1280 px with axe on every
page visited: the officer's queue opens on the cases awaiting decision with the quota meter and
"Counts as of", fits the screen without scrolling sideways, and keeps every case one tab away; the
employer's home starts with what needs their action, and its links lead where they act."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerMemberFactory, WorkerFactory
from tests.e2e.axe import no_violations
from tests.e2e.scene import file_case, regions_are_loaded, url
from tests.e2e.ui import WIDTHS
from tests.portal.factories import OfficerFactory, UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_NAME = "Общество с ограниченной ответственностью «Северный мост — строительно-монтажное управление № 14»"


def no_sideways_scroll(page, where: str) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: the page scrolls sideways {widths}"
    table = page.locator("main table").first
    if table.count():
        box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] <= box[1], f"{where}: the table scrolls sideways {box}"


def a_company_with_work_waiting(width: str):
    """Moscow with a monthly quota; a company with a draft, a case awaiting decision, a request
    for information to answer, a decided case; its clerk and a Moscow officer."""
    RuleSetFactory(region=region(77), legal_basis_number="12-УМ", monthly_worker_quota=2000)
    EligibilityThresholdFactory()
    clerk = EmployerMemberFactory(user=UserFactory(email=f"clerk.{width}@glance.example"), employer__name=LONG_NAME).user
    employer = clerk.employer_membership.employer
    officer = OfficerFactory(email=f"officer.{width}@glance.example", regions=[region(77)])
    workers = [WorkerFactory(employer=employer, surname_latin=name) for name in ("KARIMOV", "SAIDOV", "TOKTOGULOV")]
    draft = file_case(clerk=clerk, workers=workers[:1], project="Depot in Khimki")
    waiting = file_case(clerk=clerk, workers=workers[1:], project="Bridge over the Yauza")
    services.application_submit(application=waiting, user=clerk)
    asked = ApplicationFactory(
        employer=employer,
        status=Status.INFO_REQUESTED,
        deadline=None,
        decision_days_left=5,
        reply_due=timezone.localdate() + dt.timedelta(days=4),
        project_name="Warehouse in Podolsk",
    )
    decided = ApplicationFactory(employer=employer, status=Status.REJECTED, project_name="Closed site")
    CaseWorkerFactory(application=decided, outcome=WorkerOutcome.REFUSED, refusal_reason="other")
    return clerk, officer, draft, waiting, asked, decided


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_officer_lands_on_the_work_and_an_employer_on_what_needs_action(browsing, width):
    assert regions_are_loaded()
    clerk, officer, draft, waiting, asked, decided = a_company_with_work_waiting(width)
    waiting.refresh_from_db()

    # The officer's queue: the cases awaiting decision, the quota meter, the counts' time.
    page = browsing.new_page(language="en", user=officer, viewport=WIDTHS[width], bypass_csp=True)
    page.goto(url("review-queue"))
    tabs = page.get_by_role("navigation", name="Cases by status")
    expect(tabs.locator('[aria-current="page"]')).to_contain_text("Awaiting decision")
    expect(page.get_by_role("link", name=waiting.reference)).to_be_visible()
    expect(page.get_by_role("link", name=asked.reference)).to_have_count(0)  # waits for the employer
    expect(page.get_by_role("link", name=decided.reference)).to_have_count(0)
    expect(page.get_by_role("heading", name="Monthly worker quota")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Counts as of \d\d:\d\d$"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text=waiting.reference)
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("Not assigned")
    no_sideways_scroll(page, "review queue")
    no_violations(page, "review queue")
    browsing.step(f"{width}: the queue opens on the cases awaiting decision", page)

    tabs.get_by_role("link", name=re.compile(r"^\s*All")).click()
    expect(page).to_have_url(re.compile(r"status=all"))
    expect(page.get_by_role("link", name=decided.reference)).to_be_visible()
    no_sideways_scroll(page, "review queue, all")
    no_violations(page, "review queue, all")

    # The employer's home: what needs action first, and its links lead where they act.
    home = browsing.new_page(language="en", user=clerk, viewport=WIDTHS[width], bypass_csp=True)
    home.goto(url("employer-home"))
    actions = home.get_by_role("region", name="What needs your action")
    expect(actions).to_contain_text("1 request for information to answer")
    expect(actions).to_contain_text(f"reply by {asked.reply_due:%m/%d/%Y}")
    expect(actions).to_contain_text("1 draft not submitted")
    no_sideways_scroll(home, "employer home")
    no_violations(home, "employer home")
    browsing.step(f"{width}: what needs my action", home)

    actions.get_by_role("link", name=f"Finish and submit {draft.reference}").click()
    expect(home).to_have_url(re.compile(rf"/employer/applications/{draft.pk}/$"))
    expect(home.get_by_role("heading", level=1)).to_contain_text(draft.reference)
    no_violations(home, "draft from the home's actions")
    browsing.step(f"{width}: the draft, from what needs my action", home)
