"""The periodic deadline job: overdue cases are marked once, due replies are reminded once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from applications import services
from applications.models import Application, Status
from applications.services.deadlines import run_deadlines
from regions.production_calendar import add_working_days
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_pending_case_past_its_deadline_is_marked_once_and_keeps_the_first_day(employer):
    late = ApplicationFactory(employer=employer, status=Status.SUBMITTED, deadline=TODAY - dt.timedelta(days=1))
    on_time = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, deadline=TODAY)
    decided = ApplicationFactory(employer=employer, status=Status.REJECTED, deadline=TODAY - dt.timedelta(days=5))

    assert run_deadlines(today=TODAY).marked_overdue == 1
    assert run_deadlines(today=TODAY + dt.timedelta(days=1)).marked_overdue == 1  # on_time is late now

    overdue = dict(Application.objects.values_list("pk", "overdue_since"))
    assert overdue[late.pk] == TODAY
    assert overdue[on_time.pk] == TODAY + dt.timedelta(days=1)
    assert overdue[decided.pk] is None


@pytest.fixture
def awaiting_reply(employer, employer_user, officer, moscow_rules, threshold):
    def make(reply_due):
        case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
        CaseWorkerFactory(application=case)
        return services.application_request_information(
            application=case, user=officer, message="Send the housing lease.", reply_due=reply_due
        )

    return make


def test_an_employer_is_reminded_once_when_the_reply_is_due_within_two_working_days(
    awaiting_reply, django_capture_on_commit_callbacks
):
    due_soon = awaiting_reply(add_working_days(TODAY, 2))
    awaiting_reply(add_working_days(TODAY, 3))  # not yet: three working days away
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = run_deadlines(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_deadlines(today=TODAY)

    assert (first.reminders_sent, second.reminders_sent) == (1, 0)
    assert len(mail.outbox) == 1
    assert due_soon.reference in mail.outbox[0].subject
    assert "Send the housing lease." in mail.outbox[0].body
    assert mail.outbox[0].to == ["clerk@a.example"]


def test_no_reminder_once_the_employer_has_answered(awaiting_reply, employer_user):
    case = awaiting_reply(TODAY + dt.timedelta(days=1))
    services.application_answer_request(application=case, user=employer_user, message="Lease attached.")
    assert run_deadlines(today=TODAY).reminders_sent == 0


def test_the_command_reports_what_it_did(awaiting_reply, capsys):
    awaiting_reply(add_working_days(TODAY, 1))  # a reply date is after today at the earliest
    call_command("run_deadlines")
    assert "reply reminders sent: 1" in capsys.readouterr().out
