"""Reads of regions and their rules. The rules in force on a date are a query, not a flag."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q

from applications.models import ApplicationWorker, DecisionWorker, WorkerOutcome
from regions.models import EligibilityThreshold, RuleSet
from regions.months import add_months, first_of_month


def rule_set_in_force(*, region_id: int, on: dt.date) -> RuleSet | None:
    """The latest version that started on or before `on`; None when the region has none yet."""
    return RuleSet.objects.filter(region_id=region_id, effective_from__lte=on).order_by("-effective_from").first()


def rule_set_in_force_among(versions: Sequence[RuleSet], *, on: dt.date) -> RuleSet | None:
    """`rule_set_in_force` picked from the region's `versions` already read (oldest first, every
    version up to `on` among them)."""
    return next((version for version in reversed(versions) if version.effective_from <= on), None)


def threshold_in_force(*, on: dt.date) -> EligibilityThreshold | None:
    return EligibilityThreshold.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def approved_workers_in_month(*, region_id: int, month_of: dt.date, adding_line_ids: Iterable[int] = ()) -> int:
    """People approved for the region whose planned arrival falls in the month of `month_of`,
    each counted once however many approved lines they hold (a person is a citizenship and a
    passport key); with `adding_line_ids`, as if those lines were approved too (the quota guard
    asks how many people an approval would make). A decided case's people count as its decision
    named and decided them."""
    # A date range, not `__month`: EXTRACT(MONTH ...) can use no index, and the count would read
    # every case of the region on each case page and approval.
    first = first_of_month(month_of)
    month = {"planned_arrival_date__gte": first, "planned_arrival_date__lt": add_months(first, 1)}
    # Two sets, so each reads the region's month from the index of cases by region and arrival:
    # the people of decided cases as their decisions approved them, and the lines approved (or
    # being approved) without a decision yet. UNION keeps each person once.
    decided = DecisionWorker.objects.filter(
        outcome=WorkerOutcome.APPROVED, decision__application__region_id=region_id,
        **{f"decision__application__{name}": value for name, value in month.items()},
    ).values_list("citizenship", "passport_key")
    undecided = Q(
        outcome=WorkerOutcome.APPROVED, application__decision__isnull=True, application__region_id=region_id,
        **{f"application__{name}": value for name, value in month.items()},
    )
    adding = list(adding_line_ids)
    live = ApplicationWorker.objects.filter(undecided | Q(pk__in=adding) if adding else undecided).values_list(
        "worker__citizenship", "worker__passport_key"
    )
    return decided.order_by().union(live.order_by()).count()
