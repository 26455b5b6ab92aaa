"""Settings come from the environment, and production refuses an unsafe configuration."""

import os
import subprocess
import sys

from tests.helpers.production_settings import PRODUCTION, ROOT


def import_settings(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_with_debug_off_the_portal_refuses_to_start_without_a_real_secret_key():
    result = import_settings(**{**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_with_debug_off_every_missing_setting_is_named_at_once():
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "ALLOWED_HOSTS", "PORTAL_BASE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"], cwd=ROOT, capture_output=True, text=True,
        env={**environment, "DEBUG": "0"},
    )
    assert result.returncode != 0
    for name in ("SECRET_KEY:", "ALLOWED_HOSTS:", "DATABASE_URL:", "PORTAL_BASE_URL:"):
        assert name in result.stderr


def test_with_debug_off_and_every_required_setting_the_settings_load():
    result = import_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_a_database_other_than_postgresql_is_refused():
    result = import_settings(DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "must point to PostgreSQL" in result.stderr


def test_a_malformed_boolean_setting_is_named_in_the_error():
    result = import_settings(DEBUG="maybe", DATABASE_URL="postgres://localhost/unused")
    assert "DEBUG must be 1/0" in result.stderr
