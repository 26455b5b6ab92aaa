"""The bench's own database: found or created, migrated and seeded with the scale data."""

from __future__ import annotations

import os
import time
from urllib.parse import quote, urlsplit, urlunsplit

from config import BENCH_DATABASE, SYSTEM_POSTGRES

# The database


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def bench_database_url(explicit: str | None) -> tuple[str, str]:
    """The bench's database URL and where it lives; the database is created if missing."""
    import psycopg

    if explicit:
        return explicit, "given by --database-url"
    try:
        with psycopg.connect(SYSTEM_POSTGRES + "postgres", connect_timeout=3, autocommit=True) as admin:
            _create_database(admin)
        return SYSTEM_POSTGRES + BENCH_DATABASE, "the machine's PostgreSQL on 127.0.0.1:5432"
    except psycopg.OperationalError:
        pass
    from portal.embedded_db import DATA_DIR, database_url

    database_url()  # starts (or reuses) the embedded server
    socket_url = f"postgres://postgres@/postgres?host={quote(str(DATA_DIR))}"
    with psycopg.connect(socket_url, autocommit=True) as admin:
        _create_database(admin)
    return f"postgres://postgres@{quote(str(DATA_DIR), safe='')}/{BENCH_DATABASE}", "the embedded PostgreSQL (.pgdata/)"


def _create_database(admin) -> None:
    if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone() is None:
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")


# Django, in this process: seeding, sessions, query counts and plans


def django_setup(database_url: str, secret_key: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = secret_key  # the server must read the sessions made here
    os.environ["DEBUG"] = "1"  # seed_scale runs only with DEBUG on; the server runs with it off
    # As in production (where DEBUG is off): officers and admins have given their second factor,
    # so the query counts include its check.
    os.environ["OTP_REQUIRED"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed(cases: int, seed_value: int) -> dict:
    from django.core.management import call_command

    from devdata.scale_data import existing_scale_data, has_unsealed_decisions

    call_command("migrate", verbosity=0, interactive=False)
    found_seed, found_cases, found_lines = existing_scale_data()
    started = time.monotonic()
    # Data of before decisions were sealed is replaced, whatever its seed and size.
    if (found_seed, found_cases, found_lines) == (seed_value, cases, cases * 3) and not has_unsealed_decisions():
        print(f"Reusing the scale data there (seed {seed_value}, {cases} cases).")
        return {"reused": True, "seconds": None}
    # This database belongs to the bench: other scale data in it is simply replaced.
    call_command("seed_scale", cases=cases, seed=seed_value, replace=True, verbosity=1)
    return {"reused": False, "seconds": round(time.monotonic() - started)}
