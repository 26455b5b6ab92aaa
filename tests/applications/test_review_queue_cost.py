"""The queue's cost per page (issue 17, item 8): a fixed number of queries whatever its rows, and
rows drawn by one tag (applications/templatetags/review_queue.py) that show what the template
showed: the arrival in the crossing's zone, dates in the reader's language, the officer or that
there is none, the rule-check marker, the pause."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.portal.factories import OfficerFactory
from tests.regions.factories import checkpoint, new_version, region

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-queue")


def a_case(**fields):
    fields.setdefault("status", Status.IN_REVIEW)
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    application = ApplicationFactory(**fields)
    CaseWorkerFactory(application=application, worker=WorkerFactory(employer=application.employer))
    return application


def row_of(page: str, reference: str) -> str:
    return page.split(f">{reference}<")[1].split("</tr>")[0]


def test_a_page_of_the_queue_costs_nine_queries_and_eight_once_the_counts_are_kept(
    officer_client, officer, moscow, moscow_rules, django_assert_num_queries
):
    # A quota in force, so the meter counts too; rows of every kind a row draws differently.
    new_version(moscow_rules, monthly_worker_quota=500)
    colleague = OfficerFactory(regions=[moscow])
    for index in range(40):
        a_case(
            status=(Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)[index % 3],
            assigned_officer=(None, officer, colleague)[index % 3],
            rule_check_failing=index % 4 == 0,
            # Arrivals by Vladivostok's airport, by another crossing of a region, and by Sheremetyevo.
            **(
                {"checkpoint": checkpoint("VVO")} if index % 3 == 0
                else {"border_crossing_point": "Port of Vanino", "border_region": region(27)} if index % 3 == 1
                else {}
            ),
        )
    cache.clear()

    # The session, its user, the officer's regions, the status counts, the page's keys, its rows,
    # the quota's rule versions and the approved workers they cap, and the menu's count of the
    # companies waiting for verification. The queue opens on the 27 cases awaiting decision
    # (submitted or in review).
    with django_assert_num_queries(9):
        response = officer_client.get(QUEUE, {"per_page": 25})
    assert len(response.context["page"]) == 25
    # The counts are kept a little (applications/selectors/review.py): the next page does not
    # count, nor does another tab of the same filters.
    with django_assert_num_queries(8):
        response = officer_client.get(QUEUE, {"per_page": 25, "page": 2})
    assert len(response.context["page"]) == 2
    with django_assert_num_queries(8):
        response = officer_client.get(QUEUE, {"per_page": 25, "page": 2, "status": "all"})
    assert len(response.context["page"]) == 15


def test_a_row_shows_the_arrival_in_the_zone_of_its_crossing(officer_client, moscow_rules):
    arrival = dt.datetime(2021, 5, 12, 4, 30, tzinfo=dt.UTC)
    a_case(reference="R-VVO", checkpoint=checkpoint("VVO"), planned_arrival_at=arrival)
    a_case(reference="R-SVO", planned_arrival_at=arrival)

    page = officer_client.get(QUEUE).content.decode()

    assert "05/12/2021 14:30 (Asia/Vladivostok, UTC+10)" in row_of(page, "R-VVO")
    assert "05/12/2021 07:30 (Europe/Moscow, UTC+3)" in row_of(page, "R-SVO")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_row_is_in_the_readers_language(officer_client, officer, moscow_rules, language):
    submitted = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    a_case(
        reference="R-LANG", employer=EmployerFactory(inn="7701234567"), submitted_at=submitted,
        deadline=dt.date(2021, 3, 15), rule_check_failing=True,
    )
    a_case(
        reference="R-PAUSED", status=Status.INFO_REQUESTED, deadline=None, decision_days_left=4,
        assigned_officer=officer,
    )

    page = officer_client.get(QUEUE, {"status": "all"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        submitted_text = date_format(timezone.localtime(submitted), "SHORT_DATETIME_FORMAT")
        deadline_text = date_format(dt.date(2021, 3, 15), "SHORT_DATE_FORMAT")
        inn, fails, not_assigned, paused = (
            translation.gettext(text) for text in ("INN", "Fails the rules", "Not assigned", "Paused")
        )
    row = row_of(page, "R-LANG")
    assert f"{inn} 7701234567" in row
    assert fails in row
    assert submitted_text in row and deadline_text in row
    assert not_assigned in row
    paused_row = row_of(page, "R-PAUSED")
    assert paused in paused_row and str(officer) in paused_row
    assert fails not in paused_row
    # The first rows' words are worked out once a page: a second language on the next request is
    # not served the first one's.
    other = "en" if language == "ru" else "ru"
    with translation.override(other):
        other_not_assigned = translation.gettext("Not assigned")
    assert other_not_assigned in officer_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE=other).content.decode()


def test_a_row_links_to_its_case_and_shows_the_reference_as_text(officer_client, moscow_rules):
    case = a_case(reference="R-<b>1</b>")

    page = officer_client.get(QUEUE).content.decode()

    link = re.search(r'<a href="([^"]+)">R-&lt;b&gt;1&lt;/b&gt;</a>', page)
    assert link and link.group(1) == reverse("applications:review-detail", kwargs={"pk": case.pk})
