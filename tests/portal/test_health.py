"""/healthz and /readyz for a load balancer: they answer whatever the Host, and leak nothing."""

import pytest
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_healthz_answers_ok_for_any_host_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_answers_ready_when_the_database_is_migrated(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert (response.status_code, response.content) == (200, b"ready")


@pytest.mark.django_db
def test_readyz_says_not_ready_without_details_when_a_migration_is_missing(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("applications", "9999_future")])
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"not ready")


@pytest.mark.django_db
def test_readyz_says_not_ready_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("connection refused to 10.0.0.5:5432")

    monkeypatch.setattr(MigrationExecutor, "__init__", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"10.0.0.5" not in response.content and b"refused" not in response.content
