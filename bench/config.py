"""Where the bench writes, the shape of its server and the targets it checks."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
LUA = ROOT / "bench" / "wrk_report.lua"
BENCH_DATABASE = "portal_bench"
SYSTEM_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
DOC_START, DOC_END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"

# The targets of issue 6 ("Performance at national scale").
QUEUE_P95_MS = 150
CASE_PAGE_P95_MS = 100
EXPORT_GROWTH_MB = 50
MAX_QUERIES = 15
EXPORT_ROWS = 100_000
# Issue 17: requests per second with one connection, as a share of the trivial page's in the same
# run (absolute times vary between machines; the ratios hold).
RATIO_TARGETS = {"queue": 0.35, "case": 0.30}
TRIVIAL = "trivial"
# The server: 2 gunicorn workers (the issue's), with the portal's default threads each.
WORKERS, THREADS = 2, 4
