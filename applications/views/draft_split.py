"""Splitting a draft over its region's cap of workers per application into several drafts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from applications import selectors
from applications.forms.draft_split import DraftSplitForm
from applications.services.draft_split import application_split
from applications.views.decorators import employer_required
from applications.views.refusals import refusal_as_message


@employer_required
@require_POST
def draft_split(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    to_case = redirect("applications:application-detail", pk=application.pk)
    form = DraftSplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The page was incomplete or out of date. Reload it and try again."))
        return to_case
    with refusal_as_message(request):
        try:
            drafts = application_split(application=application, user=request.user, expected_parts=form.cleaned_data["parts"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(reference)s is split into %(parts)d application: %(references)s. Check and submit each on its own.",
                    "%(reference)s is split into %(parts)d applications: %(references)s. Check and submit each on its own.",
                    len(drafts),
                )
                % {"reference": application.reference, "parts": len(drafts), "references": ", ".join(d.reference for d in drafts)},
            )
    return to_case
