"""The portal's performance bench: national-scale data, the portal under gunicorn, wrk.

    .venv/bin/python bench/run.py            # the documented run (about 10 minutes)

It (1) picks a database of its own, `portal_bench` (never the development database): the
machine's PostgreSQL on 127.0.0.1:5432 when it answers, else the embedded server; (2) migrates
it and loads the scale data with `manage.py seed_scale` (reused when it is there already);
(3) counts the SQL queries of every measured page and EXPLAINs their slowest queries;
(4) starts the portal under gunicorn (2 workers, DEBUG off) on 127.0.0.1; (5) measures every
page with wrk for 20 seconds each, and Django admin's changelist of the same cases with the
same filters as the baseline; (6) streams the CSV export of about 100,000 rows while sampling
the gunicorn workers' memory; (7) writes the results to bench/results/ and into the results
block of docs/performance.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

# The repository (for the portal) and bench/ (for its modules) on the path, whichever the directory.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import batch  # noqa: E402, I001 (bench/ on the path first)
import national  # noqa: E402
from config import BENCH_DATABASE, RESULTS, SYSTEM_POSTGRES, THREADS, WORKERS  # noqa: E402
from database import bench_database_url, django_setup, seed  # noqa: E402
from fixtures import prepare  # noqa: E402
from http_driver import Server, probe, run_wrk  # noqa: E402
from machine import commit, ensure_wrk, load_average, machine  # noqa: E402
from measure import measure_batch, measure_export  # noqa: E402
from report import render, update_doc  # noqa: E402
from scenarios import count_queries, scenarios  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="cases to seed (default %(default)s, 3 worker lines each)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page and concurrency (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each measurement (default %(default)s)")
    parser.add_argument("--latency-connections", type=int, default=1, help="connections of the latency run (default %(default)s)")
    parser.add_argument("--load-connections", type=int, default=4, help="connections of the throughput run (default %(default)s)")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument(
        "--database-url",
        help=f"a PostgreSQL URL for the bench (default: {SYSTEM_POSTGRES}{BENCH_DATABASE} or the embedded server)",
    )
    parser.add_argument("--only", help="comma-separated scenario keys to measure (default: all; implies --no-doc)")
    parser.add_argument("--note", default="", help="a sentence for the report, e.g. what was changed for this run")
    parser.add_argument("--name", default="latest", help="results file names: bench/results/NAME.json and .md")
    parser.add_argument("--no-doc", action="store_true", help="leave docs/performance.md as it is")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    load_before = load_average()
    database_url, where = bench_database_url(args.database_url)
    print(f"Bench database: {where}.")
    secret_key = secrets.token_urlsafe(50)
    django_setup(database_url, secret_key)
    seeded = seed(args.cases, args.seed)
    fixtures = prepare(case_sample=200)
    chosen = scenarios(fixtures)
    keys = set(args.only.split(",")) if args.only else None
    if keys:
        chosen = [s for s in chosen if s.key in keys]
    batch_case = None
    if keys is None or "batch" in keys:
        print(f"Seeding the batch scenario's case of {batch.BATCH_WORKERS:,} workers…", flush=True)
        batch_case = batch.seed_batch_case()
        print(f"Seeding a second case of {batch.BATCH_WORKERS:,} workers, {batch.PARTIAL_REFUSALS} of them failing…", flush=True)
        batch_case["partial"] = batch.seed_batch_case(failing=batch.PARTIAL_REFUSALS, days_ahead=28)
        print(f"Seeding a charter of {batch.CHARTER_WORKERS:,} workers of {batch.CHARTER_COMPANIES} companies…", flush=True)
        batch_case["charter"] = batch.seed_charter()
        print(f"  {batch_case['charter']['cases']} cases, {batch_case['charter']['seed_seconds']} s", flush=True)

    print("Counting queries and explaining the slowest ones…")
    explained: list[str] = [f"# EXPLAIN (ANALYZE, BUFFERS) of each page's slowest queries, {dt.datetime.now():%Y-%m-%d %H:%M}\n"]
    queries = {}
    for scenario in chosen:
        queries[scenario.key] = count_queries(scenario, explained)
        print(f"  {scenario.key}: {queries[scenario.key]['queries']} queries, HTTP {queries[scenario.key]['status']}")
    (RESULTS / f"explain-{args.name}.txt" if args.name != "latest" else RESULTS / "explain.txt").write_text("".join(explained))

    server = Server(args.port, database_url, secret_key, RESULTS / "gunicorn.log")
    runs = []
    try:
        for scenario in chosen:
            cookie = fixtures.cookies[scenario.account]
            print(f"Measuring {scenario.key}: {scenario.label}…", flush=True)
            probe(server, scenario, cookie)
            result = {
                "key": scenario.key,
                "label": scenario.label,
                "path": scenario.path,
                "target_p95_ms": scenario.target_p95_ms,
                "admin_twin": scenario.admin_twin,
                "queries": queries[scenario.key]["queries"],
                "sql_ms": queries[scenario.key]["sql_ms"],
                "slowest": queries[scenario.key]["slowest"],
            }
            if scenario.key == "export":
                result["export"] = measure_export(server, scenario, cookie, duration=args.duration)
                print(f"  {result['export']['downloads']} downloads, memory growth {result['export']['growth_mb']} MB")
            else:
                for name, connections in (("single", args.latency_connections), ("load", args.load_connections)):
                    # Every thread of both workers warmed (its templates, its database connection):
                    # one keep-alive connection would warm one thread, and the run might land on another.
                    warm = max(connections, WORKERS * THREADS)
                    run_wrk(server, scenario, cookie, duration=args.warmup, connections=warm, label="warm-up")
                    result[name] = run_wrk(server, scenario, cookie, duration=args.duration, connections=connections, label=name)
                    r = result[name]
                    print(
                        f"  {connections} connections: {r['rps']} req/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                        f"p99 {r['p99_ms']} ms, non-2xx {r['non_2xx']}",
                        flush=True,
                    )
            runs.append(result)
        national_result = None
        if keys is not None and "national" in keys:
            national_result = national.measure(server, fixtures, duration=args.duration)
        batch_result = measure_batch(server, fixtures, batch_case, duration=args.duration) if batch_case else None
    finally:
        server.stop()

    report = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit(),
        "note": args.note,
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_average(),
        "postgres": fixtures.postgres,
        "database": where,
        "database_name": urlsplit(database_url).path.lstrip("/"),
        "latency_connections": args.latency_connections,
        "load_connections": args.load_connections,
        "duration": args.duration,
        "warmup": args.warmup,
        "data": {
            "seed": args.seed,
            "counts": fixtures.counts,
            "moscow_cases": fixtures.moscow_cases,
            "seed_seconds": seeded["seconds"],
        },
        "runs": runs,
        "batch": batch_result,
        "national": national_result,
    }
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    markdown = render(report)
    if batch_result:
        batch_markdown = batch.render(batch_result)
        (RESULTS / f"{args.name}-batch.md").write_text(batch_markdown + "\n")
        markdown += "\n\n### Batches (issue 17)\n\n" + batch_markdown
    if national_result:
        markdown += "\n\n### A million cases under load (issue 21)\n\n" + national.render(national_result)
    (RESULTS / f"{args.name}.md").write_text(markdown + "\n")
    if not args.no_doc and not args.only:
        update_doc(markdown)
    print("\n" + markdown)


if __name__ == "__main__":
    main()
