"""The monthly quota meter on the queue: workers approved for this month's and next month's
arrivals against the quota of the rule version in force on each month's 1st."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.models import Status, WorkerOutcome
from applications.selectors.quota import QuotaMeter, add_months, quota_meters
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-queue")


def this_month():
    return timezone.localdate().replace(day=1)


def next_month():
    return add_months(this_month(), 1)


def month_name(month):
    with translation.override("en"):
        return date_format(month, "F Y")


def approved_case(*, arrival, approved=1, refused=0, pending=0, region_=None, status=Status.APPROVED):
    """A decided case arriving on `arrival` with lines of each outcome."""
    application = ApplicationFactory(status=status, planned_arrival_date=arrival, **({"region": region_} if region_ else {}))
    for _ in range(approved):
        CaseWorkerFactory(application=application, outcome=WorkerOutcome.APPROVED)
    for _ in range(refused):
        CaseWorkerFactory(application=application, outcome=WorkerOutcome.REFUSED, refusal_reason="quota")
    for _ in range(pending):
        CaseWorkerFactory(application=application, outcome=WorkerOutcome.PENDING)
    return application


@pytest.fixture
def moscow_quota(moscow):
    return RuleSetFactory(region=moscow, monthly_worker_quota=500)


def test_the_meter_counts_approved_workers_by_arrival_month(moscow_quota, spb):
    RuleSetFactory(region=spb, monthly_worker_quota=50)
    approved_case(arrival=this_month() + dt.timedelta(days=3), approved=3, refused=1)
    approved_case(arrival=this_month(), approved=2, status=Status.PARTIALLY_APPROVED, refused=1)
    approved_case(arrival=next_month() + dt.timedelta(days=10), approved=4)
    approved_case(arrival=add_months(this_month(), 2), approved=7)  # the month after next: not shown
    approved_case(arrival=add_months(this_month(), -1), approved=9)  # last month: not shown
    CaseWorkerFactory(
        application=ApplicationFactory(status=Status.IN_REVIEW, planned_arrival_date=this_month()),
    )  # waiting, not approved
    approved_case(arrival=this_month(), approved=6, region_=spb)  # another region

    meters = quota_meters(region_ids=[moscow_quota.region_id], today=timezone.localdate())

    assert [(m.month, m.approved, m.quota) for m in meters] == [(this_month(), 5, 500), (next_month(), 4, 500)]


def test_the_quota_is_the_one_in_force_on_the_first_of_each_month(moscow):
    RuleSetFactory(region=moscow, effective_from=dt.date(2020, 6, 1), monthly_worker_quota=500)
    # A version that started after this month's 1st governs next month, not this one.
    RuleSetFactory(region=moscow, effective_from=this_month() + dt.timedelta(days=1), monthly_worker_quota=300)
    RuleSetFactory(region=moscow, effective_from=next_month() + dt.timedelta(days=1), monthly_worker_quota=100)

    meters = quota_meters(region_ids=[moscow.pk], today=timezone.localdate())

    assert [(m.month, m.quota) for m in meters] == [(this_month(), 500), (next_month(), 300)]


def test_a_month_without_a_quota_in_force_has_no_meter(moscow):
    RuleSetFactory(region=moscow, effective_from=dt.date(2020, 6, 1), monthly_worker_quota=None)
    RuleSetFactory(region=moscow, effective_from=next_month(), monthly_worker_quota=200)

    meters = quota_meters(region_ids=[moscow.pk], today=timezone.localdate())

    assert [(m.month, m.quota) for m in meters] == [(next_month(), 200)]


def test_a_region_without_any_quota_shows_no_meter_on_the_queue(client, officer, moscow_rules):
    client.force_login(officer)

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Monthly worker quota" not in page


def test_the_queue_shows_the_meter_as_text_and_as_an_accessible_bar(client, officer, moscow_quota):
    approved_case(arrival=this_month() + dt.timedelta(days=1), approved=4)
    client.force_login(officer)

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"4 of 500 approved for {month_name(this_month())}" in page
    assert f"0 of 500 approved for {month_name(next_month())}" in page
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="4" aria-valuemin="0" aria-valuemax="500"' in page
    assert f'aria-labelledby="quota-meter-{moscow_quota.region_id}-{this_month():%Y-%m}"' in page


def test_a_full_quota_is_said_in_words_not_only_by_colour(client, officer, moscow):
    RuleSetFactory(region=moscow, monthly_worker_quota=3)
    approved_case(arrival=this_month(), approved=3)
    client.force_login(officer)

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"3 of 3 approved for {month_name(this_month())}" in page
    assert "quota reached" in page


def test_a_nearly_full_quota_says_how_many_places_are_left(client, officer, moscow):
    RuleSetFactory(region=moscow, monthly_worker_quota=10)
    approved_case(arrival=this_month(), approved=9)
    client.force_login(officer)

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "(1 place left)" in page


def test_officer_of_another_region_sees_no_meter_of_moscow(client, officer_spb, moscow_quota):
    approved_case(arrival=this_month(), approved=2)
    client.force_login(officer_spb)

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "approved for" not in page
    assert quota_meters(region_ids=[officer_spb.officer_regions.get().pk], today=timezone.localdate()) == []


def test_an_officer_of_several_regions_sees_a_meter_per_region_in_region_order(moscow, spb):
    RuleSetFactory(region=spb, monthly_worker_quota=50)
    RuleSetFactory(region=moscow, monthly_worker_quota=500)
    approved_case(arrival=this_month(), approved=2, region_=spb)

    meters = quota_meters(region_ids=[spb.pk, moscow.pk], today=timezone.localdate())

    with translation.override("en"):
        assert [(m.region_name, m.approved, m.quota) for m in meters] == [
            ("Moscow", 0, 500), ("Moscow", 0, 500), ("Saint Petersburg", 2, 50), ("Saint Petersburg", 0, 50),
        ]


def test_the_meter_costs_two_queries_whatever_the_number_of_regions(django_assert_num_queries, moscow):
    numbers = [1, 2, 3, 50, 66, 77, 78, 86]
    regions = [region(number) for number in numbers]
    for each in regions:
        RuleSetFactory(region=each, monthly_worker_quota=100)
        RuleSetFactory(region=each, effective_from=next_month(), monthly_worker_quota=120)
        approved_case(arrival=this_month(), approved=1, region_=each)

    with django_assert_num_queries(2):
        one = quota_meters(region_ids=[moscow.pk], today=timezone.localdate())
    with django_assert_num_queries(2):
        many = quota_meters(region_ids=[each.pk for each in regions], today=timezone.localdate())

    assert len(one) == 2
    assert len(many) == 2 * len(numbers)
    assert {(m.approved, m.quota) for m in many if m.month == this_month()} == {(1, 100)}


def test_an_officer_of_many_regions_gets_the_queue_for_the_same_number_of_queries(client, django_assert_num_queries, moscow):
    officer = OfficerFactory(regions=[moscow])
    RuleSetFactory(region=moscow, monthly_worker_quota=100)
    client.force_login(officer)

    with CaptureQueriesContext(connection) as one_region:
        client.get(QUEUE)
    others = [region(number) for number in (1, 2, 3, 50, 66, 78)]
    officer.officer_regions.add(*others)
    for each in others:
        RuleSetFactory(region=each, monthly_worker_quota=100)

    with django_assert_num_queries(len(one_region)):
        client.get(QUEUE)


def test_the_bar_never_overflows_its_aria_range_when_a_lowered_quota_is_exceeded():
    meter = QuotaMeter(region_id=77, region_name="Moscow", month=dt.date(2021, 3, 1), approved=12, quota=10)

    assert (meter.value_for_bar, meter.percent, meter.bar_width, meter.is_full, meter.remaining) == (10, 100, 100, True, 0)


@pytest.mark.parametrize(
    ("approved", "quota", "width"), [(0, 10, 0), (1, 1000, 5), (49, 100, 45), (99, 100, 95), (100, 100, 100), (0, 0, 0)]
)
def test_the_bar_width_is_drawn_in_steps_of_five_percent(approved, quota, width):
    meter = QuotaMeter(region_id=77, region_name="Moscow", month=dt.date(2021, 3, 1), approved=approved, quota=quota)

    assert meter.bar_width == width


@pytest.mark.parametrize("month_of", [dt.date(2021, 12, 15), dt.date(2021, 12, 1), dt.date(2021, 12, 31)])
def test_the_month_count_takes_the_whole_month_and_nothing_of_its_neighbours(moscow, month_of):
    from applications.selectors.quota import approved_workers_in_month

    approved_case(arrival=dt.date(2021, 11, 30), approved=1, region_=moscow)
    approved_case(arrival=dt.date(2021, 12, 1), approved=2, region_=moscow)
    approved_case(arrival=dt.date(2021, 12, 31), approved=3, pending=1, region_=moscow)
    approved_case(arrival=dt.date(2022, 1, 1), approved=4, region_=moscow)

    assert approved_workers_in_month(region_id=moscow.pk, month_of=month_of) == 5
