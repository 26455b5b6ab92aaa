"""The rule check at a glance: failures first with what to do, then warnings, passes folded into
"N checks passed" without the passes that say nothing."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from regions.check_advice import ADVICE, advice_for
from regions.check_groups import group_checks, pass_informs
from regions.check_messages import MESSAGES
from regions.rules import Check


def test_failures_come_first_then_warnings_then_the_passes():
    checks = [
        Check("guarantee.transport", True, True),
        Check("quota.monthly", False, False, {"quota": 10, "used": 9, "left": 1, "asked": 2, "month": "2021-03"}),
        Check("guarantee.insurance", False, True),
        Check("isolation.until_test_result", True, False),
    ]

    groups = group_checks(checks)

    assert [check.code for check, _advice in groups.failures] == ["guarantee.insurance"]
    assert [check.code for check, _advice in groups.warnings] == ["quota.monthly", "isolation.until_test_result"]
    assert [check.code for check in groups.passes] == ["guarantee.transport"]


@pytest.mark.parametrize(
    ("check", "informs"),
    [
        (Check("workers.max_per_application", True, True, {"count": 0, "limit": 100}), False),
        (Check("workers.max_per_application", True, True, {"count": 3, "limit": 100}), False),
        (Check("workers.max_per_application", True, True, {"count": 95, "limit": 100}), True),
        (Check("quota.monthly", True, False, {"quota": 10, "used": 0, "left": 10, "asked": 0}), False),
        (Check("quota.monthly", True, False, {"quota": 10, "used": 0, "left": 10, "asked": 4}), True),
        (Check("employer.figures_recent", True, False, {"year": 2020}), False),
        (Check("guarantee.insurance", True, True, {"policy": "DMS-1"}), True),
    ],
)
def test_a_pass_is_shown_only_when_it_says_something(check, informs):
    assert pass_informs(check) is informs
    assert bool(group_checks([check]).passes) is informs


def test_every_blocking_failure_the_check_can_give_says_what_to_do():
    failing_codes = {key.split(":")[0] for key in MESSAGES if not key.endswith(":passed")}
    failing_codes -= {"isolation.until_test_result"}  # a note, never a failure
    assert failing_codes <= {key.split(":")[0] for key in ADVICE}
    assert advice_for("worker.pcr_test", {"variant": "missing"}) == str(ADVICE["worker.pcr_test:missing"])
    assert advice_for("worker.pcr_test", {}) == str(ADVICE["worker.pcr_test"])
    assert advice_for("no.such.code") == ""


def test_the_same_advice_is_said_once_after_the_failures_it_answers():
    checks = [
        Check("worker.passport", False, True, {"worker": "A", "date": "2021-01-01"}, line_id=1),
        Check("guarantee.insurance", False, True),
        Check("worker.passport", False, True, {"worker": "B", "date": "2021-01-01"}, line_id=2),
    ]

    failures = group_checks(checks).failures

    assert [(check.code, bool(advice)) for check, advice in failures] == [
        ("worker.passport", False),
        ("worker.passport", True),
        ("guarantee.insurance", True),
    ]


def test_checks_kept_with_a_decision_are_grouped_too():
    stored = [Check("guarantee.insurance", False, True).as_dict(), Check("guarantee.transport", True, True).as_dict()]

    groups = group_checks(stored)

    assert groups.failures[0][0].code == "guarantee.insurance"
    assert groups.passes[0].code == "guarantee.transport"


def render(checks) -> str:
    with translation.override("en"):
        return re.sub(r"\s+", " ", render_to_string("includes/_rule_check.html", {"checks": checks}))


def test_the_panel_folds_the_passes_into_a_count_and_says_what_to_do():
    passes = [Check("guarantee.transport", True, True), Check("guarantee.insurance", True, True, {"policy": "DMS-1"})]
    html = render([*passes, Check("guarantee.housing", False, True)])

    assert html.index("Failed:") < html.index("<details")
    assert "What to do: Enter the isolation address in the application." in html
    assert re.search(r"<details class=\"rule-check-passes\"> <summary>2 checks passed</summary>", html)
    assert "<summary>1 check passed</summary>" in render(passes[:1])


def test_a_meaningless_pass_is_not_in_the_panel():
    html = render([Check("workers.max_per_application", True, True, {"count": 0, "limit": 100, "region": "Moscow"})])

    assert "within the limit" not in html
    assert "No checks apply." in html
