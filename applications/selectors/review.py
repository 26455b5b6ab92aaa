"""Reads for the review dashboard, scoped to the officer's regions first: another region's case is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Application, Status
from applications.permissions import officer_region_ids
from applications.selectors.cases import worker_count_subquery

# The crossing's region gives the zone the arrival is shown in (Application.arrival_zone).
QUEUE_ROW_RELATED = ("region", "employer", "assigned_officer", "checkpoint__region", "border_region")


def application_list_for_officer(*, user, related: bool = True) -> QuerySet[Application]:
    """The officer's regions first; drafts are the employer's own business and never shown.

    With `related=False` the joins a row shows (QUEUE_ROW_RELATED) are left for the caller to add
    once the list is filtered: every filter copies the queryset, and with it the nested joins."""
    cases = (
        Application.objects.filter(region_id__in=officer_region_ids(user))
        .exclude(status=Status.DRAFT)
        .annotate(worker_count=Coalesce(worker_count_subquery(), 0))
        .order_by("deadline", "submitted_at", "pk")
    )
    return cases.select_related(*QUEUE_ROW_RELATED) if related else cases


# The columns a queue row shows (and its deadline marks and arrival zone need): a page reads
# these, not the cases' other thirty columns and those of five joined tables, which cost more to
# send and to turn into objects than the query itself takes.
QUEUE_ROW_COLUMNS = (
    "reference", "status", "rule_check_failing", "submitted_at", "planned_arrival_at", "deadline",
    "decision_days_left", "reply_due", "region_id", "employer_id", "assigned_officer_id", "checkpoint_id", "border_region_id",
    "region__name_ru", "region__name_en", "region__time_zone", "employer__name", "employer__inn",
    "assigned_officer__full_name", "assigned_officer__email",
    "checkpoint__region_id", "checkpoint__region__time_zone", "border_region__time_zone",
)


def queue_status_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    """Cases per status of an (already scoped and filtered) queue, in one aggregate query."""
    # count(*) lets PostgreSQL answer from the queue index alone; count(id) reads every row.
    rows = queryset.order_by().values("status").annotate(cases=Count("*")).values_list("status", "cases")
    return dict(rows)


# How long the status tabs' counts are reused. Counting a large region's cases by status is most
# of the queue's database time (Moscow's 48,000 cases: 10-20 ms; under a filter on workers, which
# joins every case with its workers, 70-370 ms), and every page, sort and tab of the same filtered
# list would count them again. A status change in a region forgets its counts at once
# (forget_queue_counts), so an officer sees their own decision in the tabs; the page says how old
# the counts are.
TAB_COUNTS_CACHE_SECONDS = 30


@dataclass(frozen=True)
class TabCounts:
    counts: dict[str, int]
    # The moment they were counted, for the page to say.
    counted_at: dt.datetime
    # The filtered list's length, when it follows from the counts (None: the paginator counts).
    found: int | None = None


# Kept counts older than TAB_COUNTS_CACHE_SECONDS (or from before a status change) are still
# served while one request recounts them, for at most this long: without it, every request that
# found them expired recounted at once (a stampede: 8 threads recounting Moscow took 2.5-3.1 s
# each at 1,000,000 cases; issue 21).
TAB_COUNTS_STALE_SECONDS = 600
# How long one recount may hold the others off before they count for themselves.
TAB_COUNTS_RECOUNT_LOCK_SECONDS = 10


def queue_tab_counts(queue, *, user) -> TabCounts:
    """The status tabs of an ApplicationQueueFilter: every status counted under the other
    filters, in one grouped query, kept for TAB_COUNTS_CACHE_SECONDS.

    The list's own length is then the sum of the chosen statuses, with no second count; if the
    counts are a little old, KeysFirstPaginator corrects the length on the page the officer
    reads, so a case that began to match since is never cut off the list.
    """
    filters, changes = _tab_counts_key(queue, user)
    tab_counts = _kept_status_counts(lambda: queue.queryset_without("status", "o"), key=filters, changes=changes)
    if not queue.is_valid():
        return tab_counts
    counts = tab_counts.counts
    selected = queue.form.cleaned_data.get("status") or counts
    return replace(tab_counts, found=sum(counts.get(status, 0) for status in selected))


def forget_queue_counts(region_id: int) -> None:
    """A case of the region changed status: the kept counts of every list of the region are
    recounted at their next reading (served meanwhile to others while one request recounts)."""
    cache.set(_region_changes_key(region_id), time.time_ns(), None)


def _region_changes_key(region_id: int) -> str:
    return f"queue-changes:{region_id}"


def _tab_counts_key(queue, user) -> tuple[str, str]:
    """Which counts (the list's regions, filters and day) and as of which changes of its regions."""
    # Officers of the same regions share the counts of the same filters, but "assigned to me"
    # depends on who asks; the day is there because "overdue" changes at midnight.
    regions = sorted(officer_region_ids(user))
    changes = cache.get_many([_region_changes_key(region) for region in regions])
    mine = user.pk if queue.is_valid() and queue.form.cleaned_data.get("mine") else None
    filters = repr((regions, mine, queue.cache_key_without("status", "o"), timezone.localdate().isoformat()))
    return filters, repr([changes.get(_region_changes_key(region)) for region in regions])


def _kept_status_counts(queryset: Callable[[], QuerySet[Application]], *, key: str, changes: str) -> TabCounts:
    """The kept counts, or those of `queryset()`: built only when they are counted, as building
    the filtered query cost more than the cache lookup that usually answers.

    Counts older than TAB_COUNTS_CACHE_SECONDS, or counted before the last status change of
    their regions, are recounted by one request at a time (a lock in the cache); the others
    serve the kept counts meanwhile (their page says when they were counted)."""
    cache_key = "queue-tab-counts:" + hashlib.sha256(key.encode()).hexdigest()
    kept = cache.get(cache_key)
    if kept is not None:
        counts, counted_as_of = kept
        age = (timezone.now() - counts.counted_at).total_seconds()
        if counted_as_of == changes and age < TAB_COUNTS_CACHE_SECONDS:
            return counts
        if not cache.add(cache_key + ":recount", 1, TAB_COUNTS_RECOUNT_LOCK_SECONDS):
            return counts  # another request is recounting them
    try:
        counts = TabCounts(queue_status_counts(queryset()), counted_at=timezone.now())
        cache.set(cache_key, (counts, changes), TAB_COUNTS_STALE_SECONDS)
    finally:
        if kept is not None:
            cache.delete(cache_key + ":recount")
    return counts
