"""Running the portal on a laptop: e-mail links, the terminal's e-mails, the log and the browser
tab say what a developer expects (issue 18, item 14)."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings
from django.urls import reverse

from portal.mail_console import ReadableConsoleBackend
from tests.helpers.review import take_into_review

ROOT = Path(__file__).resolve().parents[2]


def base_url_with(**env) -> str:
    environment = {key: value for key, value in os.environ.items() if key not in {"PORTAL_BASE_URL", "PORT", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.PORTAL_BASE_URL)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_email_links_point_at_the_port_the_portal_runs_on():
    assert base_url_with(PORT="8100") == "http://127.0.0.1:8100"
    assert base_url_with() == "http://127.0.0.1:8000"
    assert base_url_with(PORT="8100", PORTAL_BASE_URL="https://portal.example/") == "https://portal.example"


def test_the_terminal_shows_a_russian_email_as_written():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Заявление S2021-0000001 одобрено", body="Уважаемый работодатель!\nРешение принято.",
        from_email="portal@example.org", to=["clerk@a.example"],
    )
    message.attach("письмо.pdf", b"%PDF-1.7 fake", "application/pdf")
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Заявление S2021-0000001 одобрено" in printed
    assert "Уважаемый работодатель!\nРешение принято." in printed
    assert "[attachment: письмо.pdf, 13 bytes]" in printed
    assert "=?utf-8?" not in printed


@pytest.mark.django_db
def test_a_page_refused_to_a_signed_in_user_is_one_log_line_without_a_traceback(client, employer_user, caplog):
    client.force_login(employer_user)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("applications:review-queue"))
    assert response.status_code == 403
    refusals = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.name for record in refusals] == ["portal.security"]
    assert "status=403" in refusals[0].getMessage()
    assert not any(record.exc_info for record in caplog.records)


@pytest.mark.django_db
def test_an_anonymous_refusal_keeps_django_line_but_not_a_traceback(client, caplog, rf):
    # A 403 to a visitor not signed in: the security log does not name anyone, so Django's line stays.
    from django.core.exceptions import PermissionDenied
    from django.core.handlers.exception import response_for_exception

    request = rf.get("/review/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with caplog.at_level(logging.INFO):
        response_for_exception(request, PermissionDenied())
    lines = [record for record in caplog.records if record.name == "django.request"]
    assert len(lines) == 1 and lines[0].exc_info is None


@pytest.mark.django_db
@override_settings(PORTAL_BASE_URL="https://portal.example")
def test_background_tasks_write_no_line_when_they_go_well(submitted_case, officer, client, caplog):
    client.force_login(officer)
    with caplog.at_level(logging.INFO):
        response = take_into_review(client, submitted_case)
    assert response.status_code == 302
    assert not [record for record in caplog.records if record.name.startswith("django_tasks")]


@pytest.mark.django_db
def test_the_browser_tab_shows_the_portal_icon(client):
    page = client.get(reverse("accounts:login"))
    assert b'rel="icon"' in page.content and b"favicon.svg" in page.content
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
