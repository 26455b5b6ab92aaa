"""Fixtures several modules of tests/applications share."""

import datetime as dt
import logging
import signal
import zoneinfo

import pytest
from django.utils import timezone

from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.regions.factories import RuleSetFactory, region


@pytest.fixture
def worker_leaves_no_trace():
    """db_worker installs its own SIGINT/SIGTERM handlers for a graceful stop and sets its loggers'
    levels: give pytest its handlers and the other tests their log levels back."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    saved_handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    saved_levels = [logger.level for logger in loggers]
    yield
    for number, handler in saved_handlers.items():
        signal.signal(number, handler)
    for logger, level in zip(loggers, saved_levels, strict=True):
        logger.setLevel(level)


MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture
def clock(monkeypatch):
    """Sets the portal's clock to a moment (naive: Moscow time)."""

    def set_to(*moment, tz=MOSCOW):
        instant = dt.datetime(*moment, tzinfo=tz)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return set_to


@pytest.fixture
def draft_in(employer, threshold):
    def make(number=77, days_to_decide=5, days_to_answer=5):
        where = region(number)
        RuleSetFactory(region=where, days_to_decide=days_to_decide, days_to_answer=days_to_answer)
        application = ApplicationFactory(employer=employer, region=where, status=Status.DRAFT)
        CaseWorkerFactory(application=application)
        return application

    return make
