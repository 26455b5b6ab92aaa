"""Notices to approved workers (applications/notices.py) as PDFs: one worker's, all of a case's
(one page each); the border list bundle that adds them to the border list is an export
(views/exports.py). The case pages link to them, with the case's scoping: the company's own
cases, the officers' of their regions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from applications.notices import render_notices
from applications.selectors.notices import (
    approved_case_get_for_user,
    notice_worker_get,
    notice_workers,
    notices_of,
)
from applications.views.documents import content_disposition


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, as_attachment=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def worker_notice(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = approved_case_get_for_user(user=request.user, pk=pk)
    worker = notice_worker_get(application=application, line_pk=line_pk)
    return _pdf_response(render_notices(notices_of([worker])), f"notice-{application.reference}-{worker.position}.pdf")


@login_required
@require_safe
def case_notices(request: HttpRequest, pk: int) -> HttpResponse:
    application = approved_case_get_for_user(user=request.user, pk=pk)
    return _pdf_response(render_notices(notices_of(notice_workers(application))), f"notices-{application.reference}.pdf")
