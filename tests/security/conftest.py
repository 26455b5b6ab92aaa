"""Fixtures of the security tests: clients that speak English, and tenant A's world of cases."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications import services
from applications.models import Application, CaseWorker, EmployerInvitation, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.hostile_world import World


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _case(employer, status, workers, **fields) -> tuple[Application, list[CaseWorker]]:
    application = ApplicationFactory(employer=employer, status=status, **fields)
    lines = [CaseWorkerFactory(application=application) for _ in range(workers)]
    return application, lines


@pytest.fixture
def world(employer, employer_user, officer, moscow_rules, threshold) -> World:
    deadline = {"deadline": timezone.localdate() + dt.timedelta(days=5)}
    draft, draft_lines = _case(employer, Status.DRAFT, 2)
    submitted, _ = _case(employer, Status.SUBMITTED, 1, **deadline)
    info_requested, _ = _case(employer, Status.INFO_REQUESTED, 1, **deadline)
    in_review, review_lines = _case(employer, Status.IN_REVIEW, 2, assigned_officer=officer, **deadline)
    approved, approved_lines = _case(employer, Status.IN_REVIEW, 2, assigned_officer=officer, **deadline)
    services.application_approve(application=approved, user=officer)
    for application in (approved,):
        application.refresh_from_db()
    # The officer has started setting up an authenticator app (the setup page's GET makes the device).
    TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=False)
    invitation = EmployerInvitation.objects.create(
        employer=employer, email="colleague@a.example", token="hostile-test-invitation", invited_by=employer_user
    )
    return World(
        employer_user=employer_user,
        officer=officer,
        draft=draft,
        submitted=submitted,
        info_requested=info_requested,
        in_review=in_review,
        approved=approved,
        worker=draft_lines[0].worker,
        spare_worker=WorkerFactory(employer=employer),
        invitation=invitation,
        lines={"draft": draft_lines, "in_review": review_lines, "approved": approved_lines},
    )
