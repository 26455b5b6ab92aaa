"""Filing: a worker who is on another live application (of any company, in any region) arriving
within the isolation period of this one fails the rule check, blocking the submit; the facts are
gathered in the same number of queries for 1 worker as for 20."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from applications import services
from applications.models import Application, Status, Worker, WorkerOutcome
from applications.models.worker import PassportKey
from applications.selectors import case_rule_check
from applications.selectors.cases import case_facts
from regions.rules import blocking_failures
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db

ARRIVAL = timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def line_of(application, *, passport="AA1234567", citizenship="UZ", **fields):
    """The person with this passport, from the registry of the case's company (added if new)."""
    worker = Worker.objects.filter(
        employer=application.employer, citizenship=citizenship, passport_key=PassportKey(Value(passport))
    ).first() or WorkerFactory(
        employer=application.employer, passport_number=passport, citizenship=citizenship, surname_latin="KARIMOV",
        given_names_latin="ALISHER",
    )
    return CaseWorkerFactory(application=application, worker=worker, **fields)


def draft(employer, *, arrival=ARRIVAL):
    case = ApplicationFactory(employer=employer, planned_arrival_date=arrival)
    line_of(case, passport="AA 123-4567")
    return case


def other_case(*, employer=None, status=Status.IN_REVIEW, arrival=ARRIVAL, reference="2021-000777", region_=None, **line):
    case = ApplicationFactory(
        employer=employer or EmployerFactory(name="ООО Чужая"), status=status, planned_arrival_date=arrival, reference=reference,
        **({"region": region_} if region_ else {}),
    )
    line_of(case, passport="aa1234567", **line)
    return case


def overlaps(application):
    _rules, checks = case_rule_check(application)
    return [c for c in checks if c.code == "worker.overlap"]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED])
def test_a_person_on_another_companys_pending_case_for_the_same_fortnight_blocks_naming_only_its_reference(
    moscow_rules, employer, status
):
    case = draft(employer)
    other_case(status=status, arrival=ARRIVAL + dt.timedelta(days=13), region_=region(78))

    (failed,) = overlaps(case)
    assert (failed.passed, failed.blocking) == (False, True)
    assert failed.line_id == case.lines.get().pk
    assert "2021-000777 of another company" in failed.text
    assert "ООО Чужая" not in failed.text


def test_an_approved_line_not_yet_arrived_blocks(moscow_rules, employer):
    case = draft(employer)
    other_case(status=Status.PARTIALLY_APPROVED, outcome=WorkerOutcome.APPROVED)

    assert len(overlaps(case)) == 1


def test_the_companys_own_case_is_named_with_its_arrival_date(moscow_rules, employer):
    case = draft(employer)
    other_case(employer=employer, arrival=ARRIVAL - dt.timedelta(days=5))

    (failed,) = overlaps(case)
    assert "also on your application 2021-000777 arriving on" in failed.text


def test_arrivals_exactly_14_days_apart_do_not_overlap_and_13_days_do(moscow_rules, employer):
    case = draft(employer)
    other_case(arrival=ARRIVAL + dt.timedelta(days=14), reference="2021-000014")
    other_case(arrival=ARRIVAL - dt.timedelta(days=14), reference="2021-000015")
    assert overlaps(case) == []

    other_case(arrival=ARRIVAL - dt.timedelta(days=13), reference="2021-000013")
    assert ["2021-000013" in c.text for c in overlaps(case)] == [True]


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (Status.WITHDRAWN, {}),
        (Status.DRAFT, {}),
        (Status.REJECTED, {"outcome": WorkerOutcome.REFUSED, "refusal_reason": "other"}),
        (Status.PARTIALLY_APPROVED, {"outcome": WorkerOutcome.REFUSED, "refusal_reason": "pcr_test"}),
        (Status.APPROVED, {"outcome": WorkerOutcome.APPROVED, "arrived_on": ARRIVAL - dt.timedelta(days=40)}),
    ],
    ids=["withdrawn", "draft", "rejected", "refused-line", "arrived"],
)
def test_a_case_that_is_no_longer_live_for_the_person_does_not_block(moscow_rules, employer, status, line):
    case = draft(employer)
    other_case(status=status, **line)

    assert overlaps(case) == []


def test_the_same_number_with_another_citizenship_is_another_person(moscow_rules, employer):
    case = draft(employer)
    other_case(citizenship="TJ")

    assert overlaps(case) == []


def test_the_isolation_days_of_the_rules_in_force_set_the_period(moscow, employer):
    RuleSetFactory(region=moscow, isolation_days=21)
    case = draft(employer)
    other_case(arrival=ARRIVAL + dt.timedelta(days=20))

    assert len(overlaps(case)) == 1


def test_the_submit_is_refused_naming_the_other_case(moscow_rules, threshold, employer, employer_user):
    case = draft(employer)
    other_case()

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_submit(application=case, user=employer_user)

    assert "2021-000777" in refused.value.message
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_removing_the_worker_or_withdrawing_the_other_case_lets_the_case_pass(moscow_rules, threshold, employer):
    case = draft(employer)
    line_of(case, passport="BB7654321")
    other = other_case(employer=employer, status=Status.SUBMITTED)
    assert len(overlaps(case)) == 1

    other.status = Status.WITHDRAWN
    other.save()
    _rules, checks = case_rule_check(case)
    assert blocking_failures(checks) == []


def test_the_facts_take_as_many_queries_for_20_workers_as_for_1(moscow_rules, employer):
    small, large = draft(employer), draft(employer)
    other_case(reference="2021-000100")
    for number in range(19):
        line_of(large, passport=f"CC{number:07d}")
        elsewhere = ApplicationFactory(status=Status.SUBMITTED, planned_arrival_date=ARRIVAL, reference=f"2021-1{number:05d}")
        line_of(elsewhere, passport=f"cc-{number:07d}")

    with CaptureQueriesContext(connection) as one:
        case_facts(small)
    with CaptureQueriesContext(connection) as twenty:
        facts = case_facts(large)

    assert len(one) == len(twenty)
    # Each worker is on one other live case (the small case is a draft, so it does not count).
    assert [len(w.other_live_cases) for w in facts.workers] == [1] * 20


def test_withdrawing_the_other_case_clears_the_failing_flag_of_a_pending_case_in_the_queue(
    moscow_rules, employer, employer_user, django_capture_on_commit_callbacks
):
    mine = other_case(employer=employer, status=Status.SUBMITTED, reference="2021-000001")
    theirs = other_case(status=Status.IN_REVIEW, reference="2021-000002")
    Application.objects.filter(pk=theirs.pk).update(rule_check_failing=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=mine, user=employer_user)

    theirs.refresh_from_db()
    assert theirs.rule_check_failing is False


def test_an_approval_flags_another_pending_case_of_the_same_person(moscow_rules, employer, officer, django_capture_on_commit_callbacks):
    approving = other_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000001")
    pending = other_case(status=Status.SUBMITTED, reference="2021-000002", region_=region(78))
    RuleSetFactory(region=region(78))

    with django_capture_on_commit_callbacks(execute=True):
        # The pending case overlaps, so the approval needs an override of that check.
        services.application_approve(
            application=approving, user=officer,
            overrides={line.pk: "Confirmed by phone: the other application will be withdrawn." for line in approving.lines.all()},
        )

    pending.refresh_from_db()
    assert pending.rule_check_failing is True
