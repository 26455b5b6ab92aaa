"""The officer's deadline counts working days of the production calendar, in the region's own
time, and stops while the employer is asked for information."""

import datetime as dt

import pytest

from applications import services
from applications.models import Application, Status
from applications.services.deadlines import run_deadlines
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.helpers.deadlines import submit

pytestmark = pytest.mark.django_db


def test_a_case_submitted_on_31_december_2020_is_due_on_15_january_2021(clock, draft_in, employer_user):
    clock(2020, 12, 31, 11, 0)
    application = submit(draft_in(), employer_user)
    assert application.deadline == dt.date(2021, 1, 15)


def test_a_case_submitted_on_friday_19_february_2021_counts_the_working_saturday_and_not_22_23_february(
    clock, draft_in, employer_user
):
    clock(2021, 2, 19, 11, 0)
    assert submit(draft_in(days_to_decide=2), employer_user).deadline == dt.date(2021, 2, 24)


def test_a_case_submitted_before_the_may_2021_holidays_is_due_a_week_after_them(clock, draft_in, employer_user):
    clock(2021, 4, 30, 11, 0)
    assert submit(draft_in(), employer_user).deadline == dt.date(2021, 5, 17)


def test_a_case_submitted_before_the_november_2021_holidays_skips_them(clock, draft_in, employer_user):
    clock(2021, 11, 3, 9, 0)
    assert submit(draft_in(), employer_user).deadline == dt.date(2021, 11, 12)


def test_the_submission_day_is_the_regions_own_day(clock, draft_in, employer_user):
    # 20:00 in Moscow on Thursday 14 January 2021 is already Friday 15 January, 05:00, in Kamchatka.
    clock(2021, 1, 14, 20, 0)
    kamchatka = submit(draft_in(number=41, days_to_decide=1), employer_user)
    moscow = submit(draft_in(number=77, days_to_decide=1), employer_user)
    assert kamchatka.deadline == dt.date(2021, 1, 18)
    assert moscow.deadline == dt.date(2021, 1, 15)


@pytest.fixture
def in_review(clock, draft_in, employer_user, officer):
    """A Moscow case submitted on Monday 1 March 2021 (due Monday 8 March is a holiday: Tuesday 9th)
    and taken into review."""
    clock(2021, 3, 1, 10, 0)
    application = submit(draft_in(days_to_decide=5, days_to_answer=5), employer_user)
    assert application.deadline == dt.date(2021, 3, 9)
    return services.application_take_into_review(application=application, user=officer)


def test_a_request_stops_the_clock_and_keeps_the_working_days_left(clock, in_review, officer):
    clock(2021, 3, 3, 15, 0)  # Wednesday: Thursday, Friday and Tuesday 9th are left
    asked = services.application_request_information(application=in_review, user=officer, message="The lease, please.")

    asked.refresh_from_db()
    assert (asked.deadline, asked.decision_days_left) == (None, 3)
    # The employer's own due date: five working days from Wednesday (Monday 8 March is a holiday).
    assert asked.reply_due == dt.date(2021, 3, 11)
    assert asked.history.latest("at", "pk").reply_due == dt.date(2021, 3, 11)


def test_the_answer_restarts_the_clock_with_the_days_that_were_left(clock, in_review, officer, employer_user):
    clock(2021, 3, 3, 15, 0)
    asked = services.application_request_information(application=in_review, user=officer, message="The lease, please.")
    clock(2021, 3, 12, 9, 0)  # Friday, nine days later
    answered = services.application_answer_request(application=asked, user=employer_user, message="Attached.")

    answered.refresh_from_db()
    assert (answered.deadline, answered.decision_days_left, answered.reply_due) == (dt.date(2021, 3, 17), None, None)


def test_an_officer_already_late_stays_as_late_after_the_answer(clock, in_review, officer, employer_user):
    clock(2021, 3, 11, 10, 0)  # Thursday: the deadline (Tuesday 9th) passed two working days ago
    asked = services.application_request_information(application=in_review, user=officer, message="The lease, please.")
    assert Application.objects.get(pk=asked.pk).decision_days_left == -2
    clock(2021, 3, 15, 10, 0)  # Monday
    answered = services.application_answer_request(application=asked, user=employer_user, message="Attached.")
    assert Application.objects.get(pk=answered.pk).deadline == dt.date(2021, 3, 11)


def test_the_officer_may_give_the_employer_other_working_days_to_answer(clock, in_review, officer):
    clock(2021, 3, 3, 15, 0)
    asked = services.application_request_information(
        application=in_review, user=officer, message="The lease, please.", answer_days=1
    )
    assert Application.objects.get(pk=asked.pk).reply_due == dt.date(2021, 3, 4)


@pytest.mark.parametrize("days", [0, 31])
def test_the_service_refuses_answer_days_out_of_bounds(clock, in_review, officer, days):
    clock(2021, 3, 3, 15, 0)
    with pytest.raises(services.TransitionRefused, match="between 1 and 30 working days"):
        services.application_request_information(
            application=in_review, user=officer, message="The lease, please.", answer_days=days
        )


def test_withdrawing_a_paused_case_clears_its_clock(clock, in_review, officer, employer_user):
    clock(2021, 3, 3, 15, 0)
    asked = services.application_request_information(application=in_review, user=officer, message="The lease, please.")
    withdrawn = services.application_withdraw(application=asked, user=employer_user, reason="Plans changed")
    withdrawn.refresh_from_db()
    assert (withdrawn.deadline, withdrawn.decision_days_left, withdrawn.reply_due) == (None, None, None)


def test_the_deadline_job_never_counts_a_paused_case_as_overdue(clock, in_review, officer):
    clock(2021, 3, 3, 15, 0)
    asked = services.application_request_information(application=in_review, user=officer, message="The lease, please.")
    late = ApplicationFactory(status=Status.IN_REVIEW, deadline=dt.date(2021, 3, 2))

    assert run_deadlines(today=dt.date(2021, 4, 1)).marked_overdue == 1
    overdue = dict(Application.objects.values_list("pk", "overdue_since"))
    assert overdue[asked.pk] is None
    assert overdue[late.pk] == dt.date(2021, 4, 1)


def test_a_reply_due_after_the_new_year_holidays_is_reminded_before_them(clock, employer, officer, moscow_rules, threshold):
    clock(2021, 12, 20, 12, 0)  # the request is made before its reply date
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=case)
    services.application_request_information(
        application=case, user=officer, message="The lease, please.", reply_due=dt.date(2022, 1, 11)
    )
    # Thursday 30 December 2021: the next two working days are 10 and 11 January 2022.
    assert run_deadlines(today=dt.date(2021, 12, 29)).reminders_sent == 0
    assert run_deadlines(today=dt.date(2021, 12, 30)).reminders_sent == 1
