"""The pure rule check's plain inputs for tests: a worker, a case, a rule version and a threshold
edition, each a default that passes, changed by keyword; and the check's result by code."""

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from regions.models import EligibilityThreshold, RuleSet
from regions.rules import CaseFacts, WorkerFacts, check_case

MSK = ZoneInfo("Europe/Moscow")
TODAY = dt.date(2021, 3, 1)
ARRIVAL = dt.date(2021, 3, 20)


def worker(**changes) -> WorkerFacts:
    base = WorkerFacts(
        name="IVANOV I.",
        citizenship="UZ",
        passport_expiry=dt.date(2025, 1, 1),
        pcr_test_taken_at=dt.datetime(2021, 3, 19, 9, 0, tzinfo=MSK),
    )
    return replace(base, **changes)


def facts(**changes) -> CaseFacts:
    base = CaseFacts(
        region_name="Moscow",
        arrival_date=ARRIVAL,
        activity_okved="41.20",
        transport_to_isolation=True,
        isolation_address="Moscow, Stroiteley 5",
        isolation_days=14,
        insurance_policy="INGO-1",
        charter_transport_agreed=False,
        vaccination_booked=False,
        employer_annual_revenue_rub=900_000_000,
        employer_average_headcount=150,
        workers=[worker()],
        approved_in_arrival_month=0,
    )
    return replace(base, **changes)


def rules(**changes) -> RuleSet:
    return RuleSet(effective_from=dt.date(2021, 1, 1), **changes)


THRESHOLD = EligibilityThreshold(
    effective_from=dt.date(2021, 1, 1), min_annual_revenue_rub=800_000_000, min_average_headcount=100
)


def run(case=None, rule_set=None, threshold=THRESHOLD):
    return check_case(case or facts(), rule_set if rule_set is not None else rules(), threshold, TODAY)


def check(checks, code):
    found = [c for c in checks if c.code == code]
    assert found, f"no check {code} in {[c.code for c in checks]}"
    return found[0]
