"""Approving: an officer's approval (full or partial) refuses a worker already approved on
another live case arriving within the isolation period, naming the worker and that case."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from applications import services
from applications.models import Decision, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db

ARRIVAL = timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def person_on(application, *, passport, surname="KARIMOV", citizenship="UZ", **fields):
    worker = WorkerFactory(
        employer=application.employer, passport_number=passport, citizenship=citizenship, surname_latin=surname,
        given_names_latin="ALISHER",
    )
    return CaseWorkerFactory(application=application, worker=worker, **fields)


def approved_elsewhere(*, arrival=ARRIVAL, region_number=78, reference="2021-000777", **line):
    if region_number != 77:
        RuleSetFactory(region=region(region_number))
    case = ApplicationFactory(
        employer=EmployerFactory(), region=region(region_number), status=Status.APPROVED, planned_arrival_date=arrival,
        reference=reference,
    )
    person_on(case, passport="aa1234567", outcome=WorkerOutcome.APPROVED, **line)
    return case


@pytest.fixture
def in_review(moscow_rules, employer):
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    person_on(case, passport="AA 123-4567", surname="KARIMOV")
    person_on(case, passport="BB7654321", surname="TOSHEV")
    return case


def test_approving_a_person_already_approved_in_another_region_for_the_same_time_is_refused_naming_both(in_review, officer):
    approved_elsewhere(arrival=ARRIVAL + dt.timedelta(days=13))

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_approve(application=in_review, user=officer)

    assert "KARIMOV A." in refused.value.message
    assert "2021-000777" in refused.value.message
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert set(in_review.lines.values_list("outcome", flat=True)) == {WorkerOutcome.PENDING}
    assert not Decision.objects.filter(application=in_review).exists()


def test_a_partial_approval_that_approves_that_person_is_refused_too(in_review, officer):
    approved_elsewhere()
    toshev = in_review.lines.get(worker__surname_latin="TOSHEV")

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_approve_partially(application=in_review, user=officer, refusals={toshev.pk: ("other", "")})

    assert "KARIMOV A." in refused.value.message and "2021-000777" in refused.value.message


def test_a_partial_approval_refusing_that_person_goes_ahead(in_review, officer):
    approved_elsewhere()
    karimov = in_review.lines.get(worker__surname_latin="KARIMOV")

    services.application_approve_partially(application=in_review, user=officer, refusals={karimov.pk: ("other", "Approved on 2021-000777")})

    in_review.refresh_from_db()
    assert in_review.status == Status.PARTIALLY_APPROVED


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"arrival": ARRIVAL + dt.timedelta(days=14)},
        {"arrival": ARRIVAL - dt.timedelta(days=14)},
        {"arrived_on": ARRIVAL - dt.timedelta(days=20), "arrival": ARRIVAL - dt.timedelta(days=20)},
    ],
    ids=["14-days-later", "14-days-earlier", "already-arrived"],
)
def test_an_approval_a_whole_isolation_period_away_or_already_arrived_does_not_stop_the_approval(in_review, officer, elsewhere):
    approved_elsewhere(**elsewhere)

    services.application_approve(application=in_review, user=officer)

    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED


def test_a_pending_case_of_the_same_person_needs_an_override_but_does_not_forbid_the_approval(in_review, officer):
    # Only an approval forbids another approval; a case still pending is a blocking failure of the
    # rule check, which the officer may override with a justification (issue 14, point 4).
    other = approved_elsewhere()
    other.status = Status.IN_REVIEW
    other.save()
    other.lines.update(outcome=WorkerOutcome.PENDING)

    with pytest.raises(services.TransitionRefused):
        services.application_approve(application=in_review, user=officer)
    services.application_approve(
        application=in_review, user=officer,
        overrides={line.pk: "The other application is to be withdrawn by its company today." for line in in_review.lines.all()},
    )

    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED


def test_the_same_number_of_another_citizenship_does_not_stop_the_approval(in_review, officer):
    approved_elsewhere(citizenship="TJ")

    services.application_approve(application=in_review, user=officer)

    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
