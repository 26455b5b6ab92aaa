"""Splitting a draft that lists more workers than its region accepts on one application.

A region's rule version may cap the workers per application (Moscow: 100). A draft over the cap
cannot be submitted (the rule check blocks it); instead of rebuilding it by hand the employer
splits it: the draft keeps the first N workers of its list, and K-1 new drafts with the same
details and documents take the rest, in list order. Each is then checked and submitted on its own.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application, CaseWorker, Document, Status, StatusChange
from applications.permissions import acts_for_employer
from applications.selectors.cases import application_lines
from applications.selectors.split_offers import split_offer
from applications.services.drafts import DRAFT_FIELDS
from applications.services.errors import TransitionRefused
from regions.selectors import rule_set_in_force


def _next_references(count: int) -> list[str]:
    """`count` new references, numbered as every other new draft's (applications.services.drafts),
    drawn in one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('applications_reference_seq') FROM generate_series(1, %s)", [count])
        numbers = [number for (number,) in cursor.fetchall()]
    year = timezone.localdate().year
    return [f"{year}-{number:06d}" for number in numbers]


def _move_lines(*, source: Application, moves: list[tuple[int, int]]) -> None:
    """Moves lines (line id, new case id) off `source` in one statement. The ids travel as two
    arrays, two parameters whatever their number (an IN list of 40,000 ids would pass
    PostgreSQL's 65,535 parameters with the CASE that goes with it)."""
    table = CaseWorker._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS line SET application_id = moved.application_id "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS moved(line_id, application_id) "
            "WHERE line.id = moved.line_id AND line.application_id = %s",
            [[line_id for line_id, _ in moves], [case_id for _, case_id in moves], source.pk],
        )
        if cursor.rowcount != len(moves):  # the case is locked: every line is still on it
            raise RuntimeError(f"moved {cursor.rowcount} of {len(moves)} lines of case {source.pk}")


@transaction.atomic
def application_split(*, application: Application, user, expected_parts: int | None = None) -> list[Application]:
    """Splits a draft over its region's cap; returns the drafts, the original first.

    One transaction with the draft locked: a second request (a double click, another tab) waits,
    then finds the draft within the cap and is refused, so a draft is never split twice. The
    workers' lines move as they are (their PCR tests with them); the new drafts get rows naming the
    same stored files as the original's documents (documents.document_delete keeps a file while
    another row names it). `expected_parts`: the number of parts the page offered; if the draft
    changed since, nothing is done and the employer is asked to look again."""
    locked = Application.objects.select_for_update(of=("self",)).select_related("region").get(pk=application.pk)
    if not acts_for_employer(user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if locked.status != Status.DRAFT:
        raise TransitionRefused(
            gettext("Only a draft can be split; this application is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    rules = rule_set_in_force(region_id=locked.region_id, on=locked.planned_arrival_date)
    limit = rules.max_workers_per_application if rules is not None else None
    line_ids = list(application_lines(locked).values_list("pk", flat=True))
    offer = split_offer(len(line_ids), limit)
    if offer is None:
        if limit is None:
            raise TransitionRefused(
                gettext("%(region)s sets no limit of workers per application: this draft need not be split.")
                % {"region": locked.region.name}
            )
        raise TransitionRefused(
            gettext("This draft lists %(count)d workers, within the limit of %(limit)d per application: it need not be split.")
            % {"count": len(line_ids), "limit": limit}
        )
    if expected_parts is not None and expected_parts != offer.parts:
        raise TransitionRefused(
            gettext(
                "The draft changed since you opened it: it would now make %(parts)d applications. Reload the page and check it again."
            )
            % {"parts": offer.parts}
        )

    chunks = [line_ids[start : start + offer.limit] for start in range(0, len(line_ids), offer.limit)]
    documents = list(locked.documents.order_by("uploaded_at", "pk"))
    now = timezone.now()
    # A constant number of queries however many parts: the drafts in one insert, the lines moved
    # in one update (the citizenship trigger of migration 0007 then runs once, not once a part).
    made = []
    for reference in _next_references(len(chunks) - 1):
        draft = Application(employer_id=locked.employer_id, created_by=user, reference=reference, copied_from=locked)
        for name in DRAFT_FIELDS:
            setattr(draft, name, getattr(locked, name))
        draft.planned_arrival_date = locked.planned_arrival_date
        made.append(draft)
    Application.objects.bulk_create(made)
    drafts = [locked, *made]

    _move_lines(source=locked, moves=[(pk, draft.pk) for draft, chunk in zip(made, chunks[1:]) for pk in chunk])
    Document.objects.bulk_create(
        Document(
            application=draft,
            kind=document.kind,
            file=document.file.name,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by_id=document.uploaded_by_id,
        )
        for draft in drafts[1:]
        for document in documents
    )

    # The history of each: the original says where its workers went, each new draft where it came from.
    references = ", ".join(draft.reference for draft in drafts[1:])
    history = [
        StatusChange(
            application=locked,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            transition="split",
            actor=user,
            at=now,
            message=gettext(
                "Split: %(total)d workers into %(parts)d applications of at most %(limit)d. "
                "This draft keeps the first %(kept)d; the rest went to %(references)s."
            )
            % {
                "total": offer.count,
                "parts": offer.parts,
                "limit": offer.limit,
                "kept": len(chunks[0]),
                "references": references,
            },
        )
    ]
    for index, (draft, chunk) in enumerate(zip(drafts[1:], chunks[1:]), start=2):
        history.append(
            StatusChange(
                application=draft,
                from_status="",
                to_status=Status.DRAFT,
                transition="split",
                actor=user,
                at=now,
                message=gettext("Split from %(reference)s: part %(index)d of %(parts)d, %(count)d workers.")
                % {"reference": locked.reference, "index": index, "parts": offer.parts, "count": len(chunk)},
            )
        )
    StatusChange.objects.bulk_create(history)
    # A page opened before the split (its submit form carries the version) must not act on it unseen.
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return drafts
