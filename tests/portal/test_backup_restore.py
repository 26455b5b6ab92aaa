"""The backup procedure of docs/operations.md, run for real: dump a seeded database with
pg_dump, restore it into a fresh database with pg_restore, and find every row again."""

import psycopg
import pytest
from django.db import connection

from devdata.demo import seed_demo
from tests.portal.pg_tools import drop_database, dump, restore_into_new_database

TABLES = [
    "applications_application",
    "applications_caseworker",
    "applications_worker",
    "applications_statuschange",
    "applications_decision",
    "applications_employer",
    "regions_ruleset",
    "regions_region",
    "accounts_user",
]


def row_counts(conninfo: dict) -> dict[str, int]:
    with psycopg.connect(**conninfo) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dump_of_a_seeded_database_restores_into_a_fresh_one_with_every_row(tmp_path, settings):
    settings.DEBUG = True
    seed_demo()
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    original = row_counts(connection.get_connection_params())
    assert original["applications_statuschange"] > 0

    backup = tmp_path / "portal.dump"
    dump(source, into=backup)
    try:
        restore_into_new_database(backup, restored)
        assert row_counts({**connection.get_connection_params(), "dbname": restored}) == original
    finally:
        drop_database(restored)
