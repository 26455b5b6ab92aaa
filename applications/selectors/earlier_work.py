"""Evidence that a worker worked for an employer before: the rule check of an application that
brings workers back, the officer's case page and the worker's page in the registry read it here.

Two queries whatever the number of workers: the latest reported arrival of each worker on the
employer's earlier cases, and the permits and patents declared for them; or, for the rule check of
a whole case, none of their own (`with_earlier_work` annotates the case's lines).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Exists, ExpressionWrapper, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import CaseWorker, Status, Worker, WorkerEarlierPermit
from applications.permissions import employer_id_of, officer_region_ids
from regions import check_messages
from regions.rules import EarlierArrival, EarlierPermit


@dataclass
class WorkerHistory:
    """What the portal knows of one registry worker's earlier work for its employer."""

    arrival: CaseWorker | None = None  # with `application` loaded (its reference)
    permits: list[WorkerEarlierPermit] = field(default_factory=list)  # with `region` loaded, latest first


def _earlier_arrivals(*, employer_id: int, before: dt.date | None, exclude_application_id: int | None) -> QuerySet[CaseWorker]:
    """The arrivals that count as earlier work for `employer_id`: reported on a case of that
    company (a registry worker belongs to one company, and this says so again: an arrival with
    another company is not work for this one), before `before` when given."""
    # Only an approved line can carry an arrival (constraint application_worker_only_approved_arrive).
    arrivals = CaseWorker.objects.filter(application__employer_id=employer_id, arrived_on__isnull=False)
    if before is not None:
        arrivals = arrivals.filter(arrived_on__lt=before)
    if exclude_application_id is not None:
        arrivals = arrivals.exclude(application_id=exclude_application_id)
    return arrivals


# A worker's latest arrival stands for them; their permits are listed latest first.
LATEST_ARRIVAL_FIRST = ("-arrived_on", "-pk")
PERMITS_ORDER = ("-issued_on", "pk")


def earlier_work_of_workers(
    *, employer_id: int, worker_ids: Collection[int], before: dt.date | None = None, exclude_application_id: int | None = None
) -> dict[int, WorkerHistory]:
    """Each worker's history by worker id: the latest of `_earlier_arrivals` and the declared permits."""
    histories: dict[int, WorkerHistory] = defaultdict(WorkerHistory)
    if not worker_ids:
        return histories
    arrivals = _earlier_arrivals(employer_id=employer_id, before=before, exclude_application_id=exclude_application_id)
    latest_first = (
        arrivals.filter(worker_id__in=worker_ids)
        .select_related("application")
        .only("worker_id", "arrived_on", "application__reference")
        .order_by("worker_id", *LATEST_ARRIVAL_FIRST)
        .distinct("worker_id")
    )
    for line in latest_first:
        histories[line.worker_id].arrival = line
    for permit in WorkerEarlierPermit.objects.filter(worker_id__in=worker_ids).select_related("region").order_by(
        "worker_id", *PERMITS_ORDER
    ):
        histories[permit.worker_id].permits.append(permit)
    return histories


def with_earlier_work(lines: QuerySet[CaseWorker], *, application) -> QuerySet[CaseWorker]:
    """The case's `lines` annotated with what `earlier_work_of_workers` reads for the rule check,
    inside the lines' own query (a case of thousands of workers then costs no list of their ids):
    `earlier_arrival` (the latest arrival, or None) and `earlier_permits` (latest first), read by
    `earlier_work_facts`."""
    arrivals = _earlier_arrivals(
        employer_id=application.employer_id, before=application.planned_arrival_date, exclude_application_id=application.pk,
    )
    latest = arrivals.filter(worker_id=OuterRef("worker_id")).order_by(*LATEST_ARRIVAL_FIRST).values(
        json=JSONObject(reference="application__reference", arrived_on="arrived_on")
    )[:1]
    permits = WorkerEarlierPermit.objects.filter(worker_id=OuterRef("worker_id")).order_by(*PERMITS_ORDER).values(
        json=JSONObject(
            kind="kind", number="number", issued_on="issued_on", region_ru="region__name_ru", region_en="region__name_en",
            has_scan=ExpressionWrapper(~Q(scan=""), output_field=BooleanField()),
        )
    )
    return lines.annotate(earlier_arrival=Subquery(latest, output_field=JSONField()), earlier_permits=ArraySubquery(permits))


def earlier_work_facts(arrival: dict | None, permits: list[dict] | None) -> tuple[EarlierArrival | None, tuple[EarlierPermit, ...]]:
    """The rule check's facts from `with_earlier_work`'s annotations, as `WorkerHistory` gives them."""
    earlier_arrival = None
    if arrival is not None:
        earlier_arrival = EarlierArrival(reference=arrival["reference"], arrived_on=dt.date.fromisoformat(arrival["arrived_on"]))
    return earlier_arrival, tuple(
        EarlierPermit(
            kind=permit["kind"], number=permit["number"], issued_on=dt.date.fromisoformat(permit["issued_on"]),
            region_name=check_messages.names(permit["region_ru"], permit["region_en"]), has_scan=bool(permit["has_scan"]),
        )
        for permit in permits or ()
    )


def worker_history(*, worker: Worker) -> WorkerHistory:
    """The worker's page in the registry: every declared permit and the latest reported arrival."""
    return earlier_work_of_workers(employer_id=worker.employer_id, worker_ids=[worker.pk])[worker.pk]


def earlier_permit_get_for_employer(*, user, pk: int) -> WorkerEarlierPermit:
    """A declaration of the user's own company, for changing it; another company's is a 404."""
    queryset = WorkerEarlierPermit.objects.filter(worker__employer_id=employer_id_of(user)).select_related("worker")
    return get_object_or_404(queryset, pk=pk)


def earlier_permit_scan_get_for_user(*, user, pk: int) -> WorkerEarlierPermit:
    """A declaration whose scan the user may open: the worker's company; the officers of a region
    where the worker is on a case the company has sent (never a draft); staff. Anyone else: 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = WorkerEarlierPermit.objects.exclude(scan="")
    if not user.is_staff:
        scope = Q(pk__in=[])
        employer_id = employer_id_of(user)
        if employer_id is not None:
            scope |= Q(worker__employer_id=employer_id)
        region_ids = officer_region_ids(user)
        if region_ids:
            on_a_case_of_the_region = CaseWorker.objects.filter(
                worker_id=OuterRef("worker_id"), application__region_id__in=region_ids
            ).exclude(application__status=Status.DRAFT)
            scope |= Q(Exists(on_a_case_of_the_region))
        queryset = queryset.filter(scope)
    return get_object_or_404(queryset, pk=pk)


def attach_earlier_work(*, application, lines: list[CaseWorker]) -> None:
    """Sets `history` (WorkerHistory) on each line of the case, as the rule check reads it."""
    histories = earlier_work_of_workers(
        employer_id=application.employer_id, worker_ids=[line.worker_id for line in lines],
        before=application.planned_arrival_date, exclude_application_id=application.pk,
    )
    for line in lines:
        line.history = histories[line.worker_id]
