"""The portal under gunicorn, and wrk and single downloads against it, with CPU and memory sampled."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from config import LUA, RESULTS, ROOT, THREADS, WORKERS
from scenarios import Scenario

# The server


class Server:
    def __init__(self, port: int, database_url: str, secret_key: str, log_path: Path):
        self.port = port
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            "DATABASE_URL": database_url,
            "SECURE_COOKIES": "0",  # plain HTTP on the loopback
            "STATIC_HASHED": "0",  # no collectstatic needed: pages are measured, not their assets
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_THREADS": str(THREADS),
            "LOG_LEVEL": "WARNING",
            "OTP_REQUIRED": "1",
            # As in production: e-mails and large letters are queued for `manage.py db_worker`,
            # not built inside the request being measured (no worker runs during the bench).
            "TASKS_BACKEND": "database",
        }
        self.log = log_path.open("w")
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "portal/gunicorn_conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) >= 2:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening yet, or a worker still starting on a busy machine (timeout)
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not become ready in 60 s; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this bench started, nothing else
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float | None:
    """User and system CPU time the process has used, in milliseconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


def database_backends() -> list[int]:
    """The PostgreSQL processes serving the bench database (the server's connections), when the
    database runs on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [pid for (pid,) in cursor.fetchall() if Path(f"/proc/{pid}").exists()]


class CpuMeter:
    """CPU time spent by the portal (gunicorn workers) and by the database (its backends) over a
    run. Unlike latency it hardly depends on what else the machine is doing, so runs on a busy
    machine can still be compared."""

    def __init__(self, server: Server):
        self.server = server

    def snapshot(self) -> tuple[dict[int, float], dict[int, float]]:
        app = {pid: cpu_ms(pid) for pid in self.server.worker_pids()}
        database = {pid: cpu_ms(pid) for pid in database_backends()}
        return ({p: v for p, v in app.items() if v is not None}, {p: v for p, v in database.items() if v is not None})

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        # A backend that connected during the run started from zero.
        return sum(value - before.get(pid, 0.0) for pid, value in after.items())


class MemorySampler(threading.Thread):
    """Samples the workers' resident memory every 50 ms while the export streams."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = {pid: rss_kb(pid) for pid in pids}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for pid in self.pids:
                try:
                    self.peak[pid] = max(self.peak[pid], rss_kb(pid))
                except OSError:
                    pass
            time.sleep(0.05)


# The load


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe(server: Server, scenario: Scenario, cookie: str) -> None:
    """One request before the load: a page that answers with an error or a redirect (to the
    login or the second-factor page) would be measured as fast and wrong."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(server.base + (scenario.paths or [scenario.path])[0], headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=300) as response:
            response.read(1)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(
            f"{scenario.key}: {scenario.path} answered HTTP {status}, not 200; nothing was measured. "
            f"See {RESULTS / 'gunicorn.log'}."
        )


def run_wrk(server: Server, scenario: Scenario, cookie: str, *, duration: int, connections: int, label: str) -> dict:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "120s",
        "-s",
        str(LUA),
        "-H",
        f"Cookie: {cookie}",
        "-H",
        "Accept-Language: ru",
    ]
    url = server.base + scenario.path
    if scenario.paths:
        paths_file = RESULTS / f"paths-{scenario.key}.txt"
        paths_file.write_text("\n".join(scenario.paths) + "\n")
        command += [server.base, "--", str(paths_file)]
    else:
        command.append(url)
    meter = CpuMeter(server)
    before = meter.snapshot()
    output = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    after = meter.snapshot()
    match = re.search(r"^BENCH_JSON (.*)$", output.stdout, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no result for {scenario.key} ({label}):\n{output.stdout}\n{output.stderr}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return {
        "connections": connections,
        "seconds": round(seconds, 1),
        "requests": data["requests"],
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "non_2xx": data["errors_status"],
        "socket_errors": data["errors_connect"] + data["errors_read"] + data["errors_write"] + data["errors_timeout"],
        "mb_per_request": round(data["bytes"] / max(data["requests"], 1) / 1e6, 3),
        "cpu_app_ms": round(CpuMeter.spent(before[0], after[0]) / max(data["requests"], 1), 1),
        "cpu_db_ms": round(CpuMeter.spent(before[1], after[1]) / max(data["requests"], 1), 1),
    }


def download_once(server: Server, path: str, cookie: str) -> dict:
    """One export through a plain client: rows, bytes, time to the first byte and in all."""
    request = urllib.request.Request(server.base + path, headers={"Cookie": cookie})
    started = time.monotonic()
    first_byte = first_row = None
    rows = size = 0
    with urllib.request.urlopen(request, timeout=300) as response:
        status = response.status
        content_type = response.headers.get("Content-Type", "")
        # read1: whatever has arrived, so the time the first data row (the second line; the
        # header comes before any query) arrives is seen as it arrives.
        while chunk := response.read1(65536):
            if first_byte is None:
                first_byte = time.monotonic() - started
            size += len(chunk)
            rows += chunk.count(b"\n")
            if first_row is None and rows >= 2:
                first_row = time.monotonic() - started
    return {
        "status": status,
        "content_type": content_type,
        "rows": max(rows - 1, 0),  # the header line
        "megabytes": round(size / 1e6, 1),
        "kilobytes": round(size / 1024),
        "first_byte_ms": round((first_byte or 0) * 1000),
        "first_row_ms": round((first_row or 0) * 1000),
        "seconds": round(time.monotonic() - started, 2),
    }
