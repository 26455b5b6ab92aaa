"""The demo data as a developer seeds it: the seed_demo command, run with DEBUG on."""

from io import StringIO

from django.core.management import call_command


def run_seed(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()
