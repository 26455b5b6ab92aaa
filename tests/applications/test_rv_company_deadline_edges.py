"""Edges of the working-day deadline: a case submitted on a day off, on 31 December, and the
countdown on the deadline day itself, one working day past it, and the day off right after it."""

import datetime as dt

import pytest
from django.utils import translation

from applications.deadlines import mark_deadline
from applications.models import Application, Status
from applications.templatetags.case_status import deadline_note
from tests.helpers.deadlines import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        ((2021, 1, 2, 11, 0), dt.date(2021, 1, 15)),  # Saturday in the New Year holidays: counting starts on the 11th
        ((2021, 2, 23, 11, 0), dt.date(2021, 3, 2)),  # Defender of the Fatherland Day, a Tuesday
        ((2021, 12, 31, 11, 0), dt.date(2022, 1, 14)),  # a day off moved from 3 January; 2022 resumes on the 10th
    ],
)
def test_a_case_submitted_on_a_day_off_is_counted_from_the_next_working_day(clock, draft_in, employer_user, moment, due):
    clock(*moment)
    assert submit(draft_in(), employer_user).deadline == due


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def marked(deadline, today):
    application = Application(status=Status.IN_REVIEW, deadline=deadline)
    mark_deadline(application, today=today)
    return application


def test_on_the_deadline_day_itself_the_case_is_due_today_not_overdue():
    application = marked(dt.date(2021, 3, 9), today=dt.date(2021, 3, 9))
    assert (application.days_left, application.is_overdue, application.days_overdue) == (0, False, 0)
    assert "Due today" in deadline_note(application)


def test_one_working_day_past_the_deadline_is_overdue_by_one_working_day():
    application = marked(dt.date(2021, 3, 9), today=dt.date(2021, 3, 10))
    assert (application.days_left, application.is_overdue, application.days_overdue) == (-1, True, 1)
    assert "Overdue by 1 working day" in deadline_note(application)


def test_the_saturday_after_a_friday_deadline_is_overdue_with_no_working_day_lost_yet():
    application = marked(dt.date(2021, 3, 12), today=dt.date(2021, 3, 13))
    assert (application.is_overdue, application.days_overdue) == (True, 0)
    note = str(deadline_note(application))
    assert "Overdue" in note and "working day" not in note
