"""The PCR test's age is the exact time between two instants: the test as printed on its
certificate (in the zone where it was taken) and the planned arrival (in the zone of arrival).
72 h 00 min passes a 72-hour limit, 72 h 01 min fails, and a failing age never reads like a pass."""

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from regions.models import PcrTestTiming
from regions.rules import format_duration
from tests.helpers.rule_check import check, facts, rules, run, worker

TASHKENT = ZoneInfo("Asia/Tashkent")  # UTC+5
MOSCOW = ZoneInfo("Europe/Moscow")  # UTC+3
KAMCHATKA = ZoneInfo("Asia/Kamchatka")  # UTC+12
KALININGRAD = ZoneInfo("Europe/Kaliningrad")  # UTC+2
ARRIVAL_AT = dt.datetime(2021, 3, 20, 14, 30, tzinfo=MOSCOW)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pcr_check(taken_at, arrival_at=ARRIVAL_AT, **rule_changes):
    case = facts(arrival_date=arrival_at.date(), arrival_at=arrival_at, workers=[worker(pcr_test_taken_at=taken_at)])
    return check(run(case=case, rule_set=rules(**{"pcr_max_age_hours": 72, **rule_changes})), "worker.pcr_test")


def test_a_test_exactly_72_hours_00_minutes_before_arrival_passes_a_72_hour_limit():
    result = pcr_check(ARRIVAL_AT - dt.timedelta(hours=72))
    assert result.passed
    assert result.text == "IVANOV I.: the PCR test was taken 72 h 00 min before arrival (at most 72 hours)."


def test_a_test_72_hours_01_minute_before_arrival_fails_and_says_so():
    result = pcr_check(ARRIVAL_AT - dt.timedelta(hours=72, minutes=1))
    assert not result.passed and result.blocking
    assert result.text == "The PCR test of IVANOV I. was taken 72 h 01 min before arrival; Moscow accepts at most 72 hours."


def test_a_test_30_seconds_past_the_limit_fails_and_is_never_shown_as_72_h_00_min():
    result = pcr_check(ARRIVAL_AT - dt.timedelta(hours=72, seconds=30))
    assert not result.passed
    assert "72 h 01 min" in result.text and "72 h 00 min" not in result.text


def test_the_age_is_shown_in_hours_and_minutes_and_a_passing_age_is_floored():
    result = pcr_check(ARRIVAL_AT - dt.timedelta(hours=71, minutes=30, seconds=59))
    assert result.passed
    assert "71 h 30 min before arrival" in result.text


def test_a_test_in_tashkent_against_an_arrival_in_kamchatka_counts_the_eleven_hours_apart():
    # 20 March 10:00 in Kamchatka is 19 March 22:00 UTC; 17 March 03:00 in Tashkent is 16 March 22:00 UTC.
    arrival_at = dt.datetime(2021, 3, 20, 10, 0, tzinfo=KAMCHATKA)
    assert pcr_check(dt.datetime(2021, 3, 17, 3, 0, tzinfo=TASHKENT), arrival_at).passed  # 72 h 00 min
    late = pcr_check(dt.datetime(2021, 3, 17, 2, 59, tzinfo=TASHKENT), arrival_at)
    assert not late.passed and "72 h 01 min" in late.text
    # Read on the clocks' faces the test looks 79 hours old; it is 72.
    assert pcr_check(dt.datetime(2021, 3, 17, 3, 0, tzinfo=TASHKENT), arrival_at).text.endswith("72 h 00 min before arrival (at most 72 hours).")


def test_a_test_in_tashkent_against_an_arrival_in_kaliningrad_counts_the_three_hours_apart():
    # 20 March 10:00 in Kaliningrad is 08:00 UTC; 17 March 13:00 in Tashkent is 08:00 UTC.
    arrival_at = dt.datetime(2021, 3, 20, 10, 0, tzinfo=KALININGRAD)
    assert pcr_check(dt.datetime(2021, 3, 17, 13, 0, tzinfo=TASHKENT), arrival_at).passed
    late = pcr_check(dt.datetime(2021, 3, 17, 12, 59, tzinfo=TASHKENT), arrival_at)
    assert not late.passed and "72 h 01 min" in late.text
    # On the clocks' faces it looks 69 hours old and would pass a 70-hour limit; it is 72 hours old.
    assert not pcr_check(dt.datetime(2021, 3, 17, 13, 0, tzinfo=TASHKENT), arrival_at, pcr_max_age_hours=70).passed


def test_a_test_taken_after_the_arrival_fails_with_that_message():
    result = pcr_check(ARRIVAL_AT + dt.timedelta(hours=2, minutes=5))
    assert not result.passed and result.blocking
    assert result.text == "IVANOV I.: the PCR test was taken 2 h 05 min after the arrival; Moscow requires one taken before it."


def test_a_test_taken_after_the_arrival_on_the_same_day_fails_too():
    assert not pcr_check(ARRIVAL_AT + dt.timedelta(minutes=1)).passed


def test_a_region_accepting_either_still_checks_a_test_given_before_arrival_exactly():
    assert pcr_check(ARRIVAL_AT - dt.timedelta(hours=72), pcr_test_timing=PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL).passed
    assert not pcr_check(ARRIVAL_AT - dt.timedelta(hours=72, minutes=1), pcr_test_timing=PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL).passed


def test_facts_without_an_arrival_instant_count_to_noon_of_the_arrival_day_in_moscow():
    case = replace(facts(workers=[worker(pcr_test_taken_at=dt.datetime(2021, 3, 17, 12, 0, tzinfo=MOSCOW))]))
    assert check(run(case=case, rule_set=rules(pcr_max_age_hours=72)), "worker.pcr_test").passed
    case = replace(facts(workers=[worker(pcr_test_taken_at=dt.datetime(2021, 3, 17, 11, 59, tzinfo=MOSCOW))]))
    assert not check(run(case=case, rule_set=rules(pcr_max_age_hours=72)), "worker.pcr_test").passed


@pytest.mark.parametrize(
    ("delta", "ceiling", "shown"),
    [
        (dt.timedelta(hours=72), False, "72 h 00 min"),
        (dt.timedelta(hours=72, seconds=1), True, "72 h 01 min"),
        (dt.timedelta(hours=72, seconds=59), False, "72 h 00 min"),
        (dt.timedelta(minutes=5), False, "0 h 05 min"),
        (dt.timedelta(days=5, minutes=61), False, "121 h 01 min"),
    ],
)
def test_a_duration_reads_in_hours_and_minutes(delta, ceiling, shown):
    assert format_duration(delta, ceiling=ceiling) == shown



def test_a_one_hour_limit_reads_as_one_hour_in_english_and_in_russian():
    passing = pcr_check(ARRIVAL_AT - dt.timedelta(minutes=59), pcr_max_age_hours=1)
    failing = pcr_check(ARRIVAL_AT - dt.timedelta(minutes=61), pcr_max_age_hours=1)
    assert passing.text == "IVANOV I.: the PCR test was taken 0 h 59 min before arrival (at most 1 hour)."
    assert failing.text.endswith("Moscow accepts at most 1 hour.")
    with translation.override("ru"):
        russian = pcr_check(ARRIVAL_AT - dt.timedelta(minutes=59), pcr_max_age_hours=1).text
    assert "не более 1 ч" in russian
