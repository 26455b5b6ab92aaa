"""The overlap window at the ends of the calendar: a case saved for a far year (a script, the
admin, a service call without the form's two-year limit) is checked, not a 500."""

import datetime as dt

import pytest

from applications import selectors
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("arrival", [dt.date(9999, 12, 30), dt.date(1, 1, 3)])
def test_the_rule_check_of_a_case_at_the_ends_of_the_calendar_runs(moscow_rules, threshold, arrival):
    case = ApplicationFactory(planned_arrival_date=arrival)
    CaseWorkerFactory(application=case, pcr_test_taken_at=None)

    _rules, checks = selectors.case_rule_check(case)

    assert not any(check.code == "worker.overlap" for check in checks)
