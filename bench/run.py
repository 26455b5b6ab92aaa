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
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

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

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import batch  # noqa: E402, I001 (bench/ on the path first)
import national  # noqa: E402


# The database


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def bench_database_url(explicit: str | None) -> tuple[str, str]:
    """The bench's database URL and where it lives; the database is created if missing."""
    import psycopg

    if explicit:
        return explicit, "given by --database-url"
    try:
        with psycopg.connect(SYSTEM_POSTGRES + "postgres", connect_timeout=3, autocommit=True) as admin:
            _create_database(admin)
        return SYSTEM_POSTGRES + BENCH_DATABASE, "the machine's PostgreSQL on 127.0.0.1:5432"
    except psycopg.OperationalError:
        pass
    from portal.embedded_db import DATA_DIR, database_url

    database_url()  # starts (or reuses) the embedded server
    socket_url = f"postgres://postgres@/postgres?host={quote(str(DATA_DIR))}"
    with psycopg.connect(socket_url, autocommit=True) as admin:
        _create_database(admin)
    return f"postgres://postgres@{quote(str(DATA_DIR), safe='')}/{BENCH_DATABASE}", "the embedded PostgreSQL (.pgdata/)"


def _create_database(admin) -> None:
    if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone() is None:
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")


# Tools


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk (the HTTP load generator) is not installed; installing Debian's package: apt-get install -y wrk")
    if shutil.which("apt-get") is None:
        raise SystemExit("wrk is missing and apt-get is not available: install wrk (https://github.com/wg/wrk) and rerun.")
    install = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
    if install.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True)
        install = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(f"Could not install wrk:\n{install.stderr}\nInstall it (sudo apt-get install wrk) and rerun.")
    return found


def machine() -> dict:
    def meminfo_gb() -> float:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
        return 0.0

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": meminfo_gb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": (wrk_version or ["?"])[0].split(" Copyright")[0],
    }


# Django, in this process: seeding, sessions, query counts and plans


def django_setup(database_url: str, secret_key: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = secret_key  # the server must read the sessions made here
    os.environ["DEBUG"] = "1"  # seed_scale runs only with DEBUG on; the server runs with it off
    # As in production (where DEBUG is off): officers and admins have given their second factor,
    # so the query counts include its check.
    os.environ["OTP_REQUIRED"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed(cases: int, seed_value: int) -> dict:
    from django.core.management import call_command

    from applications.scale_data import existing_scale_data, has_unsealed_decisions

    call_command("migrate", verbosity=0, interactive=False)
    found_seed, found_cases, found_lines = existing_scale_data()
    started = time.monotonic()
    # Data of before decisions were sealed is replaced, whatever its seed and size.
    if (found_seed, found_cases, found_lines) == (seed_value, cases, cases * 3) and not has_unsealed_decisions():
        print(f"Reusing the scale data there (seed {seed_value}, {cases} cases).")
        return {"reused": True, "seconds": None}
    # This database belongs to the bench: other scale data in it is simply replaced.
    call_command("seed_scale", cases=cases, seed=seed_value, replace=True, verbosity=1)
    return {"reused": False, "seconds": round(time.monotonic() - started)}


# The trivial page's visitor: signed in as nobody (any cookie will do for wrk's header).
ANONYMOUS, ANONYMOUS_COOKIE = "anonymous", "bench=1"
ACCOUNTS = {
    "officer": "officer.77@scale.local",
    "federal": "officer.federal@scale.local",
    "employer": "employer.big@scale.local",
    "admin": "admin@scale.local",
}


def session_backend() -> str:
    """The backend a signed-in session names: the first that can load a user (as Django's test
    client picks it); a lockout backend in front of it only refuses logins."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))


def second_factor_session(user) -> dict:
    """Session data of a user who has given a code from an authenticator app, for the accounts
    that need one (officers and admins in production): a confirmed TOTP device of the bench."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.accounts.models import Role

    if user.role not in (Role.OFFICER, Role.ADMIN) and not user.is_staff:
        return {}
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return {DEVICE_ID_SESSION_KEY: device.persistent_id}


@dataclass
class Fixtures:
    cookies: dict[str, str]
    moscow_id: int
    moscow_cases: int
    case_paths: list[str]
    export_path: str
    export_rows_expected: int
    big_employer_cases: int
    postgres: str
    counts: dict[str, int]


def prepare(case_sample: int) -> Fixtures:
    """Sessions for the accounts the bench signs in as, and the ids and filters its URLs need."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from applications import scale_data
    from applications.models import Application, ApplicationWorker, Status, StatusChange, Worker
    from portal.accounts.models import User
    from regions.models import Region

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for key, email in ACCOUNTS.items():
        user = User.objects.get(email=email)
        store = store_class()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY], store[HASH_SESSION_KEY] = (
            str(user.pk), session_backend(), user.get_session_auth_hash(),
        )
        store.update(second_factor_session(user))
        store.create()
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    cookies[ANONYMOUS] = ANONYMOUS_COOKIE

    moscow = Region.objects.get(number=scale_data.MOSCOW)
    in_moscow = Application.objects.filter(region=moscow).exclude(status=Status.DRAFT)
    # Cases in review: the page an officer works on, and twice as slow as a decided case's, so a
    # random sample (mostly decided cases) would hide it.
    ids = list(in_moscow.filter(status=Status.IN_REVIEW).order_by("?").values_list("pk", flat=True)[:case_sample])
    if not ids:
        raise SystemExit("Moscow has no case in review to measure the case page with; seed more cases (--cases).")
    # The export: the federal reviewer's queue submitted up to the day when it reaches 100,000 cases.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (submitted_at AT TIME ZONE 'Europe/Moscow')::date AS day, count(*) FROM applications_application "
            "WHERE status <> 'draft' AND submitted_at IS NOT NULL GROUP BY day ORDER BY day"
        )
        total, last_day = 0, None
        for day, cases in cursor.fetchall():
            total, last_day = total + cases, day
            if total >= EXPORT_ROWS:
                break
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    employer = User.objects.get(email=scale_data.BIG_EMPLOYER_EMAIL).employer_membership.employer
    return Fixtures(
        cookies=cookies,
        moscow_id=moscow.pk,
        moscow_cases=in_moscow.count(),
        case_paths=[f"/review/applications/{pk}/" for pk in ids],
        export_path=f"/review/export.csv?submitted_to={last_day.isoformat()}",
        export_rows_expected=total,
        big_employer_cases=Application.objects.filter(employer=employer).count(),
        postgres=postgres,
        counts={
            "applications": Application.objects.count(),
            "lines": ApplicationWorker.objects.count(),
            "workers": Worker.objects.count(),
            "history": StatusChange.objects.count(),
        },
    )


@dataclass
class Scenario:
    key: str
    label: str
    account: str  # which session: officer, federal, employer, admin
    path: str
    paths: list[str] = field(default_factory=list)  # many paths: each request picks one
    target_p95_ms: float | None = None
    admin_twin: str | None = None  # the key of the admin changelist that lists the same cases


def scenarios(fixtures: Fixtures) -> list[Scenario]:
    moscow = fixtures.moscow_id
    not_draft = "submitted,in_review,info_requested,approved,partially_approved,rejected,withdrawn"
    admin = f"/admin/applications/application/?region__id__exact={moscow}"
    q = QUEUE_P95_MS
    return [
        # First: the pages below are also given as a share of its requests per second.
        Scenario(TRIVIAL, "The anonymous login page (the trivial page)", ANONYMOUS, "/accounts/login/"),
        Scenario("queue", "Queue, default view (deadline order), 25 a page", "officer", "/review/", target_p95_ms=q),
        Scenario("queue-submitted", "Queue, status tab “submitted”", "officer", "/review/?status=submitted", target_p95_ms=q),
        Scenario(
            "queue-review-new-arrival", "Queue, in review + new workers + arrival from 1 Oct 2021, newest submitted first",
            "officer", "/review/?status=in_review&kind=new&arrival_from=2021-10-01&o=-submitted", target_p95_ms=q,
        ),
        Scenario(
            "queue-citizenship", "Queue, a worker from Tajikistan + submitted or in review", "officer",
            "/review/?citizenship=TJ&status=submitted&status=in_review", target_p95_ms=q,
        ),
        Scenario("queue-deep", "Queue, page 1,000 (rows 24,976-25,000)", "officer", "/review/?page=1000", target_p95_ms=q),
        # The same lists at the admin's page size, each beside Django admin's changelist of the same cases.
        Scenario("queue-100", "Queue, default view, 100 a page", "officer", "/review/?per_page=100", admin_twin="admin"),
        Scenario(
            "queue-100-submitted", "Queue, “submitted”, 100 a page", "officer", "/review/?status=submitted&per_page=100",
            admin_twin="admin-submitted",
        ),
        Scenario(
            "queue-100-review-new-arrival", "Queue, in review + new + arrival from 1 Oct 2021, 100 a page", "officer",
            "/review/?status=in_review&kind=new&arrival_from=2021-10-01&o=-submitted&per_page=100",
            admin_twin="admin-review-new-arrival",
        ),
        Scenario("queue-100-deep", "Queue, 100 a page, page 250", "officer", "/review/?per_page=100&page=250", admin_twin="admin-deep"),
        Scenario("admin", "Admin changelist, Moscow, not drafts, by deadline", "admin", f"{admin}&status__in={not_draft}&o=6.7"),
        Scenario("admin-submitted", "Admin changelist, Moscow, submitted, by deadline", "admin", f"{admin}&status__exact=submitted&o=6.7"),
        Scenario(
            "admin-review-new-arrival", "Admin changelist, Moscow, in review + new + arrival from 1 Oct 2021", "admin",
            f"{admin}&status__exact=in_review&kind__exact=new&planned_arrival_date__gte=2021-10-01&o=-7",
        ),
        Scenario("admin-deep", "Admin changelist, Moscow, not drafts, page 250", "admin", f"{admin}&status__in={not_draft}&o=6.7&p=250"),
        Scenario(
            "case", f"Case page of a case in review (officer), {len(fixtures.case_paths)} Moscow cases in review at random",
            "officer",
            fixtures.case_paths[0], paths=fixtures.case_paths, target_p95_ms=CASE_PAGE_P95_MS,
        ),
        Scenario("employer", f"Employer's case list ({fixtures.big_employer_cases} cases)", "employer", "/employer/"),
        Scenario(
            "export", f"CSV export of the queue, {fixtures.export_rows_expected:,} rows (federal reviewer)", "federal",
            fixtures.export_path,
        ),
    ]


def count_queries(scenario: Scenario, explain_into: list[str]) -> dict:
    """Queries of a request of the page, through Django's test client (the most over up to ten
    of its paths), and the plans of the slowest queries of the first (EXPLAIN ANALYZE), which
    go to explain_into."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User

    client = Client()
    if scenario.account != ANONYMOUS:
        user = User.objects.get(email=ACCOUNTS[scenario.account])
        client.force_login(user)
        session = client.session
        session.update(second_factor_session(user))
        session.save()
    paths = (scenario.paths or [scenario.path])[:10]
    client.get(paths[0])  # the session and the first-request caches, outside the count
    counted = []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
        queries = [query for query in captured.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        counted.append((len(queries), response.status_code, path, queries))
    most, status, path, queries = counted[0]
    slowest = sorted(queries, key=lambda query: float(query["time"]), reverse=True)[:3]
    explain_into.append(
        f"\n## {scenario.key}: {path}\nHTTP {status}, {most} queries"
        + (f" (over {len(paths)} paths: {min(c[0] for c in counted)} to {max(c[0] for c in counted)})" if len(paths) > 1 else "")
        + "\n"
    )
    for query in slowest:
        sql = query["sql"]
        explain_into.append(f"\n### {float(query['time']) * 1000:.1f} ms (measured in the request)\n{sql}\n")
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                explain_into.append("\n".join(row[0] for row in cursor.fetchall()) + "\n")
    return {
        "status": max(c[1] for c in counted),
        "queries": max(c[0] for c in counted),
        "sql_ms": round(max(sum(float(q["time"]) for q in c[3]) for c in counted) * 1000),
        "slowest": [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:160]} for q in slowest],
    }


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
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
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
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
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
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "120s", "-s", str(LUA),
        "-H", f"Cookie: {cookie}", "-H", "Accept-Language: ru",
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
    from applications import scale_data

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


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT).stdout
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty.strip() else ''}"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


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
        "--database-url", help=f"a PostgreSQL URL for the bench (default: {SYSTEM_POSTGRES}{BENCH_DATABASE} or the embedded server)"
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
        print(
            f"Seeding a charter of {batch.CHARTER_WORKERS:,} workers of {batch.CHARTER_COMPANIES} companies…", flush=True
        )
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
                "key": scenario.key, "label": scenario.label, "path": scenario.path, "target_p95_ms": scenario.target_p95_ms,
                "admin_twin": scenario.admin_twin, "queries": queries[scenario.key]["queries"],
                "sql_ms": queries[scenario.key]["sql_ms"], "slowest": queries[scenario.key]["slowest"],
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
                        f"p99 {r['p99_ms']} ms, non-2xx {r['non_2xx']}", flush=True,
                    )
            runs.append(result)
        national_result = None
        if keys is not None and "national" in keys:
            national_result = national.measure(
                server, fixtures, duration=args.duration, run_wrk=run_wrk, probe=probe, scenario_class=Scenario
            )
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
            "seed": args.seed, "counts": fixtures.counts, "moscow_cases": fixtures.moscow_cases,
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
