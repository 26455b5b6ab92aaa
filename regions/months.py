"""Calendar months as the quota counts them: a month is its 1st."""

import datetime as dt

from dateutil.relativedelta import relativedelta


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The 1st of the month `count` months after (or before, if negative) the month of `month`."""
    return first_of_month(month) + relativedelta(months=count)
