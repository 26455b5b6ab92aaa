"""The regional officer's queue: the cases of the officer's regions, filtered, sorted, paginated."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from applications import selectors
from applications.deadlines import mark_deadline
from applications.filters.review import ApplicationQueueFilter
from applications.views.decorators import officer_required

QUEUE_PAGE_SIZE = 25
SORTABLE_COLUMNS = ("submitted", "deadline", "reference")  # the `o` values of ApplicationQueueFilter



def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the `o` value its header link sets (a second click reverses
    the order) and its aria-sort state."""
    links = {}
    for key in SORTABLE_COLUMNS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria_sort": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria_sort": "descending"}
        else:
            links[key] = {"next": key, "aria_sort": "none"}
    return links


@officer_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = ApplicationQueueFilter(request.GET or None, queryset=selectors.application_list_for_officer(user=request.user))
    # get_page clamps a page number past the end (or not a number) to a real page.
    page = Paginator(queue.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for application in page:
        mark_deadline(application, today)
    context = {"filter": queue, "page": page, "sort": _sort_links(request.GET.get("o", ""))}
    return render(request, "applications/review/queue.html", context)


# The case page


