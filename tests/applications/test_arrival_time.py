"""The planned arrival is a date and a time on the clocks of the zone of arrival, and a PCR test
is the date and time printed on its certificate, in the zone where it was taken. Both are kept
as instants and shown back as local time with the zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, CaseWorker, Status
from regions.time_zones import NonexistentLocalTime, in_zone, local_instant, usual_zone
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import draft_form_data, field_error, text, url
from tests.regions.factories import RuleSetFactory, checkpoint, region

pytestmark = pytest.mark.django_db

VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
TASHKENT = ZoneInfo("Asia/Tashkent")
KAMCHATKA = ZoneInfo("Asia/Kamchatka")


@pytest.fixture
def arrival():
    return timezone.localdate() + dt.timedelta(days=20)


@pytest.fixture
def primorye(threshold):
    RuleSetFactory(region=region(25), pcr_max_age_hours=72)
    return region(25)


def add_worker(client, application, worker, taken_at: str, zone: str | None = None):
    data = {"worker": worker.pk, "pcr_test_taken_at": taken_at}
    if zone is not None:
        data["pcr_test_zone"] = zone
    return client.post(url("application-add-worker", application.pk), data, follow=True)


# The planned arrival


def test_an_arrival_entered_in_primorye_is_kept_as_that_instant_and_its_local_date(employer_client, employer, primorye, arrival):
    data = draft_form_data(primorye, arrival, planned_arrival_time="23:30")
    employer_client.post(url("application-create"), data)
    application = Application.objects.get(employer=employer)
    assert application.planned_arrival_at == dt.datetime.combine(arrival, dt.time(23, 30), tzinfo=VLADIVOSTOK)
    # 23:30 in Vladivostok is 16:30 in Moscow the same day; the local date is Vladivostok's.
    assert application.planned_arrival_date == arrival


def test_the_case_page_shows_the_arrival_as_local_time_with_the_zone(employer_client, employer, primorye, arrival):
    employer_client.post(url("application-create"), draft_form_data(primorye, arrival, planned_arrival_time="14:30"))
    application = Application.objects.get(employer=employer)
    page = text(employer_client.get(url("application-detail", application.pk)))
    assert f"{arrival:%m/%d/%Y} 14:30 (Asia/Vladivostok, UTC+10)" in page


def test_the_arrival_time_is_required_next_to_its_field(employer_client, primorye, arrival):
    data = draft_form_data(primorye, arrival)
    data.pop("planned_arrival_time")
    response = employer_client.post(url("application-create"), data)
    assert field_error(response, "planned_arrival_time") == "This field is required."
    assert not Application.objects.exists()


def test_an_arrival_in_the_past_is_refused_next_to_the_field(employer_client, primorye):
    response = employer_client.post(url("application-create"), draft_form_data(primorye, timezone.localdate() - dt.timedelta(days=1)))
    assert field_error(response, "planned_arrival_date") == "The planned arrival must be a day in the future."


def test_the_edit_form_shows_the_arrival_on_the_clocks_of_the_zone_of_arrival(employer_client, employer, primorye, arrival):
    at = dt.datetime.combine(arrival, dt.time(8, 5), tzinfo=VLADIVOSTOK)
    application = ApplicationFactory(employer=employer, region=primorye, planned_arrival_at=at)
    page = employer_client.get(url("application-edit", application.pk)).content.decode()
    assert 'name="planned_arrival_time" value="08:05"' in page
    assert f'name="planned_arrival_date" value="{arrival.isoformat()}"' in page


def test_moving_a_draft_to_another_region_keeps_the_instant_and_the_local_date_agrees(employer_user, employer, arrival):
    # 22:00 in Moscow is 07:00 next day in Kamchatka.
    application = ApplicationFactory(employer=employer, planned_arrival_at=dt.datetime.combine(arrival, dt.time(22), tzinfo=ZoneInfo("Europe/Moscow")))
    from applications import services

    services.application_update_draft(application=application, user=employer_user, region=region(41), checkpoint=checkpoint("PKC"))
    application.refresh_from_db()
    assert application.planned_arrival_date == arrival + dt.timedelta(days=1)


def test_the_factory_derives_the_local_date_from_an_instant_and_noon_from_a_date():
    in_kamchatka = ApplicationFactory(region=region(41), planned_arrival_at=dt.datetime(2031, 5, 1, 13, 0, tzinfo=dt.UTC))
    assert in_kamchatka.planned_arrival_date == dt.date(2031, 5, 2)
    by_date = ApplicationFactory(region=region(25), planned_arrival_date=dt.date(2031, 5, 1))
    assert by_date.planned_arrival_at == dt.datetime(2031, 5, 1, 12, 0, tzinfo=VLADIVOSTOK)


# The PCR test


def test_a_pcr_test_is_read_in_the_usual_zone_of_the_workers_citizenship_by_default(employer_client, employer, primorye):
    application = ApplicationFactory(employer=employer, region=primorye)
    worker = WorkerFactory(employer=employer, citizenship="UZ")
    taken = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(9, 0))
    add_worker(employer_client, application, worker, f"{taken:%Y-%m-%dT%H:%M}")
    line = CaseWorker.objects.get(application=application)
    assert line.pcr_test_zone == "Asia/Tashkent"
    assert line.pcr_test_taken_at == taken.replace(tzinfo=TASHKENT)


def test_the_case_page_shows_the_pcr_test_as_printed_and_its_age_in_hours_and_minutes(employer_client, employer, primorye, arrival):
    at = dt.datetime.combine(arrival, dt.time(14, 30), tzinfo=VLADIVOSTOK)
    taken = dt.datetime.combine(arrival - dt.timedelta(days=2), dt.time(9, 0), tzinfo=TASHKENT)
    line = CaseWorkerFactory(
        application__employer=employer, application__region=primorye, application__planned_arrival_at=at,
        pcr_test_taken_at=taken, pcr_test_zone="Asia/Tashkent",
    )
    page = text(employer_client.get(url("application-detail", line.application.pk)))
    # Printed 09:00 in Tashkent (04:00 UTC); arrival 14:30 in Vladivostok (04:30 UTC) two days on.
    assert f"{taken:%m/%d/%Y} 09:00 (Asia/Tashkent, UTC+5)" in page
    assert "the PCR test was taken 48 h 30 min before arrival (at most 72 hours)." in page


def test_the_person_can_give_another_zone_for_the_pcr_test(employer_client, employer, primorye):
    application = ApplicationFactory(employer=employer, region=primorye)
    worker = WorkerFactory(employer=employer, citizenship="UZ")
    taken = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(9, 0))
    add_worker(employer_client, application, worker, f"{taken:%Y-%m-%dT%H:%M}", zone="Asia/Novosibirsk")
    line = CaseWorker.objects.get(application=application)
    assert (line.pcr_test_zone, line.pcr_test_taken_at) == ("Asia/Novosibirsk", taken.replace(tzinfo=ZoneInfo("Asia/Novosibirsk")))


def test_a_pcr_test_time_the_clocks_skipped_is_refused_next_to_the_field(employer_client, employer, primorye):
    application = ApplicationFactory(employer=employer, region=primorye)
    worker = WorkerFactory(employer=employer, citizenship="DE")
    # Germany moved its clocks from 02:00 to 03:00 on 28 March 2021.
    response = add_worker(employer_client, application, worker, "2021-03-28T02:30", zone="Europe/Berlin")
    assert "did not exist in Europe/Berlin" in field_error(response, "pcr_test_taken_at")
    assert not CaseWorker.objects.exists()


def test_a_pcr_test_in_the_future_is_refused_next_to_the_field(employer_client, employer, primorye):
    application = ApplicationFactory(employer=employer, region=primorye)
    worker = WorkerFactory(employer=employer, citizenship="UZ")
    soon = timezone.now().astimezone(TASHKENT) + dt.timedelta(minutes=30)
    response = add_worker(employer_client, application, worker, f"{soon:%Y-%m-%dT%H:%M}")
    assert field_error(response, "pcr_test_taken_at") == (
        "The PCR test cannot be in the future: check the date, the time and the time zone."
    )
    far = add_worker(employer_client, application, worker, "9999-12-31T23:59", zone="America/New_York")
    assert "cannot be in the future" in field_error(far, "pcr_test_taken_at")
    assert not CaseWorker.objects.exists()


def test_a_zone_not_in_the_list_is_refused_next_to_the_field(employer_client, employer, primorye, arrival):
    application = ApplicationFactory(employer=employer, region=primorye)
    worker = WorkerFactory(employer=employer)
    response = add_worker(employer_client, application, worker, "2021-03-01T10:00", zone="Mars/Olympus_Mons")
    assert field_error(response, "pcr_test_zone") == "Choose a time zone from the list."


def test_the_officer_sees_the_pcr_test_as_printed_and_the_arrival_in_its_zone(client, officer, employer, moscow, moscow_rules, arrival):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    at = dt.datetime.combine(arrival, dt.time(6, 15), tzinfo=KAMCHATKA)
    RuleSetFactory(region=region(41))
    line = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED,
        application__planned_arrival_at=at,
        pcr_test_taken_at=dt.datetime.combine(arrival - dt.timedelta(days=1), dt.time(7, 45), tzinfo=TASHKENT), pcr_test_zone="Asia/Tashkent",
    )
    client.force_login(officer)
    page = text(client.get(url("review-detail", line.application.pk)))
    assert f"{(arrival - dt.timedelta(days=1)):%m/%d/%Y} 07:45 (Asia/Tashkent, UTC+5)" in page
    assert in_zone(at, moscow.zone).split(" (")[0] in page  # Moscow case: the arrival shown in Moscow's zone


# The pieces


@pytest.mark.parametrize(
    ("country", "zone"),
    [("UZ", "Asia/Tashkent"), ("TJ", "Asia/Dushanbe"), ("KG", "Asia/Bishkek"), ("KZ", "Asia/Almaty"),
     ("AM", "Asia/Yerevan"), ("RU", "Europe/Moscow"), ("AZ", "Asia/Baku"), ("XX", "Europe/Moscow")],
)
def test_the_usual_zone_of_a_citizenship_is_its_capitals(country, zone):
    assert usual_zone(country) == zone


def test_a_local_time_the_clocks_skipped_does_not_exist():
    # Moscow moved from 02:00 to 03:00 on 27 March 2011 (and stayed there).
    with pytest.raises(NonexistentLocalTime):
        local_instant(dt.date(2011, 3, 27), dt.time(2, 30), ZoneInfo("Europe/Moscow"))
    assert local_instant(dt.date(2011, 3, 27), dt.time(3, 0), ZoneInfo("Europe/Moscow")).utcoffset() == dt.timedelta(hours=4)


def test_an_instant_reads_with_its_zone_and_offset():
    with timezone.override("Europe/Moscow"):
        from django.utils import translation

        with translation.override("ru"):
            assert in_zone(dt.datetime(2021, 5, 12, 4, 30, tzinfo=dt.UTC), VLADIVOSTOK) == "12.05.2021 14:30 (Asia/Vladivostok, UTC+10)"


# Undecided cases are re-checked after the change


def test_the_recheck_command_rechecks_the_undecided_cases_marked_for_it(moscow, moscow_rules, threshold, arrival):
    at = dt.datetime.combine(arrival, dt.time(12), tzinfo=ZoneInfo("Europe/Moscow"))
    # 72 h 30 min old: it passed when the age counted to the start of the arrival day.
    line = CaseWorkerFactory(
        application__region=moscow, application__status=Status.SUBMITTED, application__planned_arrival_at=at,
        pcr_test_taken_at=at - dt.timedelta(hours=72, minutes=30),
    )
    decided = CaseWorkerFactory(application__region=moscow, application__status=Status.REJECTED, pcr_test_taken_at=at - dt.timedelta(days=9))
    call_command("recheck_rule_checks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Application.objects.get(pk=line.application_id).rule_check_failing
    assert Application.objects.get(pk=decided.application_id).rule_check_at is None
