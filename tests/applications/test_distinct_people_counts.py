"""A person counts once: the monthly quota (meter and guard) counts distinct people (citizenship
and passport key), and the border list names a passport once in the period it covers."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications import services
from applications.models import Status, WorkerOutcome
from applications.models.application import DECIDED_STATUSES
from applications.selectors.quota import approved_workers_by_month, approved_workers_in_month, quota_meters
from regions.months import add_months
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory, decide
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

MONTH = add_months(timezone.localdate().replace(day=1), 1)


def case_with(*, passports, arrival, status=Status.APPROVED, outcome=WorkerOutcome.APPROVED, reference=None, citizenship="UZ"):
    case = ApplicationFactory(
        employer=EmployerFactory(), status=status, planned_arrival_date=arrival, **({"reference": reference} if reference else {})
    )
    for number in passports:
        worker = WorkerFactory(employer=case.employer, citizenship=citizenship, passport_number=number)
        CaseWorkerFactory(application=case, worker=worker, outcome=outcome)
    if status in DECIDED_STATUSES:
        decide(case)
    return case


@pytest.fixture
def one_person_twice_in_a_month(moscow_rules):
    # Arrivals 24 days apart: both approvals stand, and the person is one person in the month.
    case_with(passports=["AA 123-4567", "CC1111111"], arrival=MONTH.replace(day=1), reference="2021-000001")
    case_with(passports=["aa1234567"], arrival=MONTH.replace(day=25), reference="2021-000002")
    case_with(passports=["AA1234567"], arrival=MONTH.replace(day=26), citizenship="TJ", reference="2021-000003")


def test_the_quota_guards_count_takes_a_person_on_two_approved_lines_in_the_month_once(one_person_twice_in_a_month, moscow):
    assert approved_workers_in_month(region_id=moscow.pk, month_of=MONTH) == 3


def test_the_quota_meter_and_the_month_chart_count_a_person_once(one_person_twice_in_a_month, moscow):
    RuleSetFactory(region=moscow, effective_from=MONTH - dt.timedelta(days=40), monthly_worker_quota=10)

    meters = quota_meters(region_ids=[moscow.pk], today=MONTH - dt.timedelta(days=1))
    assert [(m.month, m.approved) for m in meters if m.month == MONTH] == [(MONTH, 3)]
    assert approved_workers_by_month(region_ids=[moscow.pk], months=[MONTH]) == {(moscow.pk, MONTH): 3}


def test_approving_a_person_already_counted_in_the_month_takes_no_second_place_of_the_quota(moscow, officer):
    RuleSetFactory(region=moscow, monthly_worker_quota=1)
    case_with(passports=["AA 123-4567"], arrival=MONTH.replace(day=1))
    again = case_with(passports=["aa1234567"], arrival=MONTH.replace(day=20), status=Status.IN_REVIEW, outcome=WorkerOutcome.PENDING)
    someone_else = case_with(passports=["DD1234567"], arrival=MONTH.replace(day=20), status=Status.IN_REVIEW, outcome=WorkerOutcome.PENDING)

    services.application_approve(application=again, user=officer)
    with pytest.raises(services.TransitionRefused):
        services.application_approve(application=someone_else, user=officer)

    again.refresh_from_db()
    assert again.status == Status.APPROVED


def test_the_border_list_names_a_passport_once_in_the_period(one_person_twice_in_a_month, client, officer):
    client.force_login(officer)
    with translation.override("en"):
        response = client.get(
            reverse("applications:review-export-border-list"),
            {"arrival_from": MONTH.isoformat(), "arrival_to": MONTH.replace(day=28).isoformat()},
        )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]

    assert sorted((row[0], row[4], row[5]) for row in rows) == [
        ("2021-000001", "UZB", "AA 123-4567"), ("2021-000001", "UZB", "CC1111111"), ("2021-000003", "TJK", "AA1234567"),
    ]
