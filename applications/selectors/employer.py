"""Reads for the employer's pages, scoped to the user's company first: another company's id is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from applications.models import (
    Application,
    CaseWorker,
    Document,
    Employer,
    Status,
    StatusChange,
    Worker,
    WorkerOutcome,
)
from applications.models.application import APPROVED_STATUSES, PENDING_STATUSES
from applications.permissions import employer_id_of
from applications.selectors.cases import worker_count_subquery


def employer_for_user(user) -> Employer | None:
    employer_id = employer_id_of(user)
    return Employer.objects.select_related("region").get(pk=employer_id) if employer_id else None


def _status_rank():
    """The statuses in the order a case goes through them, for sorting by status."""
    return Case(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(Status.values)),
        output_field=IntegerField(),
    )


def application_list_for_employer(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(employer_id=employer_id_of(user), deleted_at__isnull=True)
        # The crossing's region gives the zone the arrival is shown in (Application.arrival_zone).
        .select_related("region", "checkpoint__region", "border_region")
        .annotate(worker_count=Coalesce(worker_count_subquery(), 0), status_rank=_status_rank())
        .order_by("-created_at", "-pk")
    )


def application_get_for_employer(*, user, pk: int) -> Application:
    queryset = Application.objects.filter(employer_id=employer_id_of(user), deleted_at__isnull=True).select_related(
        "region", "employer", "copied_from", "checkpoint__region", "border_region", "charter"
    )
    return get_object_or_404(queryset, pk=pk)


def worker_list_for_employer(*, user) -> QuerySet[Worker]:
    return Worker.objects.filter(employer_id=employer_id_of(user), redacted_at__isnull=True).order_by("surname_latin", "given_names_latin")


def application_timeline(application: Application) -> QuerySet[StatusChange]:
    """The case's history, oldest first, with the documents each answer came with."""
    return (
        application.history.select_related("actor")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "pk")))
        .order_by("at", "pk")
    )


# "What needs my action": how many of each kind the home page lists before linking to the rest.
ACTIONS_SHOWN = 5
# A passport expiring within this many days is flagged whatever the company plans: a new one
# takes weeks to get, and the worker cannot be put on an application meanwhile.
PASSPORT_WARNING_DAYS = 30
# A case whose workers have not arrived yet: its arrival date still lies ahead of its passports.
_NOT_YET_ARRIVED = (Status.DRAFT, *PENDING_STATUSES, *APPROVED_STATUSES)


@dataclass(frozen=True)
class EmployerActions:
    """What waits for the company, each kind at most ACTIONS_SHOWN long, oldest due first, with
    how many there are in all."""

    requests: list[Application]
    requests_total: int
    drafts: list[Application]
    drafts_total: int
    arrivals: list[Application]
    arrivals_total: int
    passports: list[Worker]
    passports_total: int

    @property
    def empty(self) -> bool:
        return not (self.requests_total or self.drafts_total or self.arrivals_total or self.passports_total)


def _first_and_total(queryset: QuerySet) -> tuple[list, int]:
    """The first ACTIONS_SHOWN rows with the total, in one query (a window count over the rows)."""
    rows = list(queryset.annotate(total=Window(Count("pk")))[:ACTIONS_SHOWN])
    return rows, (rows[0].total if rows else 0)


def employer_actions(*, user, today: dt.date) -> EmployerActions:
    """What the company must do next, in four queries whatever its size:

    - the requests for information still open, with their reply dates (soonest first);
    - the drafts not submitted (oldest first);
    - the arrivals to report: approved cases whose planned arrival day has come and that still
      have an approved worker with no arrival reported;
    - passports on the registry that expire within PASSPORT_WARNING_DAYS, or on or before the
      planned arrival of a case the worker is on that has not arrived yet (a draft, a case
      awaiting decision, an approved case with the worker's arrival unreported)."""
    employer_id = employer_id_of(user)
    cases = Application.objects.filter(employer_id=employer_id, deleted_at__isnull=True)
    requests = _first_and_total(cases.filter(status=Status.INFO_REQUESTED).order_by(F("reply_due").asc(nulls_last=True), "pk"))
    drafts = _first_and_total(cases.filter(status=Status.DRAFT).order_by("created_at", "pk"))
    unreported = CaseWorker.objects.filter(
        application=OuterRef("pk"), outcome=WorkerOutcome.APPROVED, arrived_on__isnull=True
    )
    arrivals = _first_and_total(
        cases.filter(status__in=APPROVED_STATUSES, planned_arrival_date__lte=today)
        .annotate(unreported=Coalesce(Subquery(unreported.order_by().values("application").annotate(n=Count("pk")).values("n")), 0))
        .filter(unreported__gt=0)
        .order_by("planned_arrival_date", "pk")
    )
    travelling = CaseWorker.objects.filter(
        worker=OuterRef("pk"),
        application__status__in=_NOT_YET_ARRIVED,
        application__planned_arrival_date__gte=OuterRef("passport_expiry"),
        arrived_on__isnull=True,
    ).exclude(outcome=WorkerOutcome.REFUSED)
    passports = _first_and_total(
        Worker.objects.filter(employer_id=employer_id, redacted_at__isnull=True)
        .filter(Q(passport_expiry__lte=today + dt.timedelta(days=PASSPORT_WARNING_DAYS)) | Exists(travelling))
        .order_by("passport_expiry", "surname_latin", "pk")
    )
    for application in requests[0]:
        application.reply_overdue = application.reply_due is not None and application.reply_due < today
    for worker in passports[0]:
        worker.passport_expired = worker.passport_expiry < today
    return EmployerActions(*requests, *drafts, *arrivals, *passports)
