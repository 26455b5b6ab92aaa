"""Reads for the review dashboard, scoped to the officer's regions first: another region's case is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

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


# How long the status tabs' counts under a worker filter are reused (see below).
TAB_COUNTS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class TabCounts:
    counts: dict[str, int]
    # When the counts were taken from a cache: the moment they were counted, for the page to say.
    counted_at: dt.datetime | None = None
    # The filtered list's length, when it follows from the counts (None: the paginator counts).
    found: int | None = None


def queue_tab_counts(queue, *, user) -> TabCounts:
    """The status tabs of an ApplicationQueueFilter: every status counted under the other
    filters, in one grouped query.

    The list's own length is then the sum of the chosen statuses, with no second count. Under a
    filter on workers the counts are kept a minute (queue_status_counts_cached) and the length is
    left to the paginator: counts a minute old would hide a case that began to match since.
    """
    by_status = queue.queryset_without("status", "o")
    if queue.filters_by_worker():
        # The officer and the filters make the key; "mine" and the regions depend on the officer.
        return queue_status_counts_cached(by_status, key=f"{user.pk}:{queue.cache_key_without('status', 'o')}")
    counts = queue_status_counts(by_status)
    if not queue.is_valid():
        return TabCounts(counts)
    selected = queue.form.cleaned_data.get("status") or counts
    return TabCounts(counts, found=sum(counts.get(status, 0) for status in selected))


def queue_status_counts_cached(queryset: QuerySet[Application], *, key: str) -> TabCounts:
    """The status counts for a key (the officer and the filters), counted at most once a minute.

    Used under a worker filter: counting every status then joins each case of the region with
    its workers (200-370 ms for Moscow's 48,000 cases), which would dominate every page and sort
    of the same filtered list. The page says how old the counts are.
    """
    cache_key = "queue-tab-counts:" + hashlib.sha256(key.encode()).hexdigest()
    if (cached := cache.get(cache_key)) is not None:
        return cached
    counts = TabCounts(queue_status_counts(queryset), counted_at=timezone.now())
    cache.set(cache_key, counts, TAB_COUNTS_CACHE_SECONDS)
    return counts


def application_get_for_officer(*, user, pk: int) -> Application:
    queryset = (
        Application.objects.filter(region_id__in=officer_region_ids(user))
        .exclude(status=Status.DRAFT)
        .select_related("region", "employer", "assigned_officer")
    )
    return get_object_or_404(queryset, pk=pk)
