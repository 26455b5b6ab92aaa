"""My applications: the company's cases, filtered by status and by a search, sorted, paginated,
with the deadline in words; the same number of queries for 1 case and 50."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import ApplicationKind, Status
from regions.production_calendar import add_working_days, is_working_day
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import text, url
from tests.regions.factories import region

pytestmark = pytest.mark.django_db


def references_in_order(response) -> list[str]:
    """The references of the listed cases, top to bottom (in the list, not in "What needs your action")."""
    page = response.content.decode()
    if 'id="employer-cases"' not in page:
        return []
    listing = page.split('id="employer-cases"')[1]
    return re.findall(r'href="/employer/applications/\d+/">([^<]+)</a>', listing)


def row_of(response, reference: str) -> str:
    match = re.search(rf"<tr>\s*<td[^>]*><a [^>]*>{re.escape(reference)}</a>.*?</tr>", response.content.decode(), re.S)
    assert match, f"{reference} is not listed"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_the_list_shows_each_case_with_region_kind_status_arrival_workers_and_deadline(employer_client, employer):
    arrival = timezone.localdate() + dt.timedelta(days=30)
    application = ApplicationFactory(
        employer=employer, region=region(78), kind=ApplicationKind.RETURNING_WORKERS, status=Status.IN_REVIEW,
        planned_arrival_date=arrival, deadline=add_working_days(timezone.localdate(), 4),
    )
    CaseWorkerFactory.create_batch(3, application=application)

    row = row_of(employer_client.get(url("employer-home")), application.reference)

    assert "Saint Petersburg" in row
    assert "Bring back former workers" in row
    assert "In review" in row
    assert arrival.strftime("%m/%d/%Y") in row
    assert " 3 " in row
    assert "4 working days left" in row


def test_an_overdue_case_says_by_how_many_days_and_a_draft_has_no_deadline(employer_client, employer):
    overdue = ApplicationFactory(
        employer=employer, status=Status.SUBMITTED, deadline=add_working_days(timezone.localdate(), -1)
    )
    due_today = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, deadline=timezone.localdate())
    draft = ApplicationFactory(employer=employer)

    response = employer_client.get(url("employer-home"))

    # On a day off nothing is lost yet since the last working day: overdue, by no working day.
    lost = "Overdue by 1 working day" if is_working_day(timezone.localdate()) else "Overdue"
    assert lost in row_of(response, overdue.reference)
    assert "Due today" in row_of(response, due_today.reference)
    assert "left" not in row_of(response, draft.reference)
    assert "Overdue" not in row_of(response, draft.reference)


def test_a_decided_case_shows_no_days_left(employer_client, employer):
    approved = ApplicationFactory(employer=employer, status=Status.APPROVED, deadline=timezone.localdate() - dt.timedelta(days=9))

    row = row_of(employer_client.get(url("employer-home")), approved.reference)

    assert "Overdue" not in row and "left" not in row


def test_the_list_filters_by_several_statuses(employer_client, employer):
    draft = ApplicationFactory(employer=employer)
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    asked = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED)

    response = employer_client.get(url("employer-home"), {"status": [Status.SUBMITTED, Status.INFO_REQUESTED]})

    assert sorted(references_in_order(response)) == sorted([submitted.reference, asked.reference])
    assert draft.reference not in references_in_order(response)  # ("What needs your action" names it)
    assert "2 applications found." in text(response)


def test_an_unknown_status_is_refused_next_to_the_field_and_the_list_is_not_filtered_by_it(employer_client, employer):
    ApplicationFactory(employer=employer)

    response = employer_client.get(url("employer-home"), {"status": "lost"})

    assert response.status_code == 200
    assert "Select a valid choice. lost is not one of the available choices." in text(response)
    assert "1 application found." in text(response)


def test_the_search_finds_a_case_by_part_of_its_reference(employer_client, employer):
    wanted = ApplicationFactory(employer=employer, reference="2021-000417")
    ApplicationFactory(employer=employer, reference="2021-000999")

    response = employer_client.get(url("employer-home"), {"q": "0417"})

    assert references_in_order(response) == [wanted.reference]


def test_the_search_finds_a_case_by_a_workers_name_or_passport(employer_client, employer):
    wanted = CaseWorkerFactory(
        application__employer=employer, worker__surname_latin="TOSHMATOV", worker__given_names_latin="BOBUR",
        worker__surname_cyrillic="Тошматов", worker__passport_number="FA7654321",
    ).application
    CaseWorkerFactory(application__employer=employer, worker__surname_latin="KARIMOV")

    by_name = employer_client.get(url("employer-home"), {"q": "toshmatov bobur"})
    by_cyrillic = employer_client.get(url("employer-home"), {"q": "Тошматов"})
    by_passport = employer_client.get(url("employer-home"), {"q": "fa 7654321"})

    assert references_in_order(by_name) == [wanted.reference]
    assert references_in_order(by_cyrillic) == [wanted.reference]
    assert references_in_order(by_passport) == [wanted.reference]


def test_a_case_with_several_matching_workers_is_listed_once(employer_client, employer):
    application = ApplicationFactory(employer=employer)
    CaseWorkerFactory(application=application, worker__surname_latin="YUSUPOV")
    CaseWorkerFactory(application=application, worker__surname_latin="YUSUPOVA")

    response = employer_client.get(url("employer-home"), {"q": "yusupov"})

    assert references_in_order(response) == [application.reference]
    assert "1 application found." in text(response)


def test_the_search_never_shows_another_companys_case(employer_client, employer, other_employer_user):
    other = other_employer_user.employer_membership.employer
    theirs = CaseWorkerFactory(application__employer=other, worker__surname_latin="SHAREDNAME").application
    worker = WorkerFactory(employer=employer, surname_latin="SHAREDNAME")
    mine = CaseWorkerFactory(application__employer=employer, worker=worker).application

    response = employer_client.get(url("employer-home"), {"q": "sharedname"})

    assert references_in_order(response) == [mine.reference]
    assert theirs.reference not in text(response)


@pytest.mark.parametrize(
    ("o", "expected"),
    [
        ("arrival", ["SOON", "LATER", "LATEST"]),
        ("-arrival", ["LATEST", "LATER", "SOON"]),
        ("reference", ["LATER", "LATEST", "SOON"]),
        ("-reference", ["SOON", "LATEST", "LATER"]),
        ("status", ["LATER", "SOON", "LATEST"]),  # draft, submitted, approved: the order of the procedure
        ("created", ["LATEST", "SOON", "LATER"]),
        ("", ["LATER", "SOON", "LATEST"]),  # newest first
    ],
)
def test_the_list_sorts_by_the_chosen_column(employer_client, employer, o, expected):
    today, now = timezone.localdate(), timezone.now()
    ApplicationFactory(
        employer=employer, reference="A-SOON", status=Status.SUBMITTED,
        planned_arrival_date=today + dt.timedelta(days=5), created_at=now - dt.timedelta(days=2),
    )
    ApplicationFactory(
        employer=employer, reference="A-LATER", planned_arrival_date=today + dt.timedelta(days=10),
        created_at=now - dt.timedelta(days=1),
    )
    ApplicationFactory(
        employer=employer, reference="A-LATEST", status=Status.APPROVED,
        planned_arrival_date=today + dt.timedelta(days=20), created_at=now - dt.timedelta(days=3),
    )

    response = employer_client.get(url("employer-home"), {"o": o} if o else {})

    assert references_in_order(response) == [f"A-{name}" for name in expected]


def test_a_column_header_link_reverses_the_current_sort_and_keeps_the_filters(employer_client, employer):
    ApplicationFactory(employer=employer)

    page = employer_client.get(url("employer-home"), {"o": "arrival", "status": "draft"}).content.decode()

    assert 'href="?o=-arrival&amp;status=draft"' in page
    assert 'aria-sort="ascending"' in page


def test_page_links_keep_the_filters_and_the_sort(employer_client, employer):
    for number in range(30):
        ApplicationFactory(employer=employer, reference=f"P-{number:03d}")

    response = employer_client.get(url("employer-home"), {"status": "draft", "q": "P-", "o": "reference"})

    page = response.content.decode()
    assert "Page 1 of 2" in text(response)
    assert 'href="?status=draft&amp;q=P-&amp;o=reference&amp;page=2"' in page
    second = employer_client.get(url("employer-home"), {"status": "draft", "q": "P-", "o": "reference", "page": 2})
    assert references_in_order(second) == [f"P-{number:03d}" for number in range(25, 30)]


def test_a_page_number_past_the_end_shows_the_last_page(employer_client, employer):
    ApplicationFactory(employer=employer, reference="ONLY-ONE")

    response = employer_client.get(url("employer-home"), {"page": 99})

    assert response.status_code == 200
    assert references_in_order(response) == ["ONLY-ONE"]


def test_an_empty_result_says_no_case_matches(employer_client, employer):
    ApplicationFactory(employer=employer)

    response = employer_client.get(url("employer-home"), {"q": "nothing-like-this"})

    assert "No application matches these filters." in text(response)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("employer-home"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"status": ["draft", "submitted"], "q": "KARIMOV", "o": "-status"}])
def test_the_list_costs_the_same_number_of_queries_for_1_and_50_cases(employer_client, employer, params):
    CaseWorkerFactory(application__employer=employer, application__status=Status.SUBMITTED,
                             application__deadline=timezone.localdate())
    with_one = _queries(employer_client, params)

    for index in range(49):
        application = ApplicationFactory(employer=employer, status=Status.SUBMITTED if index % 2 else Status.DRAFT,
                                         deadline=timezone.localdate() + dt.timedelta(days=index))
        CaseWorkerFactory.create_batch(2, application=application)
    response = employer_client.get(url("employer-home"), {**params, "page": 2})
    assert references_in_order(response), "the second page lists cases"
    with_fifty = _queries(employer_client, params)

    assert with_one == with_fifty


def test_an_officer_is_forbidden_on_the_list(client, officer):
    client.force_login(officer)

    assert client.get(url("employer-home"), {"q": "x"}).status_code == 403
