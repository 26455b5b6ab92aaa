"""Migration applications 0009 stops the clock of the cases already waiting for an answer."""

import datetime as dt
import importlib
import zoneinfo

import pytest
from django.apps import apps

from applications.models import Application, Status
from tests.applications.factories import ApplicationFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("applications.migrations.0009_i14_calendar_paused_clock")


def test_a_case_waiting_for_an_answer_keeps_the_working_days_left_on_the_day_of_its_request(employer):
    waiting = ApplicationFactory(employer=employer, status=Status.INFO_REQUESTED, deadline=dt.date(2021, 1, 15))
    asked_at = dt.datetime(2020, 12, 30, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))  # 31 December in Moscow
    StatusChangeFactory(
        application=waiting, from_status=Status.IN_REVIEW, to_status=Status.INFO_REQUESTED, transition="request_information",
        actor=waiting.created_by, at=asked_at, reply_due=dt.date(2021, 1, 20),
    )
    running = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, deadline=dt.date(2021, 1, 15))

    migration.pause_open_requests(apps, None)

    waiting.refresh_from_db()
    assert (waiting.deadline, waiting.decision_days_left, waiting.reply_due) == (None, 5, dt.date(2021, 1, 20))
    assert Application.objects.get(pk=running.pk).deadline == dt.date(2021, 1, 15)

    migration.restart_paused_clocks(apps, None)
    waiting.refresh_from_db()
    assert waiting.decision_days_left is None and waiting.reply_due is None and waiting.deadline is not None
