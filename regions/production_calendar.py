"""The Russian production calendar: which days are working days, and deadlines counted in them.

Weekends, public holidays (Labour Code art. 112), days off moved by the Government's yearly
decree and the working Saturdays they create come from the `holidays` package
(`holidays.RU`); its 2020-2022 data were checked by hand against the decrees (No. 1375 of
10.10.2019 for 2020: no working Saturday; No. 1648 of 10.10.2020 for 2021: Saturday 20 February
worked, 22 February, 5 November and 31 December off; No. 1564 of 16.09.2021 for 2022: Saturday
5 March worked, 7 March, 3 and 10 May off).

The package lacks the "non-working days with pay" the President declared during the pandemic;
they are in NON_WORKING_DAYS_BY_DECREE below and count as days off: the country, the regional
authorities included, stopped on them (only a duty staff worked), and the calendars officers
and employers used showed them as days off (1-10 May 2021 as one block). docs/design.md says
why and what to change if a region's lawyers read it otherwise.

Counting follows the Civil Code (art. 191): a period starts the day after the event, so
`add_working_days(day, 5)` is the fifth working day after `day`, and a deadline includes its
last day. Regional non-working days (a region could extend the federal ones) are not modelled.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# Weekdays the President declared non-working (with pay); the weekends and public holidays in
# the same spans are days off anyway. Sources: decrees of the President of the Russian Federation.
NON_WORKING_DAYS_BY_DECREE: tuple[tuple[dt.date, dt.date, str], ...] = (
    (dt.date(2020, 3, 30), dt.date(2020, 4, 3), "Decree No. 206 of 25.03.2020"),
    (dt.date(2020, 4, 4), dt.date(2020, 4, 30), "Decree No. 239 of 02.04.2020"),
    (dt.date(2020, 5, 6), dt.date(2020, 5, 8), "Decree No. 294 of 28.04.2020"),
    (dt.date(2020, 6, 24), dt.date(2020, 6, 24), "Decree No. 345 of 01.06.2020 (the Victory parade)"),
    (dt.date(2020, 7, 1), dt.date(2020, 7, 1), "Decree No. 354 of 02.06.2020 (the vote on the constitution)"),
    (dt.date(2021, 5, 4), dt.date(2021, 5, 7), "Decree No. 242 of 23.04.2021"),
    (dt.date(2021, 10, 30), dt.date(2021, 11, 7), "Decree No. 595 of 20.10.2021"),
)


def _days_in(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


_DAYS_OFF_BY_DECREE = frozenset(day for first, last, _source in NON_WORKING_DAYS_BY_DECREE for day in _days_in(first, last))


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    # Built once a year per process: building a year's calendar costs far more than asking it.
    return holidays.RU(years=year)


def is_working_day(day: dt.date) -> bool:
    if day in _DAYS_OFF_BY_DECREE:
        return False
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (before it when n is negative); `start` itself for 0.

    `start` need not be a working day: counting from a Saturday begins with Monday."""
    step = dt.timedelta(days=1 if n >= 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The working days after `a` up to and including `b`; negative (those after `b` up to and
    including `a`) when `b` is earlier. So add_working_days(a, working_days_between(a, b)) == b
    whenever b is a working day."""
    if b < a:
        return -working_days_between(b, a)
    # Whole years between them from each year's count: a list of overdue cases asks this for
    # every row, years after the deadline, and day by day it cost most of the page.
    return sum(_working_days_in_year(year)[-1] for year in range(a.year, b.year)) + _working_days_to(b) - _working_days_to(a)


@lru_cache(maxsize=64)
def _working_days_in_year(year: int) -> tuple[int, ...]:
    """Item i: the working days of `year` up to and including its i-th day (item 0 is 0)."""
    counts, total = [0], 0
    for day in _days_in(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        total += is_working_day(day)
        counts.append(total)
    return tuple(counts)


def _working_days_to(day: dt.date) -> int:
    """The working days of day's year up to and including it."""
    return _working_days_in_year(day.year)[day.timetuple().tm_yday]
