"""Reads of regions and their rules. The rules in force on a date are a query, not a flag."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q

from applications.models import Application, CaseWorker, DecisionWorker, WorkerOutcome
from applications.models.application import PENDING_STATUSES
from regions.models import EligibilityThreshold, RuleSet
from regions.months import add_months, first_of_month


def rule_set_in_force(*, region_id: int, on: dt.date) -> RuleSet | None:
    """The latest published version that started on or before `on`; None when the region has
    none yet. A draft is never in force, whatever its date."""
    return RuleSet.objects.published().filter(region_id=region_id, effective_from__lte=on).order_by("-effective_from").first()


def rule_set_in_force_among(versions: Sequence[RuleSet], *, on: dt.date) -> RuleSet | None:
    """`rule_set_in_force` picked from the region's `versions` already read (oldest first, every
    version up to `on` among them); drafts among them are passed over."""
    return next(
        (version for version in reversed(versions) if version.effective_from <= on and version.published_at is not None), None
    )


def pending_cases_under_rule_version(*, rule_set: RuleSet):
    """The region's undecided cases `rule_set` applies (or would apply, once published) to: those
    arriving from its start until the start of the next published version."""
    cases = Application.objects.filter(
        region_id=rule_set.region_id, status__in=PENDING_STATUSES, planned_arrival_date__gte=rule_set.effective_from
    )
    next_start = (
        RuleSet.objects.published().filter(region_id=rule_set.region_id, effective_from__gt=rule_set.effective_from)
        .order_by("effective_from").values_list("effective_from", flat=True).first()
    )
    return cases if next_start is None else cases.filter(planned_arrival_date__lt=next_start)


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
    live = CaseWorker.objects.filter(undecided | Q(pk__in=adding) if adding else undecided).values_list(
        "worker__citizenship", "worker__passport_key"
    )
    return decided.order_by().union(live.order_by()).count()
