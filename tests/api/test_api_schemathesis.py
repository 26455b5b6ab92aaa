"""Schemathesis over the committed schema (docs/api/openapi.yaml), against the portal in-process
(WSGI, no server): for every employer endpoint, requests that the schema allows, with a valid
company key, never get a 5xx, and every answer (2xx or refusal) is one the schema describes: a
documented status, its content type and a body of its shape."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from applications.models import Status
from tests.api.conftest import COMMITTED_SCHEMA
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, decide

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_path(COMMITTED_SCHEMA)
SCHEMA.app = get_wsgi_application()
EMPLOYER_OPERATIONS = [
    operation.ok() for operation in SCHEMA.include(path_regex=r"^/api/v1/(workers|applications)/").get_all_operations()
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def cases_of_every_state(employer, moscow_rules):
    """A draft with a worker, and an approved case: ids the generated requests may name."""
    draft = ApplicationFactory(employer=employer)
    CaseWorkerFactory(application=draft)
    approved = ApplicationFactory(employer=employer, status=Status.APPROVED)
    CaseWorkerFactory(application=approved)
    decide(approved)
    return [draft.pk, approved.pk]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["allowed", "refused"])
@pytest.mark.parametrize("operation", EMPLOYER_OPERATIONS, ids=lambda operation: operation.label)
def test_any_request_gets_an_answer_the_schema_describes_never_a_server_error(
    operation, mode, company_key, cases_of_every_state, settings_
):
    """Requests the schema allows, and requests it does not (a wrong type, a field left out)."""
    ids = st.sampled_from([None, *cases_of_every_state])

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), case_id=ids)
    def run(case, case_id):
        if case_id is not None and "id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "id": case_id}
        with transaction.atomic():
            case.call_and_validate(headers={"Authorization": f"Bearer {company_key}"}, checks=CHECKS)
            transaction.set_rollback(True)

    run()


@pytest.fixture
def settings_(settings):
    settings.API_REQUESTS_PER_MINUTE = 10**6
    return settings


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """A WSGI request closes the database connection when it ends, and with it the test's
    transaction; Django's own test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
