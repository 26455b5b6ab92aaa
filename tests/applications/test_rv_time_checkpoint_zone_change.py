"""Editing a draft: a checkpoint changed to one in another zone keeps the date and time the
employer typed, read on the clocks of the new checkpoint; hostile dates give messages, not 500s."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.models import Application
from tests.applications.factories import ApplicationFactory
from tests.pages import draft_form_data, field_error, url
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival():
    return timezone.localdate() + dt.timedelta(days=20)


def test_a_draft_moved_to_a_checkpoint_in_another_zone_keeps_the_date_and_time_typed(employer_client, employer, moscow, arrival):
    at = dt.datetime.combine(arrival, dt.time(22), tzinfo=ZoneInfo("Europe/Moscow"))
    application = ApplicationFactory(employer=employer, region=moscow, checkpoint=checkpoint("SVO"), planned_arrival_at=at)
    data = draft_form_data(moscow, arrival, planned_arrival_time="22:00", checkpoint=checkpoint("PKC").pk, version=application.version)

    employer_client.post(url("application-edit", application.pk), data)

    application.refresh_from_db()
    assert application.checkpoint.code == "PKC"
    # 22:00 as typed, now on Kamchatka's clocks (UTC+12), not Moscow's 22:00 moved to 07:00 next day.
    assert application.planned_arrival_at == dt.datetime.combine(arrival, dt.time(22), tzinfo=ZoneInfo("Asia/Kamchatka"))
    assert application.planned_arrival_date == arrival


def test_an_other_crossing_in_another_zone_reads_the_typed_time_on_that_regions_clocks(employer_client, employer, moscow, arrival):
    data = draft_form_data(moscow, arrival, planned_arrival_time="09:15", checkpoint="other",
                           border_crossing_point="Mamonovo", border_region=region(39).pk)
    employer_client.post(url("application-create"), data)

    application = Application.objects.get(employer=employer)
    assert application.planned_arrival_at == dt.datetime.combine(arrival, dt.time(9, 15), tzinfo=ZoneInfo("Europe/Kaliningrad"))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2021-02-30", "99999-01-01"])
def test_a_hostile_arrival_date_is_refused_next_to_its_field(employer_client, moscow, day):
    data = draft_form_data(moscow, timezone.localdate() + dt.timedelta(days=20), planned_arrival_date=day, planned_arrival_time="23:59")
    response = employer_client.post(url("application-create"), data)
    assert response.status_code == 200
    assert field_error(response, "planned_arrival_date")
    assert not Application.objects.exists()  # year 9999 saved made every page of the case a 500


def test_an_arrival_two_years_ahead_is_accepted_and_a_day_later_is_refused(employer_client, employer, moscow):
    latest = timezone.localdate() + dt.timedelta(days=2 * 366)
    employer_client.post(url("application-create"), draft_form_data(moscow, latest))
    assert Application.objects.get(employer=employer).planned_arrival_date == latest

    response = employer_client.post(url("application-create"), draft_form_data(moscow, latest + dt.timedelta(days=1)))
    assert field_error(response, "planned_arrival_date") == "The planned arrival must be within two years from today: check the year."


@pytest.mark.parametrize("time", ["24:00", "23:60", "-1:00", "12:00:00+05:00", "x" * 500])
def test_a_hostile_arrival_time_is_refused_next_to_its_field(employer_client, moscow, arrival, time):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, planned_arrival_time=time))
    assert response.status_code == 200
    assert field_error(response, "planned_arrival_time")


# The exports' local-time columns, for a Moscow case landing in Kamchatka or crossing into Kaliningrad


def test_the_exports_give_the_arrival_on_the_clocks_of_its_checkpoint_and_of_an_other_crossings_region(client, officer, employer, moscow, moscow_rules):
    from applications.models import Status, WorkerOutcome
    from tests.applications.factories import CaseWorkerFactory, decide
    from tests.helpers.exports import csv_rows, export_url

    # 07:30 on the 4th in Kamchatka is 22:30 on the 3rd in Moscow; 00:30 in Kaliningrad is 01:30 in Moscow.
    kamchatka = ApplicationFactory(
        employer=employer, region=moscow, status=Status.APPROVED, reference="2021-000961", checkpoint=checkpoint("PKC"),
        planned_arrival_at=dt.datetime(2021, 5, 4, 7, 30, tzinfo=ZoneInfo("Asia/Kamchatka")),
    )
    kaliningrad = ApplicationFactory(
        employer=employer, region=moscow, status=Status.APPROVED, reference="2021-000962", checkpoint=None,
        border_crossing_point="Mamonovo", border_region=region(39),
        planned_arrival_at=dt.datetime(2021, 5, 4, 0, 30, tzinfo=ZoneInfo("Europe/Kaliningrad")),
    )
    for application in (kamchatka, kaliningrad):
        CaseWorkerFactory(application=application, outcome=WorkerOutcome.APPROVED)
        decide(application)
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    border = {row[0]: row[-4:] for row in csv_rows(client.get(export_url("review-export-border-list")))[1:]}
    assert border["2021-000961"][-3:] == ["2021-05-04", "2021-05-04T07:30+12:00", "Asia/Kamchatka"]
    assert border["2021-000962"][-3:] == ["2021-05-04", "2021-05-04T00:30+02:00", "Europe/Kaliningrad"]

    Application.objects.filter(pk__in=[kamchatka.pk, kaliningrad.pk]).update(status=Status.IN_REVIEW)
    queue = {row[0]: row[-2:] for row in csv_rows(client.get(export_url("review-export-csv")))[1:]}
    assert queue == {
        "2021-000961": ["2021-05-04T07:30+12:00", "Asia/Kamchatka"],
        "2021-000962": ["2021-05-04T00:30+02:00", "Europe/Kaliningrad"],
    }
