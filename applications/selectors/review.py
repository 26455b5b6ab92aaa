"""Reads for the review dashboard, scoped to the officer's regions first: another region's case is a 404."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from applications.models import Application, Status
from applications.permissions import officer_region_ids
from applications.selectors.cases import worker_count_subquery


def application_list_for_officer(*, user) -> QuerySet[Application]:
    """The officer's regions first; drafts are the employer's own business and never shown."""
    return (
        Application.objects.filter(region_id__in=officer_region_ids(user))
        .exclude(status=Status.DRAFT)
        .select_related("region", "employer", "assigned_officer")
        .annotate(worker_count=Coalesce(worker_count_subquery(), 0))
        .order_by("deadline", "submitted_at", "pk")
    )


def queue_status_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    """Cases per status of an (already scoped and filtered) queue, in one aggregate query."""
    # count(*) lets PostgreSQL answer from the queue index alone; count(id) reads every row.
    rows = queryset.order_by().values("status").annotate(cases=Count("*")).values_list("status", "cases")
    return dict(rows)


def application_get_for_officer(*, user, pk: int) -> Application:
    queryset = (
        Application.objects.filter(region_id__in=officer_region_ids(user))
        .exclude(status=Status.DRAFT)
        .select_related("region", "employer", "assigned_officer")
    )
    return get_object_or_404(queryset, pk=pk)
