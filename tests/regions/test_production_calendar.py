"""Working days of the Russian production calendar, checked against the official 2021 calendar
(Government decree No. 1648 of 10.10.2020 on moving days off, and the Labour Code's holidays)
and the presidential decrees on non-working days with pay."""

import datetime as dt

import pytest

from regions.production_calendar import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize("day", [D(2021, 1, d) for d in range(1, 11)])
def test_the_new_year_holidays_of_2021_run_from_the_1st_to_the_10th_of_january(day):
    assert not is_working_day(day)


def test_work_resumes_on_monday_11_january_2021():
    assert is_working_day(D(2021, 1, 11))


def test_saturday_20_february_2021_was_a_working_day_and_monday_22_february_a_day_off():
    assert is_working_day(D(2021, 2, 20))
    assert not is_working_day(D(2021, 2, 22))
    assert not is_working_day(D(2021, 2, 23))


def test_8_march_2021_was_a_holiday():
    assert not is_working_day(D(2021, 3, 8))
    assert is_working_day(D(2021, 3, 9))


@pytest.mark.parametrize("day", [D(2021, 5, d) for d in range(1, 11)])
def test_1_to_10_may_2021_were_all_days_off_4_to_7_by_presidential_decree(day):
    assert not is_working_day(day)


def test_14_june_2021_was_the_day_off_for_russia_day_on_a_saturday():
    assert not is_working_day(D(2021, 6, 14))


@pytest.mark.parametrize("day", [D(2021, 11, 4), D(2021, 11, 5)])
def test_4_and_5_november_2021_were_days_off(day):
    assert not is_working_day(day)


def test_31_december_2021_was_a_day_off_moved_from_3_january():
    assert not is_working_day(D(2021, 12, 31))
    assert is_working_day(D(2021, 12, 30))


def test_ordinary_weekdays_work_and_weekends_rest():
    assert is_working_day(D(2021, 4, 14))  # a Wednesday
    assert not is_working_day(D(2021, 4, 17))  # a Saturday
    assert not is_working_day(D(2021, 4, 18))  # a Sunday


def test_2020_had_no_working_saturday_and_31_december_2020_was_a_working_day():
    saturdays = [D(2020, 1, 4) + dt.timedelta(weeks=week) for week in range(52)]
    assert not any(is_working_day(day) for day in saturdays)
    assert is_working_day(D(2020, 12, 31))


def test_the_spring_2020_non_working_days_with_pay_count_as_days_off():
    assert not is_working_day(D(2020, 3, 30))
    assert not is_working_day(D(2020, 4, 15))
    assert not is_working_day(D(2020, 5, 7))
    assert is_working_day(D(2020, 5, 12))
    assert not is_working_day(D(2020, 6, 24))  # the Victory parade
    assert not is_working_day(D(2020, 7, 1))  # the vote on the constitution


def test_saturday_5_march_2022_was_a_working_day_and_7_march_a_day_off():
    assert is_working_day(D(2022, 3, 5))
    assert not is_working_day(D(2022, 3, 7))


# Counting: the first day counted is the one after the start (the day of the event itself
# is not counted), and the last day is the n-th working day.


def test_five_working_days_from_thursday_31_december_2020_end_on_friday_15_january_2021():
    assert add_working_days(D(2020, 12, 31), 5) == D(2021, 1, 15)


def test_from_friday_19_february_2021_the_working_saturday_counts_and_22_23_february_do_not():
    assert add_working_days(D(2021, 2, 19), 1) == D(2021, 2, 20)
    assert add_working_days(D(2021, 2, 19), 2) == D(2021, 2, 24)
    assert add_working_days(D(2021, 2, 19), 5) == D(2021, 3, 1)


def test_five_working_days_across_the_may_2021_holidays():
    assert add_working_days(D(2021, 4, 30), 5) == D(2021, 5, 17)


def test_five_working_days_across_the_november_2021_holidays():
    # 30 October to 7 November 2021 were all days off (decree No. 595, then 4 and 5 November).
    assert add_working_days(D(2021, 10, 29), 5) == D(2021, 11, 12)
    assert add_working_days(D(2021, 11, 3), 1) == D(2021, 11, 8)


def test_counting_from_a_day_off_starts_with_the_next_working_day():
    assert add_working_days(D(2021, 1, 2), 1) == D(2021, 1, 11)


def test_zero_days_is_the_day_itself_and_negative_days_count_back():
    assert add_working_days(D(2021, 1, 15), 0) == D(2021, 1, 15)
    assert add_working_days(D(2021, 1, 11), -1) == D(2020, 12, 31)
    assert add_working_days(D(2021, 3, 1), -5) == D(2021, 2, 19)


def test_working_days_between_is_the_inverse_of_adding_them():
    start = D(2020, 12, 25)
    for n in range(-40, 41):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_working_days_between_counts_the_working_days_after_the_first_up_to_the_second():
    assert working_days_between(D(2021, 1, 15), D(2021, 1, 15)) == 0
    assert working_days_between(D(2020, 12, 31), D(2021, 1, 15)) == 5
    assert working_days_between(D(2021, 1, 15), D(2020, 12, 31)) == -5
    # A day off at the end adds nothing: due Friday, asked on Saturday, nothing is lost yet.
    assert working_days_between(D(2021, 1, 15), D(2021, 1, 16)) == 0
    assert working_days_between(D(2021, 1, 15), D(2021, 1, 18)) == 1


def test_the_calendar_reaches_beyond_the_years_of_the_table():
    # The package knows later years; only the moved days of 2020-2022 were checked by hand.
    assert not is_working_day(D(2023, 1, 2))
    assert add_working_days(D(2023, 2, 22), 1) == D(2023, 2, 27)


def test_working_days_between_over_years_is_the_count_day_by_day():
    # Counted from each year's running total (a list asks it for every overdue row, years on).
    day_by_day = 0
    day = D(2019, 12, 30)
    while day < D(2023, 1, 9):
        day += dt.timedelta(days=1)
        day_by_day += is_working_day(day)
        if day.day in (1, 9, 31) or day.month == 5:
            assert working_days_between(D(2019, 12, 30), day) == day_by_day
            assert working_days_between(day, D(2019, 12, 30)) == -day_by_day
    assert working_days_between(D(2020, 12, 31), D(2021, 1, 1)) == 0  # both days off
    assert working_days_between(D(2020, 12, 30), D(2020, 12, 31)) == 1
