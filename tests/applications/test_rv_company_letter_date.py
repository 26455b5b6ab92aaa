"""The decision letter is dated on the deciding region's own calendar, as its deadlines are."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from applications.letters import decision_letter_context
from applications.models import Status
from tests.applications.factories import ApplicationFactory, DecisionFactory
from tests.regions.factories import region

pytestmark = pytest.mark.django_db


def test_a_kamchatka_decision_made_in_the_moscow_evening_is_dated_the_next_day(monkeypatch, employer, officer):
    # 20:00 in Moscow on Monday 1 March 2021 is already 05:00 on Tuesday 2 March in Kamchatka.
    instant = dt.datetime(2021, 3, 1, 20, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    monkeypatch.setattr(timezone, "now", lambda: instant)
    application = ApplicationFactory(
        employer=employer, region=region(41), status=Status.REJECTED, decided_at=instant,
        created_at=instant - dt.timedelta(days=3),
    )
    decision = DecisionFactory(application=application, outcome=Status.REJECTED, decided_by=officer)

    assert decision.decided_at == instant
    assert decision_letter_context(decision)["decided_on"] == dt.date(2021, 3, 2)
