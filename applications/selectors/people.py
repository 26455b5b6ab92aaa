"""Reads about people across companies and regions: a person is a citizenship and a passport key
(`Worker.passport_key`, computed by the database), whatever registry lists them.

One person is approved once for the same time: the rule check shows a person's other live
applications arriving within the isolation period, and the approval guard refuses a person
already approved on one (applications/transitions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from applications.models import Application, CaseWorker, WorkerOutcome
from applications.models.application import APPROVED_STATUSES, PENDING_STATUSES
from applications.models.worker import display_name
from regions.rules import OtherLiveCase

# The longest isolation a rule version may set (RuleSet.isolation_days): the facts gather other
# cases this far on either side, and the rule check keeps those within the rules in force.
LONGEST_ISOLATION = dt.timedelta(days=60)
# Without rules in force the design's default isolation stands.
DEFAULT_ISOLATION_DAYS = 14


def live_lines() -> Q:
    """A line that still holds its person for its arrival: the case is pending, or the case is
    approved (fully or partly) with this line approved and no arrival reported yet. Drafts,
    withdrawn and rejected cases, refused lines and arrived workers hold no one."""
    return Q(application__status__in=PENDING_STATUSES) | Q(
        application__status__in=APPROVED_STATUSES, outcome=WorkerOutcome.APPROVED, arrived_on__isnull=True
    )


def approved_lines() -> Q:
    """A line approved and not yet arrived: what stops a second approval of the person."""
    return Q(application__status__in=APPROVED_STATUSES, outcome=WorkerOutcome.APPROVED, arrived_on__isnull=True)


def _lines_maybe_of(persons: set[tuple[str, str]]) -> QuerySet[CaseWorker]:
    """Lines whose worker may be one of `persons` ((citizenship, passport key) pairs), read through
    the person index with the keys as lists. One person's citizenship with another's key matches
    too, so callers keep only the rows whose pair is in `persons`. Not a correlated EXISTS over a
    case's lines: with thousands of lines and the statistics of a table that just grew,
    PostgreSQL may plan that as a nested loop per line (half an hour for 5,000 workers)."""
    return CaseWorker.objects.filter(
        worker__citizenship__in=sorted({citizenship for citizenship, _key in persons}),
        worker__passport_key__in=sorted({key for _citizenship, key in persons}),
    )


def _arriving_within(arrival: dt.date, period: dt.timedelta) -> Q:
    """Cases whose planned arrival is less than `period` from `arrival`, either way. The bounds
    stop at the calendar's ends: a draft saved (by a script or the admin) for year 9999 must not
    overflow the date arithmetic of every page that checks it."""
    earliest = arrival - period if arrival - dt.date.min > period else dt.date.min
    latest = arrival + period if dt.date.max - arrival > period else dt.date.max
    return Q(application__planned_arrival_date__gt=earliest, application__planned_arrival_date__lt=latest)


def other_live_cases_by_person(
    application: Application, persons: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[OtherLiveCase, ...]]:
    """(citizenship, passport key) -> the person's other live applications, of any company and
    region, arriving within the longest possible isolation of this case's arrival. `persons`: the
    (citizenship, passport key) of the case's workers, already read by the caller. One query,
    whatever the number of workers on the case."""
    persons = set(persons)
    if not persons:
        return {}
    arrival = application.planned_arrival_date
    rows = (
        _lines_maybe_of(persons)
        .filter(live_lines())
        .exclude(application_id=application.pk)
        .filter(_arriving_within(arrival, LONGEST_ISOLATION))
        .order_by("application__planned_arrival_date", "application__reference")
        .values_list(
            "worker__citizenship", "worker__passport_key", "application__reference", "application__planned_arrival_date",
            "application__employer_id",
        )
    )
    found: dict[tuple[str, str], list[OtherLiveCase]] = {}
    for citizenship, key, reference, other_arrival, employer_id in rows:
        if (citizenship, key) not in persons:
            continue  # a citizenship of one worker with the passport key of another
        found.setdefault((citizenship, key), []).append(
            OtherLiveCase(reference=reference, arrival_date=other_arrival, own_company=employer_id == application.employer_id)
        )
    return {person: tuple(cases) for person, cases in found.items()}


@dataclass(frozen=True)
class PersonToApprove:
    line_id: int
    name: str
    citizenship: str
    passport_key: str


def people_to_approve(application: Application, *, refused_line_ids: Iterable[int]) -> list[PersonToApprove]:
    """The case's lines an approval would approve (all but the refused), with who they are."""
    # Plain values, not model rows: a case may hold thousands of workers, and this runs inside
    # the case's lock on every approval.
    lines = (
        application.lines.exclude(pk__in=list(refused_line_ids))
        .order_by("pk")
        .values_list("pk", "worker__surname_latin", "worker__given_names_latin", "worker__citizenship", "worker__passport_key")
    )
    return [
        PersonToApprove(
            line_id=line_id, name=display_name(surname, given_names), citizenship=citizenship, passport_key=passport_key
        )
        for line_id, surname, given_names, citizenship, passport_key in lines
    ]


def approved_elsewhere_for_the_same_time(
    application: Application, *, people: list[PersonToApprove], isolation_days: int
) -> list[tuple[PersonToApprove, str]]:
    """(person, reference of the other case) for each of `people` (lines of this case) who is
    approved, not yet arrived, on another case arriving less than `isolation_days` away. One
    query. The caller holds the people's locks, so no such approval can commit meanwhile."""
    arrival, period = application.planned_arrival_date, dt.timedelta(days=isolation_days)
    by_key = {(person.citizenship, person.passport_key): person for person in people}
    if not by_key:
        return []
    others = (
        _lines_maybe_of(set(by_key))
        .filter(approved_lines())
        .exclude(application_id=application.pk)
        .filter(_arriving_within(arrival, period))
        .order_by("application__planned_arrival_date", "application__reference")
        .values_list("worker__citizenship", "worker__passport_key", "application__reference")
    )
    return [(by_key[(citizenship, key)], reference) for citizenship, key, reference in others if (citizenship, key) in by_key]


def pending_cases_sharing_people(*, application_id: int) -> QuerySet[Application]:
    """Pending cases, other than `application_id`, listing one of its people (any company or region)."""
    persons = set(
        CaseWorker.objects.filter(application_id=application_id).values_list("worker__citizenship", "worker__passport_key")
    )
    if not persons:
        return Application.objects.none()
    lines = (
        _lines_maybe_of(persons)
        .filter(application__status__in=PENDING_STATUSES)
        .exclude(application_id=application_id)
        .values_list("application_id", "worker__citizenship", "worker__passport_key")
    )
    sharing = {other_id for other_id, citizenship, key in lines if (citizenship, key) in persons}
    return (
        Application.objects.filter(pk__in=sorted(sharing), status__in=PENDING_STATUSES)
        .exclude(pk=application_id)
        .select_related("region", "employer__group_head")
        .order_by("pk")
    )
