"""The queue reads a page's keys first, then the page's rows: the officer must see exactly the
rows, in exactly the order, that one plain query would give, on every page and for every sort."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from applications.models import Status
from applications.pagination import KeysFirstPaginator
from applications.selectors.review import application_list_for_officer
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_cases(moscow):
    today = timezone.localdate()
    employers = [EmployerFactory(name=name) for name in ("Alpha", "Bravo", "Alpha")]
    for index in range(30):
        application = ApplicationFactory(
            region=moscow,
            employer=employers[index % 3],
            status=(Status.SUBMITTED, Status.IN_REVIEW, Status.DRAFT)[index % 3] if index % 7 else Status.APPROVED,
            # Ties on purpose: several cases share a deadline, and some have none.
            deadline=None if index % 5 == 0 else today + dt.timedelta(days=index % 4),
        )
        for _ in range(index % 3):
            CaseWorkerFactory(application=application)


def pages(paginator):
    return [[(case.reference, case.worker_count) for case in paginator.page(number)] for number in paginator.page_range]


@pytest.mark.parametrize(
    "ordering",
    [
        ("deadline", "submitted_at", "pk"),
        ("-worker_count", "pk"),  # an annotation
        ("employer__name", "pk"),  # a join
    ],
)
def test_every_page_holds_the_rows_a_plain_query_gives_in_the_same_order(officer, thirty_cases, ordering):
    cases = application_list_for_officer(user=officer).order_by(*ordering)

    plain = pages(Paginator(cases, 8))
    keys_first = pages(KeysFirstPaginator(cases, 8))

    assert keys_first == plain
    assert sum(len(page) for page in keys_first) == cases.count()
    assert len(keys_first[-1]) < 8  # the last page is a short one, and is right too


def test_a_list_with_nothing_in_it_gives_one_empty_page(officer):
    page = KeysFirstPaginator(application_list_for_officer(user=officer), 25).get_page(1)

    assert list(page) == []
    assert page.paginator.count == 0


def test_a_known_count_is_used_without_counting_again(officer, thirty_cases, django_assert_num_queries):
    cases = application_list_for_officer(user=officer)
    total = cases.count()

    paginator = KeysFirstPaginator(cases, 8, count=total)
    with django_assert_num_queries(2):  # the page's keys, then its rows: no COUNT
        page = paginator.page(paginator.num_pages)

    assert len(page) == total - 8 * (paginator.num_pages - 1)


def test_a_count_lower_than_the_list_does_not_cut_off_its_end(officer, thirty_cases):
    # A count kept a minute, while more cases began to match: the officer still reaches them.
    cases = application_list_for_officer(user=officer)
    total = cases.count()

    paginator = KeysFirstPaginator(cases, 8, count=total - 5)
    seen = []
    number = 1
    while True:
        page = paginator.page(number)
        seen += [case.reference for case in page]
        if not page.has_next():
            break
        number += 1

    assert seen == [case.reference for case in cases]
    assert paginator.count == total


def test_a_count_higher_than_the_list_is_corrected_on_its_last_page(officer, thirty_cases):
    cases = application_list_for_officer(user=officer)
    total = cases.count()

    paginator = KeysFirstPaginator(cases, 8, count=total + 20)
    last = paginator.page((total - 1) // 8 + 1)

    assert not last.has_next()
    assert paginator.count == total
