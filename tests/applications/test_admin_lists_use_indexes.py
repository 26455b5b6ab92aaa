"""Django admin's long lists read their first page through an index in their own order (issue 21):
at a million cases, the case list sorted all 250,000 of a region (850 ms) and the history list
would sort millions of rows. The plans are pinned with sorting priced out (enable_sort off): a
plan that still sorts has no index to read the list's order from, whatever the table's size."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Status, StatusChange, Worker
from tests.applications.factories import CaseWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_en(client, admin_user, moscow):
    # A row in each list: an empty list has no page to read.
    case = CaseWorkerFactory(application__region=moscow, application__status=Status.SUBMITTED).application
    StatusChange.objects.create(application=case, from_status=Status.DRAFT, to_status=Status.SUBMITTED, transition="submit", actor=admin_user)
    client.force_login(admin_user)
    return client


def plan_nodes(sql: str, params) -> list[dict]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def list_query(client, url: str, table: str) -> tuple[str, tuple]:
    """The changelist's query of its page of rows (the one with ORDER BY and LIMIT)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # The captured SQL has its values inlined (psycopg's client-side binding): it is planned as it is.
    pages = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"]]
    assert pages, f"no paged query of {table} in {url}"
    return pages[0], ()


@pytest.mark.parametrize(
    ("model", "query", "index"),
    [
        (Application, "", "application_admin_recent"),
        (Application, "?region__id__exact={moscow}", "application_admin_region"),
        (StatusChange, "", "status_change_admin"),
        (Worker, "", "worker_admin_name"),
    ],
)
def test_each_long_admin_list_reads_its_order_from_an_index(admin_client_en, moscow, model, query, index):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query.format(moscow=moscow.pk)

    sql, params = list_query(admin_client_en, url, opts.db_table)
    nodes = plan_nodes(sql, params)

    assert not [node for node in nodes if node["Node Type"] in ("Sort", "Incremental Sort")], f"{url} sorts: {sql}"
    assert index in {node.get("Index Name") for node in nodes}, f"{url} does not read {index}"
