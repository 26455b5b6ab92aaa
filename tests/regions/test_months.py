"""Months as the quota counts them: the 1st of each, across New Year either way."""

import datetime as dt

import pytest

from regions.months import add_months, first_of_month


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (dt.date(2021, 12, 31), 1, dt.date(2022, 1, 1)),
        (dt.date(2021, 1, 31), 1, dt.date(2021, 2, 1)),  # not "31 February"
        (dt.date(2021, 1, 15), -1, dt.date(2020, 12, 1)),
        (dt.date(2020, 2, 29), 12, dt.date(2021, 2, 1)),
        (dt.date(2021, 3, 1), 0, dt.date(2021, 3, 1)),
        (dt.date(2021, 3, 10), -27, dt.date(2018, 12, 1)),
    ],
)
def test_a_month_later_or_earlier_is_the_first_of_that_month(day, count, expected):
    assert add_months(day, count) == expected
    assert first_of_month(day) == day.replace(day=1)
