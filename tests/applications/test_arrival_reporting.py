"""After an approval the employer reports, for each approved worker, the arrival date and when the
isolation began and ended; impossible dates are refused next to their field."""

import datetime as dt
import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import ApplicationWorker, RefusalReason, Status
from applications.selectors import application_lines
from applications.services.arrivals import arrivals_report
from tests.applications.factories import ApplicationFactory, ApplicationWorkerFactory, WorkerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def text(response) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def field_error(response, line, field: str) -> str:
    """The error crispy-forms renders right under the field."""
    match = re.search(rf'id="error_1_id_line-{line.pk}-{field}"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match, f"no error is shown next to {field} of line {line.pk}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def followed_messages(client, response) -> list[str]:
    found = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', client.get(response["Location"]).content.decode(), re.S)
    return [" ".join(html.unescape(m).split()) for m in found]


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def dates(line, arrived=None, started=None, ended=None) -> dict:
    prefix = f"line-{line.pk}-"
    return {f"{prefix}arrived_on": iso(arrived), f"{prefix}isolation_started_on": iso(started), f"{prefix}isolation_ended_on": iso(ended)}


@pytest.fixture
def employer_client(client, employer_user):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(employer_user)
    return client


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    """Planned to arrive 20 days ago; KARIMOV and NAZAROV approved, RAKHIMOV refused."""
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, isolation_days=14)
    karimov, nazarov, rakhimov = (
        ApplicationWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin=name))
        for name in ("KARIMOV", "NAZAROV", "RAKHIMOV")
    )
    services.application_approve_partially(
        application=application, user=officer, refusals={rakhimov.pk: (RefusalReason.PCR_TEST, "")},
    )
    # The decision was taken before the workers came; move the plan into the past, as it is
    # when arrivals are reported.
    application.refresh_from_db()
    application.planned_arrival_date = TODAY - dt.timedelta(days=20)
    application.save(update_fields=["planned_arrival_date"])
    application.karimov, application.nazarov, application.rakhimov = karimov, nazarov, rakhimov
    return application


def test_the_page_lists_one_row_per_approved_worker(employer_client, approved_case):
    response = employer_client.get(url("arrival-report", approved_case.pk))

    assert response.status_code == 200
    page = text(response)
    assert "KARIMOV A." in page and "NAZAROV A." in page
    assert "RAKHIMOV" not in page
    assert f'id="id_line-{approved_case.karimov.pk}-arrived_on"' in response.content.decode()
    assert re.search(rf'<label[^>]*for="id_line-{approved_case.nazarov.pk}-isolation_ended_on"', response.content.decode())


def test_employer_reports_arrival_and_isolation_dates(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    ended = arrived + dt.timedelta(days=14)
    data = {
        **dates(approved_case.karimov, arrived, arrived, ended),
        **dates(approved_case.nazarov, arrived + dt.timedelta(days=1)),
    }

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("application-detail", approved_case.pk)
    karimov = ApplicationWorker.objects.get(pk=approved_case.karimov.pk)
    assert (karimov.arrived_on, karimov.isolation_started_on, karimov.isolation_ended_on) == (arrived, arrived, ended)
    nazarov = ApplicationWorker.objects.get(pk=approved_case.nazarov.pk)
    assert (nazarov.arrived_on, nazarov.isolation_started_on, nazarov.isolation_ended_on) == (arrived + dt.timedelta(days=1), None, None)
    messages = followed_messages(employer_client, response)
    assert "The arrival and isolation dates are saved." in messages
    assert not any("guaranteed" in message for message in messages)


def test_the_reported_dates_show_on_the_case_page_fragment(approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    ApplicationWorker.objects.filter(pk=approved_case.karimov.pk).update(arrived_on=arrived)

    rendered = render_to_string(
        "applications/employer/_arrival_report.html",
        {"application": approved_case, "lines": list(application_lines(approved_case))},
    )

    assert "KARIMOV A." in rendered and "RAKHIMOV" not in rendered
    assert arrived.strftime("%d.%m.%Y") in rendered or arrived.strftime("%m/%d/%Y") in rendered
    assert url("arrival-report", approved_case.pk) in rendered


def test_the_fragment_shows_nothing_before_an_approval(employer, moscow_rules):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)

    rendered = render_to_string("applications/employer/_arrival_report.html", {"application": application, "lines": []})

    assert url("arrival-report", application.pk) not in rendered


def test_a_short_isolation_is_saved_with_a_warning(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    data = {**dates(approved_case.karimov, arrived, arrived, arrived + dt.timedelta(days=10)), **dates(approved_case.nazarov)}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert ApplicationWorker.objects.get(pk=approved_case.karimov.pk).isolation_ended_on == arrived + dt.timedelta(days=10)
    assert "KARIMOV A.: the isolation lasted 4 days less than the 14 days guaranteed." in followed_messages(employer_client, response)


@pytest.mark.parametrize(
    ("arrived", "started", "ended", "field", "message"),
    [
        (-18, -19, None, "isolation_started_on", "The isolation cannot begin before the worker arrived."),
        (-18, -18, -19, "isolation_ended_on", "The isolation cannot end before it began."),
        (1, None, None, "arrived_on", "The arrival date cannot be in the future."),
        (-51, None, None, "arrived_on", "more than 30 days before the planned arrival"),
        (None, -18, None, "arrived_on", "Give the arrival date: the isolation begins on arrival or later."),
        (-18, None, -5, "isolation_started_on", "Give the date the isolation began before the date it ended."),
        (-18, -18, 2, "isolation_ended_on", "The isolation end cannot be in the future."),
    ],
    ids=["start-before-arrival", "end-before-start", "arrival-in-future", "arrival-too-early", "start-without-arrival",
         "end-without-start", "end-in-future"],
)
def test_impossible_dates_are_refused_next_to_their_field(employer_client, approved_case, arrived, started, ended, field, message):
    def day(offset):
        return None if offset is None else TODAY + dt.timedelta(days=offset)

    data = {
        **dates(approved_case.karimov, day(arrived), day(started), day(ended)),
        **dates(approved_case.nazarov, TODAY - dt.timedelta(days=18)),
    }

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert response.status_code == 200
    assert message in field_error(response, approved_case.karimov, field)
    assert "The dates of 1 worker need correcting; see the messages next to the fields." in text(response)
    # Nothing is saved, not even the other worker's valid dates.
    assert not ApplicationWorker.objects.filter(application=approved_case, arrived_on__isnull=False).exists()


def test_an_arrival_exactly_30_days_before_the_plan_is_accepted(employer_client, approved_case):
    arrived = approved_case.planned_arrival_date - dt.timedelta(days=30)
    data = {**dates(approved_case.karimov, arrived), **dates(approved_case.nazarov)}

    employer_client.post(url("arrival-report", approved_case.pk), data)

    assert ApplicationWorker.objects.get(pk=approved_case.karimov.pk).arrived_on == arrived


def test_a_malformed_date_is_refused_next_to_its_field(employer_client, approved_case):
    data = {**dates(approved_case.karimov), **dates(approved_case.nazarov), f"line-{approved_case.karimov.pk}-arrived_on": "31.02.2021"}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert response.status_code == 200
    assert field_error(response, approved_case.karimov, "arrived_on") == "Enter a valid date."


def test_another_company_gets_404(client, other_employer_user, approved_case):
    client.force_login(other_employer_user)

    assert client.get(url("arrival-report", approved_case.pk)).status_code == 404
    assert client.post(url("arrival-report", approved_case.pk), dates(approved_case.karimov, TODAY)).status_code == 404
    assert ApplicationWorker.objects.get(pk=approved_case.karimov.pk).arrived_on is None


def test_an_officer_cannot_report_arrivals(client, officer, approved_case):
    client.force_login(officer)

    assert client.get(url("arrival-report", approved_case.pk)).status_code == 403


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED, Status.WITHDRAWN])
def test_arrivals_cannot_be_reported_before_an_approval(employer_client, employer, moscow_rules, status):
    application = ApplicationFactory(employer=employer, status=status, planned_arrival_date=TODAY - dt.timedelta(days=5))
    line = ApplicationWorkerFactory(application=application)

    response = employer_client.post(url("arrival-report", application.pk), dates(line, TODAY - dt.timedelta(days=1)))

    assert response["Location"] == url("application-detail", application.pk)
    assert ApplicationWorker.objects.get(pk=line.pk).arrived_on is None
    assert any("Arrivals can be reported only once the application is approved" in m for m in followed_messages(employer_client, response))


# The service, whichever door the dates come through


def test_the_service_refuses_a_refused_worker(employer_user, approved_case):
    with pytest.raises(services.TransitionRefused, match="was not approved"):
        arrivals_report(
            application=approved_case, user=employer_user, reports={approved_case.rakhimov.pk: (TODAY, None, None)}
        )


def test_the_service_refuses_a_line_of_another_case(employer_user, employer, approved_case):
    other_line = ApplicationWorkerFactory(application=ApplicationFactory(employer=employer))

    with pytest.raises(services.TransitionRefused, match="not on this application"):
        arrivals_report(application=approved_case, user=employer_user, reports={other_line.pk: (TODAY, None, None)})


def test_the_service_refuses_another_company(other_employer_user, approved_case):
    with pytest.raises(services.TransitionRefused, match="You may not"):
        arrivals_report(
            application=approved_case, user=other_employer_user, reports={approved_case.karimov.pk: (TODAY, None, None)}
        )


def test_the_service_refuses_impossible_dates_and_saves_nothing(employer_user, approved_case):
    arrived = TODAY - dt.timedelta(days=10)
    with pytest.raises(services.TransitionRefused, match="cannot begin before the worker arrived"):
        arrivals_report(
            application=approved_case, user=employer_user,
            reports={
                approved_case.karimov.pk: (arrived, None, None),
                approved_case.nazarov.pk: (arrived, arrived - dt.timedelta(days=1), None),
            },
        )

    assert not ApplicationWorker.objects.filter(application=approved_case, arrived_on__isnull=False).exists()


def test_the_officer_sees_the_reported_dates_in_the_case_lines(employer_user, approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    arrivals_report(application=approved_case, user=employer_user, reports={approved_case.karimov.pk: (arrived, arrived, None)})

    line = next(line for line in application_lines(approved_case) if line.pk == approved_case.karimov.pk)

    assert (line.arrived_on, line.isolation_started_on, line.isolation_ended_on) == (arrived, arrived, None)
