"""After an approval the employer reports, for each approved worker, the arrival date and when the
isolation began and ended; impossible dates are refused next to their field."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from applications import services
from applications.models import CaseWorker, Status
from applications.selectors import application_lines
from applications.services.arrivals import arrivals_report
from regions.models import PcrTestTiming
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.arrivals import MOSCOW, TODAY, approved_three_weeks_ago, moscow_time
from tests.pages import text, url
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db


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


def dates(line, arrived=None, started=None, ended=None, *, at="09:15") -> dict:
    """The report of one worker as the form posts it: the arrival at 09:15 local time."""
    prefix = f"line-{line.pk}-"
    return {
        f"{prefix}arrived_on": iso(arrived), f"{prefix}arrived_time": at if arrived else "",
        f"{prefix}isolation_started_on": iso(started), f"{prefix}isolation_ended_on": iso(ended),
    }


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    return approved_three_weeks_ago(employer, officer)


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
    karimov = CaseWorker.objects.get(pk=approved_case.karimov.pk)
    assert (karimov.arrived_on, karimov.isolation_started_on, karimov.isolation_ended_on) == (arrived, arrived, ended)
    assert karimov.arrived_at == moscow_time(arrived)
    nazarov = CaseWorker.objects.get(pk=approved_case.nazarov.pk)
    assert (nazarov.arrived_on, nazarov.isolation_started_on, nazarov.isolation_ended_on) == (arrived + dt.timedelta(days=1), None, None)
    messages = followed_messages(employer_client, response)
    assert "The arrival and isolation dates are saved." in messages
    assert not any("guaranteed" in message for message in messages)


def test_the_reported_dates_show_on_the_case_page_fragment(approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    CaseWorker.objects.filter(pk=approved_case.karimov.pk).update(arrived_on=arrived, arrived_at=moscow_time(arrived))

    rendered = render_to_string(
        "applications/employer/_arrival_report.html",
        {"application": approved_case, "lines": list(application_lines(approved_case))},
    )

    assert "KARIMOV A." in rendered and "RAKHIMOV" not in rendered
    assert f"{arrived:%d.%m.%Y} 09:15 (Europe/Moscow, UTC+3)" in rendered or f"{arrived:%m/%d/%Y} 09:15 (Europe/Moscow, UTC+3)" in rendered
    assert url("arrival-report", approved_case.pk) in rendered


def test_the_fragment_shows_nothing_before_an_approval(employer, moscow_rules):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)

    rendered = render_to_string("applications/employer/_arrival_report.html", {"application": application, "lines": []})

    assert url("arrival-report", application.pk) not in rendered


def test_a_short_isolation_is_saved_with_a_warning(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    data = {**dates(approved_case.karimov, arrived, arrived, arrived + dt.timedelta(days=10)), **dates(approved_case.nazarov)}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert CaseWorker.objects.get(pk=approved_case.karimov.pk).isolation_ended_on == arrived + dt.timedelta(days=10)
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
    assert not CaseWorker.objects.filter(application=approved_case, arrived_on__isnull=False).exists()


def test_an_arrival_exactly_30_days_before_the_plan_is_accepted(employer_client, approved_case):
    arrived = approved_case.planned_arrival_date - dt.timedelta(days=30)
    data = {**dates(approved_case.karimov, arrived), **dates(approved_case.nazarov)}

    employer_client.post(url("arrival-report", approved_case.pk), data)

    assert CaseWorker.objects.get(pk=approved_case.karimov.pk).arrived_on == arrived


def test_a_malformed_date_is_refused_next_to_its_field(employer_client, approved_case):
    data = {**dates(approved_case.karimov), **dates(approved_case.nazarov), f"line-{approved_case.karimov.pk}-arrived_on": "31.02.2021"}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert response.status_code == 200
    assert field_error(response, approved_case.karimov, "arrived_on") == "Enter a valid date."


def test_another_company_gets_404(client, other_employer_user, approved_case):
    client.force_login(other_employer_user)

    assert client.get(url("arrival-report", approved_case.pk)).status_code == 404
    assert client.post(url("arrival-report", approved_case.pk), dates(approved_case.karimov, TODAY)).status_code == 404
    assert CaseWorker.objects.get(pk=approved_case.karimov.pk).arrived_on is None


def test_an_officer_cannot_report_arrivals(client, officer, approved_case):
    client.force_login(officer)

    assert client.get(url("arrival-report", approved_case.pk)).status_code == 403


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED, Status.WITHDRAWN])
def test_arrivals_cannot_be_reported_before_an_approval(employer_client, employer, moscow_rules, status):
    application = ApplicationFactory(employer=employer, status=status, planned_arrival_date=TODAY - dt.timedelta(days=5))
    line = CaseWorkerFactory(application=application)

    response = employer_client.post(url("arrival-report", application.pk), dates(line, TODAY - dt.timedelta(days=1)))

    assert response["Location"] == url("application-detail", application.pk)
    assert CaseWorker.objects.get(pk=line.pk).arrived_on is None
    assert any("Arrivals can be reported only once the application is approved" in m for m in followed_messages(employer_client, response))


# The service, whichever door the dates come through


def test_the_service_refuses_a_refused_worker(employer_user, approved_case):
    with pytest.raises(services.TransitionRefused, match="was not approved"):
        arrivals_report(
            application=approved_case, user=employer_user, reports={approved_case.rakhimov.pk: (moscow_time(TODAY), None, None)}
        )


def test_the_service_refuses_a_line_of_another_case(employer_user, employer, approved_case):
    other_line = CaseWorkerFactory(application=ApplicationFactory(employer=employer))

    with pytest.raises(services.TransitionRefused, match="not on this application"):
        arrivals_report(application=approved_case, user=employer_user, reports={other_line.pk: (moscow_time(TODAY), None, None)})


def test_the_service_refuses_another_company(other_employer_user, approved_case):
    with pytest.raises(services.TransitionRefused, match="You may not"):
        arrivals_report(
            application=approved_case, user=other_employer_user, reports={approved_case.karimov.pk: (moscow_time(TODAY), None, None)}
        )


def test_the_service_refuses_impossible_dates_and_saves_nothing(employer_user, approved_case):
    arrived = TODAY - dt.timedelta(days=10)
    with pytest.raises(services.TransitionRefused, match="cannot begin before the worker arrived"):
        arrivals_report(
            application=approved_case, user=employer_user,
            reports={
                approved_case.karimov.pk: (moscow_time(arrived), None, None),
                approved_case.nazarov.pk: (moscow_time(arrived), arrived - dt.timedelta(days=1), None),
            },
        )

    assert not CaseWorker.objects.filter(application=approved_case, arrived_on__isnull=False).exists()


def test_the_officer_sees_the_reported_dates_in_the_case_lines(employer_user, approved_case):
    arrived = TODAY - dt.timedelta(days=18)
    arrivals_report(application=approved_case, user=employer_user, reports={approved_case.karimov.pk: (moscow_time(arrived), arrived, None)})

    line = next(line for line in application_lines(approved_case) if line.pk == approved_case.karimov.pk)

    assert (line.arrived_on, line.isolation_started_on, line.isolation_ended_on) == (arrived, arrived, None)


# The arrival's time, and the test after arrival


def test_an_arrival_date_without_its_time_is_refused_next_to_the_time(employer_client, approved_case):
    data = {**dates(approved_case.karimov, TODAY - dt.timedelta(days=18), at=""), **dates(approved_case.nazarov)}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert field_error(response, approved_case.karimov, "arrived_time") == "Give the time of arrival too, local time at the point of arrival."


def test_an_arrival_later_today_than_now_is_in_the_future(employer_client, approved_case):
    soon = timezone.now().astimezone(MOSCOW) + dt.timedelta(minutes=5)
    if soon.date() != TODAY:
        pytest.skip("five minutes before midnight the arrival would be tomorrow")
    data = {**dates(approved_case.karimov, TODAY, at=f"{soon:%H:%M}"), **dates(approved_case.nazarov)}

    response = employer_client.post(url("arrival-report", approved_case.pk), data)

    assert field_error(response, approved_case.karimov, "arrived_on") == "The arrival date cannot be in the future."


def test_an_arrival_in_primorye_is_reported_in_vladivostok_time(employer_client, employer, threshold, officer):
    RuleSetFactory(region=region(25))
    line = CaseWorkerFactory(
        application__employer=employer, application__region=region(25), application__status=Status.APPROVED,
        application__planned_arrival_date=TODAY - dt.timedelta(days=3), outcome="approved",
    )
    arrived = TODAY - dt.timedelta(days=2)

    employer_client.post(url("arrival-report", line.application.pk), dates(line, arrived, at="01:30"))

    line.refresh_from_db()
    # 01:30 in Vladivostok is 18:30 the evening before in Moscow; the date is Vladivostok's.
    assert line.arrived_at == dt.datetime.combine(arrived, dt.time(1, 30), tzinfo=ZoneInfo("Asia/Vladivostok"))
    assert line.arrived_on == arrived


@pytest.fixture
def tested_after_arrival(employer, moscow, threshold, officer):
    """Approved under Moscow rules that want a PCR test within 72 hours after arrival instead of
    one before; KARIMOV and NAZAROV approved."""
    RuleSetFactory(region=moscow, pcr_test_timing=PcrTestTiming.AFTER_ARRIVAL, pcr_max_age_hours=72)
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, isolation_days=14)
    application.karimov, application.nazarov = (
        CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin=name))
        for name in ("KARIMOV", "NAZAROV")
    )
    services.application_approve(application=application, user=officer)
    application.refresh_from_db()
    application.set_planned_arrival(moscow_time(TODAY - dt.timedelta(days=20), dt.time(12)))
    application.save(update_fields=["planned_arrival_at", "planned_arrival_date"])
    return application


def after_arrival(line, arrived: dt.datetime, taken: dt.datetime) -> dict:
    return {**dates(line, arrived.date(), at=f"{arrived:%H:%M}"), f"line-{line.pk}-arrival_test_taken_at": f"{taken:%Y-%m-%dT%H:%M}"}


def test_a_test_72_hours_after_the_arrival_is_recorded_without_a_warning(employer_client, tested_after_arrival):
    case = tested_after_arrival
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    data = {**after_arrival(case.karimov, arrived, arrived + dt.timedelta(hours=72)), **dates(case.nazarov)}

    response = employer_client.post(url("arrival-report", case.pk), data)

    assert CaseWorker.objects.get(pk=case.karimov.pk).arrival_test_taken_at == arrived + dt.timedelta(hours=72)
    assert not any("after the arrival" in message for message in followed_messages(employer_client, response))


def test_a_test_72_hours_01_minute_after_the_arrival_is_recorded_and_the_report_and_the_officer_show_the_failure(
    employer_client, client, officer, tested_after_arrival
):
    case = tested_after_arrival
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    data = {**after_arrival(case.karimov, arrived, arrived + dt.timedelta(hours=72, minutes=1)), **dates(case.nazarov)}
    failure = "KARIMOV A.: the PCR test was taken 72 h 01 min after the arrival; Moscow requires one within 72 hours."

    response = employer_client.post(url("arrival-report", case.pk), data)

    assert failure in followed_messages(employer_client, response)
    assert failure in text(employer_client.get(url("arrival-report", case.pk)))
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert failure in text(client.get(url("review-detail", case.pk)))


def test_a_test_after_arrival_dated_before_the_arrival_is_refused_next_to_it(employer_client, tested_after_arrival):
    case = tested_after_arrival
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    data = {**after_arrival(case.karimov, arrived, arrived - dt.timedelta(hours=1)), **dates(case.nazarov)}

    response = employer_client.post(url("arrival-report", case.pk), data)

    assert field_error(response, case.karimov, "arrival_test_taken_at") == "The test after arrival cannot be before the arrival."


def test_the_test_after_arrival_is_not_asked_where_the_region_wants_one_before(employer_client, approved_case):
    page = employer_client.get(url("arrival-report", approved_case.pk)).content.decode()
    assert "arrival_test_taken_at" not in page


def test_the_first_day_of_the_calendar_is_refused_next_to_the_field_never_a_500(employer_client, tested_after_arrival):
    case = tested_after_arrival
    data = {
        **dates(case.karimov, dt.date(1, 1, 1), at="00:00"), f"line-{case.karimov.pk}-arrival_test_taken_at": "0001-01-01T00:00",
        **dates(case.nazarov),
    }

    response = employer_client.post(url("arrival-report", case.pk), data)

    assert field_error(response, case.karimov, "arrived_on") == "Give a date from 2020 on."
    assert field_error(response, case.karimov, "arrival_test_taken_at") == "Give a date from 2020 on."
