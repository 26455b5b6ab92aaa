"""The API's lists cost the same number of queries for one row as for fifty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Status
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
