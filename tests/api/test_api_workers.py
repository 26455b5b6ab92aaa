"""The registry through the API: the web form's messages, pages, changes, the bulk report, and
another company's workers out of reach (404 in JSON)."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import Worker
from tests.applications.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def a_worker(**fields) -> dict:
    expiry = (timezone.localdate() + dt.timedelta(days=900)).isoformat()
    return {
        "surname_latin": "RAHIMOV", "given_names_latin": "BOBUR", "sex": "M", "date_of_birth": "1988-02-03",
        "citizenship": "TJ", "passport_number": "400123456", "passport_expiry": expiry, "occupation": "Welder",
        **fields,
    }  # fmt: skip


def test_a_worker_refused_gets_the_web_forms_messages_by_field(api):
    response = api.post("/api/v1/workers/", a_worker(surname_latin="Рахимов", citizenship="XX"))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["citizenship"] == ["Choose a country from the list."]
    assert "surname_latin" in errors
    assert not Worker.objects.exists()


def test_a_duplicate_passport_is_refused_next_to_the_passport_number(api, employer):
    WorkerFactory(employer=employer, citizenship="TJ", passport_number="400123456")

    response = api.post("/api/v1/workers/", a_worker())

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["passport_number"]


def test_a_worker_is_added_listed_by_pages_and_changed_field_by_field(api, employer):
    created = api.post("/api/v1/workers/", a_worker(passport_number="FA 123 4567"))
    assert created.status_code == 201
    assert created.json()["passport_number"] == "FA1234567"
    WorkerFactory.create_batch(3, employer=employer)

    first = api.get("/api/v1/workers/", {"page_size": 2}).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]

    changed = api.patch(f"/api/v1/workers/{created.json()['id']}/", {"occupation": "Crane operator"})
    assert changed.status_code == 200
    assert Worker.objects.get(pk=created.json()["id"]).occupation == "Crane operator"
    assert Worker.objects.get(pk=created.json()["id"]).surname_latin == "RAHIMOV"


def test_bulk_adds_nothing_when_a_row_is_refused_and_reports_each_row(api):
    rows = [a_worker(), a_worker(passport_number="400123457", date_of_birth="not a date"), a_worker()]

    response = api.post("/api/v1/workers/bulk/", {"workers": rows})

    assert response.status_code == 400
    report = response.json()
    assert report["created"] == 0
    assert {(error["row"], error["field"]) for error in report["errors"]} == {(2, "date_of_birth"), (3, "passport_number")}
    assert not Worker.objects.exists()


def test_another_companys_worker_is_404_in_json(api, other_employer_user):
    theirs = WorkerFactory(employer=other_employer_user.employer_membership.employer)

    for response in (api.get(f"/api/v1/workers/{theirs.pk}/"), api.patch(f"/api/v1/workers/{theirs.pk}/", {"occupation": "x"})):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    assert theirs.pk not in [row["id"] for row in api.get("/api/v1/workers/").json()["results"]]
