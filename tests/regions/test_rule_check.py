"""The rule check as a pure function: every rule, passing and failing, with plain objects."""

import datetime as dt

import pytest
from django.utils import translation

from regions.models import CitizenshipPolicy, EligibilityThreshold, PcrTestTiming
from regions.rules import blocking_failures, check_case
from tests.helpers.rule_check import ARRIVAL, MSK, THRESHOLD, TODAY, check, facts, rules, run, worker


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield




def test_a_complete_case_under_default_rules_has_no_blocking_failure():
    checks = run()
    assert blocking_failures(checks) == []
    assert all(c.passed for c in checks)


def test_a_region_without_rules_in_force_blocks_with_the_date_in_the_message():
    checks = check_case(facts(), None, THRESHOLD, TODAY)
    failed = check(checks, "rules.in_force")
    assert not failed.passed and failed.blocking
    assert "Moscow has no rules in force" in failed.text


def test_suspended_intake_blocks():
    failed = check(run(rule_set=rules(intake_open=False)), "intake.open")
    assert (failed.passed, failed.blocking) == (False, True)
    assert "suspended the intake" in failed.text


def test_an_arrival_date_today_or_past_blocks():
    assert not check(run(case=facts(arrival_date=TODAY)), "arrival.in_future").passed
    assert check(run(case=facts(arrival_date=TODAY + dt.timedelta(days=1))), "arrival.in_future").passed


@pytest.mark.parametrize(
    ("revenue", "headcount", "revenue_ok", "headcount_ok"),
    [(800_000_000, 100, True, True), (799_999_999, 100, False, True), (800_000_000, 99, True, False)],
)
def test_employer_thresholds_are_checked_at_their_edges(revenue, headcount, revenue_ok, headcount_ok):
    checks = run(case=facts(employer_annual_revenue_rub=revenue, employer_average_headcount=headcount))
    assert check(checks, "employer.revenue").passed is revenue_ok
    assert check(checks, "employer.headcount").passed is headcount_ok


def test_thresholds_come_from_the_edition_given_not_from_constants():
    lenient = EligibilityThreshold(effective_from=TODAY, min_annual_revenue_rub=1, min_average_headcount=1)
    checks = run(case=facts(employer_annual_revenue_rub=5, employer_average_headcount=2), threshold=lenient)
    assert check(checks, "employer.revenue").passed and check(checks, "employer.headcount").passed


def test_a_case_without_workers_blocks():
    assert not check(run(case=facts(workers=[])), "workers.listed").passed


def test_more_workers_than_the_limit_per_application_blocks():
    case = facts(workers=[worker(name=f"W{i}") for i in range(3)])
    assert check(run(case=case, rule_set=rules(max_workers_per_application=3)), "workers.max_per_application").passed
    failed = check(run(case=case, rule_set=rules(max_workers_per_application=2)), "workers.max_per_application")
    assert not failed.passed and "at most 2" in failed.text


@pytest.mark.parametrize(("code", "closed"), [("47.71", True), ("47.7", True), ("47", False), ("41.20", False), ("4.7", False)])
def test_activities_closed_to_foreign_labour_match_by_okved_group(code, closed):
    result = check(run(case=facts(activity_okved=code), rule_set=rules(closed_activities=["47.7"])), "activity.closed")
    assert result.passed is not closed


def test_a_missing_activity_blocks_where_the_region_closes_some():
    assert not check(run(case=facts(activity_okved=""), rule_set=rules(closed_activities=["49.3"])), "activity.closed").passed


def test_transport_to_isolation_must_be_guaranteed():
    assert not check(run(case=facts(transport_to_isolation=False)), "guarantee.transport").passed


def test_charter_transport_is_required_only_where_the_region_says_so():
    assert "guarantee.charter" not in {c.code for c in run()}
    failed = check(run(rule_set=rules(charter_transport_required=True)), "guarantee.charter")
    assert not failed.passed
    assert check(run(case=facts(charter_transport_agreed=True), rule_set=rules(charter_transport_required=True)), "guarantee.charter").passed


def test_fewer_isolation_days_than_required_blocks():
    failed = check(run(case=facts(isolation_days=7)), "guarantee.isolation_days")
    assert not failed.passed and "requires 14 days" in failed.text


def test_isolation_until_the_test_result_is_an_advisory_notice():
    notice = check(run(rule_set=rules(isolation_until_test_result=True)), "isolation.until_test_result")
    assert notice.passed and not notice.blocking


def test_housing_and_insurance_are_required_only_when_the_rules_say_so():
    bare = facts(isolation_address=" ", insurance_policy="")
    checks = run(case=bare)
    assert not check(checks, "guarantee.housing").passed
    assert not check(checks, "guarantee.insurance").passed
    relaxed = run(case=bare, rule_set=rules(isolation_housing_required=False, insurance_required=False))
    assert {"guarantee.housing", "guarantee.insurance"}.isdisjoint({c.code for c in relaxed})


def test_vaccination_must_be_booked_where_required():
    assert not check(run(rule_set=rules(vaccination_required=True)), "guarantee.vaccination").passed
    assert check(run(case=facts(vaccination_booked=True), rule_set=rules(vaccination_required=True)), "guarantee.vaccination").passed


def test_the_monthly_quota_is_advisory_before_submitting_and_says_what_is_left():
    case = facts(workers=[worker(), worker(name="B")], approved_in_arrival_month=9)
    result = check(run(case=case, rule_set=rules(monthly_worker_quota=10)), "quota.monthly")
    assert (result.passed, result.blocking) == (False, False)
    assert "Only 1 place of the monthly quota of 10 is left" in result.text
    assert "this application lists 2 workers." in result.text


@pytest.mark.parametrize(
    ("policy", "listed", "citizenship", "accepted"),
    [
        (CitizenshipPolicy.ONLY_LISTED, ["UZ", "TJ"], "UZ", True),
        (CitizenshipPolicy.ONLY_LISTED, ["UZ", "TJ"], "KG", False),
        (CitizenshipPolicy.ALL_EXCEPT_LISTED, ["KG"], "KG", False),
        (CitizenshipPolicy.ALL_EXCEPT_LISTED, ["KG"], "UZ", True),
    ],
)
def test_citizenship_lists_accept_or_refuse_each_worker(policy, listed, citizenship, accepted):
    result = check(
        run(case=facts(workers=[worker(citizenship=citizenship)]), rule_set=rules(citizenship_policy=policy, citizenships=listed)),
        "worker.citizenship",
    )
    assert result.passed is accepted
    assert "IVANOV I." in result.text


def test_a_refused_citizenship_is_named_in_the_users_language():
    rule_set = rules(citizenship_policy=CitizenshipPolicy.ONLY_LISTED, citizenships=["UZ"])
    with translation.override("ru"):
        result = check(run(case=facts(workers=[worker(citizenship="KG")]), rule_set=rule_set), "worker.citizenship").text
    assert "Киргизия" in result or "Кыргызстан" in result


def test_a_passport_expiring_on_or_before_arrival_blocks():
    assert not check(run(case=facts(workers=[worker(passport_expiry=ARRIVAL)])), "worker.passport").passed
    assert check(run(case=facts(workers=[worker(passport_expiry=ARRIVAL + dt.timedelta(days=1))])), "worker.passport").passed


def test_a_pcr_test_older_than_the_region_accepts_blocks_with_the_hours_in_the_message():
    taken = dt.datetime(2021, 3, 16, 12, 0, tzinfo=MSK)  # 96 hours before noon of the arrival day
    result = check(run(case=facts(workers=[worker(pcr_test_taken_at=taken)]), rule_set=rules(pcr_max_age_hours=72)), "worker.pcr_test")
    assert not result.passed and result.blocking
    assert result.text == "The PCR test of IVANOV I. was taken 96 h 00 min before arrival; Moscow accepts at most 72 hours."


def test_a_pcr_test_exactly_at_the_limit_passes():
    taken = dt.datetime(2021, 3, 17, 12, 0, tzinfo=MSK)  # 72 hours before noon of the arrival day
    assert check(run(case=facts(workers=[worker(pcr_test_taken_at=taken)])), "worker.pcr_test").passed


def test_a_pcr_test_taken_on_the_arrival_day_before_the_arrival_counts_as_fresh():
    taken = dt.datetime(2021, 3, 20, 6, 0, tzinfo=MSK)
    assert check(run(case=facts(workers=[worker(pcr_test_taken_at=taken)])), "worker.pcr_test").passed


def test_a_pcr_test_dated_after_arrival_blocks_where_a_test_before_is_required():
    taken = dt.datetime(2021, 3, 21, 6, 0, tzinfo=MSK)
    assert not check(run(case=facts(workers=[worker(pcr_test_taken_at=taken)])), "worker.pcr_test").passed


def test_a_missing_pcr_test_blocks_where_one_before_arrival_is_required():
    result = check(run(case=facts(workers=[worker(pcr_test_taken_at=None)])), "worker.pcr_test")
    assert not result.passed and result.blocking


def test_a_region_accepting_a_test_after_arrival_lets_a_missing_test_pass_with_advice():
    rule_set = rules(pcr_test_timing=PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL)
    result = check(run(case=facts(workers=[worker(pcr_test_taken_at=None)]), rule_set=rule_set), "worker.pcr_test")
    assert result.passed and not result.blocking
    assert "after arrival instead" in result.text


def test_a_region_requiring_a_test_after_arrival_ignores_the_test_before():
    rule_set = rules(pcr_test_timing=PcrTestTiming.AFTER_ARRIVAL, pcr_max_age_hours=72)
    old = dt.datetime(2021, 3, 1, tzinfo=MSK)
    result = check(run(case=facts(workers=[worker(pcr_test_taken_at=old)]), rule_set=rule_set), "worker.pcr_test")
    assert result.passed and "within 72 hours after arrival" in result.text


def test_each_worker_gets_their_own_checks():
    case = facts(workers=[worker(name="A A."), worker(name="B B.", passport_expiry=dt.date(2020, 1, 1))])
    passports = [c for c in run(case=case) if c.code == "worker.passport"]
    assert [(c.passed, c.text.split(":")[0]) for c in passports] == [(True, "A A."), (False, "B B.")]


def test_the_per_application_limit_message_speaks_of_one_worker_in_the_singular():
    assert check(run(rule_set=rules(max_workers_per_application=5)), "workers.max_per_application").text == (
        "1 worker, within the limit of 5 per application."
    )


# The age of the company's figures (advisory): a year that ended more than a year before the day
# the figures are judged on (the submission day; today for a draft) is old.


@pytest.mark.parametrize(
    ("year", "as_of", "recent"),
    [
        (2020, dt.date(2021, 3, 1), True),
        (2019, dt.date(2021, 3, 1), False),
        (2019, dt.date(2021, 1, 1), False),  # 31.12.2019 is a year and a day before 01.01.2021
        (2020, dt.date(2021, 12, 31), True),  # 31.12.2020 is exactly a year before: not more
        (2021, dt.date(2021, 3, 1), True),
    ],
)
def test_figures_for_a_year_that_ended_more_than_a_year_before_submission_are_flagged(year, as_of, recent):
    flagged = check(run(case=facts(employer_figures_year=year, figures_as_of=as_of)), "employer.figures_recent")

    assert flagged.passed is recent
    assert flagged.blocking is False
    if not recent:
        assert f"The company's figures are for {year}, a year that ended more than a year before" in flagged.text
        assert f"ask for the figures of {as_of.year - 1}" in flagged.text


def test_a_drafts_figures_are_judged_on_today():
    # TODAY is in 2021: figures for 2019 are old.
    assert not check(run(case=facts(employer_figures_year=2019)), "employer.figures_recent").passed
    assert check(run(case=facts(employer_figures_year=2020)), "employer.figures_recent").passed


def test_old_figures_alone_do_not_block_submitting():
    assert blocking_failures(run(case=facts(employer_figures_year=2015))) == []


def test_a_company_that_never_stated_its_figures_is_blocked_with_what_to_do():
    failed = check(run(case=facts(employer_annual_revenue_rub=None, employer_average_headcount=None)), "employer.figures")

    assert (failed.passed, failed.blocking) == (False, True)
    assert "has not stated its yearly revenue and average headcount" in failed.text
