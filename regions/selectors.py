"""Reads of regions and their rules. The rules in force on a date are a query, not a flag."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from applications.decided_people import approved_as_decided, citizenship_as_decided, passport_key_as_decided
from applications.models import ApplicationWorker
from regions.models import EligibilityThreshold, RuleSet
from regions.months import add_months, first_of_month


def rule_set_in_force(*, region_id: int, on: dt.date) -> RuleSet | None:
    """The latest version that started on or before `on`; None when the region has none yet."""
    return RuleSet.objects.filter(region_id=region_id, effective_from__lte=on).order_by("-effective_from").first()


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
    in_month = Q(
        application__region_id=region_id,
        application__planned_arrival_date__gte=first,
        application__planned_arrival_date__lt=add_months(first, 1),
    )
    approved = in_month & approved_as_decided()
    adding = list(adding_line_ids)
    lines = ApplicationWorker.objects.filter(approved | Q(pk__in=adding) if adding else approved)
    return (
        lines.annotate(person_citizenship=citizenship_as_decided(), person_key=passport_key_as_decided())
        .order_by()
        .values("person_citizenship", "person_key")
        .distinct()
        .count()
    )
