"""`manage.py seed_scale`: national-scale synthetic data for performance work (see
devdata/scale_data.py and docs/performance.md).

Development only, like seed_demo: the accounts share a published password. Running it again
with the same seed and size changes nothing.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from applications.models import Status
from devdata.scale_data import ScaleDataMismatch, ScaleSpec, analyze_scale_tables, progress_lines, seed_scale


class Command(BaseCommand):
    help = (
        "Fills the database with synthetic national-scale data: by default 200,000 cases and 600,000 worker "
        "lines across the 85 regions, a quarter in Moscow, every status. Refuses to run with DEBUG off "
        "unless --force; the same seed and size twice loads nothing the second time."
    )

    def add_arguments(self, parser):
        defaults = ScaleSpec()
        parser.add_argument("--cases", type=int, default=defaults.cases, help="cases in all regions (default %(default)s)")
        parser.add_argument("--lines", type=int, default=None, help="worker lines over all cases (default: 3 per case)")
        parser.add_argument("--workers", type=int, default=None, help="workers in the registries (default: 80%% of the lines)")
        parser.add_argument("--employers", type=int, default=None, help="companies (default: one per 100 cases, at least 10)")
        parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed, 0-99999 (default %(default)s)")
        parser.add_argument(
            "--replace", action="store_true", help="delete the scale data there is (only rows it made) and load it afresh"
        )
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (never on a production database)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale creates accounts with a published password and hundreds of thousands of synthetic cases, "
                "so it runs only with DEBUG on. Use --force for a benchmark database with DEBUG off; never on production."
            )
        try:
            spec = ScaleSpec(
                cases=options["cases"],
                lines=options["lines"] if options["lines"] is not None else options["cases"] * 3,
                workers=options["workers"],
                employers=options["employers"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error

        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")

        try:
            summary = seed_scale(spec, replace=options["replace"], progress=progress)
        except ScaleDataMismatch as error:
            raise CommandError(str(error)) from error
        if summary.created:
            progress("Planner statistics (VACUUM ANALYZE)…")
            analyze_scale_tables(vacuum=not connection.in_atomic_block)
            self.stdout.write(self.style.SUCCESS(f"Scale data of seed {spec.seed} loaded in {time.monotonic() - started:.0f} s."))
        for line in progress_lines(summary, Status.choices):
            self.stdout.write(f"  {line}")
