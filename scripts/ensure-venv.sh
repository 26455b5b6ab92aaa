#!/usr/bin/env sh
# Creates .venv with a Python 3.11+ and installs the project and its dev group into it.
# Re-installs only when pyproject.toml is newer than the last install.
set -eu
cd "$(dirname "$0")/.."

stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ]; then
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  python=""
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "error: Python 3.11 or newer is needed and none was found on the PATH." >&2
    echo "       Install it (Debian/Ubuntu: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11." >&2
    exit 1
  fi
  echo "Creating .venv with $($python --version)"
  if ! "$python" -m venv .venv; then
    echo "error: '$python -m venv' failed. On Debian/Ubuntu install the venv module: apt-get install python3-venv" >&2
    rm -rf .venv
    exit 1
  fi
fi

echo "Installing the portal's dependencies into .venv (first time takes a minute)"
# pip 25.1+ understands PEP 735 dependency groups (--group).
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1" 2>&1 | grep -v '^WARNING: Location' || true
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e . --group dev 2>.venv/pip-errors.log; then
  grep -v '^WARNING: Location' .venv/pip-errors.log >&2 || true
  echo "error: installing the dependencies failed (see above). Is the package index reachable?" >&2
  exit 1
fi
touch "$stamp"
