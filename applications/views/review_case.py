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
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from applications import selectors, services
from applications.approval_drafts import (
    APPROVE,
    REFUSE,
    Mark,
    clear_draft,
    draft_marks,
    effective_marks,
    forget_marks,
    keep_marks,
)
from applications.deadlines import DEADLINE_RUNNING, mark_deadline
from applications.forms.case_lines import CaseLineFilterForm
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
from applications.models.application import APPROVED_STATUSES
from applications.overrides import JUSTIFICATION_MIN_LENGTH, Failures, split_failures
from applications.permissions import officer_region_ids
from applications.selectors.case_lines import LINES_PER_PAGE, case_lines_page
from applications.selectors.cases import application_lines
from applications.selectors.company import figures_history_for_case, figures_statements_of_case
from applications.selectors.corrections import corrections_of_case, with_corrections
from applications.selectors.documents import documents_for_case
from applications.selectors.earlier_work import attach_earlier_work
from applications.selectors.overrides import decision_overrides_of, with_overrides
from applications.selectors.quota import meter_versions, quota_meters
from applications.selectors.review_case import (
    application_get_for_case_page,
    case_lines_for_review,
    case_timeline,
    describe_lines_for_review,
    earlier_cases_of_employer,
)
from applications.transitions import TRANSITIONS, Actor, available_transitions
from applications.views.company_review import tell_verified
from applications.views.decorators import officer_required
from applications.views.refusals import refusal_as_message

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
    application: Application, lines, bound: CaseActionForm | None, failures: Failures | None = None,
    *, line_count: int, marks: dict[int, Mark] | None = None, rule_set=None,
) -> dict[str, CaseActionForm]:
    """The forms of the open actions; a bound form (with errors) replaces its blank one. The
    approval forms carry the lines of the page shown; the partial one starts from the officer's
    marks kept from the other pages (`marks`)."""
    names = _open_actions(application, line_count)
    forms = {}
    for name, form_class in ACTION_FORMS.items():
        if name not in names:
            continue
        if type(bound) is form_class:
            forms[name] = bound
        elif form_class is ApprovePartiallyForm:
            forms[name] = form_class(
                application=application, lines=lines, failures=failures, initial=_marks_initial(lines, marks or {}),
            )
        elif form_class in APPROVAL_FORMS:
            # Approving all carries an override per failing worker; when some fail on other pages
            # the officer overrides them page by page in the partial form instead, and this form
            # does not draw the page's share of a task it cannot finish here.
            all_failing_shown = failures is None or set(failures.by_line) <= {line.pk for line in lines}
            forms[name] = form_class(
                application=application, failures=failures,
                lines=lines if all_failing_shown else [line for line in lines if line.pk not in failures.by_line],
            )
        elif form_class is RequestInformationForm:
            # The rules in force on the arrival date: those the page's rule check just read.
            forms[name] = form_class(application=application, rules=rule_set)
        else:
            forms[name] = form_class(application=application)
    return forms


def _may_verify_company(user, application: Application) -> bool:
    """The service decides; this only says whether the page offers the button."""
    employer = application.employer
    return not employer.is_verified and employer.region_id in officer_region_ids(user)


def _marks_initial(lines, marks: dict[int, Mark]) -> dict[str, object]:
    """The partial form's fields as the officer left them on an earlier visit of the page."""
    initial: dict[str, object] = {}
    for line in lines:
        if (mark := marks.get(line.pk)) is None:
            continue  # the form's own default
        prefix = f"line_{line.pk}_"
        initial.update({
            f"{prefix}decision": mark.decision, f"{prefix}reason": mark.reason, f"{prefix}note": mark.note,
            f"{prefix}override": mark.override, f"{prefix}justification": mark.justification,
        })
    return initial


def _lines_query(request: HttpRequest) -> str:
    """The page's search, filters and page number, rebuilt from valid values only (for the
    partial form's action and the redirect after saving a page)."""
    query = QueryDict(mutable=True)
    query.update(CaseLineFilterForm(request.GET).filters)
    page = request.GET.get("page", "")
    if page.isdigit():
        query["page"] = page
    return query.urlencode()


def _render_case(request: HttpRequest, application: Application, bound: CaseActionForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    decision = _decision_of(application)
    # The quota an approval is held to is the one of the planned arrival's month; the rule versions
    # the meter reads include the one the rule check runs against, and the company's statements of
    # figures serve the check and the figures panel alike: each is read once.
    versions = None
    if application.status in DEADLINE_RUNNING:
        versions = meter_versions(region_ids=[application.region_id], today=application.planned_arrival_date)
    statements = figures_statements_of_case(application)
    # A decided case shows the checks its decision kept, never a fresh run.
    rule_set, checks = selectors.case_page_rule_check(
        application, decision=decision, today=today, rule_versions=versions, figures_statements=statements,
    )
    failures = split_failures(checks)
    # One page of the workers, searched and filtered; the counts cover them all.
    filter_form = CaseLineFilterForm(request.GET)
    page, counts = case_lines_page(
        application, filters=filter_form.filters, failing_ids=failures.by_line.keys(), page_number=request.GET.get("page"),
    )
    lines = describe_lines_for_review(application, list(page.object_list), rules=decision.rule_set if decision else None)
    page_ids = {line.pk for line in lines}
    # The rule check lists the whole application's checks and those of the workers shown.
    checks = [check for check in checks if check.line_id is None or check.line_id in page_ids]
    # Bringing workers back: the officer sees each worker's evidence of earlier work, with its scan.
    show_earlier_work = application.kind == ApplicationKind.RETURNING_WORKERS
    if show_earlier_work:
        attach_earlier_work(application=application, lines=lines)
    documents = documents_for_case(application, user=request.user)
    mark_deadline(application, today)
    marks = draft_marks(request.session, application)
    forms = _action_forms(
        application, lines, bound, failures, line_count=counts.total, marks=marks, rule_set=rule_set,
    )
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
        "page": page,
        "line_counts": counts,
        "line_filter_form": filter_form,
        "lines_filtered": bool(filter_form.filters),
        "lines_query": _lines_query(request),
        # The workers the partial form carries: the page's, or those of the form posted back.
        "page_line_ids": ",".join(
            str(line.pk) for line in (bound.lines if isinstance(bound, ApprovePartiallyForm) else lines)
        ),
        "marked_count": len(marks),
        "any_arrival_reported": any(line.arrival_reported for line in lines),
        "show_earlier_work": show_earlier_work,
        "documents": documents,
        "rule_set": rule_set,
        "checks": checks,
        # Counted over every worker, not only the page's.
        "blocking_failures_count": len(failures.case) + sum(len(found) for found in failures.by_line.values()),
        "history": history,
        "unsent_corrections": unsent_corrections,
        "earlier_cases": earlier_cases_of_employer(application=application, user=request.user),
        "meters": quota_meters(region_ids=[application.region_id], today=application.planned_arrival_date, versions=versions)
        if versions is not None
        else [],
        "decision": decision,
        "decision_overrides": overrides,
        # The approved workers' notices in their languages (applications/notices.py).
        "has_worker_notices": application.status in APPROVED_STATUSES,
        # The workers an approval would refuse unless overridden, with their failing checks.
        "failing_lines": [(line, failures.by_line[line.pk]) for line in lines if line.pk in failures.by_line],
        "failing_count": len(failures.by_line),
        "justification_min_length": JUSTIFICATION_MIN_LENGTH,
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
    context["figures_company"], context["figures_history"] = figures_history_for_case(application, statements)
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
    with refusal_as_message(request):
        updated = perform(application, form)
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


# The partial approval, a page at a time: the buttons of its form.
SAVE_PAGE, REFUSE_FAILING, APPROVE_PASSING, DECIDE = "save", "refuse_failing", "approve_passing", "decide"
# A page shows at most LINES_PER_PAGE workers; a post naming more lines is not the page's own.
MAX_POSTED_LINES = LINES_PER_PAGE


def _posted_lines(application: Application, posted: str | None) -> list:
    """The lines of the page the form was drawn for (its hidden `page_lines`); a form posted
    without it (a case small enough for one page, as before pages) covers every line."""
    lines = application_lines(application)
    if posted is None:
        return describe_lines_for_review(application, list(lines))
    ids = [int(part) for part in posted.split(",") if part.strip().isdigit()][:MAX_POSTED_LINES]
    return describe_lines_for_review(application, list(lines.filter(pk__in=ids)))


@officer_required
@require_POST
def review_approve_partially(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves the marks of one page, resets a group to its default, or takes the decision with the
    marks of every page through the one partial-approval service."""
    application = application_get_for_case_page(user=request.user, pk=pk)
    step = request.POST.get("step", DECIDE)
    back = redirect(f"{reverse('applications:review-detail', kwargs={'pk': application.pk})}?{_lines_query(request)}")
    # The form says at each field what the approval would refuse; the service checks again, locked.
    _rule_set, checks = selectors.case_rule_check(application)
    failures = split_failures(checks)
    line_ids = list(application.lines.values_list("pk", flat=True))
    form = ApprovePartiallyForm(
        request.POST, application=application, lines=_posted_lines(application, request.POST.get("page_lines")),
        failures=failures,
    )
    form.checks_case_override = step == DECIDE
    is_open = "approve_partially" in _open_actions(application, len(line_ids))
    if not is_open and (step != DECIDE or not form.is_valid()):
        # The action is gone from the page (another officer moved the case on): the errors of a
        # form the officer can no longer see would help nobody. A valid decision goes on to the
        # service, which says why it refuses.
        messages.error(
            request,
            _("“%(action)s” is not possible while the application is “%(status)s”.")
            % {"action": TRANSITIONS["approve_partially"].label, "status": application.get_status_display()},
        )
        return back
    if not form.is_valid():
        return _render_case(request, application, bound=form)
    if form.cleaned_data["version"] != application.version:
        # Another officer moved the case on: the marks describe a case that is no more. A decision
        # goes on to the service, which refuses a stale version with its own message.
        clear_draft(request.session, application)
        if step != DECIDE:
            messages.error(request, _("This form is out of date. Reload the page and try again."))
            return back
        marks = form.marks
    else:
        marks = keep_marks(request.session, application, form.marks, failures)
    if step == REFUSE_FAILING:
        forget_marks(request.session, application, failures.by_line.keys())
        messages.success(request, _("Every worker failing a blocking check is marked to be refused, with the reason the check suggests."))
        return back
    if step == APPROVE_PASSING:
        forget_marks(request.session, application, (line_id for line_id in line_ids if line_id not in failures.by_line))
        messages.success(request, _("Every worker passing the rule check is marked to be approved."))
        return back
    if step != DECIDE:
        messages.success(request, _("Your marks on this page are kept until you take the decision."))
        return back
    decided = effective_marks(marks, line_ids, failures)
    # A worker marked approved on another page may fail the check since: refuse or override it there.
    unjustified = [line_id for line_id, mark in decided.items() if mark.decision == APPROVE and line_id in failures.by_line and not mark.override]
    if unjustified:
        form.add_error(None, ngettext(
            "%(count)d worker marked to be approved fails a blocking check: show the workers that fail, and refuse it or tick its override.",
            "%(count)d workers marked to be approved fail a blocking check: show the workers that fail, and refuse them or tick their overrides.",
            len(unjustified),
        ) % {"count": len(unjustified)})
        return _render_case(request, application, bound=form)
    with refusal_as_message(request):
        updated = services.application_approve_partially(
            application=application, user=request.user,
            refusals={line_id: (mark.reason, mark.note) for line_id, mark in decided.items() if mark.decision == REFUSE},
            expected_version=form.cleaned_data["version"],
            overrides={line_id: mark.justification for line_id, mark in decided.items() if mark.decision == APPROVE and mark.override},
            case_override=form.case_override,
        )
        clear_draft(request.session, application)
        messages.success(request, _("Application %(reference)s is partially approved.") % {"reference": updated.reference})
    return redirect("applications:review-detail", pk=application.pk)


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
    with refusal_as_message(request):
        verified = services.employer_verify(employer=employer, user=request.user)
        tell_verified(request, verified)
    return redirect("applications:review-detail", pk=application.pk)
