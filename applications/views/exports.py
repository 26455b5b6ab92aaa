"""The officer's exports: the filtered queue (CSV streamed, or XLSX prepared in the background and
downloaded from "Your exports") and the border service's list of approved workers (CSV
streamed, or in a ZIP bundle with the listed workers' notices). Every row comes through a query
scoped to the officer's regions first, the same one the queue page uses.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from applications import exports, selectors, services
from applications.filters.review import ApplicationQueueFilter
from applications.forms.review import BorderListFilterForm
from applications.notices import border_list_bundle
from applications.selectors.charters import charter_border_list, charter_get_for_officer
from applications.selectors.exports import EXPORTS_SHOWN, queue_export_get_for_download, queue_exports_for_officer
from applications.selectors.notices import border_list_notice_workers, notices_of
from applications.selectors.review_case import approved_workers_for_border_service
from applications.services import document_builds
from applications.services.exports import EXPORT_RETENTION, QUERY_MAX_LENGTH
from applications.views.decorators import officer_required
from applications.views.private_files import private_file_response
from portal.db_router import on_replica

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def _back_to_queue(request: HttpRequest, problem: str) -> HttpResponse:
    """Bad filters: back to the queue with the same query string, whose filter form then shows
    each error next to its field."""
    messages.error(request, problem)
    query = request.GET.urlencode()
    return redirect(f"{reverse('applications:review-queue')}{'?' + query if query else ''}")


def _field_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _filtered_queue(request: HttpRequest) -> ApplicationQueueFilter:
    # Bound even when empty, exactly as the queue page builds it, so both list the same cases.
    return ApplicationQueueFilter(request.GET, queryset=selectors.application_list_for_officer(user=request.user), request=request)


def _queue_is_invalid(request: HttpRequest, queue: ApplicationQueueFilter) -> HttpResponse | None:
    if queue.is_bound and not queue.is_valid():
        return _back_to_queue(
            request, _("The export was not made; correct the filters first. %(errors)s") % {"errors": _field_errors(queue.form)}
        )
    return None


@officer_required
@require_safe
def review_export_csv(request: HttpRequest) -> HttpResponse:
    queue = _filtered_queue(request)
    if refused := _queue_is_invalid(request, queue):
        return refused
    rows = exports.queue_export_rows(on_replica(queue.qs))
    return StreamingHttpResponse(
        exports.csv_stream(exports.QUEUE_HEADER, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, _filename("review-queue", "csv"))},
    )


@officer_required
@require_POST
def review_export_xlsx(request: HttpRequest) -> HttpResponse:
    """Asks for the spreadsheet of the filtered queue (the filters ride in the query string); a
    background task builds it and the officer downloads it from "Your exports"."""
    queue = _filtered_queue(request)
    if refused := _queue_is_invalid(request, queue):
        return refused
    query = request.GET.urlencode()
    if len(query) > QUERY_MAX_LENGTH:
        return _back_to_queue(request, _("The export was not made: the filters are too long to keep. Shorten them."))
    services.queue_export_request(user=request.user, query=query)
    messages.success(request, _("The spreadsheet is being prepared. It appears under “Your exports” when it is ready."))
    return redirect("applications:review-exports")


@officer_required
@require_safe
def review_exports(request: HttpRequest) -> HttpResponse:
    queue_exports = queue_exports_for_officer(user=request.user)
    return render(request, "applications/review/exports.html", {
        "queue_exports": queue_exports, "any_pending": any(export.is_pending for export in queue_exports),
        "row_cap": exports.XLSX_MAX_ROWS, "retention_days": EXPORT_RETENTION.days, "exports_shown": EXPORTS_SHOWN,
    })


@officer_required
@require_safe
def review_export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = queue_export_get_for_download(user=request.user, pk=pk)
    # Named after the day it was asked for.
    filename = f"review-queue-{timezone.localdate(export.created_at).isoformat()}.xlsx"
    return private_file_response(
        export.file, content_type=XLSX_CONTENT_TYPE, what=f"Queue export {export.pk}",
        disposition=content_disposition_header(True, filename),
    )


@officer_required
@require_safe
def review_export_border_list(request: HttpRequest) -> HttpResponse:
    return _period_border_list(request, _border_list_response)


def _period_border_list(request: HttpRequest, respond) -> HttpResponse:
    """The border list of the officer's regions for the period the query string asks, answered by
    `respond(lines, stem)`: the CSV, or the bundle with the notices."""
    form = BorderListFilterForm(request.GET)
    if not form.is_valid():
        return _back_to_queue(
            request, _("The border-service list was not made. %(errors)s") % {"errors": _field_errors(form)}
        )
    lines = approved_workers_for_border_service(
        user=request.user, arrival_from=form.cleaned_data["arrival_from"], arrival_to=form.cleaned_data["arrival_to"]
    )
    return respond(lines, "border-list")


@officer_required
@require_safe
def review_export_charter_border_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The border list of one charter of the officer's regions: every company's approved people,
    each passport once; another region's charter is a 404."""
    charter = charter_get_for_officer(user=request.user, pk=pk)
    return _border_list_response(charter_border_list(charter), f"border-list-{charter.reference}")


def _border_list_response(lines, stem: str) -> StreamingHttpResponse:
    rows = exports.border_list_rows(lines.iterator(chunk_size=exports.EXPORT_CHUNK_SIZE))
    return StreamingHttpResponse(
        exports.csv_stream(exports.BORDER_LIST_HEADER, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, _filename(stem, "csv"))},
    )


@officer_required
@require_safe
def border_list_bundle_view(request: HttpRequest) -> HttpResponse:
    """The border list of the officer's regions for the period, with the listed workers' notices."""
    return _period_border_list(request, _bundle_response)


@officer_required
@require_safe
def charter_border_list_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    charter = charter_get_for_officer(user=request.user, pk=pk)
    return _bundle_response(charter_border_list(charter), f"border-list-{charter.reference}")


def _bundle_response(lines, stem: str) -> FileResponse:
    """The ZIP of the list and the listed workers' notices. Past the size of a large case the
    notices are left out, with a note saying so: laying them out would hold the request for minutes
    (about 0.1 s a page), and each case's notices are offered, built in the background, on its page."""
    rows = exports.border_list_rows(lines.iterator(chunk_size=exports.EXPORT_CHUNK_SIZE))
    workers = border_list_notice_workers(lines)
    listed = workers.count()
    note = ""
    if listed > document_builds.LARGE_CASE_WORKERS:
        notices = ()
        note = ngettext(
            "The notices to the %(count)d worker listed are not included: more than %(limit)d notices are too many "
            "to prepare at once. Download each application's notices from its page, or choose a shorter period.",
            "The notices to the %(count)d workers listed are not included: more than %(limit)d notices are too many "
            "to prepare at once. Download each application's notices from its page, or choose a shorter period.",
            listed,
        ) % {"count": listed, "limit": document_builds.LARGE_CASE_WORKERS}
    else:
        notices = notices_of(workers.iterator(chunk_size=exports.EXPORT_CHUNK_SIZE))
    bundle = border_list_bundle(exports.csv_stream(exports.BORDER_LIST_HEADER, rows), notices, note=note)
    filename = f"{stem}-{timezone.localdate().isoformat()}.zip"
    return FileResponse(bundle, content_type="application/zip", as_attachment=True, filename=filename)
