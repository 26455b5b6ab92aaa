"""How much of each region's monthly worker quota is used: the meter on the queue and the
statistics page's month chart share these reads.

A month's quota is the one of the rule version in force on the 1st of that month; workers count
against the month of their case's planned arrival once their line is approved (as at approval),
each person (citizenship and passport key) once however many approved lines they hold. A decided
case's people count as its decision named and decided them (applications/decided_people.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from applications.decided_people import approved_as_decided, person_as_decided
from applications.models import CaseWorker, DecisionWorker, WorkerOutcome
from regions.models import RuleSet
from regions.months import add_months, first_of_month


@dataclass(frozen=True)
class QuotaMeter:
    region_id: int
    region_name: str
    month: dt.date  # the 1st of the month
    approved: int
    quota: int

    @property
    def percent(self) -> int:
        """How full the bar is drawn: a quota of 0 with nothing approved is an empty bar."""
        if self.quota == 0:
            return 100 if self.approved else 0
        return min(100, round(self.approved * 100 / self.quota))

    @property
    def bar_width(self) -> int:
        """The bar's width in steps of 5% (CSS classes, as the CSP forbids style attributes); a
        quota barely used still shows a sliver, and only a full quota fills the bar."""
        if self.approved == 0:
            return 0
        if self.is_full:
            return 100
        return min(95, max(5, self.percent // 5 * 5))

    @property
    def value_for_bar(self) -> int:
        # aria-valuenow must stay within aria-valuemax even if a lowered quota is already exceeded.
        return min(self.approved, self.quota)

    @property
    def remaining(self) -> int:
        return max(self.quota - self.approved, 0)

    @property
    def is_full(self) -> bool:
        return self.approved >= self.quota

    @property
    def is_nearly_full(self) -> bool:
        return not self.is_full and self.percent >= 90


def _versions(region_ids: list[int], until: dt.date, *, whole: bool = False) -> list[RuleSet]:
    # Oldest first, so that the last version started on or before a month's 1st is the one in force.
    # Only what a meter reads: a version has dozens of columns of rules, and every queue page asks;
    # whole rows when the case page's rule check reads the same versions (each deferred column
    # would cost a query of its own).
    # Published only: a draft sets no quota, whatever its date.
    versions = RuleSet.objects.published().filter(region_id__in=region_ids, effective_from__lte=until).select_related("region")
    if not whole:
        versions = versions.only(
            "region_id", "effective_from", "monthly_worker_quota", "region__name_ru", "region__name_en", "region__number"
        )
    return list(versions.order_by("region__number", "effective_from"))


def _quotas_in_force(versions: list[RuleSet], months: list[dt.date]) -> dict[tuple[int, dt.date], int | None]:
    quotas: dict[tuple[int, dt.date], int | None] = {}
    for version in versions:
        for month in months:
            if version.effective_from <= month:
                quotas[(version.region_id, month)] = version.monthly_worker_quota
    return quotas


def quotas_on_firsts(*, region_ids: Iterable[int], months: list[dt.date]) -> dict[tuple[int, dt.date], int | None]:
    """(region id, month) -> the monthly quota of the version in force on that month's 1st
    (None: no cap, or no version in force). One query, whatever the number of regions and months."""
    region_ids = list(region_ids)
    if not region_ids or not months:
        return {}
    return _quotas_in_force(_versions(region_ids, max(months)), months)


def approved_workers_by_month(*, region_ids: Iterable[int], months: list[dt.date]) -> dict[tuple[int, dt.date], int]:
    """(region id, month) -> people approved with a planned arrival in that month. One query:
    the months' lines counted per region and month in SQL, over the arrival-date range only."""
    region_ids = list(region_ids)
    if not region_ids or not months:
        return {}
    rows = (
        CaseWorker.objects.filter(
            approved_as_decided(),
            application__region_id__in=region_ids,
            application__planned_arrival_date__gte=min(months),
            application__planned_arrival_date__lt=add_months(max(months), 1),
        )
        .annotate(month=TruncMonth("application__planned_arrival_date"))
        .order_by()
        .values("application__region_id", "month")
        .annotate(approved=Count(person_as_decided(), distinct=True))
    )
    return {(row["application__region_id"], row["month"]): row["approved"] for row in rows}


def meter_versions(*, region_ids: Iterable[int], today: dt.date) -> list[RuleSet]:
    """The rule versions `quota_meters` reads (oldest first, with their regions): every version up
    to the 1st of the month after `today`'s, so also the one in force on `today`."""
    return _versions(sorted(set(region_ids)), add_months(first_of_month(today), 1), whole=True)


def quota_meters(*, region_ids: Iterable[int], today: dt.date, versions: list[RuleSet] | None = None) -> list[QuotaMeter]:
    """For each region with a monthly quota in force: this month's and next month's use of it.

    Two queries whatever the number of regions: the regions' rule versions (with the regions;
    none when `meter_versions` was read already), and the approved workers of both months
    counted per region in one aggregate.
    """
    region_ids = sorted(set(region_ids))
    if not region_ids:
        return []
    this_month = first_of_month(today)
    next_month = add_months(this_month, 1)
    months = [this_month, next_month]
    if versions is None:
        versions = _versions(region_ids, next_month)
    quotas = _quotas_in_force(versions, months)
    # Only the regions with a quota have a meter: a national reviewer's 85 regions are counted
    # only where a cap is in force (at a million cases, counting them all took 43 ms a page).
    capped = sorted({region_id for (region_id, _month), quota in quotas.items() if quota is not None})
    if not capped:
        return []
    counts = (
        CaseWorker.objects.filter(
            approved_as_decided(),
            application__region_id__in=capped,
            application__planned_arrival_date__gte=this_month,
            application__planned_arrival_date__lt=add_months(this_month, 2),
        )
        .order_by()
        .values("application__region_id")
        .annotate(
            this_month=Count(person_as_decided(), distinct=True, filter=Q(application__planned_arrival_date__lt=next_month)),
            next_month=Count(person_as_decided(), distinct=True, filter=Q(application__planned_arrival_date__gte=next_month)),
        )
    )
    approved = {}
    for row in counts:
        approved[(row["application__region_id"], this_month)] = row["this_month"]
        approved[(row["application__region_id"], next_month)] = row["next_month"]
    regions = {version.region_id: version.region for version in versions}  # in region number order
    meters = []
    for region_id, region in regions.items():
        for month in months:
            quota = quotas.get((region_id, month))
            if quota is not None:
                meters.append(
                    QuotaMeter(
                        region_id=region_id, region_name=region.name, month=month,
                        approved=approved.get((region_id, month), 0), quota=quota,
                    )
                )
    return meters


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
