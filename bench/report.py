"""The bench's report in Markdown, and its place in docs/performance.md."""

from __future__ import annotations

from config import (
    BENCH_DATABASE,
    DOC,
    DOC_END,
    DOC_START,
    EXPORT_GROWTH_MB,
    MAX_QUERIES,
    RATIO_TARGETS,
    RESULTS,
    THREADS,
    TRIVIAL,
    WORKERS,
)

# The report


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "**missed**")


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def render(report: dict) -> str:
    m, data, runs = report["machine"], report["data"], report["runs"]
    by_key = {run["key"]: run for run in runs}
    one, many = report["latency_connections"], report["load_connections"]
    lines = [
        f"Measured on {report['date']} by `bench/run.py` (commit {report['commit']})."
        + (f" {report['note']}" if report.get("note") else ""),
        "",
        f"- Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB RAM, Linux {m['kernel']}. The database, the "
        f"portal and the load generator share it; load average {report['load_before']} before the run, "
        f"{report['load_after']} after (other work on the machine included).",
        f"- Database: {report['postgres']} ({report['database']}), database "
        f"`{report.get('database_name', BENCH_DATABASE)}`, default settings.",
        f"- Data: seed {data['seed']}: {data['counts']['applications']:,} cases, {data['counts']['lines']:,} worker lines, "
        f"{data['counts']['workers']:,} workers, {data['counts']['history']:,} history rows; Moscow's queue (officer "
        f"`officer.77@scale.local`) holds {data['moscow_cases']:,} cases that are not drafts. "
        + (f"Loaded by `seed_scale` in {data['seed_seconds']} s." if data["seed_seconds"] else "Reused from an earlier run."),
        f"- Server: gunicorn, {WORKERS} workers × {THREADS} threads (gthread), DEBUG off, Python {m['python']}, 127.0.0.1.",
        f"- Load: {m['wrk']}; each page for {report['duration']} s with {one} connection (latency: what one officer "
        f"waits) and {report['duration']} s with {many} connections (throughput), each after a {report['warmup']} s "
        f"warm-up with {WORKERS * THREADS} connections (every thread of both workers). Latency is to the last byte. CPU per request (gunicorn workers, and the database's backends) is "
        f"measured over the {one}-connection run: unlike latency it barely depends on other work on the machine. "
        "Query counts and SQL time come from one request per page (the most over ten cases for the case page) "
        "through Django's test client.",
        "",
        f"| page | req/s ({one}) | p50 | p95 | p99 | req/s ({many}) | p50 | p95 | p99 | CPU ms/req: app + db | "
        "queries (SQL ms) | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        if "single" not in run or "load" not in run:
            continue
        a, b = run["single"], run["load"]
        targets = []
        if run.get("target_p95_ms"):
            targets.append(f"p95 < {run['target_p95_ms']:.0f} ms: {_mark(a['p95_ms'] < run['target_p95_ms'])}")
        if run["queries"] is not None:
            targets.append(f"≤ {MAX_QUERIES} queries: {_mark(run['queries'] <= MAX_QUERIES)}")
        errors = a["non_2xx"] + b["non_2xx"] + a["socket_errors"] + b["socket_errors"]
        if errors:
            targets.append(f"**{errors} errors**")
        lines.append(
            f"| {run['label']} | {a['rps']} | {_ms(a['p50_ms'])} | {_ms(a['p95_ms'])} | {_ms(a['p99_ms'])} | {b['rps']} | "
            f"{_ms(b['p50_ms'])} | {_ms(b['p95_ms'])} | {_ms(b['p99_ms'])} | {_ms(a['cpu_app_ms'])} + {_ms(a['cpu_db_ms'])} | "
            f"{run['queries']} ({run.get('sql_ms', '?')}) | {'; '.join(targets)} |"
        )
    trivial = by_key.get(TRIVIAL, {}).get("single")
    ratios = [(by_key[key], target) for key, target in RATIO_TARGETS.items() if "single" in by_key.get(key, {})]
    if trivial and trivial["rps"] and ratios:
        lines += [
            "",
            f"Requests per second with {one} connection as a share of the trivial page's ({trivial['rps']} req/s, "
            f"{TRIVIAL!r} above), issue 17's measure:",
            "",
            "| page | req/s | ÷ trivial page | target |",
            "|---|---:|---:|---|",
        ]
        for run, target in ratios:
            ratio = run["single"]["rps"] / trivial["rps"]
            lines.append(f"| {run['label']} | {run['single']['rps']} | {ratio:.2f} | ≥ {target:.2f}: {_mark(ratio >= target)} |")
    lines += [
        "",
        f"Latencies in milliseconds. The queue against Django admin's changelist of the same cases (same filters and "
        f"order, 100 rows a page); “as fast” means at least the admin's requests per second with {many} connections and "
        f"at most its p95 with {one}:",
        "",
        f"| list | queue req/s ({many}) | admin req/s ({many}) | queue p95 ({one}) | admin p95 ({one}) | "
        "CPU ms/req (queue / admin) | queries (queue / admin) | queue as fast |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for run in runs:
        twin = by_key.get(run.get("admin_twin") or "")
        if twin and "load" in run and "load" in twin:
            ok = run["load"]["rps"] >= twin["load"]["rps"] and run["single"]["p95_ms"] <= twin["single"]["p95_ms"]
            lines.append(
                f"| {run['label']} | {run['load']['rps']} | {twin['load']['rps']} | {_ms(run['single']['p95_ms'])} | "
                f"{_ms(twin['single']['p95_ms'])} | "
                f"{_ms(run['single']['cpu_app_ms'] + run['single']['cpu_db_ms'])} / "
                f"{_ms(twin['single']['cpu_app_ms'] + twin['single']['cpu_db_ms'])} | "
                f"{run['queries']} / {twin['queries']} | {_mark(ok)} |"
            )
    export = by_key.get("export", {}).get("export")
    if export:
        single, each = export["single"], export["seconds_each"]
        growth_ok = export["growth_mb"] is not None and export["growth_mb"] < EXPORT_GROWTH_MB
        lines += [
            "",
            f"CSV export ({single['rows']:,} rows, {single['megabytes']} MB, `{single['content_type']}`, "
            f"{by_key['export']['queries']} queries): {export['downloads']} downloads one after another in "
            f"{export['elapsed']} s, {each[0]}–{each[-1]} s each, the first byte after {single['first_byte_ms']} ms. "
            f"Resident memory of the gunicorn workers before: {', '.join(f'{v} MB' for v in export['rss_before_mb'].values())}; "
            f"peak while streaming: {', '.join(f'{v} MB' for v in export['rss_peak_mb'].values())}; largest growth "
            f"**{export['growth_mb']} MB** (target < {EXPORT_GROWTH_MB} MB: {_mark(growth_ok)}).",
        ]
    lines += ["", "Slowest query of each page (its time inside one request; plans in `bench/results/explain.txt`):", ""]
    for run in runs:
        if run.get("slowest"):
            query = run["slowest"][0]
            lines.append(f"- {run['key']}: {query['ms']} ms — `{query['sql'][:100]}…`")
    return "\n".join(lines)


def update_doc(markdown: str) -> None:
    if not DOC.exists():
        print(f"{DOC} is missing; results are in {RESULTS}.")
        return
    text = DOC.read_text()
    if DOC_START not in text or DOC_END not in text:
        print(f"{DOC} has no results block ({DOC_START} … {DOC_END}); results are in {RESULTS}.")
        return
    before, rest = text.split(DOC_START, 1)
    _old, after = rest.split(DOC_END, 1)
    DOC.write_text(f"{before}{DOC_START}\n{markdown}\n{DOC_END}{after}")
