"""The figures of a region's statistics page, in a fixed number of queries whatever the region's size.

Scoping is the caller's: pass only a region the officer works for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.utils import timezone

from applications.deadlines import DEADLINE_RUNNING
from applications.decided_people import citizenship_as_decided, passport_key_as_decided
from applications.models import Application, CaseWorker, DecisionOverride, Status
from applications.models.application import DECIDED_STATUSES
from applications.selectors.quota import add_months, approved_workers_by_month, first_of_month, quotas_on_firsts
from regions.countries import country_name
from regions.models import Region

WEEKS_SHOWN = 12
MONTHS_BEFORE = 5  # with the current month: the last 6 months
MONTHS_AFTER = 2
TOP_CITIZENSHIPS = 10
SECONDS_PER_DAY = 86400


class Median(Aggregate):
    """PostgreSQL's exact median: percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


class EpochSeconds(Func):
    """The length of an interval in seconds."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    cases: int


@dataclass(frozen=True)
class WeekCount:
    monday: dt.date
    decisions: int

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class MonthQuota:
    month: dt.date
    approved: int
    quota: int | None  # None: no cap in force on the month's 1st

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.approved > self.quota


@dataclass(frozen=True)
class CitizenshipCount:
    code: str
    name: str
    workers: int


@dataclass(frozen=True)
class RegionStatistics:
    region: Region
    today: dt.date
    by_status: list[StatusCount]
    weekly_decisions: list[WeekCount]
    decided_in_weeks: int
    median_days_to_decision: float | None
    overdue: int
    monthly_approved: list[MonthQuota]
    top_citizenships: list[CitizenshipCount]
    # Approvals against a failing check (all time): the cases decided so, and the workers approved so.
    overridden_cases: int = 0
    overridden_workers: int = 0

    @property
    def total_cases(self) -> int:
        return sum(row.cases for row in self.by_status)


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def region_statistics(*, region: Region, today: dt.date) -> RegionStatistics:
    """Five queries: the cases' figures in one aggregate, the approved workers per month, the rule
    versions for the quotas, the citizenships, and the approvals against a failing check."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=weeks_back) for weeks_back in range(WEEKS_SHOWN - 1, -1, -1)]
    # Week boundaries as local midnights, so a decision at 01:00 Moscow time counts on its own day.
    bounds = [_start_of_day(monday) for monday in mondays] + [_start_of_day(this_monday + dt.timedelta(weeks=1))]
    decided_in_window = Q(status__in=DECIDED_STATUSES, decided_at__gte=bounds[0], decided_at__lt=bounds[-1])

    queue_statuses = [(value, label) for value, label in Status.choices if value != Status.DRAFT]
    aggregates = {f"status_{value}": Count("pk", filter=Q(status=value)) for value, _ in queue_statuses}
    aggregates |= {
        f"week_{index}": Count("pk", filter=Q(status__in=DECIDED_STATUSES, decided_at__gte=start, decided_at__lt=end))
        for index, (start, end) in enumerate(zip(bounds, bounds[1:]))
    }
    figures = (
        Application.objects.filter(region=region)
        .exclude(status=Status.DRAFT)
        .aggregate(
            **aggregates,
            overdue=Count("pk", filter=Q(status__in=DEADLINE_RUNNING, deadline__lt=today)),
            decided_in_weeks=Count("pk", filter=decided_in_window),
            median_seconds=Median(EpochSeconds(F("decided_at") - F("submitted_at")), filter=decided_in_window),
        )
    )

    this_month = first_of_month(today)
    months = [add_months(this_month, offset) for offset in range(-MONTHS_BEFORE, MONTHS_AFTER + 1)]
    approved = approved_workers_by_month(region_ids=[region.pk], months=months)
    quotas = quotas_on_firsts(region_ids=[region.pk], months=months)

    citizenships = (
        CaseWorker.objects.filter(application__region=region)
        .exclude(application__status=Status.DRAFT)
        # A decided case's workers as its decision named them, whatever the registry says today.
        .annotate(person_citizenship=citizenship_as_decided())
        .order_by()
        .values("person_citizenship")
        # A worker on two cases (a case withdrawn and filed again), or in two companies' registries,
        # is one person: within a citizenship, one passport key.
        .annotate(workers=Count(passport_key_as_decided(), distinct=True))
        .order_by("-workers", "person_citizenship")[:TOP_CITIZENSHIPS]
    )

    overridden = DecisionOverride.objects.filter(decision__application__region=region).aggregate(
        cases=Count("decision", distinct=True), workers=Count("pk", filter=Q(line__isnull=False))
    )

    median_seconds = figures["median_seconds"]
    return RegionStatistics(
        region=region,
        today=today,
        by_status=[StatusCount(value, label, figures[f"status_{value}"]) for value, label in queue_statuses],
        weekly_decisions=[WeekCount(monday, figures[f"week_{index}"]) for index, monday in enumerate(mondays)],
        decided_in_weeks=figures["decided_in_weeks"],
        median_days_to_decision=None if median_seconds is None else median_seconds / SECONDS_PER_DAY,
        overdue=figures["overdue"],
        monthly_approved=[
            MonthQuota(month, approved.get((region.pk, month), 0), quotas.get((region.pk, month))) for month in months
        ],
        top_citizenships=[
            CitizenshipCount(row["person_citizenship"], country_name(row["person_citizenship"]), row["workers"])
            for row in citizenships
        ],
        overridden_cases=overridden["cases"],
        overridden_workers=overridden["workers"],
    )
