"""The API's lists cost the same number of queries for one row as for fifty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory, decide

pytestmark = pytest.mark.django_db


def queries(api, path) -> int:
    api.get(path)  # the key's last use is written once a minute: not on the measured request
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


def test_the_workers_list_costs_the_same_for_1_and_50_rows(api, employer):
    WorkerFactory(employer=employer)
    one = queries(api, "/api/v1/workers/")
    WorkerFactory.create_batch(49, employer=employer)

    assert queries(api, "/api/v1/workers/") == one


def test_the_cases_list_costs_the_same_for_1_and_50_rows(api, employer, moscow_rules):
    def a_decided_case():
        case = ApplicationFactory(employer=employer, status=Status.APPROVED)
        CaseWorkerFactory(application=case)
        decide(case)

    a_decided_case()
    one = queries(api, "/api/v1/applications/")
    for _ in range(9):
        a_decided_case()
    ApplicationFactory.create_batch(40, employer=employer)

    assert queries(api, "/api/v1/applications/") == one


def test_a_cases_documents_cost_the_same_for_1_and_50(api, employer, moscow_rules):
    from tests.applications.factories import DocumentFactory

    case = ApplicationFactory(employer=employer)
    DocumentFactory(application=case)
    one = queries(api, f"/api/v1/applications/{case.pk}/documents/")
    DocumentFactory.create_batch(49, application=case)

    assert queries(api, f"/api/v1/applications/{case.pk}/documents/") == one


def test_a_cases_arrivals_cost_the_same_for_1_and_50_workers(api, employer, moscow_rules):
    case = ApplicationFactory(employer=employer, status=Status.APPROVED)
    CaseWorkerFactory(application=case)
    decide(case)
    one = queries(api, f"/api/v1/applications/{case.pk}/arrivals/")
    CaseWorkerFactory.create_batch(49, application=case, outcome=WorkerOutcome.APPROVED)

    assert queries(api, f"/api/v1/applications/{case.pk}/arrivals/") == one
