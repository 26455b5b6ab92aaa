"""On a table of 100,000 cases the queue's reads go through indexes: the first page reads 25
index entries in the queue's order instead of sorting the region's 25,000 cases, a deep page's
keys come from the index alone, and the case page's quota count reads one month of the region
and its company's earlier cases ten index entries."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from applications.selectors.quota import approved_workers_in_month
from applications.selectors.review_case import earlier_cases_of_employer
from devdata.scale_data import FEDERAL_OFFICER_EMAIL, MOSCOW, ScaleSpec, analyze_scale_tables, officer_email, seed_scale
from portal.accounts.models import User

# Committed rows, so that VACUUM can run (it cannot inside a transaction) and set the visibility
# map that index-only scans rely on, as autovacuum does on a live database.
pytestmark = pytest.mark.django_db(transaction=True)

CASES = Application._meta.db_table


@pytest.fixture
def hundred_thousand_cases():
    seed_scale(ScaleSpec(cases=100_000, lines=110_000, employers=200, with_history=False))
    analyze_scale_tables(vacuum=True)
    return User.objects.get(email=officer_email(MOSCOW))


def scans(sql: str, table: str = CASES, *, as_cursor: bool = False) -> list[dict]:
    """How the plan reads `table`: each scan's node type and index (a bitmap scan's index is
    that of the bitmap index scan beneath it). `as_cursor` plans it as a server-side cursor is
    planned (for its first rows rather than for all of them), as the exports read."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {'DECLARE plan_only NO SCROLL CURSOR FOR ' if as_cursor else ''}{sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == table:
            index = node.get("Index Name")
            if node["Node Type"] == "Bitmap Heap Scan":
                index = ",".join(sorted(child.get("Index Name", "") for child in node.get("Plans", [])))
            found.append({"type": node["Node Type"], "index": index})
        stack.extend(node.get("Plans", []))
    return found


def queries_reading_cases(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if f'FROM "{CASES}"' in query["sql"]]


@pytest.mark.parametrize(
    ("status", "index"),
    # The queue opens on the cases awaiting decision; every case is one tab away.
    [(None, "application_queue_awaiting"), ("all", "application_queue_deadline")],
)
def test_the_queue_pages_read_the_cases_through_indexes(client, hundred_thousand_cases, status, index):
    client.force_login(hundred_thousand_cases)

    for page in (1, 600):
        query = {"page": page, **({"status": status} if status else {})}
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("applications:review-queue"), query).status_code == 200
        reads = queries_reading_cases(captured)
        assert reads, "the queue read no cases"
        for sql in reads:
            # The counts read the region's cases (through an index); nothing reads the whole table.
            assert all(scan["type"] != "Seq Scan" for scan in scans(sql)), sql
        # The page itself: the keys straight from the queue's index, in its order (one past the
        # page, to know whether more follow), then 25 rows by primary key.
        page_keys = [sql for sql in reads if "LIMIT 26" in sql]
        assert page_keys, reads
        assert scans(page_keys[0]) == [{"type": "Index Only Scan", "index": index}]
        page_rows = [sql for sql in reads if '"id" IN (' in sql]
        assert page_rows and {scan["index"] for scan in scans(page_rows[0])} <= {"applications_application_pkey"}


def test_the_monthly_quota_count_reads_one_month_of_the_region(hundred_thousand_cases):
    moscow_case = Application.objects.filter(region__number=MOSCOW).order_by("pk").first()
    with CaptureQueriesContext(connection) as captured:
        approved_workers_in_month(region_id=moscow_case.region_id, month_of=dt.date(2021, 9, 1))

    used = {scan["index"] for scan in scans(captured.captured_queries[-1]["sql"])}
    assert "application_region_arrival" in used


def test_the_earlier_cases_of_a_large_company_are_read_in_order_from_an_index(hundred_thousand_cases):
    # The company with the most cases in Moscow (500 on average here), and its latest case.
    busiest = (
        Application.objects.filter(region__number=MOSCOW, submitted_at__isnull=False)
        .values("employer_id").annotate(n=Count("*")).order_by("-n").first()["employer_id"]
    )
    latest = Application.objects.filter(employer_id=busiest, region__number=MOSCOW).order_by("-submitted_at").first()
    with CaptureQueriesContext(connection) as captured:
        shown = earlier_cases_of_employer(application=latest, user=hundred_thousand_cases)

    assert len(shown) == 10
    assert scans(captured.captured_queries[-1]["sql"]) == [{"type": "Index Scan", "index": "application_employer_earlier"}]


def test_the_export_of_a_reviewer_of_every_region_reads_the_queue_in_order_without_sorting_it(client, hundred_thousand_cases):
    # The federal reviewer's queue is the whole country's: sorting it all made the first row of
    # the CSV wait (420 ms for 192,000 cases); the national index gives the rows in order.
    client.force_login(User.objects.get(email=FEDERAL_OFFICER_EMAIL))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("applications:review-export-csv"), {"status": "all"})
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert len(lines) == 1 + Application.objects.exclude(status="draft").count()
    # The export reads through a server-side cursor (DECLARE ... CURSOR FOR SELECT ...).
    export = [sql.split(" CURSOR FOR ", 1)[1] for sql in queries_reading_cases(captured) if sql.startswith("DECLARE ")]
    assert len(export) == 1, queries_reading_cases(captured)
    assert scans(export[0], as_cursor=True) == [{"type": "Index Scan", "index": "application_queue_national"}]
