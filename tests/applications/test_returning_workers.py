"""An application to bring workers back is checked as one: each worker needs evidence of earlier
work for this company (an arrival on an earlier case of the company, or a declared work permit or
patent with its scan); a worker without it blocks submitting; a region may accept only returning
workers; the employer is advised when the kind does not match the workers' history; the officer
sees the evidence, with a link to the scan, on the case page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from applications import services
from applications.models import ApplicationKind, Status, WorkerOutcome
from applications.selectors import case_rule_check
from applications.selectors.cases import case_facts
from regions.models import KindsAccepted
from regions.rules import blocking_failures
from tests.applications.factories import (
    CaseWorkerFactory,
    EmployerFactory,
    WorkerEarlierPermitFactory,
    WorkerFactory,
)
from tests.helpers.returning_workers import arrived_earlier, returning_case
from tests.pages import text
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def checks_of(application, code):
    return [check for check in case_rule_check(application)[1] if check.code == code]


def test_a_worker_who_arrived_on_an_earlier_approved_case_of_the_company_passes(employer, moscow_rules, threshold):
    karimov = WorkerFactory(employer=employer, surname_latin="KARIMOV", given_names_latin="ALISHER")
    arrived_earlier(karimov)
    application = returning_case(employer, karimov)

    [evidence] = checks_of(application, "worker.earlier_work")

    assert evidence.passed
    assert evidence.text == "KARIMOV A.: arrived on case M-2021-000123 on 03/12/2021."
    assert evidence.line_id == application.lines.get().pk
    assert blocking_failures(case_rule_check(application)[1]) == []


def test_an_arrival_with_another_company_does_not_count(employer, moscow_rules, threshold):
    other = EmployerFactory(name="ООО Другая")
    # The same person (citizenship and passport) is in both registries; they arrived with the other company.
    ours = WorkerFactory(employer=employer, passport_number="FA1234567")
    theirs = WorkerFactory(employer=other, passport_number="FA1234567", citizenship=ours.citizenship)
    arrived_earlier(theirs)
    application = returning_case(employer, ours)

    [evidence] = checks_of(application, "worker.earlier_work")

    assert not evidence.passed and evidence.blocking
    assert "M-2021-000123" not in evidence.text


def test_an_approved_line_whose_arrival_was_not_reported_does_not_count(employer, moscow_rules, threshold):
    worker = WorkerFactory(employer=employer)
    CaseWorkerFactory(worker=worker, application__employer=employer, application__status=Status.APPROVED,
                             outcome=WorkerOutcome.APPROVED)
    [evidence] = checks_of(returning_case(employer, worker), "worker.earlier_work")
    assert not evidence.passed


def test_a_declared_patent_with_its_scan_passes_and_without_a_scan_fails(employer, moscow_rules, threshold):
    scanned, unscanned = WorkerFactory(employer=employer), WorkerFactory(employer=employer)
    WorkerEarlierPermitFactory(worker=scanned, number="77 No 123456", issued_on=dt.date(2020, 2, 1))
    WorkerEarlierPermitFactory(worker=unscanned, number="77 No 654321", scan="")
    application = returning_case(employer, scanned, unscanned)

    by_line = {check.line_id: check for check in checks_of(application, "worker.earlier_work")}
    passed = by_line[application.lines.get(worker=scanned).pk]
    failed = by_line[application.lines.get(worker=unscanned).pk]

    assert passed.passed and passed.text.endswith("work patent 77 No 123456 of 02/01/2020, Moscow.")
    assert not failed.passed and failed.blocking and "without a scan" in failed.text


def test_a_worker_without_evidence_blocks_submitting_and_says_what_to_do(employer, employer_user, moscow_rules, threshold):
    application = returning_case(employer, WorkerFactory(employer=employer, surname_latin="NAZAROV", given_names_latin="FIRDAVS"))

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_submit(application=application, user=employer_user)

    assert "NAZAROV F.: no earlier work for your company" in refused.value.message
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_returning_application_with_evidence_for_every_worker_is_submitted(employer, employer_user, moscow_rules, threshold):
    worker = WorkerFactory(employer=employer)
    WorkerEarlierPermitFactory(worker=worker)
    application = services.application_submit(application=returning_case(employer, worker), user=employer_user)
    assert application.status == Status.SUBMITTED


def test_a_region_accepting_only_returning_workers_refuses_a_new_workers_case(employer, employer_user, moscow, threshold):
    RuleSetFactory(region=moscow, kinds_accepted=KindsAccepted.RETURNING_ONLY)
    application = returning_case(employer, WorkerFactory(employer=employer), kind=ApplicationKind.NEW_WORKERS)

    [refused] = checks_of(application, "intake.kind")
    assert not refused.passed and refused.blocking
    with pytest.raises(services.TransitionRefused, match="accepts only returning workers"):
        services.application_submit(application=application, user=employer_user)


def test_the_employer_is_advised_to_switch_a_returning_case_with_a_newcomer_to_new_workers(employer, moscow_rules, threshold):
    known, newcomer = WorkerFactory(employer=employer), WorkerFactory(employer=employer)
    arrived_earlier(known)
    [advice] = checks_of(returning_case(employer, known, newcomer), "kind.advice")
    assert not advice.blocking and "1 of 2 workers has not worked for your company before" in advice.text


def test_the_employer_is_advised_to_file_a_new_workers_case_of_former_workers_as_returning(employer, moscow_rules, threshold):
    first, second = WorkerFactory(employer=employer), WorkerFactory(employer=employer)
    arrived_earlier(first)
    WorkerEarlierPermitFactory(worker=second)
    application = returning_case(employer, first, second, kind=ApplicationKind.NEW_WORKERS)

    [advice] = checks_of(application, "kind.advice")
    assert "has worked for your company before" in advice.text
    assert blocking_failures(case_rule_check(application)[1]) == []


def test_the_evidence_is_gathered_in_the_same_number_of_queries_for_one_worker_or_many(
    employer, moscow_rules, django_assert_num_queries
):
    one = returning_case(employer, WorkerFactory(employer=employer))
    many_workers = [WorkerFactory(employer=employer) for _ in range(4)]
    for worker in many_workers:
        arrived_earlier(worker, reference=f"M-{worker.pk}")
        WorkerEarlierPermitFactory(worker=worker)
        WorkerEarlierPermitFactory(worker=worker, scan="")
    many = returning_case(employer, *many_workers)

    one = type(one).objects.select_related("employer__group_head", "region").get(pk=one.pk)
    many = type(many).objects.select_related("employer__group_head", "region").get(pk=many.pk)
    with CaptureQueriesContext(connection) as for_one:
        case_facts(one, count_quota=False)
    with django_assert_num_queries(len(for_one)):
        facts = case_facts(many, count_quota=False)
    assert all(worker.earlier_arrival and len(worker.earlier_permits) == 2 for worker in facts.workers)


def test_the_officer_sees_each_workers_evidence_with_a_link_to_the_scan(client, officer, employer, moscow_rules, threshold):
    arrived, declared = (
        WorkerFactory(employer=employer, surname_latin="KARIMOV"),
        WorkerFactory(employer=employer, surname_latin="SAIDOV"),
    )
    arrived_earlier(arrived)
    permit = WorkerEarlierPermitFactory(worker=declared, number="77 No 123456")
    application = returning_case(employer, arrived, declared)
    application.status, application.submitted_at = Status.SUBMITTED, timezone.now()
    application.save()
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("applications:review-detail", args=[application.pk]))

    page = text(response)
    assert "Arrived on case M-2021-000123 on 03/12/2021" in page
    assert "Work patent 77 No 123456 of 02/01/2020, Moscow" in page
    assert reverse("applications:earlier-permit-scan", args=[permit.pk]) in response.content.decode()
