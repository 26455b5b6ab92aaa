"""Notices to approved workers (applications/notices.py) as PDFs: one worker's, all of a case's
(one page each); the border list bundle that adds them to the border list is an export
(views/exports.py). The case pages link to them, with the case's scoping: the company's own
cases, the officers' of their regions.

A large case's notices are built in the background (applications/services/document_builds.py) and
served from the private storage once built; until then asking for them leads to their status page,
which refreshes itself and then offers them. A request never lays out a large case's notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from applications.notices import render_notices
from applications.selectors.notices import (
    approved_case_get_for_user,
    notice_worker_get,
    notice_workers,
    notices_of,
    worker_notices_build,
)
from applications.services.document_builds import notices_are_large, notices_outdated, worker_notices_schedule
from applications.views.documents import content_disposition
from applications.views.letters import LETTER_REFRESH_SECONDS
from applications.views.private_files import private_file_response


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
    filename = f"notices-{application.reference}.pdf"
    build = _large_case_build(application)
    if build is None:
        return _pdf_response(render_notices(notices_of(notice_workers(application))), filename)
    if not build.is_ready:
        return redirect("applications:case-notices-status", pk=application.pk)
    return private_file_response(
        build.file, content_type="application/pdf", disposition=content_disposition(filename, as_attachment=False),
        what=f"The notices of document build {build.pk}",
    )


@login_required
@require_safe
def case_notices_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = approved_case_get_for_user(user=request.user, pk=pk)
    build = _large_case_build(application)
    # A small case has no build: its notices are ready whenever they are asked for.
    pending = build is not None and build.is_pending
    response = render(request, "applications/notices/status.html", {
        "application": application, "pending": pending, "failed": build is not None and build.is_failed,
        "refresh_seconds": LETTER_REFRESH_SECONDS if pending else None,
    })
    if pending:
        response["Refresh"] = str(LETTER_REFRESH_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def _large_case_build(application):
    """The build of a large case's notices (queued now if the case has none yet, or queued again
    if the kept PDF names a worker removed since), or None for a small case, built inline."""
    decision = application.decision
    build = worker_notices_build(decision=decision)
    if build is None and not notices_are_large(decision):
        return None
    if build is None or notices_outdated(build):
        build = worker_notices_schedule(decision=decision)
        build.refresh_from_db()  # a backend without a worker has built it already
    return build
