"""The employer reports when each approved worker arrived and when the isolation began and ended."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from applications import selectors
from applications.forms.arrivals import ArrivalFileForm, ArrivalReport
from applications.models import WorkerOutcome
from applications.selectors.review_case import decision_rule_set
from applications.services import TransitionRefused
from applications.services.arrivals import REPORTING_STATUSES, arrivals_report, arrivals_report_from_file
from applications.views.decorators import employer_required
from applications.views.refusals import refusal_as_message


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def arrival_report(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    to_case = redirect("applications:application-detail", pk=application.pk)
    if application.status not in REPORTING_STATUSES:
        messages.error(
            request,
            gettext("Arrivals can be reported only once the application is approved; it is “%(status)s”.")
            % {"status": application.get_status_display()},
        )
        return to_case
    lines = [line for line in selectors.application_lines(application) if line.outcome == WorkerOutcome.APPROVED]
    # The rules the case was decided by (as the officer's page uses): they say whether a PCR
    # test after arrival is asked, and within how many hours.
    rules = decision_rule_set(application)
    report = ArrivalReport(request.POST if request.method == "POST" else None, application=application, lines=lines, rules=rules)
    if request.method == "POST":
        if report.is_valid():
            with refusal_as_message(request):
                arrivals_report(application=application, user=request.user, reports=report.reports)
                messages.success(request, gettext("The arrival and isolation dates are saved."))
                for warning in report.warnings:
                    messages.warning(request, warning)
                return to_case
        else:
            messages.error(request, report.error_summary)
    return render(request, "applications/arrivals/report.html", {"application": application, "report": report})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def arrival_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The arrivals of many workers at once, from a CSV or Excel file: all rows or none."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if application.status not in REPORTING_STATUSES:
        messages.error(
            request,
            gettext("Arrivals can be reported only once the application is approved; it is “%(status)s”.")
            % {"status": application.get_status_display()},
        )
        return redirect("applications:application-detail", pk=application.pk)
    lines = [line for line in selectors.application_lines(application) if line.outcome == WorkerOutcome.APPROVED]
    form = ArrivalFileForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None,
        application=application, lines=lines,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = arrivals_report_from_file(
                application=application, user=request.user, reports=form.reports, addresses=form.addresses
            )
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The file is recorded: %(count)d worker's arrival changed.",
                    "The file is recorded: %(count)d workers' arrivals changed.",
                    len(changed),
                ) % {"count": len(changed)},
            )
            return redirect("applications:arrival-report", pk=application.pk)
    return render(request, "applications/arrivals/file.html", {"application": application, "form": form})
