"""Charters: the employer's pages (the list, a new charter, a charter with its members, its
invitation and the company's own cases on it) and the officer's (the region's charters, a
charter's cases side by side, deciding several together).

A company sees the charters it is on and, of the other companies there, only names and counts;
an officer the charters of their regions. Another id is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import selectors
from applications.deadlines import mark_deadline
from applications.forms.charters import APPROVE, CharterCasesForm, CharterDecideForm, CharterForm, CharterInviteForm
from applications.forms.company import add_service_errors
from applications.models import Charter, CharterMember, CharterMemberState, Status
from applications.models.application import APPROVED_STATUSES, DECIDED_STATUSES
from applications.selectors.charters import (
    cases_eligible_for_charter,
    charter_cases_for_officer,
    charter_cases_of_employer,
    charter_get_for_employer,
    charter_get_for_officer,
    charter_members_summary,
    charters_for_employer,
    charters_for_officer,
)
from applications.services import TransitionRefused
from applications.services import charters as services
from applications.views.decorators import employer_required, officer_required
from applications.views.refusals import refusal_as_message

CHARTERS_PER_PAGE = 25


# The employer's side


@employer_required
@require_safe
def charter_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(charters_for_employer(user=request.user), CHARTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "applications/charters/list.html", {"page": page, "charters": page.object_list})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def charter_create(request: HttpRequest) -> HttpResponse:
    employer = selectors.employer_for_user(request.user)
    form = CharterForm(request.POST or None, initial={"region": employer.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            charter = services.charter_create(employer=employer, user=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect("applications:charter-list")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Charter %(reference)s is created. Invite the other companies and put your applications on it.")
                % {"reference": charter.reference},
            )
            return redirect("applications:charter-detail", pk=charter.pk)
    return render(request, "applications/charters/form.html", {"form": form, "employer_verified": employer.is_verified})


def _render_charter(
    request: HttpRequest, charter: Charter, member: CharterMember, *, invite_form: CharterInviteForm | None = None,
    attach_form: CharterCasesForm | None = None,
) -> HttpResponse:
    accepted = member.state == CharterMemberState.ACCEPTED
    is_organiser = member.employer_id == charter.organiser_id
    own_cases = list(charter_cases_of_employer(charter, user=request.user))
    eligible = list(cases_eligible_for_charter(charter, user=request.user)) if accepted else []
    for case in own_cases:
        case.can_detach = case.status not in DECIDED_STATUSES
    context = {
        "charter": charter,
        "member": member,
        "is_organiser": is_organiser,
        "accepted": accepted,
        "can_answer": member.state == CharterMemberState.INVITED,
        "can_leave": accepted and not is_organiser and not own_cases,
        "members": charter_members_summary(charter),
        "own_cases": own_cases,
        "any_detachable": any(case.can_detach for case in own_cases),
        "eligible_cases": eligible,
        "attach_form": attach_form,
        "invite_form": (invite_form or CharterInviteForm()) if is_organiser else None,
    }
    return render(request, "applications/charters/detail.html", context)


@employer_required
@require_safe
def charter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    charter, member = charter_get_for_employer(user=request.user, pk=pk)
    return _render_charter(request, charter, member)


def _to_charter(charter: Charter) -> HttpResponse:
    return redirect("applications:charter-detail", pk=charter.pk)


@employer_required
@require_POST
def charter_invite(request: HttpRequest, pk: int) -> HttpResponse:
    charter, member = charter_get_for_employer(user=request.user, pk=pk)
    form = CharterInviteForm(request.POST)
    if form.is_valid():
        try:
            invited = services.charter_invite(charter=charter, user=request.user, inn=form.cleaned_data["inn"])
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return _to_charter(charter)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(company)s is invited: it sees the charter and decides whether to join.") % {"company": invited.employer.name},
            )
            return _to_charter(charter)
    return _render_charter(request, charter, member, invite_form=form)


@employer_required
@require_POST
def charter_answer(request: HttpRequest, pk: int) -> HttpResponse:
    charter, _member = charter_get_for_employer(user=request.user, pk=pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose whether to accept or to decline the invitation."))
        return _to_charter(charter)
    accept = answer == "accept"
    with refusal_as_message(request):
        services.charter_answer(charter=charter, user=request.user, accept=accept)
        if accept:
            messages.success(request, _("Your company is on charter %(reference)s. Put your applications on it below.") % {
                "reference": charter.reference,
            })
        else:
            messages.success(request, _("You declined charter %(reference)s.") % {"reference": charter.reference})
    return _to_charter(charter)


@employer_required
@require_POST
def charter_leave(request: HttpRequest, pk: int) -> HttpResponse:
    charter, _member = charter_get_for_employer(user=request.user, pk=pk)
    with refusal_as_message(request):
        services.charter_leave(charter=charter, user=request.user)
        messages.success(request, _("Your company left charter %(reference)s.") % {"reference": charter.reference})
    return _to_charter(charter)


@employer_required
@require_POST
def charter_attach(request: HttpRequest, pk: int) -> HttpResponse:
    charter, member = charter_get_for_employer(user=request.user, pk=pk)
    form = CharterCasesForm(request.POST, choices=cases_eligible_for_charter(charter, user=request.user))
    if not form.is_valid():
        return _render_charter(request, charter, member, attach_form=form)
    with refusal_as_message(request):
        attached = services.charter_attach(
            charter=charter, user=request.user, application_ids=[case.pk for case in form.cleaned_data["applications"]]
        )
        messages.success(
            request,
            ngettext("%(count)d application is on the charter: %(references)s.", "%(count)d applications are on the charter: %(references)s.",
                     len(attached))
            % {"count": len(attached), "references": ", ".join(case.reference for case in attached)},
        )
    return _to_charter(charter)


@employer_required
@require_POST
def charter_detach(request: HttpRequest, pk: int) -> HttpResponse:
    charter, member = charter_get_for_employer(user=request.user, pk=pk)
    form = CharterCasesForm(request.POST, choices=charter_cases_of_employer(charter, user=request.user))
    if not form.is_valid():
        messages.error(request, _("Tick the applications to take off the charter."))
        return _to_charter(charter)
    with refusal_as_message(request):
        detached = services.charter_detach(
            charter=charter, user=request.user, application_ids=[case.pk for case in form.cleaned_data["applications"]]
        )
        messages.success(
            request,
            ngettext("%(count)d application is off the charter: %(references)s.", "%(count)d applications are off the charter: %(references)s.",
                     len(detached))
            % {"count": len(detached), "references": ", ".join(case.reference for case in detached)},
        )
    return _to_charter(charter)


# The officer's side


@officer_required
@require_safe
def review_charter_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(charters_for_officer(user=request.user), CHARTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "applications/charters/review_list.html", {"page": page, "charters": page.object_list})


def _render_review_charter(request: HttpRequest, charter: Charter, form: CharterDecideForm | None = None) -> HttpResponse:
    cases = list(charter_cases_for_officer(charter))
    today = timezone.localdate()
    for case in cases:
        mark_deadline(case, today)
    decidable = [case for case in cases if case.status == Status.IN_REVIEW]
    context = {
        "charter": charter,
        "cases": cases,
        "decidable": decidable,
        "decidable_ids": {case.pk for case in decidable},
        "form": form or CharterDecideForm(decidable=decidable),
        "company_count": len({case.employer_id for case in cases}),
        "worker_count": sum(case.worker_count for case in cases),
        "any_decided": any(case.status in APPROVED_STATUSES for case in cases),
    }
    return render(request, "applications/charters/review_detail.html", context)


@officer_required
@require_safe
def review_charter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review_charter(request, charter_get_for_officer(user=request.user, pk=pk))


@officer_required
@require_POST
def review_charter_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Decides the ticked cases one after the other, each through its own decision; the page then
    says, case by case, what was done and what was not and why."""
    charter = charter_get_for_officer(user=request.user, pk=pk)
    decidable = [case for case in charter_cases_for_officer(charter) if case.status == Status.IN_REVIEW]
    form = CharterDecideForm(request.POST, decidable=decidable)
    if not form.is_valid():
        return _render_review_charter(request, charter, form)
    approve = form.cleaned_data["action"] == APPROVE
    results = services.charter_decide(
        charter=charter, user=request.user, versions=form.cleaned_data["versions"], approve=approve,
        reason=form.cleaned_data["reason"],
    )
    done = [result.application.reference for result in results if result.done]
    if done:
        message = (
            ngettext("%(count)d approved: %(references)s.", "%(count)d approved: %(references)s.", len(done))
            if approve
            else ngettext("%(count)d rejected: %(references)s.", "%(count)d rejected: %(references)s.", len(done))
        )
        messages.success(request, message % {"count": len(done), "references": ", ".join(done)})
    for result in results:
        if not result.done:
            messages.error(
                request,
                _("%(reference)s (%(company)s) was not decided: %(reason)s")
                % {"reference": result.application.reference, "company": result.application.employer.name, "reason": result.reason},
            )
    return redirect("applications:review-charter-detail", pk=charter.pk)
