"""The decision letter, as a PDF, for the case's company and the officers of its region. A large
case's letter is built in the background (applications/services/document_builds.py): until it is
ready, asking for it leads to its status page, which refreshes itself and then offers it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from applications.letters import decision_letter_filename
from applications.selectors.documents import decided_application_get_for_user, decision_letter_build
from applications.services.decision_letters import LetterRemoved, decision_letter_pdf
from applications.views.documents import content_disposition

# While a letter is being built its page asks the browser to load it again after this many seconds.
LETTER_REFRESH_SECONDS = 3


@login_required
@require_safe
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = decided_application_get_for_user(user=request.user, pk=pk)
    build = decision_letter_build(decision=application.decision)
    if build is not None and not build.is_ready:
        # Never built inside the request: that is what the background build is for.
        return redirect("applications:decision-letter-status", pk=application.pk)
    try:
        pdf = decision_letter_pdf(application.decision)
    except LetterRemoved:
        return render(request, "applications/letters/status.html", {"application": application, "removed": True}, status=410)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        decision_letter_filename(application), as_attachment=bool(request.GET.get("download"))
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def decision_letter_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = decided_application_get_for_user(user=request.user, pk=pk)
    build = decision_letter_build(decision=application.decision)
    # A small case has no build: its letter is ready whenever it is asked for.
    pending = build is not None and build.is_pending
    response = render(request, "applications/letters/status.html", {
        "application": application, "build": build, "pending": pending,
        "failed": build is not None and build.is_failed, "refresh_seconds": LETTER_REFRESH_SECONDS if pending else None,
    })
    if pending:
        response["Refresh"] = str(LETTER_REFRESH_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response
