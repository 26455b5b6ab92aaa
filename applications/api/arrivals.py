"""/api/v1/applications/{id}/arrivals/: the approved workers' arrivals, read and reported as on
the web's arrival report: each row is checked by the web's form for one worker (its messages,
the test after arrival only where the region's rules ask for one), all rows or none are recorded
by the same service, and a refused row is named in a report like the bulk registry's.

A time is a clock's reading, YYYY-MM-DDTHH:MM, in the row's `zone` (an IANA name), by default the
zone of the case's point of arrival, where the web form reads it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from applications import selectors
from applications.api.authentication import CompanyKey
from applications.api.errors import FieldErrors, refused_responses, row_report_responses
from applications.api.input import form_data, row_errors, rows_in_body
from applications.api.serializers import ArrivalReportInputSerializer, ArrivalReportSerializer, ArrivalSerializer
from applications.api.workers import MOST_WORKERS_PER_REQUEST
from applications.forms.arrivals import WorkerArrivalForm
from applications.forms.common import ISO_TIME, LocalDateTimeField
from applications.forms.workers import MAX_REPORTED_ROWS
from applications.models import Application, CaseWorker, WorkerOutcome
from applications.selectors.review_case import decision_rule_set
from applications.services.arrivals import REPORTING_STATUSES, arrivals_report
from applications.services.errors import TransitionRefused
from regions.time_zones import NonexistentLocalTime, local_instant, zone_names

ROW_FIELDS = ["worker", "arrived_at", "zone", "isolation_started_on", "isolation_ended_on", "arrival_test_taken_at"]
# The web form's fields under the API's names: the arrival is one field here, a date and a time there.
API_FIELD = {"arrived_on": "arrived_at", "arrived_time": "arrived_at", NON_FIELD_ERRORS: "non_field_errors"}
# Readable in any zone: earlier or later times are left for the form to refuse with its messages.
FIRST_YEAR, LAST_YEAR = 2020, 9000


class RowRefused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _approved_lines(application: Application) -> list[CaseWorker]:
    return [line for line in selectors.application_lines(application) if line.outcome == WorkerOutcome.APPROVED]


def _refuse_unless_reporting(application: Application) -> None:
    if application.status not in REPORTING_STATUSES:
        raise TransitionRefused(
            _("Arrivals can be reported only once the application is approved; it is “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def _zone(name: str, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    if name not in zone_names():
        raise RowRefused("zone", _("Choose a time zone from the list."))
    return ZoneInfo(name)


def _clock_in_arrival_zone(field: str, raw: str, *, zone: ZoneInfo, arrival_zone: ZoneInfo, fold: int) -> dt.datetime | str:
    """A time read in `zone` as the clocks of the point of arrival showed it, for the web form
    (Russia's zones keep no summer time, so the form reads it back as the same instant). Left
    for the form to refuse with its messages: a text it cannot read, a year before 2020 or far
    ahead (read in its own zone, as no other zone can hold year 9999)."""
    try:
        local = LocalDateTimeField(required=False).clean(raw)
    except forms.ValidationError:
        return raw
    if local is None or zone == arrival_zone or not FIRST_YEAR <= local.year <= LAST_YEAR:
        return local or raw
    try:
        instant = local_instant(local.date(), local.time(), zone, fold=fold)
    except NonexistentLocalTime:
        raise RowRefused(
            field,
            _("%(time)s did not exist in %(zone)s on that day: the clocks were moved forward. Check the time.")
            % {"time": local.strftime(ISO_TIME), "zone": zone.key},
        ) from None
    return instant.astimezone(arrival_zone).replace(tzinfo=None)


def _form_for_row(row, *, application: Application, lines: dict[int, CaseWorker], rules) -> WorkerArrivalForm:
    """The web form of the row's worker, holding what is stored with the row's fields over it:
    a field left out keeps its value, null clears it."""
    given = form_data(row, allowed=ROW_FIELDS, required=["worker"])
    line = lines.get(int(given["worker"])) if given["worker"].isdecimal() else None
    if line is None:
        raise RowRefused("worker", _("A reported worker is not on this application."))
    form = WorkerArrivalForm(application=application, line=line, rules=rules)
    if "arrival_test_taken_at" in given and not form.asks_test_after_arrival:
        raise RowRefused("arrival_test_taken_at", _("The region's rules ask for no PCR test after arrival."))
    data = {name: form[name].value() for name in form.fields}
    arrival_zone = application.arrival_zone
    zone = _zone(given.get("zone", ""), arrival_zone)
    if "arrived_at" in given:
        arrived = _clock_in_arrival_zone("arrived_at", given["arrived_at"], zone=zone, arrival_zone=arrival_zone, fold=0)
        if isinstance(arrived, dt.datetime):
            data["arrived_on"], data["arrived_time"] = arrived.date(), arrived.time()
        else:
            # A text the form's date field refuses with its message (or, empty, clears).
            data["arrived_on"], data["arrived_time"] = arrived, ""
    if "arrival_test_taken_at" in given:
        test = _clock_in_arrival_zone(
            "arrival_test_taken_at", given["arrival_test_taken_at"], zone=zone, arrival_zone=arrival_zone, fold=1
        )
        data["arrival_test_taken_at"] = test
    for name in ("isolation_started_on", "isolation_ended_on"):
        if name in given:
            data[name] = given[name]
    return WorkerArrivalForm(
        {form.add_prefix(name): "" if value is None else value for name, value in data.items()},
        application=application,
        line=line,
        rules=rules,
    )


class CaseArrivals(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = ArrivalSerializer

    @extend_schema(
        summary="The approved workers' arrivals as reported",
        operation_id="applications_arrivals_list",
        responses={200: ArrivalSerializer(many=True), **refused_responses(409)},
    )
    def get(self, request, pk: int):
        application = selectors.application_get_for_employer(user=request.user, pk=pk)
        _refuse_unless_reporting(application)
        return Response(ArrivalSerializer(_approved_lines(application), many=True).data)

    @extend_schema(
        summary="Report arrivals: all rows or none, with a report per row",
        request=ArrivalReportInputSerializer,
        responses={
            **row_report_responses(ArrivalReportSerializer, ok=200, name="ArrivalReportRefusal"),
            **refused_responses(409),
        },
    )
    def post(self, request, pk: int):
        application = selectors.application_get_for_employer(user=request.user, pk=pk)
        _refuse_unless_reporting(application)
        rows = rows_in_body(
            request.data,
            name="arrivals",
            most=MOST_WORKERS_PER_REQUEST,
            refusal=_("Send a list of arrivals, from 1 to %(most)d.") % {"most": MOST_WORKERS_PER_REQUEST},
        )
        lines = {line.worker_id: line for line in _approved_lines(application)}
        rules = decision_rule_set(application)
        accepted: list[WorkerArrivalForm] = []
        errors: list[dict] = []
        first_row_of: dict[int, int] = {}
        for number, row in enumerate(rows, start=1):
            try:
                form = _form_for_row(row, application=application, lines=lines, rules=rules)
            except RowRefused as refused:
                errors.extend(row_errors(number, {refused.field: [refused.message]}))
                continue
            except FieldErrors as refused:
                errors.extend(row_errors(number, refused.errors))
                continue
            except ParseError as refused:  # a row that is not an object
                errors.append({"row": number, "field": "", "message": str(refused.detail)})
                continue
            if form.line.pk in first_row_of:
                message = _("This worker is also on row %(row)d.") % {"row": first_row_of[form.line.pk]}
                errors.append({"row": number, "field": "worker", "message": message})
                continue
            first_row_of[form.line.pk] = number
            if not form.is_valid():
                by_field: dict[str, list] = {}
                for name, messages in form.errors.items():
                    by_field.setdefault(API_FIELD.get(name, name), []).extend(messages)
                errors.extend(row_errors(number, by_field))
            accepted.append(form)
        if errors:
            reported = sorted({error["row"] for error in errors})[:MAX_REPORTED_ROWS]
            listed = [error for error in errors if error["row"] in reported]
            report = {"recorded": 0, "errors": listed, "unreported_rows": len({e["row"] for e in errors}) - len(reported)}
            return Response(report, status=status.HTTP_400_BAD_REQUEST)
        changed = arrivals_report(
            application=application, user=request.user, reports={form.line.pk: form.dates for form in accepted}
        )
        return Response(
            {
                "recorded": len(changed),
                "warnings": [warning for form in accepted for warning in form.warnings],
                "workers": ArrivalSerializer(_approved_lines(application), many=True).data,
            }
        )
