"""The "national" scenario of the bench (issue 21, "A million cases under load"), meant for the
scale data of 1,000,000 cases:

    make bench BENCH_ARGS="--cases 1000000 --only national --database-url postgres://postgres@127.0.0.1:5432/portal_bench_1m"

Beside the trivial page of the same server in the same run, it measures the federal reviewer's
queue over all 85 regions, Django admin's case list of one region in its default order, and
Moscow's queue with 8 connections for longer than its status counts are kept, so that they expire
under load while it runs (the recount stampede). run.py gives it its server and sessions.
"""

from __future__ import annotations

from http_driver import probe, run_wrk
from scenarios import Scenario

# Issue 21's targets.
NATIONAL_QUEUE_P50_MS = 35
NATIONAL_QUEUE_RPS = 30
ADMIN_LIST_P50_MS = 100
EXPIRING_COUNTS_P99_MS = 250
EXPIRING_COUNTS_CONNECTIONS = 8


def measure(server, fixtures, *, duration: int) -> dict:
    from applications.selectors.review import TAB_COUNTS_CACHE_SECONDS

    def single(key: str, label: str, account: str, path: str, *, connections: int = 1, seconds: int | None = None) -> dict:
        scenario = Scenario(key, label, account, path)
        cookie = fixtures.cookies[account]
        print(f"Measuring national {key}: {label}…", flush=True)
        probe(server, scenario, cookie)
        run_wrk(server, scenario, cookie, duration=3, connections=max(connections, 8), label="warm-up")
        result = run_wrk(server, scenario, cookie, duration=seconds or duration, connections=connections, label=key)
        print(f"  {result['rps']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms", flush=True)
        return {"label": label, "path": path, **result}

    admin_list = f"/admin/applications/application/?region__id__exact={fixtures.moscow_id}"
    # Longer than the counts are kept, plus the warm-up's counts expiring in the middle of it.
    expiring_seconds = max(duration, TAB_COUNTS_CACHE_SECONDS * 2 + 5)
    return {
        "trivial": single("trivial", "the anonymous login page", "anonymous", "/accounts/login/"),
        "national_queue": single("national_queue", "the federal reviewer's queue, 85 regions, default view", "federal", "/review/"),
        "admin_list": single("admin_list", "Django admin's case list of Moscow, default order", "admin", admin_list),
        "expiring_counts": single(
            "expiring_counts", f"Moscow's queue, {EXPIRING_COUNTS_CONNECTIONS} connections, counts expiring", "officer", "/review/",
            connections=EXPIRING_COUNTS_CONNECTIONS, seconds=expiring_seconds,
        ),
        "counts_kept_seconds": TAB_COUNTS_CACHE_SECONDS,
    }


def render(result: dict) -> str:
    trivial, queue, admin, expiring = (result[key] for key in ("trivial", "national_queue", "admin_list", "expiring_counts"))
    rows = [
        (
            "national queue (federal reviewer, 85 regions), 1 connection",
            f"p50 ≤ {NATIONAL_QUEUE_P50_MS} ms, ≥ {NATIONAL_QUEUE_RPS} req/s",
            f"p50 {queue['p50_ms']} ms, {queue['rps']} req/s (p95 {queue['p95_ms']} ms)",
            queue["p50_ms"] <= NATIONAL_QUEUE_P50_MS and queue["rps"] >= NATIONAL_QUEUE_RPS,
        ),
        (
            "admin case list of a region (Moscow), default order",
            f"p50 ≤ {ADMIN_LIST_P50_MS} ms",
            f"p50 {admin['p50_ms']} ms, {admin['rps']} req/s",
            admin["p50_ms"] <= ADMIN_LIST_P50_MS,
        ),
        (
            f"Moscow queue, {expiring['connections']} connections, {expiring['seconds']} s (counts kept {result['counts_kept_seconds']} s)",
            f"p99 ≤ {EXPIRING_COUNTS_P99_MS} ms",
            f"p99 {expiring['p99_ms']} ms, max {expiring['max_ms']} ms, {expiring['rps']} req/s",
            expiring["p99_ms"] <= EXPIRING_COUNTS_P99_MS,
        ),
    ]
    lines = [
        f"Trivial page (the anonymous login page) in the same run: {trivial['rps']} req/s, p50 {trivial['p50_ms']} ms, "
        f"p95 {trivial['p95_ms']} ms with 1 connection.",
        "",
        "| measure | target | measured | met |",
        "|---|---|---|---|",
    ]
    lines += [f"| {measure} | {target} | {measured} | {'met' if met else '**not met**'} |" for measure, target, measured, met in rows]
    return "\n".join(lines)
