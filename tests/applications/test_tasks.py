"""Background work: e-mails and the re-check after a rule change run as django-tasks tasks. The web
request only enqueues them once its transaction commits; without a worker (the immediate backend)
they run inline; with the database backend `manage.py db_worker` runs them; a mail server that
is down is tried again later, a bounded number of times, and never undoes the decision."""

import datetime as dt
import logging

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from applications import services, tasks
from applications.models import Application, Status
from applications.services.deadlines import run_deadlines
from regions.models import RuleSet
from tests.helpers.review import take_into_review
from tests.helpers.rule_set_admin import form_data
from tests.helpers.tasks import DATABASE, DUMMY, FlakyMailServer, queued, run_queued_tasks, run_worker_once

pytestmark = pytest.mark.django_db

BASE_URL = "https://portal.example"


@pytest.fixture(autouse=True)
def _portal_address(settings):
    settings.PORTAL_BASE_URL = BASE_URL


# Without a worker: tasks run inline, after the commit


def test_without_a_worker_the_e_mail_goes_out_after_the_commit_with_a_full_link_to_the_case(
    officer_client, submitted_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = take_into_review(officer_client, submitted_case)
        assert mail.outbox == []  # nothing leaves before the transaction has committed

    assert response.status_code == 302
    assert callbacks  # sent from a commit hook
    (email,) = mail.outbox
    assert email.to == ["clerk@a.example"]
    assert f"{BASE_URL}/employer/applications/{submitted_case.pk}/" in email.body


def test_the_officers_e_mail_links_to_the_officers_page_of_the_case(
    submitted_case, officer, employer_user, django_capture_on_commit_callbacks
):
    case = services.application_take_into_review(application=submitted_case, user=officer)
    case = services.application_request_information(
        application=case, user=officer, message="The lease, please.", reply_due=timezone.localdate() + dt.timedelta(days=5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.application_answer_request(application=case, user=employer_user, message="Attached.")

    (email,) = mail.outbox
    assert email.to == ["officer@77.example"]
    assert f"{BASE_URL}/review/applications/{case.pk}/" in email.body


def test_without_a_worker_a_mail_server_that_is_down_is_logged_once_and_the_decision_stands(
    submitted_case, officer, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    server = FlakyMailServer(failures=99)
    monkeypatch.setattr("applications.notifications.send_mail", server)

    with caplog.at_level(logging.ERROR, logger="applications.tasks"), django_capture_on_commit_callbacks(execute=True):
        services.application_take_into_review(application=submitted_case, user=officer)

    assert Application.objects.get(pk=submitted_case.pk).status == Status.IN_REVIEW
    assert server.calls == 1  # inline, a retry would make the officer wait
    change = submitted_case.history.get()
    assert f"Gave up sending the e-mail about status change {change.pk} after 1 attempt(s)" in caplog.text
    assert mail.outbox == []


# With a worker: the request only enqueues


def test_with_a_worker_the_request_enqueues_the_e_mail_and_sends_nothing_itself(
    settings, officer_client, submitted_case, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        response = take_into_review(officer_client, submitted_case)

    assert response.status_code == 302
    assert Application.objects.get(pk=submitted_case.pk).status == Status.IN_REVIEW
    change = submitted_case.history.get()
    (result,) = queued()
    assert result.task.name == "send_status_email"
    assert result.kwargs == {"change_id": change.pk}
    assert mail.outbox == []

    run_queued_tasks()
    (email,) = mail.outbox
    assert submitted_case.reference in email.subject


def test_a_rolled_back_transition_enqueues_nothing(settings, submitted_case, employer_user, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.TransitionRefused):
        services.application_take_into_review(application=submitted_case, user=employer_user)  # not an officer

    assert queued() == []


def test_a_mail_server_that_comes_back_gets_the_e_mail_on_a_later_attempt(
    settings, submitted_case, officer, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    server = FlakyMailServer(failures=2)
    monkeypatch.setattr("applications.notifications.send_mail", server)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_take_into_review(application=submitted_case, user=officer)
    before = timezone.now()

    attempts = run_queued_tasks()

    assert [result.kwargs.get("attempt", 1) for result in attempts] == [1, 2, 3]
    # Each retry waits longer than the one before.
    first_retry, second_retry = attempts[1].task.run_after, attempts[2].task.run_after
    assert before + dt.timedelta(seconds=50) < first_retry < second_retry
    assert second_retry - before > dt.timedelta(minutes=4)
    assert server.calls == 3
    assert len(mail.outbox) == 1
    assert Application.objects.get(pk=submitted_case.pk).status == Status.IN_REVIEW


def test_the_e_mail_task_gives_up_after_five_attempts_and_says_so(
    settings, submitted_case, officer, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = DUMMY
    server = FlakyMailServer(failures=99)
    monkeypatch.setattr("applications.notifications.send_mail", server)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_take_into_review(application=submitted_case, user=officer)

    with caplog.at_level(logging.WARNING, logger="applications.tasks"):
        attempts = run_queued_tasks()

    assert len(attempts) == tasks.MAX_SEND_ATTEMPTS == server.calls
    assert queued() == []
    assert "after 5 attempt(s)" in caplog.text
    assert mail.outbox == []
    assert Application.objects.get(pk=submitted_case.pk).status == Status.IN_REVIEW


def test_an_error_that_a_retry_cannot_fix_is_not_retried(settings, monkeypatch):
    settings.TASKS = DUMMY

    def broken(**kwargs):
        raise ValueError("a bug, not the mail server")

    monkeypatch.setattr("applications.notifications.send_transition_email", broken)
    with pytest.raises(ValueError):
        tasks.send_status_email.call(change_id=1)
    assert queued() == []


# The deadline job's reminders


def test_the_deadline_job_enqueues_the_reminder_and_the_worker_sends_it(
    settings, submitted_case, officer, django_capture_on_commit_callbacks
):
    case = services.application_take_into_review(application=submitted_case, user=officer)
    case = services.application_request_information(
        application=case, user=officer, message="The lease, please.", reply_due=timezone.localdate() + dt.timedelta(days=1)
    )
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        assert run_deadlines(today=timezone.localdate()).reminders_sent == 1

    (result,) = queued()
    assert result.task.name == "send_reply_reminder"
    assert mail.outbox == []
    run_queued_tasks()
    (email,) = mail.outbox
    assert case.reference in email.subject
    assert email.to == ["clerk@a.example"]


def test_a_reminder_whose_case_was_answered_before_the_worker_ran_is_not_sent(
    settings, submitted_case, officer, employer_user, django_capture_on_commit_callbacks
):
    case = services.application_take_into_review(application=submitted_case, user=officer)
    case = services.application_request_information(
        application=case, user=officer, message="The lease, please.", reply_due=timezone.localdate() + dt.timedelta(days=1)
    )
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        run_deadlines(today=timezone.localdate())
    services.application_answer_request(application=case, user=employer_user, message="Lease attached.")

    run_queued_tasks()

    assert mail.outbox == []


# The re-check after a rule version is published


def publish_suspension(admin_client_, region):
    """Adds a draft rule version from tomorrow (the earliest a new one may start) that suspends
    the region's intake, through the admin form, and publishes it."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = form_data(region=region.pk, effective_from=tomorrow, intake_open=False, days_to_decide=10)
    admin_client_.post(reverse("admin:regions_ruleset_add"), data)
    draft = RuleSet.objects.get(region=region, effective_from=tomorrow)
    return admin_client_.post(reverse("admin:regions_ruleset_publish", args=[draft.pk]), follow=True)


def test_with_a_worker_publishing_queues_the_recheck_and_says_it_runs_in_the_background(
    settings, admin_client_, submitted_case, moscow, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        response = publish_suspension(admin_client_, moscow)

    assert response.status_code == 200
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "1 undecided case is being re-checked in the background." in messages, messages
    (result,) = queued()
    assert (result.task.name, result.kwargs) == ("recheck_marked_cases_of_region", {"region_id": moscow.pk})
    assert Application.objects.get(pk=submitted_case.pk).rule_check_failing is False  # not yet

    run_queued_tasks()
    assert Application.objects.get(pk=submitted_case.pk).rule_check_failing is True


def test_without_a_worker_publishing_rechecks_at_once_and_counts_the_cases(
    admin_client_, submitted_case, moscow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_suspension(admin_client_, moscow)

    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "1 undecided case was re-checked." in messages, messages
    assert "1 of them now fails a blocking check." in messages, messages
    assert Application.objects.get(pk=submitted_case.pk).rule_check_failing is True


# The database backend and its worker, as production runs them


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_queue_holds_the_e_mail_until_the_worker_sends_it(
    settings, worker_leaves_no_trace, submitted_case, officer_client
):
    settings.TASKS = DATABASE

    response = take_into_review(officer_client, submitted_case)

    assert response.status_code == 302
    assert mail.outbox == []
    task_row = DBTaskResult.objects.get()
    assert task_row.task_path == "applications.tasks.send_status_email"
    assert task_row.status == "READY"

    run_worker_once()

    task_row.refresh_from_db()
    assert task_row.status == "SUCCESSFUL"
    (email,) = mail.outbox
    assert f"{BASE_URL}/employer/applications/{submitted_case.pk}/" in email.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_the_database_queue_a_failed_send_waits_for_its_retry_time(
    settings, worker_leaves_no_trace, submitted_case, officer, monkeypatch
):
    settings.TASKS = DATABASE
    server = FlakyMailServer(failures=1)
    monkeypatch.setattr("applications.notifications.send_mail", server)
    services.application_take_into_review(application=submitted_case, user=officer)

    run_worker_once()

    assert server.calls == 1 and mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now()
    assert not DBTaskResult.objects.ready().exists()  # the worker leaves it until then

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    run_worker_once()

    assert server.calls == 2
    (email,) = mail.outbox
    assert submitted_case.reference in email.subject

