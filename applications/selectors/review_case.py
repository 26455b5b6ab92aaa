"""Reads of the officer's case page and of the officer's exports, scoped to the officer's regions
first: another region's case is a 404 and never a row of an export.

Each read costs a fixed number of queries whatever the number of workers, documents, history
rows or cases, so the page and the exports stay fast on a big case or a big region.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from applications.models import (
    Application,
    CaseWorker,
    Decision,
    DecisionWorker,
    Document,
    DocumentKind,
    Status,
    StatusChange,
    WorkerOutcome,
)
from applications.models.application import APPROVED_STATUSES, DECIDED_STATUSES
from applications.permissions import officer_region_ids, officer_regions_filter, remember_officer_regions
from applications.selectors.cases import application_lines
from regions import check_messages
from regions.countries import country_name
from regions.models import RuleSet
from regions.rules import check_test_after_arrival

EARLIER_CASES_SHOWN = 10


def application_get_for_case_page(*, user, pk: int) -> Application:
    """The case with everything its page shows about the company and the officer in one query,
    which also reads the officer's regions for the rest of the page, and, for a decided case, its
    decision (rules, region, officer) in one more.

    Only a decided case has a decision: the decision is written by the transition into a decided
    status, in its transaction (applications/transitions.py, `record_decision`), and no transition
    leaves a decided status. Joining the decision's four tables for every case made PostgreSQL
    spend more time planning the query than running it; a case in review, the page officers open
    most, now skips them and reads `application.decision` as absent without a query.
    """
    queryset = (
        Application.objects.filter(region_id__in=officer_regions_filter(user))
        .exclude(status=Status.DRAFT)
        .select_related(
            "region",
            "employer__region",
            "employer__verified_by",
            "assigned_officer",
            "checkpoint__region",
            "border_region",
            "charter",
        )
    )
    reads_regions = user.is_authenticated and not hasattr(user, "_officer_region_ids")
    if reads_regions:
        queryset = queryset.annotate(officer_region_list=ArraySubquery(user.officer_regions.values("pk")))
    application = get_object_or_404(queryset, pk=pk)
    if reads_regions:
        # The page's other reads (the company's earlier cases) then filter by the ids themselves,
        # which PostgreSQL plans better than a subquery (an index read in order).
        remember_officer_regions(user, application.officer_region_list)
    decision = None
    if application.status in DECIDED_STATUSES:
        decision = Decision.objects.filter(application=application).select_related("rule_set__region", "decided_by").first()
        if decision is not None:
            Decision.application.field.set_cached_value(decision, application)
    Application.decision.related.set_cached_value(application, decision)
    return application


def decision_rule_set(application: Application) -> RuleSet | None:
    """The rule version the case's decision kept; None before a decision (or if it had none)."""
    decision = Decision.objects.filter(application=application).select_related("rule_set").first()
    return decision.rule_set if decision else None


def case_lines_for_review(application: Application, *, rules: RuleSet | None = None) -> list[CaseWorker]:
    """The workers of the case (a decided case's as its decision named them: `line.person`,
    `line.as_decided`), each with `citizenship_name` in the reader's language, and, given the
    rules the case was decided by, `arrival_test_check`: the reported test after arrival against
    the actual arrival (None when none is asked or reported)."""
    return describe_lines_for_review(application, list(application_lines(application)), rules=rules)


def describe_lines_for_review(application: Application, lines: list[CaseWorker], *, rules: RuleSet | None = None) -> list[CaseWorker]:
    """`case_lines_for_review`'s additions, for some of the case's lines (a page of them)."""
    for line in lines:
        line.citizenship_name = country_name(line.person.citizenship)
        line.arrival_reported = line.arrived_on is not None
        line.arrival_test_check = check_test_after_arrival(
            worker_name=line.person.display_name, region_name=check_messages.names(application.region.name_ru, application.region.name_en), arrived_at=line.arrived_at,
            taken_at=line.arrival_test_taken_at, rules=rules, line_id=line.pk,
        ) if line.arrived_at is not None else None
    return lines


def case_timeline(application: Application, documents: Iterable[Document]) -> list[StatusChange]:
    """Every change of the case, oldest first, with its author, the documents it asked for
    (`requested_document_labels`) and, from the case's `documents` already read, those sent with
    it (`attached_documents`)."""
    sent_with: dict[int, list[Document]] = defaultdict(list)
    for document in documents:
        if document.status_change_id is not None:
            sent_with[document.status_change_id].append(document)
    labels = dict(DocumentKind.choices)
    changes = list(application.history.select_related("actor").order_by("at", "pk"))
    for change in changes:
        change.requested_document_labels = [labels.get(kind, kind) for kind in change.requested_documents]
        change.attached_documents = sent_with.get(change.pk, [])
    return changes


def earlier_cases_of_employer(*, application: Application, user) -> list[Application]:
    """The company's cases submitted before this one in the officer's regions, latest first.

    Only submitted cases count: a draft, or one withdrawn before submission, never reached an officer.
    """
    cases = Application.objects.filter(
        employer_id=application.employer_id,
        region_id__in=officer_region_ids(user),
        submitted_at__isnull=False,
    ).exclude(pk=application.pk)
    if application.submitted_at is not None:
        cases = cases.filter(submitted_at__lt=application.submitted_at)
    return list(cases.only("pk", "reference", "status", "submitted_at").order_by("-submitted_at", "-pk")[:EARLIER_CASES_SHOWN])


# The border service's list


BORDER_LIST_STATUSES = APPROVED_STATUSES


def border_list_workers() -> QuerySet[DecisionWorker]:
    """Every person approved on an approved or partly approved case: what a border list is made of."""
    return DecisionWorker.objects.filter(
        decision__application__status__in=BORDER_LIST_STATUSES, outcome=WorkerOutcome.APPROVED
    )


def approved_workers_for_border_service(
    *, user, arrival_from: dt.date | None = None, arrival_to: dt.date | None = None
) -> QuerySet[DecisionWorker]:
    """One row per person approved on an approved or partly approved case of the officer's regions,
    optionally within a range of planned arrival dates (both ends included): the people as the
    decisions named them, whatever the registry says today."""
    workers = border_list_workers().filter(decision__application__region_id__in=officer_region_ids(user))
    if arrival_from:
        workers = workers.filter(decision__application__planned_arrival_date__gte=arrival_from)
    if arrival_to:
        workers = workers.filter(decision__application__planned_arrival_date__lte=arrival_to)
    return border_list_of(workers)


def border_list_of(workers: QuerySet[DecisionWorker]) -> QuerySet[DecisionWorker]:
    """The border list of the approved people in `workers` (a filter of border_list_workers: a
    region's period, a charter), each passport once, in the list's order."""
    # A passport at most once in the list: each person's (citizenship and passport key)
    # earliest approved arrival in it stands for them (a person approved twice for the period,
    # by two companies or before the overlap guard, would otherwise be listed twice).
    first_of_each_person = (
        workers.order_by(
            "citizenship", "passport_key", "decision__application__planned_arrival_date",
            "decision__application__reference", "pk",
        )
        .distinct("citizenship", "passport_key")
        .values("pk")
    )
    # Grouped by checkpoint (each checkpoint's guards read one block), named in the reader's
    # language; crossings outside the list come last, by region. Within a group, by arrival.
    case = "decision__application__"
    checkpoint_name = f"{case}checkpoint__name_ru" if (get_language() or "ru").startswith("ru") else f"{case}checkpoint__name_en"
    return (
        DecisionWorker.objects.filter(pk__in=first_of_each_person)
        .select_related("decision")
        # The application as decided (reference, crossing, arrival) is in the decision's particulars.
        .only(
            "decision__case_particulars", "surname_latin", "given_names_latin", "date_of_birth", "citizenship",
            "passport_number",
        )
        .order_by(
            F(checkpoint_name).asc(nulls_last=True), f"{case}checkpoint__code", f"{case}border_region__number",
            f"{case}border_crossing_point", f"{case}planned_arrival_date", f"{case}reference", "surname_latin", "pk",
        )
    )
