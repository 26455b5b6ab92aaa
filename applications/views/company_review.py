"""The officer's work on companies: the queue of companies of their regions waiting for
verification, a company's card (INN/OGRN checked, figures with their evidence, members, history),
verifying it and refusing with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from applications import services
from applications.forms.company import add_service_errors
from applications.forms.company_review import RefuseCompanyForm, VerifyCompanyCardForm
from applications.models import Employer, VerificationState
from applications.selectors.company import figures_history
from applications.selectors.company_review import (
    company_for_officer,
    company_history,
    company_list_for_officer,
    company_members,
    registration_number_checks,
)
from applications.views.decorators import officer_required
from applications.views.refusals import refusal_as_message

PAGE_SIZE = 50


def tell_verified(request: HttpRequest, verified: Employer) -> None:
    """The message after verifying a company, from its card or from one of its cases."""
    if verified.verified_by_id == request.user.pk:
        messages.success(request, gettext("%(company)s is verified: it can now submit applications.") % {"company": verified.name})
    else:  # someone else verified it a moment earlier; their verification stands
        messages.info(request, gettext("%(company)s had just been verified by someone else.") % {"company": verified.name})


@officer_required
@require_safe
def company_queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", VerificationState.WAITING)
    if state not in VerificationState.values:
        state = VerificationState.WAITING
    page = Paginator(company_list_for_officer(user=request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(value, label, value == state) for value, label in VerificationState.choices]
    return render(request, "applications/review/companies.html", {"page": page, "state": state, "tabs": tabs})


def _render_card(request: HttpRequest, employer, *, verify_form=None, refuse_form=None) -> HttpResponse:
    waiting = employer.verification_state == VerificationState.WAITING
    context = {
        "employer": employer,
        "number_checks": registration_number_checks(employer),
        "figures_history": figures_history(employer_id=employer.pk),
        "members": company_members(employer_id=employer.pk),
        "history": company_history(employer_id=employer.pk),
        # A refused company may still be verified (what it sent may have been enough after all);
        # refusing is for one that waits.
        "verify_form": None if employer.is_verified else verify_form or VerifyCompanyCardForm(),
        "refuse_form": (refuse_form or RefuseCompanyForm()) if waiting else None,
    }
    return render(request, "applications/review/company.html", context)


@officer_required
@require_safe
def company_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_card(request, company_for_officer(user=request.user, pk=pk))


@officer_required
@require_POST
def company_verify(request: HttpRequest, pk: int) -> HttpResponse:
    employer = company_for_officer(user=request.user, pk=pk)
    form = VerifyCompanyCardForm(request.POST)
    if not form.is_valid():
        return _render_card(request, employer, verify_form=form)
    with refusal_as_message(request):
        verified = services.employer_verify(employer=employer, user=request.user)
        tell_verified(request, verified)
    return redirect("applications:review-company", pk=employer.pk)


@officer_required
@require_POST
def company_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    employer = company_for_officer(user=request.user, pk=pk)
    form = RefuseCompanyForm(request.POST)
    if form.is_valid():
        try:
            refused = services.employer_refuse(employer=employer, user=request.user, reason=form.cleaned_data["reason"])
        except services.TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect("applications:review-company", pk=employer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Verification of %(company)s is refused; its members are told why by e-mail.")
                % {"company": refused.name},
            )
            return redirect("applications:review-company", pk=employer.pk)
    return _render_card(request, employer, refuse_form=form)
