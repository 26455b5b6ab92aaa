"""Fixtures several modules of tests/applications share."""

import logging
import signal

import pytest


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
