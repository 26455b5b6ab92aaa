"""A batch in the browser (issue 17): a clerk fills a draft from the registry in one action, and
splits a draft over the region's cap into applications the region accepts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application, Status
from tests.applications.factories import EmployerMemberFactory, WorkerFactory
from tests.e2e.scene import PASSWORD, file_case, region, regions_are_loaded, url
from tests.e2e.ui import button, message, sign_in
from tests.portal.factories import UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAP = 3


def test_a_clerk_adds_the_whole_registry_to_a_draft_then_splits_it_under_the_regions_cap(browsing):
    assert regions_are_loaded()
    RuleSetFactory(region=region(77), legal_basis_number="12-УМ", max_workers_per_application=CAP)
    EligibilityThresholdFactory()
    clerk = EmployerMemberFactory(user=UserFactory(email="clerk@stroyka.example", preferred_language="en")).user
    employer = clerk.employer_membership.employer
    people = [WorkerFactory(employer=employer, surname_latin=f"BATCHEV{n}") for n in range(5)]
    draft = file_case(clerk=clerk, workers=people[:1], project="Bridge over the Yauza")
    page = browsing.new_page()
    sign_in(page, clerk.email, PASSWORD)

    page.goto(url("application-detail", draft.pk))
    page.get_by_role("link", name="Add many workers from your registry").click()
    page.get_by_role("button", name=re.compile(r"^\s*Add (the|all) \d+ matching workers?\s*$")).click()
    expect(message(page, "4 workers are added to the application.")).to_be_visible()
    browsing.step("registry added in one action", page)
    assert draft.lines.count() == 5

    page.goto(url("application-detail", draft.pk))
    button(page, "Split into 2 applications of at most 3 workers").click()
    expect(message(page, f"{draft.reference} is split into 2 applications")).to_be_visible()
    browsing.step("draft split", page)
    drafts = Application.objects.filter(employer=employer, status=Status.DRAFT).order_by("pk")
    assert [case.lines.count() for case in drafts] == [CAP, 5 - CAP]
