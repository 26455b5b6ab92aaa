"""Stateless application servers: two portal processes on different ports, one PostgreSQL and
one Redis. A user signed in through one is signed in through the other, and a decision made
through one is seen through the other."""

import os

import pytest
import redis
from django.contrib.sessions.models import Session

from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.portal.factories import OfficerFactory
from tests.portal.portal_processes import (
    Browser,
    csrf_token,
    portal_processes,
    production_environment,
    sign_in,
    with_production_password,
)
from tests.regions.factories import RuleSetFactory, region

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def two_processes():
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.fail(f"Redis is needed at {REDIS_URL} (set TEST_REDIS_URL to another server)")
    with portal_processes(production_environment(REDIS_URL=REDIS_URL), count=2) as bases:
        yield bases


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_and_a_decision_made_through_one_process_are_seen_through_the_other(two_processes):
    first, second = two_processes
    moscow = region(77)
    RuleSetFactory(region=moscow)
    officer = OfficerFactory(regions=[moscow])
    with_production_password(officer)
    case = ApplicationFactory(status=Status.IN_REVIEW)
    CaseWorkerFactory(application=case)

    browser = Browser()
    sign_in(browser, first, officer.email)
    assert any(b"django.contrib.sessions.cache" in key for key in redis.Redis.from_url(REDIS_URL).keys("*"))
    assert not Session.objects.exists()
    # The session cookie was issued by the first process; the second finds the session in Redis.
    status, queue = browser.request(f"{second}/review/")
    assert status == 200 and case.reference in queue

    _status, case_page = browser.request(f"{first}/review/applications/{case.pk}/")
    status, _text = browser.request(
        f"{first}/review/applications/{case.pk}/approve/",
        {"csrfmiddlewaretoken": csrf_token(case_page), "version": case.version, "rule_check_confirmed": "on"},
    )
    assert status == 302

    _status, seen_elsewhere = browser.request(f"{second}/review/applications/{case.pk}/")
    assert "Approved" in seen_elsewhere
