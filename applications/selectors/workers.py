"""Reads of the company's worker registry, scoped to the user's company first: another company's
worker is a 404, never its data."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from applications.models import CaseCorrection, Status, Worker, WorkerImport
from applications.permissions import employer_id_of

NAME_FIELDS = ("surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic")


def _registry(user) -> QuerySet[Worker]:
    # A worker whose personal data the retention job removed is no longer in the registry: only
    # the old cases still show the line, as "(personal data removed)".
    return Worker.objects.filter(employer_id=employer_id_of(user), redacted_at__isnull=True)


def worker_search_for_employer(*, user, search: str = "", citizenship: str = "") -> QuerySet[Worker]:
    """The company's workers matching every word of `search` (in any spelling of the name or in
    the passport number) and of the given citizenship, in the order of the registry.

    "Karimov Alisher" finds the worker whose surname holds one word and given names the other;
    a passport number typed with spaces ("FA 123 4567") is also tried without them, since
    passport numbers are stored without spaces.
    """
    workers = _registry(user)
    words = search.split()
    if words:
        every_word_in_a_name = Q()
        for word in words:
            in_any_field = Q(passport_number__icontains=word)
            for field in NAME_FIELDS:
                in_any_field |= Q(**{f"{field}__icontains": word})
            every_word_in_a_name &= in_any_field
        workers = workers.filter(every_word_in_a_name | Q(passport_number__icontains="".join(words)))
    if citizenship:
        workers = workers.filter(citizenship=citizenship)
    # The primary key breaks ties between namesakes, so a worker never jumps between pages.
    return workers.order_by("surname_latin", "given_names_latin", "pk")


def worker_citizenships_for_employer(*, user) -> list[str]:
    """The citizenships present in the company's registry (ISO codes): the filter's choices."""
    return list(_registry(user).order_by().values_list("citizenship", flat=True).distinct())


def worker_get_for_employer(*, user, pk: int) -> Worker:
    return get_object_or_404(_registry(user), pk=pk)


def worker_passports_for_employer(*, employer_id: int) -> set[tuple[str, str]]:
    """(citizenship, passport key) of every worker in the registry: an import checks its rows
    (whose numbers the form cleans to the key's form) against these in memory instead of asking
    the database once per row."""
    return set(Worker.objects.filter(employer_id=employer_id).values_list("citizenship", "passport_key"))


def worker_cases_past_draft(*, worker: Worker) -> list[str]:
    """References of the submitted or decided cases the worker is on: editing the worker
    changes what those cases show."""
    return list(
        worker.application_lines.exclude(application__status__in=[Status.DRAFT, Status.WITHDRAWN])
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )


def worker_import_get_for_employer(*, user, pk: int) -> WorkerImport:
    """One of the company's background imports of workers; another company's is a 404."""
    return get_object_or_404(WorkerImport.objects.filter(employer_id=employer_id_of(user)), pk=pk)


def worker_cases(worker: Worker) -> list[str]:
    """The references of the cases whose list names the worker (drafts included, deleted ones
    not: their lists are emptied), and of those whose corrections name them."""
    on_lists = worker.application_lines.values_list("application__reference", flat=True)
    in_corrections = CaseCorrection.objects.filter(worker=worker).values_list("application__reference", flat=True)
    return sorted(set(on_lists) | set(in_corrections))
