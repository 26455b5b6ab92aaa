"""The checkout's root, and the environment of a production start that passes the settings' checks."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example",
    "DATABASE_URL": "postgres://db/portal",
    "PORTAL_BASE_URL": "https://portal.example",
}
