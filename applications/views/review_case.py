"""The regional officer's case page and its actions.

Every case is fetched through a selector scoped to the officer's regions, so another region's
case is a 404. Each action posts to its own view, which validates one form, calls one service
and redirects back to the case (post/redirect/get); a refusal of the service becomes an error
message, a form error re-draws the case page with the error next to its field.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications import selectors, services
from applications.deadlines import DEADLINE_RUNNING, mark_deadline
from applications.forms.review import (
    ApproveForm,
    ApprovePartiallyForm,
    CaseActionForm,
    RejectForm,
    RequestInformationForm,
    TakeIntoReviewForm,
    VerifyCompanyForm,
)
from applications.models import Application, ApplicationKind
from applications.overrides import Failures, split_failures
from applications.permissions import officer_region_ids
from applications.selectors.company import figures_history_for_case
from applications.selectors.corrections import corrections_of_case, with_corrections
from applications.selectors.documents import documents_for_case
from applications.selectors.earlier_work import attach_earlier_work
from applications.selectors.overrides import decision_overrides_of, with_overrides
from applications.selectors.quota import quota_meters
from applications.selectors.review_case import (
    application_get_for_case_page,
    case_lines_for_review,
    case_timeline,
    earlier_cases_of_employer,
)
from applications.transitions import TRANSITIONS, Actor, available_transitions
from applications.views.decorators import officer_required
from regions.rules import blocking_failures

# Which form draws which transition on the case page.
ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    "take_into_review": TakeIntoReviewForm,
    "request_information": RequestInformationForm,
    "approve": ApproveForm,
    "approve_partially": ApprovePartiallyForm,
    "reject": RejectForm,
}


def _decision_of(application: Application):
    try:
        return application.decision
    except ObjectDoesNotExist:
        return None


def _open_actions(application: Application, line_count: int | None) -> set[str]:
    """The transitions the case page offers an officer now."""
    names = {transition.name for transition in available_transitions(application, Actor.OFFICER)}
    if line_count is not None and line_count < 2:
        names.discard("approve_partially")  # one worker: approve or reject the case
    return names


# The approval forms carry the workers and the rule check's blocking failures (for the overrides).
APPROVAL_FORMS = (ApproveForm, ApprovePartiallyForm)


def _action_forms(
    application: Application, lines, bound: CaseActionForm | None, failures: Failures | None = None
) -> dict[str, CaseActionForm]:
    """The forms of the open actions; a bound form (with errors) replaces its blank one."""
    names = _open_actions(application, len(lines))
    forms = {}
    for name, form_class in ACTION_FORMS.items():
        if name not in names:
            continue
        if type(bound) is form_class:
            forms[name] = bound
        elif form_class in APPROVAL_FORMS:
            forms[name] = form_class(application=application, lines=lines, failures=failures)
        else:
            forms[name] = form_class(application=application)
    return forms


def _may_verify_company(user, application: Application) -> bool:
    """The service decides; this only says whether the page offers the button."""
    employer = application.employer
    return not employer.is_verified and employer.region_id in officer_region_ids(user)


def _render_case(request: HttpRequest, application: Application, bound: CaseActionForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    decision = _decision_of(application)
    lines = case_lines_for_review(application, rules=decision.rule_set if decision else None)
    # Bringing workers back: the officer sees each worker's evidence of earlier work, with its scan.
    show_earlier_work = application.kind == ApplicationKind.RETURNING_WORKERS
    if show_earlier_work:
        attach_earlier_work(application=application, lines=lines)
    # A decided case shows the checks its decision kept, never a fresh run.
    rule_set, checks = selectors.case_page_rule_check(application, decision=decision, today=today)
    documents = documents_for_case(application, user=request.user)
    mark_deadline(application, today)
    failures = split_failures(checks)
    forms = _action_forms(application, lines, bound, failures)
    overrides = decision_overrides_of(decision)
    history = with_overrides(case_timeline(application, documents), overrides)
    unsent_corrections = with_corrections(history, corrections_of_case(application))
    may_verify = _may_verify_company(request.user, application)
    context = {
        "application": application,
        "employer": application.employer,
        # The company's identity as the decision named it, once decided.
        "company": decision.company if decision else application.employer,
        "lines": lines,
        "any_arrival_reported": any(line.arrival_reported for line in lines),
        "show_earlier_work": show_earlier_work,
        "documents": documents,
        "rule_set": rule_set,
        "checks": checks,
        "blocking_failures": blocking_failures(checks),
        "history": history,
        "unsent_corrections": unsent_corrections,
        "earlier_cases": earlier_cases_of_employer(application=application, user=request.user),
        # The quota an approval is held to is the one of the planned arrival's month.
        "meters": quota_meters(region_ids=[application.region_id], today=application.planned_arrival_date)
        if application.status in DEADLINE_RUNNING
        else [],
        "decision": decision,
        "decision_overrides": overrides,
        # The workers an approval would refuse unless overridden, with their failing checks.
        "failing_lines": [(line, failures.by_line[line.pk]) for line in lines if line.pk in failures.by_line],
        "case_failures": failures.case,
        "forms": forms,
        "can_take": "take_into_review" in forms,
        "can_request_information": "request_information" in forms,
        "can_approve": "approve" in forms,
        "can_approve_partially": "approve_partially" in forms,
        "can_reject": "reject" in forms,
        "can_verify_company": may_verify,
        "verify_form": (bound if isinstance(bound, VerifyCompanyForm) else VerifyCompanyForm(application=application))
        if may_verify
        else None,
    }
    context["figures_company"], context["figures_history"] = figures_history_for_case(application)
    return render(request, "applications/review/detail.html", context)


@officer_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_case_page(user=request.user, pk=pk)
    return _render_case(request, application)


# Actions: one form, one service each.


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type[CaseActionForm],
    perform: Callable[[Application, CaseActionForm], Application],
    success: str,
) -> HttpResponse:
    application = application_get_for_case_page(user=request.user, pk=pk)
    extra = {}
    if form_class in APPROVAL_FORMS:
        # The form says at each field what the approval would refuse; the service checks again, locked.
        _rule_set, checks = selectors.case_rule_check(application)
        extra = {"lines": case_lines_for_review(application), "failures": split_failures(checks)}
    form = form_class(request.POST, application=application, **extra)
    if not form.is_valid():
        transition = next(name for name, cls in ACTION_FORMS.items() if cls is form_class)
        line_count = len(form.lines) if isinstance(form, ApprovePartiallyForm) else None
        if transition in _open_actions(application, line_count):
            return _render_case(request, application, bound=form)
        # The action is gone from the page (another officer moved the case on): the errors of a
        # form the officer can no longer see would help nobody.
        messages.error(
            request,
            _("“%(action)s” is not possible while the application is “%(status)s”.")
            % {"action": TRANSITIONS[transition].label, "status": application.get_status_display()},
        )
        return redirect("applications:review-detail", pk=application.pk)
    try:
        updated = perform(application, form)
    except services.TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"reference": updated.reference})
    return redirect("applications:review-detail", pk=application.pk)


@officer_required
@require_POST
def review_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, TakeIntoReviewForm,
        lambda application, form: services.application_take_into_review(
            application=application, user=request.user, expected_version=form.cleaned_data["version"],
        ),
        _("Application %(reference)s is in review and assigned to you."),
    )


@officer_required
@require_POST
def review_request_information(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, RequestInformationForm,
        lambda application, form: services.application_request_information(
            application=application, user=request.user, message=form.cleaned_data["message"],
            answer_days=form.cleaned_data["answer_days"], requested_documents=form.cleaned_data["requested_documents"],
            expected_version=form.cleaned_data["version"],
        ),
        _("The request for information on %(reference)s is sent to the employer."),
    )


@officer_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, ApproveForm,
        lambda application, form: services.application_approve(
            application=application, user=request.user, expected_version=form.cleaned_data["version"],
            overrides=form.overrides, case_override=form.case_override,
        ),
        _("Application %(reference)s is approved for every worker."),
    )


@officer_required
@require_POST
def review_approve_partially(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, ApprovePartiallyForm,
        lambda application, form: services.application_approve_partially(
            application=application, user=request.user, refusals=form.refusals,
            expected_version=form.cleaned_data["version"], overrides=form.overrides, case_override=form.case_override,
        ),
        _("Application %(reference)s is partially approved."),
    )


@officer_required
@require_POST
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, RejectForm,
        lambda application, form: services.application_reject(
            application=application, user=request.user, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        _("Application %(reference)s is rejected."),
    )


@officer_required
@require_POST
def review_verify_company(request: HttpRequest, pk: int) -> HttpResponse:
    """Verifies the company of a case the officer can see; the service refuses an officer of
    another region than the company's (a case may be filed outside the company's own region)."""
    application = application_get_for_case_page(user=request.user, pk=pk)
    employer = application.employer
    if employer.is_verified:
        messages.info(
            request,
            _("%(company)s was already verified on %(date)s.")
            % {"company": employer.name, "date": date_format(timezone.localtime(employer.verified_at), "SHORT_DATE_FORMAT")},
        )
        return redirect("applications:review-detail", pk=application.pk)
    form = VerifyCompanyForm(request.POST, application=application)
    # Without the confirmation the officer sees why next to the box; an officer who may not
    # verify this company at all gets the service's refusal instead.
    if not form.is_valid() and _may_verify_company(request.user, application):
        return _render_case(request, application, bound=form)
    try:
        verified = services.employer_verify(employer=employer, user=request.user)
    except services.TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        if verified.verified_by_id == request.user.pk:
            messages.success(request, _("%(company)s is verified: it can now submit applications.") % {"company": verified.name})
        else:  # someone else verified it a moment earlier; their verification stands
            messages.info(request, _("%(company)s had just been verified by someone else.") % {"company": verified.name})
    return redirect("applications:review-detail", pk=application.pk)
