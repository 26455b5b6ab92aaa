"""The company page: its data, verification state, members, open invitations and the invite form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.forms.company import InvitationForm, add_service_errors
from applications.selectors.company import member_list_for_employer, open_invitation_list_for_employer
from applications.services import TransitionRefused
from applications.services.companies import invitation_send
from applications.views.decorators import employer_required


def _render_company(request: HttpRequest, invitation_form: InvitationForm) -> HttpResponse:
    context = {
        "employer": selectors.employer_for_user(request.user),
        "members": member_list_for_employer(user=request.user),
        "invitations": open_invitation_list_for_employer(user=request.user),
        "invitation_form": invitation_form,
    }
    return render(request, "applications/company/detail.html", context)


@employer_required
@require_http_methods(["GET", "HEAD"])
def company_detail(request: HttpRequest) -> HttpResponse:
    return _render_company(request, InvitationForm())


@employer_required
@require_POST
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_send(
                employer=selectors.employer_for_user(request.user), user=request.user, email=form.cleaned_data["email"],
                site_url=request.build_absolute_uri("/"),
            )
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect("applications:company-detail")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("An invitation is sent to %(email)s.") % {"email": invitation.email})
            return redirect("applications:company-detail")
    return _render_company(request, form)
