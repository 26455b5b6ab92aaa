"""The rule check of the kind of an application: returning workers need evidence of earlier work
for this employer, a region may accept only returning workers, and the employer is advised to
switch the kind when the workers' history says otherwise. Plain objects, no database."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation

from regions.models import KindsAccepted
from regions.rules import EarlierArrival, EarlierPermit, blocking_failures
from tests.helpers.rule_check import check, facts, rules, run, worker


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ARRIVED = EarlierArrival(reference="M-2021-000123", arrived_on=dt.date(2021, 3, 12))
PATENT = EarlierPermit(kind="patent", number="77 No 123456", issued_on=dt.date(2020, 2, 1), region_name="Moscow", has_scan=True)


def karimov(line_id=7, **changes):
    return replace(worker(name="KARIMOV A.", line_id=line_id), **changes)


def returning(*workers):
    return facts(returning_workers=True, workers=list(workers))


def test_a_returning_worker_who_arrived_on_an_earlier_case_passes_with_the_case_and_the_date():
    evidence = check(run(returning(karimov(earlier_arrival=ARRIVED))), "worker.earlier_work")
    assert evidence.passed and evidence.blocking
    assert evidence.text == "KARIMOV A.: arrived on case M-2021-000123 on 03/12/2021."
    assert evidence.line_id == 7


def test_a_declared_patent_with_a_scan_passes_with_its_number_date_and_region():
    evidence = check(run(returning(karimov(earlier_permits=(PATENT,)))), "worker.earlier_work")
    assert evidence.passed
    assert evidence.text == "KARIMOV A.: work patent 77 No 123456 of 02/01/2020, Moscow."


def test_a_declared_permit_without_a_scan_is_a_blocking_failure_asking_for_the_scan():
    unscanned = replace(PATENT, kind="permit", has_scan=False)
    evidence = check(run(returning(karimov(earlier_permits=(unscanned,)))), "worker.earlier_work")
    assert not evidence.passed and evidence.blocking
    assert "work permit 77 No 123456" in evidence.text and "scan" in evidence.text
    assert evidence.line_id == 7


def test_a_scanned_permit_stands_even_when_another_declared_one_has_no_scan():
    unscanned = replace(PATENT, number="1", has_scan=False)
    evidence = check(run(returning(karimov(earlier_permits=(unscanned, PATENT)))), "worker.earlier_work")
    assert evidence.passed and "77 No 123456" in evidence.text


def test_an_earlier_arrival_is_preferred_to_a_declared_permit():
    evidence = check(run(returning(karimov(earlier_arrival=ARRIVED, earlier_permits=(PATENT,)))), "worker.earlier_work")
    assert "M-2021-000123" in evidence.text


def test_a_returning_worker_without_evidence_blocks_and_says_what_to_do():
    checks = run(returning(karimov(), replace(worker(name="RAKHIMOV D.", line_id=8), earlier_arrival=ARRIVED)))
    failed = [c for c in blocking_failures(checks) if c.code == "worker.earlier_work"]
    assert [c.line_id for c in failed] == [7]
    assert failed[0].text.startswith("KARIMOV A.: no earlier work for your company")
    assert "declare" in failed[0].text and "new workers" in failed[0].text


def test_a_new_workers_application_needs_no_evidence():
    checks = run(facts(workers=[karimov()]))
    assert not [c for c in checks if c.code == "worker.earlier_work"]
    assert blocking_failures(checks) == []


def test_a_region_accepting_only_returning_workers_refuses_a_new_workers_application():
    only_returning = rules(kinds_accepted=KindsAccepted.RETURNING_ONLY)
    refused = check(run(facts(), only_returning), "intake.kind")
    assert not refused.passed and refused.blocking
    assert refused.text.startswith("Moscow accepts only returning workers")


def test_a_region_accepting_only_returning_workers_accepts_a_returning_application():
    only_returning = rules(kinds_accepted=KindsAccepted.RETURNING_ONLY)
    checks = run(returning(karimov(earlier_arrival=ARRIVED)), only_returning)
    assert check(checks, "intake.kind").passed
    assert blocking_failures(checks) == []


def test_a_region_accepting_both_kinds_adds_no_kind_check():
    assert not [c for c in run(facts(), rules(kinds_accepted=KindsAccepted.BOTH)) if c.code == "intake.kind"]


def test_a_returning_application_with_a_worker_without_history_is_advised_to_switch_to_new_workers():
    advice = check(run(returning(karimov(), replace(worker(line_id=8), earlier_arrival=ARRIVED))), "kind.advice")
    assert not advice.blocking and not advice.passed
    assert "1 of 2 workers" in advice.text and "new workers" in advice.text


def test_a_new_workers_application_whose_workers_all_worked_here_before_is_advised_to_switch_to_returning():
    case = facts(workers=[karimov(earlier_arrival=ARRIVED), replace(worker(line_id=8), earlier_permits=(PATENT,))])
    advice = check(run(case), "kind.advice")
    assert not advice.blocking
    assert "returning" in advice.text


def test_no_advice_when_the_kind_matches_the_history():
    assert not [c for c in run(facts(workers=[karimov(), replace(worker(line_id=8), earlier_arrival=ARRIVED)])) if c.code == "kind.advice"]
    assert not [c for c in run(returning(karimov(earlier_arrival=ARRIVED))) if c.code == "kind.advice"]
    assert not [c for c in run(facts(workers=[])) if c.code == "kind.advice"]
