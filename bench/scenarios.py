"""The pages measured, and their SQL queries counted and explained through the test client."""

from __future__ import annotations

from dataclasses import dataclass, field

from config import CASE_PAGE_P95_MS, QUEUE_P95_MS, TRIVIAL
from fixtures import ACCOUNTS, ANONYMOUS, Fixtures, second_factor_session


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
            "queue-review-new-arrival",
            "Queue, in review + new workers + arrival from 1 Oct 2021, newest submitted first",
            "officer",
            "/review/?status=in_review&kind=new&arrival_from=2021-10-01&o=-submitted",
            target_p95_ms=q,
        ),
        Scenario(
            "queue-citizenship",
            "Queue, a worker from Tajikistan + submitted or in review",
            "officer",
            "/review/?citizenship=TJ&status=submitted&status=in_review",
            target_p95_ms=q,
        ),
        Scenario("queue-deep", "Queue, page 1,000 (rows 24,976-25,000)", "officer", "/review/?page=1000", target_p95_ms=q),
        # The same lists at the admin's page size, each beside Django admin's changelist of the same cases.
        Scenario("queue-100", "Queue, default view, 100 a page", "officer", "/review/?per_page=100", admin_twin="admin"),
        Scenario(
            "queue-100-submitted",
            "Queue, “submitted”, 100 a page",
            "officer",
            "/review/?status=submitted&per_page=100",
            admin_twin="admin-submitted",
        ),
        Scenario(
            "queue-100-review-new-arrival",
            "Queue, in review + new + arrival from 1 Oct 2021, 100 a page",
            "officer",
            "/review/?status=in_review&kind=new&arrival_from=2021-10-01&o=-submitted&per_page=100",
            admin_twin="admin-review-new-arrival",
        ),
        Scenario(
            "queue-100-deep", "Queue, 100 a page, page 250", "officer", "/review/?per_page=100&page=250", admin_twin="admin-deep"
        ),
        Scenario("admin", "Admin changelist, Moscow, not drafts, by deadline", "admin", f"{admin}&status__in={not_draft}&o=6.7"),
        Scenario(
            "admin-submitted",
            "Admin changelist, Moscow, submitted, by deadline",
            "admin",
            f"{admin}&status__exact=submitted&o=6.7",
        ),
        Scenario(
            "admin-review-new-arrival",
            "Admin changelist, Moscow, in review + new + arrival from 1 Oct 2021",
            "admin",
            f"{admin}&status__exact=in_review&kind__exact=new&planned_arrival_date__gte=2021-10-01&o=-7",
        ),
        Scenario(
            "admin-deep", "Admin changelist, Moscow, not drafts, page 250", "admin", f"{admin}&status__in={not_draft}&o=6.7&p=250"
        ),
        Scenario(
            "case",
            f"Case page of a case in review (officer), {len(fixtures.case_paths)} Moscow cases in review at random",
            "officer",
            fixtures.case_paths[0],
            paths=fixtures.case_paths,
            target_p95_ms=CASE_PAGE_P95_MS,
        ),
        Scenario("employer", f"Employer's case list ({fixtures.big_employer_cases} cases)", "employer", "/employer/"),
        Scenario(
            "export",
            f"CSV export of the queue, {fixtures.export_rows_expected:,} rows (federal reviewer)",
            "federal",
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
