"""Reads behind the notices to approved workers (applications/notices.py): the cases, workers and
decisions they are written from, scoped to who asks. A case that is not approved, a worker refused
on it or one whose personal data was removed has no notice: a 404."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application, Decision, DecisionWorker, DocumentBuild, DocumentBuildKind
from applications.notices import Notice, notice_facts, worker_notice
from applications.selectors.documents import decided_application_get_for_user
from applications.selectors.review_case import BORDER_LIST_STATUSES, border_list_workers

# Workers read from the database at a time while notices are written; each batch's decisions are
# read in one query.
NOTICE_BATCH = 500

# What a notice reads of a decision: not its rule check or the record's digests.
_DECISION_FIELDS = ("case_particulars", "rule_set_content", "company_name", "application__employer__phone")
_WORKER_FIELDS = (
    "decision_id",
    "position",
    "surname_latin",
    "given_names_latin",
    "surname_cyrillic",
    "given_names_cyrillic",
    "citizenship",
    "passport_number",
    "line__isolation_address",
)


def approved_case_get_for_user(*, user, pk: int) -> Application:
    """A case with approved workers, for its company, the officers of its region and staff."""
    application = decided_application_get_for_user(user=user, pk=pk)
    if application.status not in BORDER_LIST_STATUSES:
        raise Http404
    return application


def notice_workers(application: Application) -> QuerySet[DecisionWorker]:
    """The workers of the case who get a notice, in the order of the decision letter."""
    return (
        border_list_workers()
        .filter(decision__application=application, redacted_at__isnull=True)
        .select_related("line")
        .only(*_WORKER_FIELDS)
        .order_by("position")
    )


def notice_worker_get(*, application: Application, line_pk: int) -> DecisionWorker:
    """One worker of a case the caller fetched through a scoped selector, named by their line."""
    return get_object_or_404(notice_workers(application), line_id=line_pk)


def notices_of(workers: Iterable[DecisionWorker]) -> Iterator[Notice]:
    """The notices of `workers` (fetched with _WORKER_FIELDS), in their order. Workers of many
    cases (a border list) are read NOTICE_BATCH at a time, with the decisions of each batch in one
    query; a case's texts are translated once for all its workers."""
    facts: dict[int, object] = {}
    sides: dict[int, dict] = {}
    batch: list[DecisionWorker] = []
    for worker in workers:
        batch.append(worker)
        if len(batch) == NOTICE_BATCH:
            yield from _batch_notices(batch, facts, sides)
            batch = []
    yield from _batch_notices(batch, facts, sides)


def _batch_notices(batch: list[DecisionWorker], facts: dict, sides: dict) -> Iterator[Notice]:
    missing = {worker.decision_id for worker in batch} - facts.keys()
    if missing:
        decisions = Decision.objects.filter(pk__in=missing).select_related("application__employer").only(*_DECISION_FIELDS)
        for decision in decisions:
            facts[decision.pk] = notice_facts(decision, decision.application.employer.phone)
    for worker in batch:
        yield worker_notice(worker, facts[worker.decision_id], sides.setdefault(worker.decision_id, {}))


def border_list_notice_workers(border_list: QuerySet[DecisionWorker]) -> QuerySet[DecisionWorker]:
    """The workers of a border list (selectors.review_case.border_list_of), in the list's order,
    with what a notice reads; those whose personal data was removed are left out."""
    return border_list.filter(redacted_at__isnull=True).select_related(None).select_related("line").only(*_WORKER_FIELDS)


def approved_worker_count(decision: Decision) -> int:
    """How many workers the decision's case gives a notice, counted as the decision named them
    (whether or not their personal data was removed since): what makes the case large."""
    return border_list_workers().filter(decision=decision).count()


def worker_notices_build(*, decision: Decision) -> DocumentBuild | None:
    """The background build of a large case's notices, if it has one."""
    return DocumentBuild.objects.filter(decision=decision, kind=DocumentBuildKind.WORKER_NOTICES).first()
