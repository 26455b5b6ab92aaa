"""`python -m portal.preflight`: loads the settings and prints what is wrong with the
environment as plain sentences, without a traceback. `make serve` runs it first."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        print(f"The portal cannot start: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
