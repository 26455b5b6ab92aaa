"""The company's worker registry: the list with search, adding and editing a worker, importing a file."""

from __future__ import annotations

import calendar
import copy
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.forms.workers import (
    MAX_REPORTED_ROWS,
    EarlierPermitForm,
    EarlierPermitScanForm,
    WorkerForm,
    WorkerImportForm,
    WorkerSearchForm,
)
from applications.models import Worker
from applications.selectors.earlier_work import (
    earlier_permit_get_for_employer,
    earlier_permit_scan_get_for_user,
    worker_history,
)
from applications.selectors.employer import employer_for_user
from applications.selectors.workers import (
    worker_cases,
    worker_cases_past_draft,
    worker_citizenships_for_employer,
    worker_get_for_employer,
    worker_import_get_for_employer,
    worker_search_for_employer,
)
from applications.services.earlier_permits import earlier_permit_attach_scan, earlier_permit_declare, earlier_permit_delete
from applications.services.errors import TransitionRefused
from applications.services.worker_imports import worker_import_request
from applications.services.workers import DuplicatePassport, WorkerIdentityLocked, worker_update, workers_import
from applications.services.workers import worker_create as create_worker
from applications.services.workers import worker_delete as delete_worker
from applications.views.decorators import employer_required
from applications.views.private_files import uploaded_file_response
from applications.views.refusals import refusal_as_message
from applications.worker_import import COLUMNS as IMPORT_COLUMNS
from applications.worker_import import clip, template_csv
from regions.countries import country_name

PAGE_SIZE = 25
# A passport that runs out within this many months is flagged: several regions refuse entry on
# a passport expiring soon after arrival, and a new passport takes months to get.
PASSPORT_WARNING_MONTHS = 6


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _mark_for_list(worker: Worker, today: dt.date, warn_until: dt.date) -> None:
    worker.citizenship_name = country_name(worker.citizenship)
    worker.passport_expired = worker.passport_expiry < today
    worker.passport_expires_soon = not worker.passport_expired and worker.passport_expiry <= warn_until


@employer_required
@require_safe
def worker_list(request: HttpRequest) -> HttpResponse:
    citizenships = worker_citizenships_for_employer(user=request.user)
    search = WorkerSearchForm(request.GET or None, citizenships=citizenships)
    search.is_valid()
    # A bad value (a citizenship no worker has) is shown next to its field; the others still apply.
    filters = getattr(search, "cleaned_data", {})
    workers = worker_search_for_employer(
        user=request.user, search=filters.get("q", ""), citizenship=filters.get("citizenship", "")
    )
    # get_page clamps a page number past the end (or not a number) to a real page.
    page = Paginator(workers, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    warn_until = _months_after(today, PASSPORT_WARNING_MONTHS)
    for worker in page:
        _mark_for_list(worker, today, warn_until)
    context = {
        "page": page,
        "search": search,
        "is_filtered": bool(filters.get("q") or filters.get("citizenship")),
        "registry_is_empty": not citizenships,
    }
    return render(request, "applications/workers/list.html", context)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_create(request: HttpRequest) -> HttpResponse:
    employer = employer_for_user(request.user)
    form = WorkerForm(request.POST or None, employer=employer)
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            try:
                worker = create_worker(employer=employer, user=request.user, **form.cleaned_data)
            except DuplicatePassport as exc:
                # Another tab added the same passport between the form's check and this insert.
                form.add_error("passport_number", exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, gettext("%(worker)s is added to your registry.") % {"worker": worker.display_name})
                return redirect("applications:worker-list")
    return render(request, "applications/workers/form.html", {"form": form, "worker": None})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_get_for_employer(user=request.user, pk=pk)
    # The form writes the posted values onto the instance it is given; give it a copy so the
    # page keeps showing the worker as stored if the form is invalid.
    form = WorkerForm(request.POST or None, instance=copy.copy(worker), employer=employer_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            try:
                saved = worker_update(worker=worker, user=request.user, **form.cleaned_data)
            except DuplicatePassport as exc:
                form.add_error("passport_number", exc.message)
            except WorkerIdentityLocked as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, gettext("%(worker)s is saved.") % {"worker": saved.display_name})
                return redirect("applications:worker-list")
    context = {
        "form": form, "worker": worker, "submitted_cases": worker_cases_past_draft(worker=worker),
        "history": worker_history(worker=worker),
    }
    return render(request, "applications/workers/form.html", context)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, or says which cases keep the worker; POST removes them."""
    worker = worker_get_for_employer(user=request.user, pk=pk)
    if request.method == "POST":
        with refusal_as_message(request):
            delete_worker(worker=worker, user=request.user)
            messages.success(request, gettext("%(worker)s is removed from the registry.") % {"worker": worker.display_name})
            return redirect("applications:worker-list")
        return redirect("applications:worker-delete", pk=worker.pk)
    context = {"worker": worker, "cases": worker_cases(worker)}
    return render(request, "applications/workers/delete.html", context)


def warn_of_ignored_columns(request: HttpRequest, form) -> None:
    """After an import: the columns of the file no field took, so a misspelt header is noticed."""
    if form.ignored_headers:
        messages.warning(
            request,
            gettext("These columns of the file were not recognised and were left out: %(columns)s.")
            % {"columns": ", ".join(f"“{clip(header)}”" for header in form.ignored_headers)},
        )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_import(request: HttpRequest) -> HttpResponse:
    employer = employer_for_user(request.user)
    form = WorkerImportForm(request.POST or None, request.FILES or None, employer=employer)
    if request.method == "POST" and form.is_valid() and form.in_background:
        with refusal_as_message(request):
            started = worker_import_request(employer=employer, user=request.user, table=form.table, file_name=request.FILES["file"].name)
            return redirect("applications:worker-import-status", pk=started.pk)
    elif request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            try:
                workers = workers_import(employer=employer, user=request.user, rows=form.rows)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d worker is added to your registry.", "%(count)d workers are added to your registry.", len(workers)
                    ) % {"count": len(workers)},
                )
                warn_of_ignored_columns(request, form)
                return redirect("applications:worker-list")
    return render(request, "applications/workers/import.html", {"form": form, "columns": IMPORT_COLUMNS})


# While an import runs its page asks the browser to load it again after this many seconds.
IMPORT_REFRESH_SECONDS = 3


@employer_required
@require_safe
def worker_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    worker_import = worker_import_get_for_employer(user=request.user, pk=pk)
    context = {
        "worker_import": worker_import,
        "added": ngettext(
            "%(count)d worker is added to your registry.", "%(count)d workers are added to your registry.", worker_import.created_count
        )
        % {"count": worker_import.created_count},
        "ignored_columns": ", ".join(f"“{header}”" for header in worker_import.ignored_headers),
        "unreported_rows": max(0, worker_import.error_row_count - MAX_REPORTED_ROWS),
        "refresh_seconds": None if worker_import.is_finished else IMPORT_REFRESH_SECONDS,
    }
    response = render(request, "applications/workers/import_status.html", context)
    if not worker_import.is_finished:
        response["Refresh"] = str(IMPORT_REFRESH_SECONDS)
    return response


@employer_required
@require_safe
def worker_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(get_language() or "ru"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="workers-template.csv"'
    return response


# Earlier work permits and patents: the evidence for bringing a worker back.


def _to_worker(worker_pk: int) -> HttpResponse:
    return redirect(f"{reverse('applications:worker-edit', args=[worker_pk])}#earlier-work")


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_permit_create(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_get_for_employer(user=request.user, pk=pk)
    form = EarlierPermitForm(request.POST or None, request.FILES or None, worker=worker)
    if request.method == "POST" and form.is_valid():
        try:
            permit = earlier_permit_declare(worker=worker, user=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("%(permit)s is declared for %(worker)s.") % {"permit": permit, "worker": worker.display_name})
            return _to_worker(worker.pk)
    return render(request, "applications/workers/permit_form.html", {"form": form, "worker": worker, "permit": None})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_permit_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    permit = earlier_permit_get_for_employer(user=request.user, pk=pk)
    form = EarlierPermitScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            earlier_permit_attach_scan(permit=permit, user=request.user, scan=form.cleaned_data["scan"])
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("The scan of %(permit)s is uploaded.") % {"permit": permit})
            return _to_worker(permit.worker_id)
    context = {"form": form, "worker": permit.worker, "permit": permit}
    return render(request, "applications/workers/permit_form.html", context)


@employer_required
@require_POST
def worker_permit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    permit = earlier_permit_get_for_employer(user=request.user, pk=pk)
    with refusal_as_message(request):
        earlier_permit_delete(permit=permit, user=request.user)
        messages.success(request, gettext("%(permit)s is removed.") % {"permit": permit})
    return _to_worker(permit.worker_id)


@login_required
@require_safe
def earlier_permit_scan(request: HttpRequest, pk: int) -> HttpResponse:
    permit = earlier_permit_scan_get_for_user(user=request.user, pk=pk)
    return uploaded_file_response(
        permit.scan, content_type=permit.scan_content_type, stem=f"permit-scan-{permit.pk}", what=f"Earlier permit {permit.pk}"
    )
