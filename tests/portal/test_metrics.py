"""/metrics for Prometheus (issue 20, item 5): closed unless a token is set and sent; request
latency per view; the cases by region and status, the overdue ones, the tasks waiting and failed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-of-the-tests"


@pytest.fixture
def scraping(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def value(page: str, name: str, **labels) -> float | None:
    # Prometheus's text format names the labels in a fixed order: give them in the metric's.
    wanted = ",".join(f'{key}="{label}"' for key, label in labels.items())
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", page, re.M)
    return float(match.group(1)) if match else None


def test_without_a_token_set_the_page_does_not_exist_in_production(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_scraper_without_the_token_gets_a_404(client, scraping, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get("/metrics", **extra).status_code == 404


def test_the_cases_by_region_and_status_and_the_overdue_ones_are_counted(client, scraping, moscow, spb):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ApplicationFactory.create_batch(2, region=moscow, status=Status.SUBMITTED, deadline=yesterday)
    ApplicationFactory(region=moscow, status=Status.IN_REVIEW, deadline=timezone.localdate())  # due today: not overdue
    ApplicationFactory(region=moscow, status=Status.APPROVED, deadline=yesterday)  # decided: not waiting
    ApplicationFactory(region=spb, status=Status.DRAFT)

    response = client.get("/metrics", **scraping)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    page = response.content.decode()
    assert value(page, "portal_cases", region="77", status="submitted") == 2
    assert value(page, "portal_cases", region="77", status="in_review") == 1
    assert value(page, "portal_cases", region="78", status="draft") == 1
    assert value(page, "portal_overdue_cases", region="77") == 2
    assert value(page, "portal_overdue_cases", region="78") == 0


def test_waiting_and_failed_background_tasks_are_counted(client, scraping, settings):
    from django_tasks_db.models import DBTaskResult

    from applications import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.send_status_email.enqueue(change_id=1)
    tasks.send_status_email.enqueue(change_id=2)
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at").first().pk).update(status="FAILED")

    page = client.get("/metrics", **scraping).content.decode()

    assert value(page, "portal_tasks", state="READY") == 1
    assert value(page, "portal_tasks", state="FAILED") == 1


def test_each_views_requests_are_timed(client, scraping):
    before = value(client.get("/metrics", **scraping).content.decode(),
                   "django_http_requests_latency_seconds_by_view_method_count", method="GET", view="accounts:login") or 0

    client.get(reverse("accounts:login"))

    page = client.get("/metrics", **scraping).content.decode()
    assert value(page, "django_http_requests_latency_seconds_by_view_method_count", method="GET", view="accounts:login") == before + 1


def test_under_several_gunicorn_workers_the_portals_figures_are_still_there(client, scraping, moscow, monkeypatch, tmp_path):
    # PROMETHEUS_MULTIPROC_DIR: the request figures come from the workers' files (none here).
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    ApplicationFactory(region=moscow, status=Status.SUBMITTED)

    page = client.get("/metrics", **scraping).content.decode()

    assert value(page, "portal_cases", region="77", status="submitted") == 1
