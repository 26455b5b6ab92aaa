"""/api/v1/border/approved-workers/: the border list as data, for a border service's key.

Paged by key, not by offset: the cursor names the last row read (its arrival date and id), so a
page costs the same at row one million as at row one, and a case approved meanwhile neither
repeats nor hides a row."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from applications.api.authentication import BorderKey
from applications.api.errors import refused_responses
from applications.api.serializers import BorderPageSerializer, BorderWorkerSerializer
from applications.selectors.review_case import border_list_of, border_list_workers

PAGE_SIZE = 200
CASE = "decision__application__"


def _cursor(worker) -> str:
    return base64.urlsafe_b64encode(f"{worker.arrival_date.isoformat()}|{worker.pk}".encode()).decode()


def _read_cursor(raw: str) -> tuple[dt.date, int]:
    try:
        day, pk = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
        return dt.date.fromisoformat(day), int(pk)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValidationError({"cursor": [_("The cursor is not one this list gave.")]}) from exc


def _date(request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: [_("Enter a valid date.")]}) from exc


def border_workers_for_key(key, *, checkpoint: str = "", arrival_from=None, arrival_to=None):
    """The approved people crossing in the key's regions (the crossing's region, not the region of
    work: a border post checks those who cross there), each once, by arrival date and id."""
    workers = border_list_workers()
    if not key.nationwide:
        regions = list(key.regions.values_list("pk", flat=True))
        workers = workers.filter(
            Q(**{f"{CASE}checkpoint__region_id__in": regions}) | Q(**{f"{CASE}border_region_id__in": regions})
        )
    if checkpoint:
        workers = workers.filter(**{f"{CASE}checkpoint__code": checkpoint})
    if arrival_from:
        workers = workers.filter(**{f"{CASE}planned_arrival_date__gte": arrival_from})
    if arrival_to:
        workers = workers.filter(**{f"{CASE}planned_arrival_date__lte": arrival_to})
    return (
        border_list_of(workers)
        .annotate(
            arrival_date=F(f"{CASE}planned_arrival_date"),
            checkpoint_code=F(f"{CASE}checkpoint__code"),
            region_number=F(f"{CASE}region__number"),
        )
        .order_by("arrival_date", "pk")
    )


class BorderWorkerList(GenericAPIView):
    permission_classes = [BorderKey]
    serializer_class = BorderPageSerializer

    @extend_schema(
        summary="Approved workers crossing in the key's regions, by arrival date",
        parameters=[
            OpenApiParameter("checkpoint", str, description="A checkpoint's code"),
            OpenApiParameter("arrival_from", dt.date, description="First planned arrival date (included)"),
            OpenApiParameter("arrival_to", dt.date, description="Last planned arrival date (included)"),
            OpenApiParameter("cursor", str, description="next_cursor of the page before"),
        ],
        responses={200: BorderPageSerializer, **refused_responses(400)},
    )
    def get(self, request):
        workers = border_workers_for_key(
            request.auth,
            checkpoint=request.query_params.get("checkpoint", "")[:20],
            arrival_from=_date(request, "arrival_from"),
            arrival_to=_date(request, "arrival_to"),
        )
        if cursor := request.query_params.get("cursor"):
            day, pk = _read_cursor(cursor[:100])
            workers = workers.filter(Q(arrival_date__gt=day) | Q(arrival_date=day, pk__gt=pk))
        rows = list(workers[: PAGE_SIZE + 1])
        page = rows[:PAGE_SIZE]
        next_cursor = _cursor(page[-1]) if len(rows) > PAGE_SIZE else None
        return Response({"results": BorderWorkerSerializer(page, many=True).data, "next_cursor": next_cursor})
