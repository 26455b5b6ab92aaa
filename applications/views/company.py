"""The company page: its data (and the form to change them), verification state (a refusal's
reason and asking again), figures history and the form to state new figures, members,
invitations with their state, the invite form and revoking an invitation, the company's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import selectors, services
from applications.forms.company import EmployerFiguresForm, InvitationForm, add_service_errors
from applications.forms.company_review import AskAgainForm, CompanyDetailsForm
from applications.selectors.company import (
    figures_evidence_for_user,
    figures_history,
    invitation_for_member,
    invitation_list_for_employer,
    member_list_for_employer,
)
from applications.selectors.company_review import company_history
from applications.services import TransitionRefused
from applications.services.companies import employer_figures_record, invitation_send
from applications.services.company_details import EDITABLE_DETAILS
from applications.views.decorators import employer_required
from applications.views.private_files import uploaded_file_response
from applications.views.refusals import refusal_as_message


def _render_company(
    request: HttpRequest, invitation_form: InvitationForm, figures_form: EmployerFiguresForm | None = None
) -> HttpResponse:
    employer = selectors.employer_for_user(request.user)
    context = {
        "employer": employer,
        "members": member_list_for_employer(user=request.user),
        "invitations": invitation_list_for_employer(user=request.user),
        "invitation_form": invitation_form,
        "figures_history": figures_history(employer_id=employer.pk),
        "figures_form": figures_form or EmployerFiguresForm(),
        "ask_again_form": AskAgainForm() if employer.refused_at else None,
        "history": company_history(employer_id=employer.pk),
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


@employer_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for_member(user=request.user, pk=pk)
    with refusal_as_message(request):
        services.invitation_revoke(invitation=invitation, user=request.user)
        messages.success(request, gettext("The invitation to %(email)s is revoked: its link no longer works.") % {"email": invitation.email})
    return redirect("applications:company-detail")


@employer_required
@require_POST
def figures_create(request: HttpRequest) -> HttpResponse:
    form = EmployerFiguresForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            employer_figures_record(employer=selectors.employer_for_user(request.user), user=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error("evidence", exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, gettext("The figures for %(year)d are recorded.") % {"year": form.cleaned_data["year"]}
            )
            return redirect("applications:company-detail")
    return _render_company(request, InvitationForm(), form)


@login_required
@require_safe
def figures_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    statement = figures_evidence_for_user(user=request.user, pk=pk)
    return uploaded_file_response(
        statement.evidence, content_type=statement.evidence_content_type, stem=f"figures-evidence-{statement.pk}",
        what=f"Figures {statement.pk}",
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_edit(request: HttpRequest) -> HttpResponse:
    employer = selectors.employer_for_user(request.user)
    initial = {name: getattr(employer, name) for name in EDITABLE_DETAILS}
    form = CompanyDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            try:
                changes = services.employer_details_update(employer=employer, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if changes:
                    messages.success(request, gettext("The company's details are saved; the change is kept in its history."))
                else:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect("applications:company-detail")
    return render(request, "applications/company/edit.html", {"employer": employer, "form": form})


@employer_required
@require_POST
def company_ask_again(request: HttpRequest) -> HttpResponse:
    form = AskAgainForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The note is too long."))
        return redirect("applications:company-detail")
    with refusal_as_message(request):
        services.employer_ask_again(
            employer=selectors.employer_for_user(request.user), user=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, gettext("Your company is back in the queue of its region's officers."))
    return redirect("applications:company-detail")
