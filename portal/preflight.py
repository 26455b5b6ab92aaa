"""`python -m portal.preflight`: loads the settings and prints what is wrong with the
environment as plain sentences, without a traceback. `make serve` runs it first."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    try:
        # After DJANGO_SETTINGS_MODULE is set, and inside the try: the check's point is to say
        # what is missing rather than fail on an import.
        import django

        django.setup()
    except ImproperlyConfigured as error:
        print(f"The portal cannot start: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
