"""Without a Chromium, `make test` skips the browser tests with one line saying how to install one;
in CI (CI=true) they fail instead, since `.ci/run` installs the browser first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e_conftest
from tests.e2e.browser import runs_in_ci

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests/e2e/test_keyboard.py"  # any browser test module


def test_without_chromium_a_developer_run_skips_the_browser_tests_in_one_line_saying_how_to_install_one():
    env = {**os.environ, "CHROMIUM_PATH": str(ROOT / "no-such-browser"), "CI": ""}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", PROBE, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "no Chromium found" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("SKIPPED [5]") and "apt-get install chromium" in lines[0], lines[0]
    assert "5 skipped" in result.stdout


class BrowserTest:
    """As much of a pytest item as the run policy looks at."""

    fixturenames = ("browsing", "chromium", "live_server")


def test_without_chromium_a_ci_run_fails_each_browser_test(monkeypatch):
    monkeypatch.setattr(e2e_conftest, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Browser tests cannot run: no Chromium found"):
        e2e_conftest.pytest_runtest_setup(BrowserTest())


def test_with_chromium_the_browser_tests_run(monkeypatch):
    monkeypatch.setattr(e2e_conftest, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setenv("CI", "true")
    e2e_conftest.pytest_runtest_setup(BrowserTest())  # neither skips nor fails


def test_ci_is_recognised_as_github_and_gitlab_set_it():
    assert runs_in_ci({"CI": "true"}) and runs_in_ci({"CI": "1"})
    assert not runs_in_ci({}) and not runs_in_ci({"CI": ""}) and not runs_in_ci({"CI": "false"})
