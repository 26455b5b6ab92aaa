"""The rule check's "one person, one approval for the same time": a worker who is on another live
application arriving within the region's isolation period is a blocking failure naming the other
case (by reference only when it belongs to another company)."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation

from regions.rules import OtherLiveCase, blocking_failures
from tests.helpers.rule_check import ARRIVAL, check, facts, rules, run, worker


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def on_another_case(*, days_apart: int, own_company: bool = False, reference: str = "2021-000777"):
    other = OtherLiveCase(reference=reference, arrival_date=ARRIVAL + dt.timedelta(days=days_apart), own_company=own_company)
    return facts(workers=[replace(worker(), line_id=41, other_live_cases=(other,))])


def overlap(checks):
    return check(checks, "worker.overlap")


@pytest.mark.parametrize("days_apart", [13, -13, 0, 1, -1])
def test_another_case_arriving_less_than_the_isolation_period_away_blocks(days_apart):
    failed = overlap(run(on_another_case(days_apart=days_apart), rules(isolation_days=14)))

    assert (failed.passed, failed.blocking, failed.line_id) == (False, True, 41)
    assert "2021-000777" in failed.text
    assert "IVANOV I." in failed.text


@pytest.mark.parametrize("days_apart", [14, -14, 30])
def test_another_case_arriving_a_whole_isolation_period_away_or_more_does_not_block(days_apart):
    checks = run(on_another_case(days_apart=days_apart), rules(isolation_days=14))

    assert "worker.overlap" not in [c.code for c in checks]
    assert blocking_failures(checks) == []


def test_the_period_is_the_isolation_of_the_rules_in_force_not_a_fixed_fortnight():
    assert not overlap(run(on_another_case(days_apart=20), rules(isolation_days=21))).passed
    assert "worker.overlap" not in [c.code for c in run(on_another_case(days_apart=7), rules(isolation_days=7))]


def test_another_companys_case_is_named_only_by_its_reference():
    failed = overlap(run(on_another_case(days_apart=3, own_company=False)))

    assert failed.text == (
        "IVANOV I. is on application 2021-000777 of another company, arriving within 14 days of this one: "
        "a person is approved once for the same time. Remove the worker from this application."
    )


def test_the_companys_own_case_is_named_with_its_arrival_date():
    failed = overlap(run(on_another_case(days_apart=3, own_company=True)))

    assert failed.text == (
        "IVANOV I. is also on your application 2021-000777 arriving on 03/23/2021, within 14 days of this one: "
        "remove the worker from one of them or withdraw the other application."
    )


def test_each_overlapping_case_gets_its_own_failure():
    other_cases = (
        OtherLiveCase(reference="2021-000001", arrival_date=ARRIVAL, own_company=True),
        OtherLiveCase(reference="2021-000002", arrival_date=ARRIVAL + dt.timedelta(days=30), own_company=False),
        OtherLiveCase(reference="2021-000003", arrival_date=ARRIVAL - dt.timedelta(days=2), own_company=False),
    )
    checks = run(facts(workers=[replace(worker(), other_live_cases=other_cases)]))

    failures = [c for c in checks if c.code == "worker.overlap"]
    assert ["2021-000001" in f.text for f in failures] == [True, False]
    assert "2021-000003" in failures[1].text
