"""/api/v1/workers/: the company's registry of workers, with the web registry's form and services."""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from applications.api.authentication import CompanyKey
from applications.api.errors import FieldErrors, row_report_responses
from applications.api.input import form_data, raise_form_errors, row_errors, rows_in_body
from applications.api.serializers import (
    WorkerBulkInputSerializer,
    WorkerBulkReportSerializer,
    WorkerInputSerializer,
    WorkerSerializer,
)
from applications.forms.workers import BACKGROUND_IMPORT_ROWS, MAX_REPORTED_ROWS, WorkerForm, check_import_rows
from applications.selectors.employer import employer_for_user
from applications.selectors.workers import worker_get_for_employer, worker_search_for_employer
from applications.services.workers import DuplicatePassport, worker_create, worker_update, workers_import
from applications.worker_import import ImportRow

WORKER_INPUT_FIELDS = WorkerInputSerializer.Meta.fields
# As many as the web import checks inside a request; more go in several requests.
MOST_WORKERS_PER_REQUEST = BACKGROUND_IMPORT_ROWS


def _saved(form: WorkerForm, save):
    """The form's worker saved by `save`; its messages, or the registry's refusal of a passport
    added meanwhile, as field errors."""
    if not form.is_valid():
        raise_form_errors(form)
    try:
        return save(form.cleaned_data)
    except DuplicatePassport as exc:
        raise FieldErrors({"passport_number": [exc.message]}) from exc


class ApiPages(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class WorkerList(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = WorkerSerializer
    pagination_class = ApiPages

    @extend_schema(
        summary="The company's workers, in the registry's order",
        operation_id="workers_list",
        responses=WorkerSerializer(many=True),
        parameters=[OpenApiParameter("q", str, description="Words of a name or a passport number")],
    )
    def get(self, request):
        workers = worker_search_for_employer(user=request.user, search=request.query_params.get("q", "")[:200])
        page = self.paginate_queryset(workers)
        return self.get_paginated_response(WorkerSerializer(page, many=True).data)

    @extend_schema(summary="Add a worker to the registry", request=WorkerInputSerializer, responses={201: WorkerSerializer})
    def post(self, request):
        employer = employer_for_user(request.user)
        form = WorkerForm(data=form_data(request.data, allowed=WORKER_INPUT_FIELDS), employer=employer)
        worker = _saved(form, lambda fields: worker_create(employer=employer, user=request.user, **fields))
        return Response(WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


class WorkerDetail(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = WorkerSerializer

    @extend_schema(summary="One worker of the registry")
    def get(self, request, pk: int):
        return Response(WorkerSerializer(worker_get_for_employer(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a worker: the fields sent, the others kept",
        request=WorkerInputSerializer(partial=True),
        responses={200: WorkerSerializer},
    )
    def patch(self, request, pk: int):
        worker = worker_get_for_employer(user=request.user, pk=pk)
        employer = employer_for_user(request.user)
        stored = WorkerForm(instance=worker, employer=employer)
        data = {name: stored[name].value() for name in WORKER_INPUT_FIELDS}
        data.update(form_data(request.data, allowed=WORKER_INPUT_FIELDS))
        form = WorkerForm(data=data, instance=copy.copy(worker), employer=employer)
        saved = _saved(form, lambda fields: worker_update(worker=worker, user=request.user, **fields))
        return Response(WorkerSerializer(saved).data)


class WorkerBulkCreate(GenericAPIView):
    """All or nothing, like the web import: a list with any refused worker adds none, and the
    report names each refused row's field and message."""

    permission_classes = [CompanyKey]
    serializer_class = WorkerBulkReportSerializer

    @extend_schema(
        summary="Add many workers: all or none, with a report per row",
        request=WorkerBulkInputSerializer,
        responses=row_report_responses(WorkerBulkReportSerializer, ok=201, name="WorkerBulkRefusal"),
    )
    def post(self, request):
        rows = rows_in_body(
            request.data,
            name="workers",
            most=MOST_WORKERS_PER_REQUEST,
            refusal=_("Send a list of workers, from 1 to %(most)d.") % {"most": MOST_WORKERS_PER_REQUEST},
        )
        import_rows = []
        shape_errors = []
        for number, row in enumerate(rows, start=1):
            try:
                import_rows.append(ImportRow(number=number, data=form_data(row, allowed=WORKER_INPUT_FIELDS)))
            except FieldErrors as exc:
                shape_errors.extend(row_errors(number, exc.errors))
            except Exception as exc:  # a row that is not an object
                shape_errors.append({"row": number, "field": "", "message": str(getattr(exc, "detail", exc))})
        employer = employer_for_user(request.user)
        checked = check_import_rows(import_rows, employer=employer, headers={name: name for name in WORKER_INPUT_FIELDS})
        errors = shape_errors + [{"row": e.row, "field": e.column, "message": e.message} for e in checked.errors]
        if errors:
            errors.sort(key=lambda error: error["row"])
            report = {"created": 0, "errors": errors[: MAX_REPORTED_ROWS * 3], "unreported_rows": checked.unreported_rows}
            return Response(report, status=status.HTTP_400_BAD_REQUEST)
        workers = workers_import(employer=employer, user=request.user, rows=checked.rows)
        return Response(
            {"created": len(workers), "workers": WorkerSerializer(workers, many=True).data}, status=status.HTTP_201_CREATED
        )
