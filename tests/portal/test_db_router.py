"""Dashboards and exports may read from a replica; transitions never do."""

import pytest

from applications.models import Application
from portal import db_router
from portal.db_router import REPLICA, ReplicaRouter, use_replica


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def test_reads_inside_use_replica_go_to_the_replica_and_writes_never_do(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Application) == "default"
    with use_replica():
        assert router.db_for_read(Application) == REPLICA
        assert router.db_for_write(Application) == "default"
    assert router.db_for_read(Application) == "default"


def test_without_a_replica_configured_every_read_uses_the_primary():
    with use_replica():
        assert ReplicaRouter().db_for_read(Application) == "default"


def test_migrations_run_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "applications") is True
    assert router.allow_migrate(REPLICA, "applications") is False


def test_a_queryset_made_inside_use_replica_is_routed_there(with_replica):
    with use_replica():
        assert Application.objects.all().db == REPLICA
    assert Application.objects.all().db == "default"
