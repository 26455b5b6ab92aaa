"""Finding the system Chromium and deciding what to do without one.

Playwright's own browser download cannot work on the portal's machines, so the tests drive the
system browser (Debian's `chromium` package). Without one, a developer's `make test` skips the
browser tests with one line saying how to install it; CI (env CI=true) fails instead, because
there `.ci/run` installs the browser first and a missing one means the set-up broke.
"""

from __future__ import annotations

import os
import shutil

BROWSER_NAMES = ("chromium", "chromium-browser")

# --headless: no display; --no-sandbox: the tests may run as root in a container;
# the rest keep the browser from phoning home (updates, sync, field trials) while offline.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)

INSTALL_HINT = "install one with `apt-get install chromium` (or, as root, `scripts/ensure-chromium.sh`)"


def chromium_path() -> str | None:
    """The system Chromium: $CHROMIUM_PATH if set, else the first of BROWSER_NAMES on the PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def runs_in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_browser_message(*, in_ci: bool) -> str:
    if in_ci:
        return f"Browser tests cannot run: no Chromium found on the PATH, and CI must run them; {INSTALL_HINT}."
    return f"Browser tests (tests/e2e) skipped: no Chromium found on the PATH; {INSTALL_HINT}."
