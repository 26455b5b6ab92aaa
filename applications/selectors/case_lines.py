"""The worker lines of a case page, a page at a time: searched, filtered, counted.

A case may hold thousands of workers; its page reads only the lines of the page shown, plus one
aggregate query for the counts at the top (by outcome, by rule-check result, and the size of the
filtered list the paginator needs), so the page costs the same whatever the size of the case.

The rule check's result is not a column: it is computed in Python by the rule check the page runs
anyway (or kept with the decision), and handed in as the ids of the failing lines.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from applications.models import Application, WorkerOutcome
from applications.selectors.cases import application_lines

# The values of the case page's filter of workers by their rule check.
CHECK_PASSES, CHECK_FAILS = "passes", "fails"

LINES_PER_PAGE = 50


@dataclass(frozen=True)
class LineCounts:
    total: int
    approved: int
    refused: int
    pending: int
    passes: int
    fails: int


def _search(text: str) -> Q:
    """A name (Latin or Cyrillic, surname or given names) or a passport number, in the registry
    or as the decision named the worker."""
    condition = Q()
    for source in ("worker__", "decided__"):
        for field in ("surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "passport_number"):
            condition |= Q(**{f"{source}{field}__icontains": text})
    return condition


def _filter_condition(filters: dict[str, str], failing_ids: Collection[int]) -> Q:
    condition = Q()
    if text := filters.get("q"):
        condition &= _search(text)
    if filters.get("check") == CHECK_FAILS:
        condition &= Q(pk__in=list(failing_ids))
    elif filters.get("check") == CHECK_PASSES:
        condition &= ~Q(pk__in=list(failing_ids))
    if outcome := filters.get("outcome"):
        condition &= Q(outcome=outcome)
    return condition


def case_lines_page(
    application: Application,
    *,
    filters: dict[str, str],
    failing_ids: Collection[int],
    page_number,
    per_page: int = LINES_PER_PAGE,
) -> tuple[Page, LineCounts]:
    """The page of the case's lines matching `filters` (q, check, outcome), in the case's order,
    and the counts per state of all its lines, in two queries whatever the size of the case."""
    failing = list(failing_ids)
    condition = _filter_condition(filters, failing)
    # One pass over the case's lines counts every state and the filtered list; the search joins
    # the registry and the decision's rows only when there is a search.
    lines = application.lines.all()
    aggregates = {
        "total": Count("pk"),
        "approved": Count("pk", filter=Q(outcome=WorkerOutcome.APPROVED)),
        "refused": Count("pk", filter=Q(outcome=WorkerOutcome.REFUSED)),
        "pending": Count("pk", filter=Q(outcome=WorkerOutcome.PENDING)),
    }
    if failing:
        aggregates["fails"] = Count("pk", filter=Q(pk__in=failing))
    if condition:
        # A subquery, so the search's joins (an undecided line has no decision row) stay its own.
        aggregates["matching"] = Count("pk", filter=Q(pk__in=application.lines.filter(condition).values("pk")))
    totals = lines.aggregate(**aggregates)
    fails = totals.get("fails", 0)
    counts = LineCounts(
        total=totals["total"],
        approved=totals["approved"],
        refused=totals["refused"],
        pending=totals["pending"],
        passes=totals["total"] - fails,
        fails=fails,
    )
    queryset = application_lines(application).filter(condition)
    paginator = Paginator(queryset, per_page)
    # Counted above already: no COUNT query of the paginator's own. A case's lines are at most some
    # thousands, so OFFSET costs little and the page is read in one query (the queue's
    # KeysFirstPaginator spends a second one to skip millions of cases).
    paginator.count = totals.get("matching", totals["total"])
    return paginator.get_page(page_number), counts
