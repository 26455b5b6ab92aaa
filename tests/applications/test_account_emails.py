"""Sign-up confirmation and colleague invitation e-mails are background tasks, like the status
e-mails: the request only enqueues them after its commit, a mail server that is down is tried
again later by the worker, and the account or the invitation stands whatever the mail server
does."""

import logging

import pytest
from django.core import mail

from applications.models import EmployerInvitation
from applications.services.companies import company_register, confirmation_email_resend, invitation_send
from portal.accounts.models import User
from tests.helpers.tasks import DATABASE, DUMMY, FlakyMailServer, queued, run_queued_tasks

pytestmark = pytest.mark.django_db

SITE = "https://portal.example"


def register(moscow, **overrides):
    fields = {
        "email": "anna@vostok.example", "password": "a-long-enough-pass-2021", "full_name": "Anna Petrova",
        "name": "Vostok LLC", "inn": "7707083893", "ogrn": "1027700132195", "region": moscow,
        "legal_address": "Moscow, Tverskaya 1", "site_url": SITE,
        "annual_revenue_rub": 1_200_000_000, "average_headcount": 350, "figures_year": 2020,
    }
    return company_register(**{**fields, **overrides})


def test_the_confirmation_leaves_only_when_the_worker_runs(settings, moscow, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        user = register(moscow)

    assert mail.outbox == []  # the request only enqueued it
    assert [result.task.name for result in queued()] == ["send_confirmation"]
    run_queued_tasks()
    (email,) = mail.outbox
    assert email.to == [user.email] and f"{SITE}/accounts/confirm/" in email.body


def test_a_mail_server_that_is_down_is_tried_again_and_the_account_stands(
    settings, moscow, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    server = FlakyMailServer(failures=2)
    monkeypatch.setattr("applications.services.companies.send_mail", server)

    with django_capture_on_commit_callbacks(execute=True):
        user = register(moscow)
    attempts = run_queued_tasks()

    assert User.objects.filter(pk=user.pk).exists()
    assert server.calls == 3 and len(attempts) == 3  # two refusals, then delivered
    assert len(mail.outbox) == 1


def test_without_a_worker_a_refused_confirmation_is_logged_and_the_account_stands(
    moscow, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("applications.services.companies.send_mail", FlakyMailServer(failures=99))

    with caplog.at_level(logging.ERROR, logger="applications.tasks"), django_capture_on_commit_callbacks(execute=True):
        user = register(moscow)

    assert User.objects.filter(pk=user.pk, is_active=False).exists()
    assert f"Gave up sending the confirmation e-mail of user {user.pk}" in caplog.text
    # The person asks for a new link; it goes out once the server is back.
    monkeypatch.undo()
    confirmation_email_resend(email=user.email, site_url=SITE)
    assert len(mail.outbox) == 1


def test_an_invitation_is_enqueued_after_the_commit_and_sent_by_the_worker(
    settings, employer, employer_user, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(employer=employer, user=employer_user, email="Colleague@Vostok.example", site_url=SITE)

    assert mail.outbox == []
    run_queued_tasks()
    (email,) = mail.outbox
    assert email.to == ["colleague@vostok.example"]
    assert f"{SITE}/accounts/invitation/{EmployerInvitation.objects.get(pk=invitation.pk).token}/" in email.body


def test_the_database_backend_keeps_the_e_mail_for_the_worker(settings, moscow, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        register(moscow)

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path="applications.tasks.send_confirmation").count() == 1
