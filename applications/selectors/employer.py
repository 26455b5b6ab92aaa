"""Reads for the employer's pages, scoped to the user's company first: another company's id is a 404."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from applications.models import Application, Document, Employer, Status, StatusChange, Worker
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
    return Worker.objects.filter(employer_id=employer_id_of(user)).order_by("surname_latin", "given_names_latin")


def application_timeline(application: Application) -> QuerySet[StatusChange]:
    """The case's history, oldest first, with the documents each answer came with."""
    return (
        application.history.select_related("actor")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "pk")))
        .order_by("at", "pk")
    )
