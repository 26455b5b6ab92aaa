"""The officer's queue opens on the work to do (issue 18, item 2): the cases awaiting decision
(submitted, in review: an answered request returns a case to review), every case one tab away,
bookmarks and the filter form meaning what they meant, the quota meter whenever a quota is in force."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory
from tests.regions.factories import new_version

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-queue")


@pytest.fixture
def cases(moscow_rules):
    employer = EmployerFactory(name="Northern Bridge LLC")
    for status in Status:
        if status != Status.DRAFT:
            ApplicationFactory(reference=f"R-{status.value}", status=status, employer=employer)


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {application.reference for application in response.context["page"]}


def current_tab(response) -> str:
    return next(tab["value"] for tab in response.context["status_tabs"] if tab["current"])


def test_the_queue_opens_on_the_cases_awaiting_decision(officer_client, cases):
    response = officer_client.get(QUEUE)

    assert listed(response) == {"R-submitted", "R-in_review"}
    assert current_tab(response) == "pending"
    page = response.content.decode()
    assert re.search(r'aria-current="page" href="\?status=pending">\s*Awaiting decision\s*<span[^>]*>2</span>', page)
    # Its pages and sorts stay on it.
    assert listed(officer_client.get(QUEUE, {"o": "-deadline", "page": "1"})) == {"R-submitted", "R-in_review"}


def test_every_case_is_one_tab_away(officer_client, cases):
    page = officer_client.get(QUEUE).content.decode()
    assert re.search(r'href="\?status=all">\s*All\s*<span[^>]*>7</span>', page)

    response = officer_client.get(QUEUE, {"status": "all"})

    assert len(listed(response)) == 7
    assert current_tab(response) == "all"


def test_a_case_waiting_for_the_employers_answer_is_not_awaiting_the_officer(officer_client, cases):
    assert "R-info_requested" not in listed(officer_client.get(QUEUE))
    assert listed(officer_client.get(QUEUE, {"status": "info_requested"})) == {"R-info_requested"}


def test_the_filter_form_shows_the_statuses_it_lists_and_its_search_keeps_them(officer_client, cases):
    page = officer_client.get(QUEUE).content.decode()
    boxes = [tag for tag in re.findall(r"<input[^>]*>", page) if 'name="status"' in tag]
    checked = {re.search(r'value="(\w+)"', tag).group(1) for tag in boxes if "checked" in tag}
    assert len(boxes) == 7
    assert checked == {"submitted", "in_review"}

    # The form sent back as drawn (its empty fields too) keeps the ticked statuses...
    form = {"reference": "", "employer": "northern", "worker": "", "status": ["submitted", "in_review"], "o": ""}
    assert listed(officer_client.get(QUEUE, form)) == {"R-submitted", "R-in_review"}
    # ...and with every status unticked it means every status, as it always did.
    form.pop("status")
    assert len(listed(officer_client.get(QUEUE, form))) == 7


def test_a_bookmarked_search_keeps_its_meaning(officer_client, cases):
    # Made before the queue opened on the cases awaiting decision: every status matching.
    assert len(listed(officer_client.get(QUEUE, {"employer": "northern"}))) == 7
    assert listed(officer_client.get(QUEUE, {"status": "approved"})) == {"R-approved"}
    assert listed(officer_client.get(QUEUE, {"employer": "northern", "status": "pending"})) == {"R-submitted", "R-in_review"}


def test_the_export_of_the_opening_queue_is_what_it_shows(officer_client, cases):
    csv = b"".join(officer_client.get(reverse("applications:review-export-csv")).streaming_content).decode()

    assert "R-submitted" in csv and "R-in_review" in csv
    assert "R-approved" not in csv
    every = b"".join(officer_client.get(reverse("applications:review-export-csv"), {"status": "all"}).streaming_content)
    assert b"R-approved" in every


def test_the_quota_meter_shows_whenever_the_region_has_a_quota_in_force(officer_client, moscow_rules):
    assert "Monthly worker quota" not in officer_client.get(QUEUE).content.decode()
    new_version(moscow_rules, effective_from=timezone.localdate() - dt.timedelta(days=400), monthly_worker_quota=2000)
    approved = ApplicationFactory(status=Status.APPROVED, planned_arrival_date=timezone.localdate())
    CaseWorkerFactory(application=approved, outcome="approved")

    page = officer_client.get(QUEUE).content.decode()

    assert "Monthly worker quota" in page
    assert re.search(r"1 of 2(,|\xa0|\u202f)?000 approved for", page)
