"""Read replicas with two real databases: with DATABASE_REPLICA_URL set, the queue, the
statistics and the exports read the replica; the case page and every read inside a transition
read the primary. The replica is a copy of the primary taken before some changes, so it lags
as a real one can, and each read shows which database answered it."""

import psycopg
import pytest
from django.db import connection

from applications import services
from applications.models import Application, Status, StatusChange
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory
from tests.portal.factories import OfficerFactory
from tests.portal.pg_tools import drop_database, dump, restore_into_new_database
from tests.portal.portal_processes import (
    Browser,
    csrf_token,
    database_url,
    portal_process,
    production_environment,
    sign_in,
    with_production_password,
)
from tests.regions.factories import RuleSetFactory, region


def on_replica(database: str, sql: str, *params):
    with psycopg.connect(**{**connection.get_connection_params(), "dbname": database}) as replica:
        return replica.execute(sql, params).fetchone()


@pytest.fixture
def replica_name():
    name = f"{connection.settings_dict['NAME']}_replica"
    yield name
    drop_database(name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboards_read_the_replica_and_transitions_the_primary(tmp_path, replica_name):
    moscow = region(77)
    RuleSetFactory(region=moscow)
    officer = OfficerFactory(regions=[moscow])
    with_production_password(officer)
    lagging = ApplicationFactory(region=moscow, status=Status.SUBMITTED)
    CaseWorkerFactory(application=lagging)

    backup = tmp_path / "primary.dump"
    dump(connection.settings_dict["NAME"], into=backup)
    restore_into_new_database(backup, replica_name)

    # Only on the primary, after the replica's copy: the case is taken into review, and a new
    # case arrives.
    lagging = services.application_take_into_review(application=lagging, user=officer, expected_version=lagging.version)
    fresh = ApplicationFactory(region=moscow, status=Status.SUBMITTED)

    environment = production_environment(DATABASE_REPLICA_URL=database_url(replica_name))
    with portal_process(environment) as base:
        browser = Browser()
        # The session is written and read on the primary: the replica has never seen it.
        sign_in(browser, base, officer.email)

        status, queue = browser.request(f"{base}/review/")
        assert status == 200
        assert lagging.reference in queue and fresh.reference not in queue  # the replica's list
        status, export = browser.request(f"{base}/review/export.csv")
        assert status == 200
        assert lagging.reference in export and fresh.reference not in export
        assert "Submitted" in export and "In review" not in export  # the replica's status of the case

        # The case page reads the primary: the new case is there, the other one in review.
        assert browser.request(f"{base}/review/applications/{fresh.pk}/")[0] == 200
        status, case_page = browser.request(f"{base}/review/applications/{lagging.pk}/")
        assert status == 200 and "In review" in case_page
        # Approving needs the case in review: the transition reads (and locks) the primary's row.
        status, _text = browser.request(
            f"{base}/review/applications/{lagging.pk}/approve/",
            {"csrfmiddlewaretoken": csrf_token(case_page), "version": lagging.version, "rule_check_confirmed": "on"},
        )
        assert status == 302

    assert Application.objects.get(pk=lagging.pk).status == Status.APPROVED
    assert StatusChange.objects.filter(application=lagging, to_status=Status.APPROVED).exists()
    # Nothing was written to the replica.
    assert on_replica(replica_name, "SELECT status FROM applications_application WHERE id = %s", lagging.pk) == ("submitted",)
    assert on_replica(replica_name, "SELECT count(*) FROM applications_statuschange WHERE application_id = %s", lagging.pk) == (
        StatusChange.objects.filter(application=lagging).count() - 2,
    )
