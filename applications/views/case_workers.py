"""Filling a draft with many workers (issue 17): adding from the registry in bulk, importing a
file onto the case, removing many and moving them to another draft of the company.

Each view fetches the case through the employer's scoped selector (another company's id is a
404), validates, calls one service and redirects to the case page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from applications import selectors
from applications.filters.case_workers import RegistryForCaseFilter
from applications.forms.case_workers import BulkAddForm, CaseWorkerImportForm, LineSelectionForm
from applications.models import Application, Status
from applications.selectors.workers import worker_citizenships_for_employer
from applications.services.case_workers import (
    case_worker_import_request,
    case_workers_add,
    case_workers_import,
    case_workers_move,
    case_workers_remove,
)
from applications.services.errors import TransitionRefused
from applications.views.decorators import employer_required
from applications.views.refusals import refusal_as_message
from applications.views.workers import warn_of_ignored_columns
from applications.worker_import import COLUMNS as IMPORT_COLUMNS
from regions.countries import country_name

PAGE_SIZE = 100


def _to_detail(application: Application) -> HttpResponse:
    return redirect("applications:application-detail", pk=application.pk)


def _refuse_unless_draft(request: HttpRequest, application: Application) -> HttpResponse | None:
    """The bulk pages change a draft only; anything else goes back to the case page with why."""
    if application.status == Status.DRAFT:
        return None
    messages.error(
        request,
        gettext("Workers can be added, removed or moved in bulk only on a draft; this application is “%(status)s”.")
        % {"status": application.get_status_display()},
    )
    return _to_detail(application)


def _skipped_message(skipped: int) -> str:
    return ngettext(
        "%(count)d worker was already on the application and is skipped.",
        "%(count)d workers were already on the application and are skipped.",
        skipped,
    ) % {"count": skipped}


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_workers_bulk_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if refused := _refuse_unless_draft(request, application):
        return refused
    citizenships = sorted(
        ((code, country_name(code)) for code in worker_citizenships_for_employer(user=request.user)),
        key=lambda choice: choice[1],
    )
    # The filter is in the URL for the list and for "all matching" alike; workers already on the
    # draft are not offered.
    registry = selectors.worker_list_for_employer(user=request.user).exclude(application_lines__application=application)
    matching = RegistryForCaseFilter(
        request.GET or None, queryset=registry.order_by("surname_latin", "given_names_latin", "pk"), citizenships=citizenships
    )
    form = BulkAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["all_matching"] and matching.is_bound and not matching.is_valid():
            messages.error(request, gettext("The filter is not valid; correct it and try again."))
            return redirect(request.get_full_path())
        workers = matching.qs if form.cleaned_data["all_matching"] else form.cleaned_data["worker"]
        with refusal_as_message(request):
            result = case_workers_add(application=application, user=request.user, workers=workers)
            messages.success(
                request,
                ngettext(
                    "%(count)d worker is added to the application.",
                    "%(count)d workers are added to the application.",
                    result.added,
                )
                % {"count": result.added},
            )
            if result.skipped:
                messages.info(request, _skipped_message(result.skipped))
        return _to_detail(application)
    page = Paginator(matching.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for worker in page:
        worker.citizenship_name = country_name(worker.citizenship)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "application": application,
        "filter": matching,
        "page": page,
        "form": form,
        "matching_count": page.paginator.count,
        "query": query.urlencode(),
    }
    return render(request, "applications/employer/case_workers_add.html", context)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_workers_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if refused := _refuse_unless_draft(request, application):
        return refused
    employer = selectors.employer_for_user(request.user)
    form = CaseWorkerImportForm(request.POST or None, request.FILES or None, employer=employer)
    if request.method == "POST" and form.is_valid() and form.in_background:
        with refusal_as_message(request):
            started = case_worker_import_request(
                application=application, user=request.user, table=form.table, file_name=request.FILES["file"].name
            )
            return redirect("applications:worker-import-status", pk=started.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            result = case_workers_import(application=application, user=request.user, rows=form.rows)
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d worker is added to the application",
                    "%(count)d workers are added to the application",
                    result.added,
                )
                % {"count": result.added}
                + gettext(" (new in your registry: %(created)d; already there: %(matched)d).")
                % {"created": result.created, "matched": result.matched},
            )
            if result.skipped:
                messages.info(request, _skipped_message(result.skipped))
            warn_of_ignored_columns(request, form)
            return _to_detail(application)
    context = {"application": application, "form": form, "columns": IMPORT_COLUMNS}
    return render(request, "applications/employer/case_workers_import.html", context)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_workers_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's workers with tick boxes: remove the ticked, or move them to another draft."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if refused := _refuse_unless_draft(request, application):
        return refused
    drafts = (
        selectors.application_list_for_employer(user=request.user)
        .filter(status=Status.DRAFT)
        .exclude(pk=application.pk)
        .order_by("reference")
    )
    form = LineSelectionForm(request.POST if request.method == "POST" else None, drafts=drafts)
    if request.method == "POST" and form.is_valid():
        line_ids = form.cleaned_data["line"]
        with refusal_as_message(request):
            if form.cleaned_data["action"] == "remove":
                removed = case_workers_remove(application=application, user=request.user, line_ids=line_ids)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d worker is removed from the application.",
                        "%(count)d workers are removed from the application.",
                        removed,
                    )
                    % {"count": removed},
                )
            else:
                target = form.cleaned_data["target"]
                result = case_workers_move(application=application, target=target, user=request.user, line_ids=line_ids)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d worker is moved to %(reference)s.",
                        "%(count)d workers are moved to %(reference)s.",
                        result.added,
                    )
                    % {"count": result.added, "reference": target.reference},
                )
                if result.skipped:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)d worker was already on %(reference)s and stays on this application.",
                            "%(count)d workers were already on %(reference)s and stay on this application.",
                            result.skipped,
                        )
                        % {"count": result.skipped, "reference": target.reference},
                    )
        return redirect("applications:application-workers-manage", pk=application.pk)
    lines = selectors.application_lines(application)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    for line in page:
        line.citizenship_name = country_name(line.worker.citizenship)
    context = {"application": application, "form": form, "page": page, "has_drafts": drafts.exists()}
    return render(request, "applications/employer/case_workers_manage.html", context)
