"""Hostile input to the API: malformed JSON, wrong types, unknown fields, oversized bodies and
too many requests are answered with a 4xx and a JSON body, never a 5xx, and nothing is kept."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import Application, Worker
from applications.services.workers import WORKER_FIELDS

pytestmark = pytest.mark.django_db

HYPOTHESIS = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
DRAFT_FIELDS = ["region", "kind", "project_name", "planned_arrival_date", "planned_arrival_time", "checkpoint", "isolation_days"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False),
    st.text(max_size=40), st.sampled_from(["", "2021-02-30", "9999-12-31", "0001-01-01", "XX", "TJ", "M", "12:61", "\x00", "1e309"]),
)  # fmt: skip
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6
)


def bodies(fields, valid: dict):
    """Mostly a valid body with some fields changed to anything, sometimes anything at all."""
    changed = st.dictionaries(st.sampled_from(fields), st.one_of(scalars, json_values), min_size=1, max_size=3)
    near_valid = changed.map(lambda change: {**valid, **change})
    anything = st.one_of(
        st.dictionaries(st.sampled_from(fields), json_values), st.dictionaries(st.text(max_size=10), json_values), json_values
    )
    return st.one_of(near_valid, near_valid, anything)


VALID_WORKER = {
    "surname_latin": "RAHIMOV", "given_names_latin": "BOBUR", "sex": "M", "date_of_birth": "1988-02-03",
    "citizenship": "TJ", "passport_number": "400123456", "passport_expiry": "2030-01-01", "occupation": "Welder",
}  # fmt: skip


def assert_a_json_4xx_or_success(response, body):
    assert response.status_code < 500, f"{response.status_code} for {body!r}"
    assert response["Content-Type"].startswith("application/json"), body
    response.json()


@pytest.fixture
def unlimited(settings):
    settings.API_REQUESTS_PER_MINUTE = 10**6


def valid_draft():
    from tests.regions.factories import checkpoint, region

    return {
        "region": region(77).pk, "kind": "new", "project_name": "Bridge", "planned_arrival_date": "2031-01-10",
        "planned_arrival_time": "12:00", "checkpoint": checkpoint("SVO").pk, "isolation_days": 14,
    }  # fmt: skip


@pytest.mark.parametrize(
    "path, fields, valid",
    [
        ("/api/v1/workers/", list(WORKER_FIELDS), lambda: VALID_WORKER),
        ("/api/v1/applications/", DRAFT_FIELDS, valid_draft),
        ("/api/v1/workers/bulk/", ["workers"], lambda: {"workers": [VALID_WORKER]}),
    ],
)
def test_any_json_body_gets_a_json_answer_never_a_server_error(api, unlimited, moscow_rules, path, fields, valid):
    @settings(max_examples=150, **HYPOTHESIS)
    @given(body=bodies(fields, valid()))
    def run(body):
        with transaction.atomic():
            response = api.post(path, body)
            transaction.set_rollback(True)
        assert_a_json_4xx_or_success(response, body)

    run()


def test_any_bytes_as_a_body_get_a_json_answer(api, unlimited):
    @settings(max_examples=100, **HYPOTHESIS)
    @given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
    def run(raw):
        with transaction.atomic():
            response = api.post("/api/v1/workers/", raw=raw)
            transaction.set_rollback(True)
        assert_a_json_4xx_or_success(response, raw)

    run()


def test_malformed_json_is_a_400_that_says_so(api):
    response = api.post("/api/v1/workers/", raw=b'{"surname_latin": ')

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_unknown_fields_and_wrong_types_are_named(api):
    response = api.post("/api/v1/workers/", {"surname_latin": ["A", "B"], "salary": 100})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["salary"] == ["There is no such field."]
    assert errors["surname_latin"] == ["Give one value: text, a number, true, false or null."]
    assert not Worker.objects.exists()


def test_an_oversized_body_is_a_413_in_json_and_not_read(api, settings):
    settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES = 1000

    response = api.post("/api/v1/applications/", {"project_name": "x" * 2000})

    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert not Application.objects.exists()


def test_too_many_requests_for_one_key_are_a_429_in_json(api, settings):
    settings.API_REQUESTS_PER_MINUTE = 3

    statuses = [api.get("/api/v1/workers/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "detail" in api.get("/api/v1/workers/").json()


def test_another_companys_case_is_404_for_every_endpoint(api, other_employer_user):
    from tests.applications.factories import ApplicationFactory

    theirs = ApplicationFactory(employer=other_employer_user.employer_membership.employer)
    for path in ("", "rule-check/", "decision-letter/"):
        assert api.get(f"/api/v1/applications/{theirs.pk}/{path}").status_code == 404
    for path in ("workers/", "submit/"):
        response = api.post(f"/api/v1/applications/{theirs.pk}/{path}", {})
        assert response.status_code == 404 and response.json()["detail"]
    assert json.loads(api.get("/api/v1/applications/").content)["count"] == 0
