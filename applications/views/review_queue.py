"""The regional officer's queue: the cases of the officer's regions, filtered, sorted, paginated,
with a tab per status and the monthly quota meter."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from applications import selectors
from applications.deadlines import DEADLINE_RUNNING, mark_deadline
from applications.exports import XLSX_MAX_ROWS
from applications.filters.review import (
    AWAITING_DECISION,
    QUEUE_STATUS_CHOICES,
    SORT_FIELDS,
    STATUS_ALL,
    STATUS_AWAITING,
    ApplicationQueueFilter,
)
from applications.pagination import KeysFirstPaginator
from applications.permissions import officer_region_ids, officer_time_zone
from applications.selectors.quota import quota_meters
from applications.selectors.review import QUEUE_ROW_COLUMNS, QUEUE_ROW_RELATED, queue_tab_counts
from applications.views.decorators import officer_required
from applications.views.sorting import sort_links
from portal.db_router import reads_from_replica


def _status_tabs(counts: dict[str, int], selected: list[str]) -> list[dict]:
    """The cases awaiting decision first (where the queue opens), a tab per status, then every
    case, each with its count under the other filters; the current tab is the one whose
    statuses are exactly those selected."""
    tabs = [
        {
            "value": STATUS_AWAITING, "label": _("Awaiting decision"),
            "count": sum(counts.get(status, 0) for status in AWAITING_DECISION),
            "current": sorted(selected) == sorted(AWAITING_DECISION),
        }
    ]
    for value, label in QUEUE_STATUS_CHOICES:
        tabs.append({"value": value, "label": label, "count": counts.get(value, 0), "current": selected == [value]})
    tabs.append({"value": STATUS_ALL, "label": _("All"), "count": sum(counts.values()), "current": not selected})
    return tabs


@officer_required
@require_safe
@reads_from_replica
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = ApplicationQueueFilter(
        request.GET, queryset=selectors.application_list_for_officer(user=request.user, related=False), request=request
    )
    tab_counts = queue_tab_counts(queue, user=request.user)
    # get_page clamps a page number past the end (or not a number) to a real page.
    rows = queue.qs.select_related(*QUEUE_ROW_RELATED).only(*QUEUE_ROW_COLUMNS)
    page = KeysFirstPaginator(rows, queue.form.page_size, count=tab_counts.found).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for application in page:
        mark_deadline(application, today)
        application.fails_rules = application.rule_check_failing and application.status in DEADLINE_RUNNING
    context = {
        "filter": queue,
        "page": page,
        "sort": sort_links(request.GET.get("o", ""), SORT_FIELDS),
        "status_tabs": _status_tabs(tab_counts.counts, queue.form.cleaned_data.get("status") or []),
        # Said on the officer's clock: "Counts as of 14:02" (a clock time, which templates do not
        # move to the portal's zone as they would an instant).
        "tab_counts_at": timezone.localtime(tab_counts.counted_at, officer_time_zone(request.user)).time(),
        "xlsx_row_cap": XLSX_MAX_ROWS,
        "quota_meters": quota_meters(region_ids=officer_region_ids(request.user), today=today),
    }
    return render(request, "applications/review/queue.html", context)
