"""The officer's queue: only the officer's regions, every filter, the status tabs, sorting,
page size, deadline and rule-check markers, and a query count that does not grow with the rows."""

import datetime as dt
import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationKind, Status
from applications.selectors import review
from applications.services.cases import application_take_into_review
from regions.production_calendar import add_working_days, is_working_day
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.portal.factories import OfficerFactory
from tests.regions.factories import new_version, region

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-queue")


def queue_url(**query):
    return f"{QUEUE}?{urlencode(query, doseq=True)}" if query else QUEUE


def today():
    return timezone.localdate()


@pytest.fixture
def spb_client(client, officer_spb):
    client.force_login(officer_spb)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def a_case(*, employer=None, status=Status.SUBMITTED, workers=1, citizenship="UZ", **fields):
    """A case (Moscow unless `region` is given) with `workers` lines of one citizenship."""
    fields.setdefault("deadline", today() + dt.timedelta(days=10))
    application = ApplicationFactory(employer=employer or EmployerFactory(), status=status, **fields)
    for _ in range(workers):
        CaseWorkerFactory(
            application=application, worker=WorkerFactory(employer=application.employer, citizenship=citizenship)
        )
    return application


def listed(response):
    """The references in the table, in the order shown."""
    assert response.status_code == 200
    return [application.reference for application in response.context["page"]]


def tab_counts(response):
    return {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}


# Scope


def test_officer_of_another_region_sees_no_moscow_case_in_the_list_or_the_tabs(spb_client, moscow_rules):
    a_case(reference="MOW-1")
    a_case(reference="MOW-2", status=Status.IN_REVIEW)

    response = spb_client.get(QUEUE)

    assert listed(response) == []
    assert set(tab_counts(response).values()) == {0}
    assert "MOW-1" not in response.content.decode()


def test_drafts_are_neither_listed_nor_counted(officer_client, moscow_rules):
    a_case(reference="R-DRAFT", status=Status.DRAFT)
    a_case(reference="R-SENT")

    response = officer_client.get(QUEUE)

    assert listed(response) == ["R-SENT"]
    assert tab_counts(response)["all"] == 1


# Filters: each one narrows the queue to the case that matches


def add_worker(application, **worker_fields):
    return CaseWorkerFactory(application=application, worker=WorkerFactory(employer=application.employer, **worker_fields))


def _two_workers_each_matching_one_word():
    application = a_case(reference="R-OTHER", workers=0)
    add_worker(application, surname_latin="RAHMONOV", given_names_latin="ALI")
    add_worker(application, surname_latin="KARIMOV", given_names_latin="FARRUKH")


def _days_from_today(days):
    return (today() + dt.timedelta(days=days)).isoformat()


def _submitted_days_ago(reference, days):
    now = timezone.now()
    return a_case(reference=reference, created_at=now - dt.timedelta(days=30), submitted_at=now - dt.timedelta(days=days))


FILTER_CASES = {
    "kind": (
        {"kind": "returning"},
        lambda: a_case(reference="R-MATCH", kind=ApplicationKind.RETURNING_WORKERS),
        lambda: a_case(reference="R-OTHER", kind=ApplicationKind.NEW_WORKERS),
    ),
    "reference": (
        {"reference": "match"},
        lambda: a_case(reference="R-MATCH"),
        lambda: a_case(reference="R-OTHER"),
    ),
    "employer name": (
        {"employer": "northern"},
        lambda: a_case(reference="R-MATCH", employer=EmployerFactory(name="Northern Bridge LLC")),
        lambda: a_case(reference="R-OTHER", employer=EmployerFactory(name="Southern Road LLC")),
    ),
    "citizenship": (
        {"citizenship": "TJ"},
        lambda: a_case(reference="R-MATCH", citizenship="TJ", workers=2),
        lambda: a_case(reference="R-OTHER", citizenship="UZ"),
    ),
    "worker surname": (
        {"worker": "rahmon"},
        lambda: add_worker(a_case(reference="R-MATCH"), surname_latin="RAHMONOV", given_names_latin="FARRUKH"),
        lambda: a_case(reference="R-OTHER"),
    ),
    "worker surname and given name": (
        {"worker": "Rahmonov Farrukh"},
        lambda: add_worker(a_case(reference="R-MATCH"), surname_latin="RAHMONOV", given_names_latin="FARRUKH"),
        # Both words must match the same worker, not one word each of two workers.
        _two_workers_each_matching_one_word,
    ),
    "worker name in Cyrillic": (
        {"worker": "рахмонов"},
        lambda: add_worker(a_case(reference="R-MATCH"), surname_cyrillic="Рахмонов"),
        lambda: a_case(reference="R-OTHER"),
    ),
    "passport number": (
        {"worker": "fa 1234567"},
        lambda: add_worker(a_case(reference="R-MATCH"), passport_number="FA1234567"),
        lambda: add_worker(a_case(reference="R-OTHER"), passport_number="FA1234568"),
    ),
    "passport number typed with dashes, as the person's key reads it": (
        {"worker": "fa-123 45–67"},
        lambda: add_worker(a_case(reference="R-MATCH"), passport_number="FA1234567"),
        lambda: add_worker(a_case(reference="R-OTHER"), passport_number="FA1234568"),
    ),
    "submitted from": (
        lambda: {"submitted_from": _days_from_today(-3)},
        lambda: _submitted_days_ago("R-MATCH", 2),
        lambda: _submitted_days_ago("R-OTHER", 10),
    ),
    "submitted to": (
        lambda: {"submitted_to": _days_from_today(-5)},
        lambda: _submitted_days_ago("R-MATCH", 10),
        lambda: _submitted_days_ago("R-OTHER", 2),
    ),
    "arrival from": (
        lambda: {"arrival_from": _days_from_today(30)},
        lambda: a_case(reference="R-MATCH", planned_arrival_date=today() + dt.timedelta(days=40)),
        lambda: a_case(reference="R-OTHER", planned_arrival_date=today() + dt.timedelta(days=20)),
    ),
    "arrival to": (
        lambda: {"arrival_to": _days_from_today(30)},
        lambda: a_case(reference="R-MATCH", planned_arrival_date=today() + dt.timedelta(days=20)),
        lambda: a_case(reference="R-OTHER", planned_arrival_date=today() + dt.timedelta(days=40)),
    ),
    "overdue, waiting": (
        {"overdue": "on"},
        lambda: a_case(reference="R-MATCH", status=Status.IN_REVIEW, deadline=today() - dt.timedelta(days=1)),
        lambda: a_case(reference="R-OTHER", deadline=today()),
    ),
    "overdue, but decided": (
        {"overdue": "on"},
        lambda: a_case(reference="R-MATCH", deadline=today() - dt.timedelta(days=3)),
        lambda: a_case(reference="R-OTHER", status=Status.APPROVED, deadline=today() - dt.timedelta(days=3)),
    ),
    "fails a blocking check": (
        {"failing": "on"},
        lambda: a_case(reference="R-MATCH", rule_check_failing=True),
        lambda: a_case(reference="R-OTHER"),
    ),
    "fails a blocking check, but decided": (
        {"failing": "on"},
        lambda: a_case(reference="R-MATCH", status=Status.INFO_REQUESTED, rule_check_failing=True),
        # The flag is kept true only while a case waits; a decided case's flag is history.
        lambda: a_case(reference="R-OTHER", status=Status.REJECTED, rule_check_failing=True),
    ),
}


@pytest.mark.parametrize("name", FILTER_CASES)
def test_each_filter_narrows_the_queue_to_the_cases_that_match(officer_client, moscow_rules, name):
    query, make_matching, make_other = FILTER_CASES[name]
    query = query() if callable(query) else query
    make_matching()
    make_other()

    assert sorted(listed(officer_client.get(QUEUE, {"status": "all"}))) == ["R-MATCH", "R-OTHER"]
    assert listed(officer_client.get(queue_url(**query))) == ["R-MATCH"]


def test_employer_inn_matches_only_whole(officer_client, moscow_rules):
    builder = EmployerFactory()
    a_case(reference="R-MATCH", employer=builder)
    a_case(reference="R-OTHER")

    assert listed(officer_client.get(queue_url(employer=builder.inn))) == ["R-MATCH"]
    assert listed(officer_client.get(queue_url(employer=builder.inn[:6]))) == []


def test_several_statuses_can_be_chosen_at_once(officer_client, moscow_rules):
    a_case(reference="R-SUB")
    a_case(reference="R-REV", status=Status.IN_REVIEW)
    a_case(reference="R-REJ", status=Status.REJECTED)

    assert sorted(listed(officer_client.get(queue_url(status=["in_review", "rejected"])))) == ["R-REJ", "R-REV"]


def test_assigned_to_me_shows_only_the_officers_own_cases(officer_client, officer, moscow):
    colleague = OfficerFactory(regions=[moscow])
    a_case(reference="R-MINE", status=Status.IN_REVIEW, assigned_officer=officer)
    a_case(reference="R-THEIRS", status=Status.IN_REVIEW, assigned_officer=colleague)
    a_case(reference="R-NOBODY")

    assert listed(officer_client.get(queue_url(mine="on"))) == ["R-MINE"]


def test_a_case_with_two_workers_of_the_citizenship_is_listed_once(officer_client, moscow_rules):
    a_case(reference="R-TWO", citizenship="KG", workers=2)

    response = officer_client.get(queue_url(citizenship="KG"))

    assert listed(response) == ["R-TWO"]
    assert response.context["page"].paginator.count == 1


def test_a_date_range_ending_before_it_starts_is_refused_at_the_field(officer_client, moscow_rules):
    a_case(reference="R-ANY")

    response = officer_client.get(
        queue_url(arrival_from=(today() + dt.timedelta(days=10)).isoformat(), arrival_to=today().isoformat())
    )

    assert response.status_code == 200
    assert response.context["filter"].form.errors["arrival_to"] == ["This date is before the start of the range."]
    assert "This date is before the start of the range." in response.content.decode()


def test_a_date_that_is_not_a_date_is_shown_as_an_error_not_a_crash(officer_client, moscow_rules):
    a_case(reference="R-ANY")

    response = officer_client.get(queue_url(submitted_from="31.02.2021x"))

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert listed(response) == ["R-ANY"]


@pytest.mark.parametrize(("query", "field"), [({"o": "password"}, "o"), ({"status": "draft"}, "status"), ({"kind": "x"}, "kind")])
def test_a_value_not_offered_is_refused_at_its_field_and_shows_no_draft(officer_client, moscow_rules, query, field):
    a_case(reference="R-SENT")
    a_case(reference="R-DRAFT", status=Status.DRAFT)

    response = officer_client.get(queue_url(**query))

    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    assert "Select a valid choice." in response.content.decode()
    assert listed(response) == ["R-SENT"]


def test_filters_are_kept_in_the_form_so_the_view_can_be_bookmarked(officer_client, moscow_rules):
    page = officer_client.get(queue_url(employer="Northern", overdue="on", per_page=50)).content.decode()

    assert 'method="get"' in page
    assert 'value="Northern"' in page
    assert re.search(r'<input type="checkbox" name="overdue"[^>]* checked>', page)
    assert '<option value="50" selected>' in page


def test_the_filter_form_kept_for_one_query_is_never_shown_for_another(officer_client, moscow_rules):
    """The form's markup is kept per language and query (it cost more than the table's rows):
    each query must still show its own values and errors, and each language its own labels."""
    officer_client.get(queue_url(employer="Northern"))

    other = officer_client.get(queue_url(employer="Southern", page=2)).content.decode()
    assert 'value="Southern"' in other
    assert 'value="Northern"' not in other
    wrong = officer_client.get(queue_url(employer="Southern", arrival_from="2021-10-02", arrival_to="2021-10-01"))
    assert "This date is before the start of the range." in wrong.content.decode()
    russian = officer_client.get(queue_url(employer="Southern"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Работодатель (наименование или ИНН)" in russian


# Status tabs


def test_tabs_count_each_status_under_the_other_filters(officer_client, moscow_rules):
    northern = EmployerFactory(name="Northern Bridge LLC")
    a_case(employer=northern, reference="N-1")
    a_case(employer=northern, reference="N-2")
    a_case(employer=northern, reference="N-3", status=Status.IN_REVIEW)
    a_case(employer=northern, reference="N-4", status=Status.REJECTED)
    a_case(reference="S-1")  # another employer: filtered out of every tab
    a_case(reference="S-2", status=Status.IN_REVIEW)

    # The status filter itself does not narrow the tabs: each tab says what choosing it would show.
    response = officer_client.get(queue_url(employer="northern", status="submitted"))

    counts = tab_counts(response)
    assert counts["all"] == 4
    assert counts["pending"] == 3
    assert counts["submitted"] == 2
    assert counts["in_review"] == 1
    assert counts["rejected"] == 1
    assert counts["approved"] == 0
    assert sorted(listed(response)) == ["N-1", "N-2"]


def test_the_tabs_reuse_their_counts_and_say_how_old_they_are_while_the_list_stays_live(officer_client, moscow_rules):
    """Counting a large region's cases by status is most of the queue's database time, and far
    more under a filter on workers: the counts are kept a little; the list itself is read live."""
    a_case(reference="TJ-1", citizenship="TJ")
    first = officer_client.get(queue_url(citizenship="TJ"))
    assert tab_counts(first)["submitted"] == 1

    a_case(reference="TJ-2", citizenship="TJ")  # not through a status change: nothing tells the counts
    # Another status or sort of the same filtered list reuses the counts.
    again = officer_client.get(queue_url(citizenship="TJ", status="submitted", o="-deadline"))

    assert tab_counts(again)["submitted"] == 1
    assert sorted(listed(again)) == ["TJ-1", "TJ-2"]
    # The length starts from the kept counts and is corrected by the page actually read.
    assert "2 applications found" in again.content.decode()
    assert "Counts as of" in again.content.decode()
    # Another filter value is counted on its own.
    assert tab_counts(officer_client.get(queue_url(citizenship="UZ")))["submitted"] == 0


def test_a_status_change_in_the_region_recounts_the_tabs_at_once(
    officer_client, officer, moscow_rules, django_capture_on_commit_callbacks
):
    taken = a_case(reference="L-1")
    a_case(reference="L-2")
    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        application_take_into_review(application=taken, user=officer)

    counts = tab_counts(officer_client.get(QUEUE))
    assert counts["submitted"] == 1
    assert counts["in_review"] == 1


def test_a_status_change_in_another_region_leaves_the_kept_counts_alone(
    officer_client, officer_spb, spb, moscow_rules, django_capture_on_commit_callbacks
):
    a_case(reference="L-1")
    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 1
    a_case(reference="L-2")  # unseen by the kept counts until they expire or Moscow changes
    elsewhere = a_case(reference="S-1", region=spb)

    with django_capture_on_commit_callbacks(execute=True):
        application_take_into_review(application=elsewhere, user=officer_spb)

    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 1


def test_counts_kept_for_one_officer_are_not_shown_to_another(officer_client, client, moscow, moscow_rules):
    a_case(reference="TJ-1", citizenship="TJ", assigned_officer=None)
    officer_client.get(queue_url(citizenship="TJ", mine="on"))
    colleague = OfficerFactory(regions=[moscow])
    mine = a_case(reference="TJ-2", citizenship="TJ")
    mine.assigned_officer = colleague
    mine.save()

    client.force_login(colleague)
    response = client.get(queue_url(citizenship="TJ", mine="on"))

    assert tab_counts(response)["submitted"] == 1
    assert listed(response) == ["TJ-2"]


@pytest.mark.parametrize(
    ("query", "found"),
    # The bare queue opens on the cases awaiting decision; a search of every status (as it was
    # bookmarked) until it names its statuses.
    [({}, 5), ({"status": "all"}, 6), ({"status": "pending"}, 5), ({"employer": "northern"}, 5), ({"employer": "northern", "status": "submitted"}, 3),
     ({"employer": "northern", "status": ["submitted", "rejected"]}, 4), ({"status": "approved"}, 0)],
)
def test_the_number_found_is_the_number_listed(officer_client, moscow_rules, query, found):
    northern = EmployerFactory(name="Northern Bridge LLC")
    for number, status in enumerate([Status.SUBMITTED] * 3 + [Status.IN_REVIEW, Status.REJECTED]):
        a_case(employer=northern, reference=f"N-{number}", status=status)
    a_case(reference="S-1")

    response = officer_client.get(queue_url(per_page=25, **query))

    assert len(listed(response)) == found
    assert response.context["page"].paginator.count == found


def test_under_a_worker_filter_the_number_found_stays_live(officer_client, moscow_rules):
    a_case(reference="TJ-1", citizenship="TJ")
    officer_client.get(queue_url(citizenship="TJ"))
    a_case(reference="TJ-2", citizenship="TJ")

    response = officer_client.get(queue_url(citizenship="TJ"))

    assert response.context["page"].paginator.count == 2
    assert sorted(listed(response)) == ["TJ-1", "TJ-2"]


def test_tab_links_keep_the_other_filters_and_mark_the_current_tab(officer_client, moscow_rules):
    a_case(reference="R-1")

    page = officer_client.get(queue_url(employer="north", status="submitted", page=1)).content.decode()

    assert 'href="?employer=north&amp;status=in_review"' in page
    assert 'aria-current="page" href="?employer=north&amp;status=submitted"' in page
    assert 'href="?employer=north&amp;status=all"' in page
    assert 'href="?employer=north&amp;status=pending"' in page  # awaiting decision


def test_tabs_show_the_count_beside_the_status_name(officer_client, moscow_rules):
    a_case(reference="R-1", status=Status.IN_REVIEW)
    a_case(reference="R-2", status=Status.IN_REVIEW)

    page = officer_client.get(QUEUE).content.decode()

    assert re.search(r'status=in_review">\s*In review\s*<span class="badge[^"]*">2</span>', page)


# Paging


@pytest.mark.parametrize(("asked", "shown"), [("", 25), ("25", 25), ("50", 50), ("100", 100)])
def test_the_officer_chooses_how_many_rows_a_page_shows(officer_client, moscow_rules, asked, shown):
    employer = EmployerFactory()
    for number in range(120):
        ApplicationFactory(employer=employer, status=Status.SUBMITTED, reference=f"P-{number:04d}")

    response = officer_client.get(queue_url(per_page=asked) if asked else QUEUE)

    assert len(listed(response)) == shown
    assert response.context["page"].paginator.num_pages == -(-120 // shown)


@pytest.mark.parametrize("asked", ["7", "1000", "-1", "abc"])
def test_a_page_size_not_offered_falls_back_to_25_and_says_so(officer_client, moscow_rules, asked):
    employer = EmployerFactory()
    for number in range(30):
        ApplicationFactory(employer=employer, status=Status.SUBMITTED, reference=f"P-{number:04d}")

    response = officer_client.get(queue_url(per_page=asked))

    assert len(listed(response)) == 25
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize("page", ["99", "0", "-3", "last", "abc"])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_real_page(officer_client, moscow_rules, page):
    employer = EmployerFactory()
    for number in range(30):
        ApplicationFactory(employer=employer, status=Status.SUBMITTED, reference=f"P-{number:04d}")

    response = officer_client.get(queue_url(page=page))

    assert response.status_code == 200
    assert len(listed(response)) in (25, 5)


def test_page_links_keep_the_filters_and_the_page_size(officer_client, moscow_rules):
    employer = EmployerFactory()
    for number in range(60):
        ApplicationFactory(employer=employer, status=Status.SUBMITTED, reference=f"P-{number:04d}")

    page = officer_client.get(queue_url(kind="new", per_page=50)).content.decode()

    assert "?kind=new&amp;per_page=50&amp;page=2" in page


# Sorting


def _sortable_cases():
    """Three cases whose every sortable column runs in the order A, B, C."""
    now = timezone.now()
    for index, (name, workers) in enumerate((("Alpha Ltd", 1), ("Bravo Ltd", 2), ("Charlie Ltd", 3))):
        letter = "ABC"[index]
        a_case(
            reference=f"S-{letter}",
            employer=EmployerFactory(name=name),
            workers=workers,
            created_at=now - dt.timedelta(days=40),
            submitted_at=now - dt.timedelta(days=30 - index),
            planned_arrival_date=today() + dt.timedelta(days=20 + index),
            deadline=today() + dt.timedelta(days=5 + index),
        )


@pytest.mark.parametrize("column", ["reference", "employer", "submitted", "arrival", "deadline", "workers"])
def test_the_queue_sorts_by_each_column_both_ways(officer_client, moscow_rules, column):
    _sortable_cases()

    assert listed(officer_client.get(queue_url(o=column))) == ["S-A", "S-B", "S-C"]
    assert listed(officer_client.get(queue_url(o=f"-{column}"))) == ["S-C", "S-B", "S-A"]


def test_rows_that_tie_keep_one_order_across_pages(officer_client, moscow_rules):
    employer = EmployerFactory(name="Same Name Ltd")
    cases = [a_case(employer=employer, reference=f"T-{number:03d}", workers=0) for number in range(30)]

    first = listed(officer_client.get(queue_url(o="employer")))
    second = listed(officer_client.get(queue_url(o="employer", page=2)))

    assert first + second == [case.reference for case in sorted(cases, key=lambda case: case.pk)]


def test_a_column_header_link_reverses_the_order_and_says_how_it_is_sorted(officer_client, moscow_rules):
    a_case(reference="R-1")

    page = officer_client.get(queue_url(o="workers")).content.decode()

    assert 'aria-sort="ascending"><a href="?o=-workers">Workers</a>' in page
    assert 'aria-sort="none"><a href="?o=arrival">Arrival</a>' in page


def test_cases_without_a_deadline_come_last_whichever_way_the_deadline_is_sorted(officer_client, moscow_rules):
    a_case(reference="R-NONE", deadline=None)
    a_case(reference="R-SOON", deadline=today() + dt.timedelta(days=1))
    a_case(reference="R-LATE", deadline=today() + dt.timedelta(days=9))

    assert listed(officer_client.get(queue_url(o="deadline"))) == ["R-SOON", "R-LATE", "R-NONE"]
    assert listed(officer_client.get(queue_url(o="-deadline"))) == ["R-LATE", "R-SOON", "R-NONE"]


# Markers in words


def test_overdue_and_due_cases_are_marked_in_words(officer_client, moscow_rules):
    a_case(reference="R-LATE", deadline=add_working_days(today(), -1))
    a_case(reference="R-TODAY", deadline=today())
    a_case(reference="R-SOON", deadline=add_working_days(today(), 1))
    a_case(reference="R-DONE", status=Status.APPROVED, deadline=add_working_days(today(), -5))

    page = officer_client.get(QUEUE).content.decode()

    assert ("Overdue by 1 working day" if is_working_day(today()) else "Overdue") in page
    assert "Due today" in page
    assert "1 working day left" in page
    assert "Overdue by 5" not in page  # a decided case's deadline no longer runs


def test_a_case_that_fails_a_blocking_check_is_marked_in_words(officer_client, moscow_rules):
    a_case(reference="R-FAILS", rule_check_failing=True)

    page = officer_client.get(QUEUE).content.decode()

    row = page.split(">R-FAILS<")[1].split("</tr>")[0]
    assert "Fails the rules" in row


def test_a_decided_case_with_a_stale_flag_is_not_marked(officer_client, moscow_rules):
    a_case(reference="R-DONE", status=Status.APPROVED, rule_check_failing=True)

    page = officer_client.get(QUEUE, {"status": "all"}).content.decode()

    assert ">R-DONE<" in page
    assert "Fails the rules" not in page


def test_an_employer_name_with_markup_is_shown_as_text(officer_client, moscow_rules):
    a_case(reference="R-XSS", employer=EmployerFactory(name="<script>alert(1)</script>"))

    page = officer_client.get(QUEUE).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_the_queue_links_to_the_statistics(officer_client):
    assert f'href="{reverse("applications:review-statistics")}"' in officer_client.get(QUEUE).content.decode()


# Cost


def test_the_queue_costs_the_same_number_of_queries_for_1_and_for_100_rows(
    officer_client, officer, moscow, moscow_rules, django_assert_num_queries
):
    new_version(moscow_rules, monthly_worker_quota=500)

    def some_case(index):
        return a_case(
            status=(Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)[index % 3],
            assigned_officer=officer if index % 2 else None,
            rule_check_failing=bool(index % 4 == 0),
            citizenship=("UZ", "TJ", "KG")[index % 3],
            workers=1 + index % 2,
        )

    some_case(0)
    query = {"per_page": 100, "citizenship": "", "o": "workers"}
    with CaptureQueriesContext(connection) as one_row:
        assert len(listed(officer_client.get(queue_url(**query)))) == 1

    for index in range(1, 100):
        some_case(index)
    cache.clear()  # the tab counts are kept a little: count them again, as the first request did
    with django_assert_num_queries(len(one_row)):
        response = officer_client.get(queue_url(**query))
    assert len(listed(response)) == 100


def test_filtering_adds_no_query_per_row(officer_client, moscow_rules, django_assert_num_queries):
    query = {"worker": "karimov", "citizenship": "UZ", "failing": "on", "overdue": "on", "mine": "on", "per_page": 100}
    a_case(rule_check_failing=True, deadline=today() - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as few:
        officer_client.get(queue_url(**query))

    for _ in range(20):
        a_case(rule_check_failing=True, deadline=today() - dt.timedelta(days=1))
    cache.clear()  # the tab counts are kept a little: count them again
    with django_assert_num_queries(len(few)):
        officer_client.get(queue_url(**query))


@pytest.mark.parametrize("sort", ["deadline,", ",", "-", "-,reference"])
def test_a_sort_value_with_empty_items_is_ignored_not_a_server_error(officer_client, sort):
    assert officer_client.get(reverse("applications:review-queue"), {"o": sort}).status_code == 200
    assert officer_client.get(reverse("applications:review-export-csv"), {"o": sort}).status_code in (200, 302)


def test_each_reader_gets_the_status_badges_in_their_own_language(officer_client, moscow_rules):
    # Badges are built once per status and language and then reused: the language must be part of it.
    a_case(reference="B-1")
    english = officer_client.get(QUEUE).content.decode()
    russian = officer_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert re.search(r'class="badge status-badge [^"]*">Submitted<', english)
    assert re.search(r'class="badge status-badge [^"]*">Подано<', russian)


def test_the_page_says_when_the_counts_were_made_on_the_officers_clock(officer_client, client, moscow_rules, monkeypatch):
    counted = dt.datetime(2021, 4, 5, 11, 2, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(review, "timezone", SimpleNamespace(now=lambda: counted, localdate=timezone.localdate))

    page = officer_client.get(QUEUE).content.decode()

    assert "Counts as of 14:02" in page  # Moscow's clock, in words an officer uses
    assert "second" not in page.split("Counts as of")[1].split("</p>")[0]
    client.force_login(OfficerFactory(regions=[region(25)]))  # Primorsky Krai
    assert "Counts as of 21:02" in client.get(QUEUE).content.decode()


# Counts that expire under load (issue 21): one request recounts, the others serve the kept counts.


def _expire_kept_counts(monkeypatch, seconds: float) -> None:
    """Moves the clock of the kept counts `seconds` on, as if they had been counted that long ago."""
    from applications.selectors import review

    real_now = review.timezone.now
    monkeypatch.setattr(review.timezone, "now", lambda: real_now() + dt.timedelta(seconds=seconds))


def test_expired_counts_are_served_as_they_were_while_another_request_recounts_them(officer_client, moscow_rules, monkeypatch):
    from django.core.cache import cache

    from applications.selectors import review

    a_case(reference="E-1")
    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 1
    a_case(reference="E-2")
    _expire_kept_counts(monkeypatch, review.TAB_COUNTS_CACHE_SECONDS + 1)
    # Another request holds the recount: this one must not count as well.
    key = next(k for k in cache._cache if "queue-tab-counts:" in k and not k.endswith(":recount")).split(":", 2)[-1]
    cache.add(key + ":recount", 1, 10)
    counted = []
    monkeypatch.setattr(review, "queue_status_counts", lambda queryset: counted.append(1) or {})

    page = officer_client.get(QUEUE)

    assert tab_counts(page)["submitted"] == 1  # the kept counts, not a second recount
    assert counted == []
    assert sorted(listed(page)) == ["E-1", "E-2"]  # the list itself is live


def test_expired_counts_are_recounted_by_the_first_request_that_finds_them(officer_client, moscow_rules, monkeypatch):
    from applications.selectors import review

    a_case(reference="E-1")
    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 1
    a_case(reference="E-2")
    _expire_kept_counts(monkeypatch, review.TAB_COUNTS_CACHE_SECONDS + 1)

    assert tab_counts(officer_client.get(QUEUE))["submitted"] == 2
