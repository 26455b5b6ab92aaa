"""The decision letter, as a PDF, for the case's company and the officers of its region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from applications.letters import decision_letter_filename
from applications.selectors.documents import decided_application_get_for_user
from applications.services.decision_letters import decision_letter_pdf
from applications.views.documents import content_disposition


@login_required
@require_safe
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = decided_application_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(decision_letter_pdf(application.decision), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        decision_letter_filename(application), as_attachment=bool(request.GET.get("download"))
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
