"""Browser tests: headless system Chromium driven by Playwright against pytest-django's live server.

Run policy (see tests/e2e/browser.py): without a Chromium the tests that need one are skipped
with one line saying how to install it; with env CI=true they fail instead.

Playwright's sync API keeps an asyncio loop in the main thread while it runs, and Django refuses
database calls from a thread with a running loop. So the browser lives only as long as this
package's tests (package scope, not pytest-playwright's session-wide `playwright` fixture), and
DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly that time: the tests after them see plain Django.

On a failure, every screenshot the test took at its steps, plus one of each page still open, is
written to tests/e2e/artifacts/<test>/ (or $E2E_ARTIFACTS_DIR), and the failure report names it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.e2e.browser import LAUNCH_ARGS, chromium_path, missing_browser_message, runs_in_ci

ARTIFACTS_DIR = Path(os.environ.get("E2E_ARTIFACTS_DIR") or Path(__file__).parent / "artifacts")
# Short enough that a missing element fails the test in seconds, long enough for a PDF to render
# on a busy CI machine.
ACTION_TIMEOUT_MS = 15_000
EXPECT_TIMEOUT_MS = 10_000

_browsing_key = pytest.StashKey["Browsing"]()


def artifacts_folder(name: str) -> Path:
    """A folder under the artifacts directory; the directory ignores itself in git."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    ignore = ARTIFACTS_DIR / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Screenshots of the browser tests: never committed.\n*\n")
    folder = ARTIFACTS_DIR / re.sub(r"[^\w.-]+", "_", name).strip("_")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browsing:
    """The browser contexts of one test (one per person), and the screenshots of its steps."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.test_name = test_name
        self.contexts = []
        self.steps: list[tuple[str, bytes]] = []

    def new_page(
        self,
        *,
        language: str = "en",
        user=None,
        viewport: dict | None = None,
        bypass_csp: bool = False,
    ):
        """A fresh browser (own cookies) reading the portal in `language`, signed in as `user`
        if given (a session made on the server, as after a sign-in)."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="ru-RU" if language == "ru" else "en-US",
            viewport=viewport or {"width": 1280, "height": 900},
            bypass_csp=bypass_csp,
            accept_downloads=True,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        # The language cookie outranks Accept-Language, so the page language is certain
        # whatever the portal's default becomes.
        cookies = [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base_url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url})
        context.add_cookies(cookies)
        self.contexts.append(context)
        return context.new_page()

    def step(self, name: str, page) -> None:
        """Remembers how the page looked at this step; written to disk only if the test fails."""
        self.steps.append((name, page.screenshot(full_page=True)))

    def save_screenshots(self) -> Path:
        folder = artifacts_folder(self.test_name)
        for number, (name, png) in enumerate(self.steps, start=1):
            slug = re.sub(r"[^\w-]+", "-", name)
            (folder / f"{number:02d}-{slug}.png").write_bytes(png)
        for index, context in enumerate(self.contexts, start=1):
            for page_number, page in enumerate(context.pages, start=1):
                try:
                    page.screenshot(path=folder / f"at-failure-browser{index}-page{page_number}.png", full_page=True)
                except PlaywrightError:  # a closed or crashed page must not hide the test's own failure
                    continue
        return folder

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    browsing = item.stash.get(_browsing_key, None)
    if browsing is not None and report.failed and report.when == "call":
        folder = browsing.save_screenshots()
        report.sections.append(("browser screenshots", f"Screenshots of each step and of the pages at the failure: {folder}"))


def pytest_runtest_setup(item):
    """Skips (or, in CI, fails) each browser test when there is no browser. Raised here rather than
    in the `chromium` fixture so that pytest folds all the skips into one line of its summary."""
    if "chromium" in item.fixturenames and chromium_path() is None:
        if runs_in_ci():
            pytest.fail(missing_browser_message(in_ci=True), pytrace=False)
        pytest.skip(missing_browser_message(in_ci=False))


def _share_serialized_database(sync_connections: dict) -> None:
    """While Playwright's loop runs in this thread, Django hands the thread other connection
    objects (asgiref keeps "async" connections apart from the plain thread-local ones). Those lack
    the copy of the migrated data that serialized_rollback restores after each test's flush, so
    without this the data migration's regions would be gone for every later test."""
    for alias, sync_connection in sync_connections.items():
        serialized = getattr(sync_connection, "_test_serialized_contents", None)
        if serialized is not None and connections[alias] is not sync_connection:
            connections[alias]._test_serialized_contents = serialized


@pytest.fixture(scope="package")
def chromium() -> Iterator:
    """The system Chromium, launched once for the browser tests."""
    executable = chromium_path()
    assert executable is not None, "pytest_runtest_setup lets no browser test start without a Chromium"
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    sync_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            _share_serialized_database(sync_connections)
            browser = playwright.chromium.launch(executable_path=executable, args=list(LAUNCH_ARGS))
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browsing(request, chromium, live_server, settings) -> Iterator[Browsing]:
    """Browser contexts against the live server, with the second factor off (tests sign in with
    passwords only) and screenshots kept for a failure report."""
    if hasattr(settings, "OTP_REQUIRED"):
        settings.OTP_REQUIRED = False
    browsing = Browsing(chromium, live_server.url, f"{request.node.path.stem}-{request.node.name}")
    # Screenshots of an earlier failure of this test would be mistaken for this run's.
    shutil.rmtree(artifacts_folder(browsing.test_name), ignore_errors=True)
    request.node.stash[_browsing_key] = browsing
    yield browsing
    browsing.close()
