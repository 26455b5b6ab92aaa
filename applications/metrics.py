"""The portal's own figures for Prometheus, read from the database at each scrape: the same in
every process, so they need no multiprocess set-up (the request metrics of django-prometheus do;
see docs/operations.md, "Metrics").

- portal_cases{region, status}: cases by region (its number) and status, drafts included;
- portal_overdue_cases{region}: cases still waiting past their decision deadline (as the
  statistics page counts them);
- portal_tasks{state}: background tasks by state (READY is the backlog, FAILED the failures
  still kept by django-tasks-db).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from applications.deadlines import DEADLINE_RUNNING
from applications.models import Application


class PortalCollector(Collector):
    def collect(self):
        cases = GaugeMetricFamily("portal_cases", "Cases by region of work (its number) and status.", labels=["region", "status"])
        overdue = GaugeMetricFamily(
            "portal_overdue_cases", "Cases still waiting for a decision past their deadline, by region.", labels=["region"]
        )
        today = timezone.localdate()
        rows = (
            Application.objects.values("region__number", "status")
            .annotate(cases=Count("pk"), overdue=Count("pk", filter=Q(status__in=DEADLINE_RUNNING, deadline__lt=today)))
            .order_by("region__number", "status")
        )
        overdue_by_region: dict[str, int] = {}
        for row in rows:
            region = str(row["region__number"])
            cases.add_metric([region, row["status"]], row["cases"])
            overdue_by_region[region] = overdue_by_region.get(region, 0) + row["overdue"]
        for region, count in overdue_by_region.items():
            overdue.add_metric([region], count)
        yield cases
        yield overdue

        tasks = GaugeMetricFamily("portal_tasks", "Background tasks by state (READY: waiting for a worker).", labels=["state"])
        for row in DBTaskResult.objects.values("status").annotate(count=Count("pk")).order_by("status"):
            tasks.add_metric([row["status"]], row["count"])
        yield tasks

    def describe(self):
        # Named here so registering the collector does not run its queries (before migrations).
        return [
            GaugeMetricFamily("portal_cases", "", labels=["region", "status"]),
            GaugeMetricFamily("portal_overdue_cases", "", labels=["region"]),
            GaugeMetricFamily("portal_tasks", "", labels=["state"]),
        ]
