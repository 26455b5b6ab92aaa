"""The employer's pages: the case list, a draft and its live rule check, copying a case, the case
page with its follow-up, submitting, withdrawing and answering a request for information.

Each view fetches through a selector scoped to the user (another company's id is a 404), calls
one service and redirects (post/redirect/get); a refusal's message is shown on the case page.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import selectors, services
from applications.deadlines import mark_deadline
from applications.declarations import submission_declaration
from applications.filters.employer import EmployerCaseFilter
from applications.forms.case_lines import CaseLineFilterForm
from applications.forms.documents import DocumentUploadForm
from applications.forms.employer import AddWorkerForm, AnswerForm, ApplicationDraftForm, SubmitForm, WithdrawForm
from applications.models import Application, DocumentKind, Status, StatusChange
from applications.models.application import APPROVED_STATUSES, DECIDED_STATUSES
from applications.overrides import split_failures
from applications.selectors.case_lines import case_lines_page
from applications.selectors.corrections import corrections_of_case, with_corrections
from applications.selectors.documents import documents_for_case
from applications.selectors.employer import PASSPORT_WARNING_DAYS, application_timeline, employer_actions
from applications.selectors.overrides import decision_overrides_of_case, with_overrides
from applications.selectors.split_offers import split_offer_from_checks
from applications.services import TransitionRefused
from applications.services.cases import AnswerDocumentRefused
from applications.services.documents import UPLOAD_STATUSES
from applications.services.drafts import EDITABLE_STATUSES, application_copy
from applications.transitions import Actor, available_transitions
from applications.views.decorators import employer_required
from applications.views.refusals import refusal_as_message
from applications.views.sorting import sort_links
from regions.countries import country_name
from regions.rules import blocking_failures

PAGE_SIZE = 25
SORTABLE_COLUMNS = ("created", "arrival", "reference", "status")  # the `o` values of EmployerCaseFilter
ARRIVAL_REPORT_STATUSES = APPROVED_STATUSES


def _to_detail(application: Application) -> HttpResponse:
    return redirect("applications:application-detail", pk=application.pk)


def _stale_form_refused(request: HttpRequest, application: Application) -> HttpResponse:
    messages.error(request, gettext("The page was incomplete or out of date. Reload it and try again."))
    return _to_detail(application)


def _not_editable(request: HttpRequest, application: Application) -> HttpResponse:
    messages.error(
        request,
        gettext("Only a draft can be changed, or an application the authority asked you to correct; this application is “%(status)s”.")
        % {"status": application.get_status_display()},
    )
    return _to_detail(application)


def _latest_information_request(history: list[StatusChange]) -> StatusChange | None:
    return next((change for change in reversed(history) if change.to_status == Status.INFO_REQUESTED), None)


def _label_requested_documents(history: list[StatusChange]) -> None:
    for change in history:
        change.requested_document_labels = [DocumentKind(kind).label for kind in change.requested_documents if kind in DocumentKind.values]


# The case list


@employer_required
@require_safe
def employer_home(request: HttpRequest) -> HttpResponse:
    employer = selectors.employer_for_user(request.user)
    cases = EmployerCaseFilter(request.GET or None, queryset=selectors.application_list_for_employer(user=request.user))
    # get_page clamps a page number past the end (or not a number) to a real page.
    page = Paginator(cases.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for application in page:
        mark_deadline(application, today)
    filtered = any(request.GET.get(name) for name in ("status", "q"))
    context = {
        "employer": employer, "filter": cases, "page": page, "filtered": filtered,
        # With no `o`, the list is newest first.
        "sort": sort_links(request.GET.get("o") or "-created", SORTABLE_COLUMNS),
        "actions": employer_actions(user=request.user, today=today),
        "passport_warning_days": PASSPORT_WARNING_DAYS,
    }
    return render(request, "applications/employer/home.html", context)


# Drafts


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            try:
                application = services.application_create_draft(
                    employer=selectors.employer_for_user(request.user), user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    gettext("Draft %(reference)s is saved. Add the workers, then submit it.") % {"reference": application.reference},
                )
                return _to_detail(application)
    return render(request, "applications/employer/application_form.html", {"form": form, "application": None})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if application.status not in EDITABLE_STATUSES:
        return _not_editable(request, application)
    # The form writes the posted values onto the instance it is given; give it a copy so the
    # page keeps showing the case (and its rule check) as stored if the form is invalid.
    form = ApplicationDraftForm(
        request.POST or None, instance=copy.copy(application), region_fixed=application.status != Status.DRAFT
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update_draft(application=application, user=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return _to_detail(application)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if application.status == Status.DRAFT:
                saved = gettext("Draft %(reference)s is saved.")
            else:
                saved = gettext("Your corrections to %(reference)s are saved. Answer the request when everything asked for is done.")
            messages.success(request, saved % {"reference": application.reference})
            return _to_detail(application)
    rule_set, checks = selectors.case_rule_check(application)
    context = {"form": form, "application": application, "rule_set": rule_set, "checks": checks}
    return render(request, "applications/employer/application_form.html", context)


@employer_required
@require_safe
@never_cache
def application_rule_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The rule check of the case as saved, as an HTML fragment: static/js/rule-check.js swaps it
    into the page when the user comes back to it, so a change made elsewhere shows up."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    decision = selectors.decision_of_case(application)
    rule_set, checks = selectors.case_page_rule_check(application, decision=decision)
    return render(request, "includes/_rule_check.html", {"rule_set": rule_set, "checks": checks, "decision": decision})


@employer_required
@require_POST
def application_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    with refusal_as_message(request):
        try:
            new_draft = application_copy(application=application, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext(
                    "Draft %(reference)s is a copy of %(original)s, with the same workers. "
                    "Check the arrival date and enter each worker's new PCR test before you submit."
                )
                % {"reference": new_draft.reference, "original": application.reference},
            )
            return _to_detail(new_draft)
    return _to_detail(application)


# The case page


def _render_detail(request: HttpRequest, application: Application, *, add_worker_form: AddWorkerForm | None = None) -> HttpResponse:
    names = {transition.name for transition in available_transitions(application, Actor.EMPLOYER)}
    # A decided case: its workers, company and checks as the decision kept them (no fresh run).
    decision = selectors.decision_of_case(application)
    rule_set, checks = selectors.case_page_rule_check(application, decision=decision)
    failures = [] if decision else blocking_failures(checks)
    # One page of the workers, searched and filtered; the counts at the top cover them all.
    filter_form = CaseLineFilterForm(request.GET)
    page, counts = case_lines_page(
        application, filters=filter_form.filters, failing_ids=split_failures(checks).by_line.keys(),
        page_number=request.GET.get("page"),
    )
    lines = list(page.object_list)
    for line in lines:
        line.citizenship_name = country_name(line.person.citizenship)
    # The rule check lists the whole application's checks and those of the workers shown.
    page_ids = {line.pk for line in lines}
    checks = [check for check in checks if check.line_id is None or check.line_id in page_ids]
    decision_overrides = decision_overrides_of_case(application)
    history = with_overrides(application_timeline(application), decision_overrides)
    unsent_corrections = with_corrections(history, corrections_of_case(application))
    _label_requested_documents(history)
    # The shared timeline include reads the documents sent with each change under the name the
    # officer's page gives them; application_timeline has prefetched them.
    for change in history:
        change.attached_documents = change.documents.all()
    mark_deadline(application, timezone.localdate())

    can_edit = application.status in EDITABLE_STATUSES
    submit_available = "submit" in names
    employer_unverified = not application.employer.is_verified
    can_add_worker = False
    if can_edit:
        workers = selectors.worker_list_for_employer(user=request.user).exclude(pk__in=application.lines.values("worker_id"))
        if add_worker_form is None:
            add_worker_form = AddWorkerForm(workers=workers)
        can_add_worker = add_worker_form.is_bound or workers.exists()
    can_upload = application.status in UPLOAD_STATUSES

    context = {
        "application": application,
        "lines": lines,
        "page": page,
        "line_counts": counts,
        "line_filter_form": filter_form,
        "lines_filtered": bool(filter_form.filters),
        "decision": decision,
        "rule_set": rule_set,
        "checks": checks,
        # Listed for the workers shown; submitting is held back by any of them (can_submit).
        "blocking_failures": [check for check in failures if check.line_id is None or check.line_id in page_ids],
        "history": history,
        "unsent_corrections": unsent_corrections,
        "information_request": _latest_information_request(history) if application.status == Status.INFO_REQUESTED else None,
        "can_edit": can_edit,
        "submit_available": submit_available,
        "can_delete": application.status == Status.DRAFT,
        "employer_unverified": employer_unverified,
        "can_submit": submit_available and not failures and not employer_unverified,
        "can_withdraw": "withdraw" in names,
        "can_answer": "answer_request" in names,
        "add_worker_form": add_worker_form if can_edit else None,
        "can_add_worker": can_add_worker,
        "documents": documents_for_case(application, user=request.user),
        "upload_form": DocumentUploadForm() if can_upload else None,
        "has_decision_letter": application.status in DECIDED_STATUSES,
        # The approved workers' notices in their languages (applications/notices.py).
        "has_worker_notices": application.status in APPROVED_STATUSES,
        "decision_overrides": decision_overrides,
        "shows_arrival_report": application.status in ARRIVAL_REPORT_STATUSES,
        # A draft over its region's cap of workers per application: the split to offer.
        "split_offer": None if decision else split_offer_from_checks(application, checks),
    }
    return render(request, "applications/employer/application_detail.html", context)


@employer_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    return _render_detail(request, application)


@employer_required
@require_POST
def application_add_worker(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    form = AddWorkerForm(request.POST, workers=selectors.worker_list_for_employer(user=request.user))
    if not form.is_valid():
        return _render_detail(request, application, add_worker_form=form)
    worker = form.cleaned_data["worker"]
    with refusal_as_message(request):
        services.application_add_worker(
            application=application, user=request.user, worker=worker,
            pcr_test_taken_at=form.cleaned_data["pcr_test_taken_at"], pcr_test_zone=form.cleaned_data["pcr_test_zone"],
        )
        messages.success(request, gettext("%(worker)s is added to the application.") % {"worker": worker.display_name})
    return _to_detail(application)


@employer_required
@require_POST
def application_remove_worker(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    line = get_object_or_404(selectors.application_lines(application), pk=line_pk)
    with refusal_as_message(request):
        services.application_remove_worker(line=line, user=request.user)
        messages.success(request, gettext("%(worker)s is removed from the application.") % {"worker": line.worker.display_name})
    return _to_detail(application)


# Transitions


# How many of the workers the "check your answers" page names; the rest are on the case page.
WORKERS_NAMED_ON_CHECK_PAGE = 10


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: "check your answers": every section of the draft, its workers and documents, what
    would hold the submission back, and the declaration of the employer's guarantees. POST: the
    ticked declaration submits the draft, the declaration kept with the submission."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if "submit" not in {transition.name for transition in available_transitions(application, Actor.EMPLOYER)}:
        messages.error(request, gettext("Application %(reference)s is “%(status)s”: it cannot be submitted.") % {
            "reference": application.reference, "status": application.get_status_display(),
        })
        return _to_detail(application)
    workers = application.lines.count()
    declaration = submission_declaration(application, workers=workers)
    if request.method == "POST":
        form = SubmitForm(request.POST, declaration_text=declaration)
        if not form.is_valid() and "version" in form.errors:
            return _stale_form_refused(request, application)
        if form.is_valid():
            with refusal_as_message(request):
                application = services.application_submit(
                    application=application, user=request.user, expected_version=form.cleaned_data["version"],
                    declaration=declaration,
                )
                messages.success(request, gettext("Application %(reference)s is submitted to %(region)s.") % {
                    "reference": application.reference, "region": application.region.name,
                })
            return _to_detail(application)
    else:
        form = SubmitForm(initial={"version": application.version}, declaration_text=declaration)
    _rule_set, checks = selectors.case_rule_check(application)
    failures = blocking_failures(checks)
    employer_unverified = not application.employer.is_verified
    context = {
        "application": application,
        "form": form,
        "workers_count": workers,
        "workers_named": [
            line.worker for line in application.lines.select_related("worker").order_by("pk")[:WORKERS_NAMED_ON_CHECK_PAGE]
        ],
        "documents": documents_for_case(application, user=request.user),
        "blocking_failures": failures,
        "employer_unverified": employer_unverified,
        "can_submit": not failures and not employer_unverified and workers > 0,
    }
    return render(request, "applications/employer/application_submit.html", context)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST withdraws."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if request.method != "POST":
        if not any(t.name == "withdraw" for t in available_transitions(application, Actor.EMPLOYER)):
            messages.error(
                request,
                gettext("An application that is “%(status)s” can no longer be withdrawn.") % {"status": application.get_status_display()},
            )
            return _to_detail(application)
        form = WithdrawForm(initial={"version": application.version})
        return render(request, "applications/employer/application_withdraw.html", {"application": application, "form": form})

    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, "applications/employer/application_withdraw.html", {"application": application, "form": form})
    with refusal_as_message(request):
        services.application_withdraw(
            application=application, user=request.user, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, gettext("Application %(reference)s is withdrawn.") % {"reference": application.reference})
    return _to_detail(application)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the draft (applications/services/drafts.py says
    why it is kept, hidden, rather than removed)."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if application.status != Status.DRAFT:
        messages.error(
            request,
            gettext("Only a draft can be deleted; application %(reference)s is “%(status)s”. A submitted one can be withdrawn.")
            % {"reference": application.reference, "status": application.get_status_display()},
        )
        return _to_detail(application)
    if request.method != "POST":
        return render(request, "applications/employer/application_delete.html", {"application": application})
    with refusal_as_message(request):
        services.application_delete_draft(application=application, user=request.user)
        messages.success(request, gettext("Draft %(reference)s is deleted.") % {"reference": application.reference})
        return redirect("applications:employer-home")
    return _to_detail(application)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer to a request for information: a message and documents. The corrections asked
    for are made beforehand on the case page, which allows them while the authority waits."""
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    if request.method != "POST" and application.status != Status.INFO_REQUESTED:
        messages.error(request, gettext("The authority has not asked for information on this application."))
        return _to_detail(application)
    form = AnswerForm(request.POST or None, request.FILES or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_answer_request(
                application=application, user=request.user, message=form.cleaned_data["message"],
                documents=form.documents, expected_version=form.cleaned_data["version"],
            )
        except AnswerDocumentRefused as exc:
            form.add_error(form.file_field_of(exc.index), exc.message)
            form.add_error(None, gettext("Nothing was sent. Choose the files again and send the answer once more."))
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return _to_detail(application)
        else:
            messages.success(request, gettext("Your answer is sent; the application is back in review."))
            return _to_detail(application)
    history = list(selectors.application_history(application))
    _label_requested_documents(history)
    context = {
        "application": application,
        "form": form,
        "information_request": _latest_information_request(history),
    }
    return render(request, "applications/employer/application_answer.html", context)
