#!/usr/bin/env sh
# Makes sure the browser tests (tests/e2e) have a Chromium: Debian's `chromium` package.
# Playwright's own browser download cannot work on the portal's machines, so the tests drive the
# system browser. Nothing happens when one is already there; when it is missing, this installs it
# with apt-get if it runs as root, and otherwise says how to install it (exit status 1).
# CI runs it before `make test`, so the browser tests always run there.
set -eu

found_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"
    return 0
  fi
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if browser=$(found_chromium); then
  echo "Chromium for the browser tests: $browser"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "error: no Chromium found for the browser tests (tests/e2e), and installing one needs root." >&2
  echo "       Install it with: sudo apt-get install chromium   (or run this script as root)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no Chromium found for the browser tests (tests/e2e), and no apt-get to install one." >&2
  echo "       Install Chromium with the system's package manager, or set CHROMIUM_PATH to its program." >&2
  exit 1
fi

echo "Installing Chromium for the browser tests (apt-get install chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
if ! browser=$(found_chromium); then
  echo "error: apt-get installed the chromium package, but no chromium program is on the PATH." >&2
  exit 1
fi
echo "Chromium for the browser tests: $browser"
