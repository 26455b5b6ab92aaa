"""Measurements made of several requests: the streamed export, and issue 17's batch scenario."""

from __future__ import annotations

import time

import batch
from fixtures import ACCOUNTS, Fixtures, second_factor_session
from http_driver import MemorySampler, Server, download_once, probe, rss_kb, run_wrk
from scenarios import Scenario


def measure_export(server: Server, scenario: Scenario, cookie: str, *, duration: int) -> dict:
    """Downloads the export one after another for `duration` seconds (two at least) while
    sampling the workers' memory. wrk would cut a download of several seconds off at the end."""
    baseline = {pid: rss_kb(pid) for pid in server.worker_pids()}
    sampler = MemorySampler(list(baseline))
    sampler.start()
    downloads = []
    started = time.monotonic()
    try:
        while len(downloads) < 2 or time.monotonic() - started < duration:
            downloads.append(download_once(server, scenario.path, cookie))
    finally:
        sampler.stopped.set()
        sampler.join()
    elapsed = time.monotonic() - started
    seconds = sorted(d["seconds"] for d in downloads)
    growth = {pid: sampler.peak[pid] - baseline[pid] for pid in baseline}
    return {
        "downloads": len(downloads),
        "elapsed": round(elapsed, 1),
        "seconds_each": seconds,
        "single": downloads[0],
        "non_2xx": sum(1 for d in downloads if d["status"] != 200),
        "rss_before_mb": {str(pid): round(kb / 1024, 1) for pid, kb in baseline.items()},
        "rss_peak_mb": {str(pid): round(kb / 1024, 1) for pid, kb in sampler.peak.items()},
        "growth_mb": round(max(growth.values()) / 1024, 1) if growth else None,
    }


def measure_batch(server: Server, fixtures: Fixtures, case: dict, *, duration: int) -> dict:
    """Issue 17's batch scenario (bench/batch.py): the trivial page, the officer's and the
    employer's pages of the 5,000-worker case, approving it, its day's border list, and the
    federal reviewer's whole queue as CSV, in that order (approving changes the case); then the
    partial approval of a second case of 5,000 with 500 refusals, and the charter of several
    companies: the officer's charter page, deciding its cases together, its border list."""
    from devdata import scale_data

    officer, employer = fixtures.cookies["officer"], fixtures.cookies["employer"]
    result: dict = {"case": case}

    def latency(key: str, label: str, account_cookie: str, path: str) -> dict:
        scenario = Scenario(key, label, "officer", path)
        print(f"Measuring batch {key}: {label}…", flush=True)
        probe(server, scenario, account_cookie)  # refuses an error or a redirect; warms the page
        once = download_once(server, path, account_cookie)
        if once["seconds"] * 4 > duration:
            # A page of seconds: wrk would finish a handful of requests (or none) in the
            # measurement; one timed request says as much.
            seconds = once["seconds"] * 1000
            run = {"connections": 1, "requests": 1, "rps": round(1 / once["seconds"], 2), "p50_ms": seconds, "p95_ms": seconds}
        else:
            # One connection only: a warm-up with eight of a slow page would still be running
            # when the measurement starts.
            run = run_wrk(server, scenario, account_cookie, duration=duration, connections=1, label="single")
        print(f"  {run['rps']} req/s, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms", flush=True)
        return {"path": path, "single": run, "bytes_mb": once["megabytes"], "kilobytes": once["kilobytes"]}

    result["trivial"] = latency("trivial", "the anonymous login page", "bench=1", "/accounts/login/")
    # The export before the case pages: a worker that has rendered a page of tens of MB keeps
    # that memory, and the export's growth would be measured from there.
    export = Scenario("batch_export", "the federal reviewer's whole queue as CSV", "federal", "/review/export.csv")
    print("Measuring the CSV export of the federal reviewer's whole queue…", flush=True)
    result["export"] = measure_export(server, export, fixtures.cookies["federal"], duration=duration)
    print(f"  {result['export']['single']}, memory growth {result['export']['growth_mb']} MB", flush=True)
    officer_path = f"/review/applications/{case['id']}/"
    result["officer_case"] = latency("officer_case", "officer's case page", officer, officer_path)
    result["officer_case"]["facts"] = batch.case_page_facts(officer_path, ACCOUNTS["officer"], second_factor_session)
    employer_path = f"/employer/applications/{case['id']}/"
    result["employer_case"] = latency("employer_case", "employer's case page", employer, employer_path)
    result["employer_case"]["facts"] = batch.case_page_facts(employer_path, scale_data.BIG_EMPLOYER_EMAIL, second_factor_session)
    print("Approving all workers of the batch case…", flush=True)
    result["approve"] = batch.approve_all(server.base, officer, case["id"])
    print(f"  {result['approve']}", flush=True)
    border_path = f"/review/export/border-list.csv?{batch.arrival_range(case)}"
    result["border_list"] = download_once(server, border_path, officer)
    print(f"  border list: {result['border_list']}", flush=True)
    partial = case["partial"]
    print(f"Approving {partial['reference']} partly, refusing its {partial['failing']} failing workers…", flush=True)
    result["approve_partially"] = batch.approve_partially(server.base, officer, partial["id"])
    print(f"  {result['approve_partially']}", flush=True)
    charter = case["charter"]
    result["charter"] = {"seeded": {k: v for k, v in charter.items() if k != "case_ids"}}
    result["charter"]["page"] = latency("charter", "officer's charter page", officer, f"/review/charters/{charter['id']}/")
    print("Deciding the charter's cases together…", flush=True)
    result["charter"]["decide"] = batch.decide_charter(server.base, officer, charter)
    print(f"  {result['charter']['decide']}", flush=True)
    result["charter"]["border_list"] = download_once(server, f"/review/charters/{charter['id']}/border-list.csv", officer)
    print(f"  charter border list: {result['charter']['border_list']}", flush=True)
    return result
