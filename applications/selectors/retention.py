"""What personal data is due for removal (docs/operations.md, "Personal data retention").

When a case closes:
- rejected: the day of the decision;
- withdrawn: the day of the withdrawal (its history row; the last change of the case if none);
- approved or partly approved: the later of the day of the decision and the last day of its
  arrival window, the planned arrival date plus the isolation days the case guarantees (the
  workers are at the border or in isolation until then, and the border list names them);
- drafts and cases waiting for the authority never close: they are the company's and the
  officers' work in progress.
Days are on the portal's clock (TIME_ZONE, Moscow).

Documents of a case go PERSONAL_DATA_DOCUMENTS_DAYS after it closed. A worker's identity goes
PERSONAL_DATA_IDENTITY_DAYS after the last case the worker was on (a line, or a correction that
named them) closed, and a registry entry on no case that long after it was added; never while
the same person (citizenship and passport key, in any company's registry) is on a case that has
not closed.

The queries are plain SQL over the whole tables, each a few index scans per row, for a job run
once a day and a page an administrator opens now and then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone


def _closed_on(case: str) -> str:
    """SQL: the day the case aliased `case` closed, NULL while it has not (see the module)."""
    return f"""(CASE
        WHEN {case}.status = 'rejected' THEN ({case}.decided_at AT TIME ZONE %(zone)s)::date
        WHEN {case}.status = 'withdrawn' THEN (COALESCE(
            (SELECT max(h.at) FROM applications_statuschange AS h WHERE h.application_id = {case}.id AND h.to_status = 'withdrawn'),
            {case}.updated_at) AT TIME ZONE %(zone)s)::date
        WHEN {case}.status IN ('approved', 'partially_approved')
            THEN GREATEST(({case}.decided_at AT TIME ZONE %(zone)s)::date, {case}.planned_arrival_date + {case}.isolation_days)
    END)"""


def _closed_by(case: str, bound: str) -> str:
    """SQL: the case has closed, on or before the parameter `bound`."""
    return f"COALESCE({_closed_on(case)} <= %({bound})s, false)"


# The cases a registry worker was on: its lines, and the corrections that named it (a worker
# removed from a case during a request has no line left there).
_CASES_OF_WORKER = """
    SELECT l.application_id FROM applications_caseworker AS l WHERE l.worker_id = w.id
    UNION ALL
    SELECT c.application_id FROM applications_casecorrection AS c WHERE c.worker_id = w.id
"""

DUE_WORKERS = f"""
SELECT w.id FROM applications_worker AS w
 WHERE w.redacted_at IS NULL
   AND NOT EXISTS (
        SELECT 1 FROM ({_CASES_OF_WORKER}) AS mine JOIN applications_application AS a ON a.id = mine.application_id
         WHERE NOT {_closed_by("a", "identity_cutoff")})
   AND (EXISTS ({_CASES_OF_WORKER}) OR (w.created_at AT TIME ZONE %(zone)s)::date <= %(identity_cutoff)s)
   AND NOT EXISTS (
        SELECT 1 FROM applications_worker AS same
          JOIN applications_caseworker AS l ON l.worker_id = same.id
          JOIN applications_application AS a ON a.id = l.application_id
         WHERE same.citizenship = w.citizenship AND same.passport_key = w.passport_key AND NOT {_closed_by("a", "today")})
"""

DUE_DOCUMENTS = f"""
SELECT d.id FROM applications_document AS d JOIN applications_application AS a ON a.id = d.application_id
 WHERE {_closed_by("a", "documents_cutoff")}
"""


@dataclass(frozen=True)
class Cutoffs:
    """The last closing day whose data is due, per kind, for a run on `today`."""

    today: dt.date
    documents: dt.date
    identities: dt.date

    def params(self) -> dict:
        return {
            "zone": settings.TIME_ZONE,
            "today": self.today,
            "documents_cutoff": self.documents,
            "identity_cutoff": self.identities,
        }


def cutoffs(today: dt.date | None = None) -> Cutoffs:
    today = today or timezone.localdate()
    return Cutoffs(
        today=today,
        documents=today - dt.timedelta(days=settings.PERSONAL_DATA_DOCUMENTS_DAYS),
        identities=today - dt.timedelta(days=settings.PERSONAL_DATA_IDENTITY_DAYS),
    )


def due_worker_ids(cut: Cutoffs, *, limit: int, lock: bool = False) -> list[int]:
    """Registry workers due for redaction, lowest ids first; with `lock`, locked (FOR UPDATE,
    skipping rows another transaction holds: that worker waits for the next run)."""
    sql = DUE_WORKERS + " ORDER BY w.id LIMIT %(limit)s" + (" FOR UPDATE OF w SKIP LOCKED" if lock else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {**cut.params(), "limit": limit})
        return [pk for (pk,) in cursor.fetchall()]


def due_document_ids(cut: Cutoffs, *, limit: int, lock: bool = False) -> list[int]:
    sql = DUE_DOCUMENTS + " ORDER BY d.id LIMIT %(limit)s" + (" FOR UPDATE OF d SKIP LOCKED" if lock else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {**cut.params(), "limit": limit})
        return [pk for (pk,) in cursor.fetchall()]


@dataclass(frozen=True)
class RetentionOutlook:
    """What the next runs will remove, in counts and days: no one is named."""

    cutoffs: Cutoffs
    documents_days: int
    identity_days: int
    documents_due: int
    workers_due: int
    decision_workers_due: int
    next_documents_on: dt.date | None
    next_workers_on: dt.date | None


def retention_outlook(today: dt.date | None = None) -> RetentionOutlook:
    """Counts due now (the next run removes them) and the next day after that on which more
    documents and workers fall due."""
    cut = cutoffs(today)
    params = cut.params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({DUE_DOCUMENTS}) AS due", params)
        (documents_due,) = cursor.fetchone()
        cursor.execute(
            f"""SELECT count(*), (SELECT count(*) FROM applications_decisionworker AS dw
                                   JOIN applications_caseworker AS l ON l.id = dw.line_id
                                  WHERE dw.redacted_at IS NULL AND l.worker_id IN ({DUE_WORKERS}))
                  FROM ({DUE_WORKERS}) AS due""",
            params,
        )
        workers_due, decision_workers_due = cursor.fetchone()
        # The earliest closing day after the cut-off among closed cases still holding documents.
        cursor.execute(
            f"""SELECT min({_closed_on("a")}) FROM applications_application AS a
                 WHERE EXISTS (SELECT 1 FROM applications_document AS d WHERE d.application_id = a.id)
                   AND {_closed_on("a")} > %(documents_cutoff)s""",
            params,
        )
        (next_documents_closed,) = cursor.fetchone()
        # Per worker still named, the day its last case closed (none open); the earliest of those.
        cursor.execute(
            f"""SELECT min(last_closed) FROM (
                    SELECT w.id, max({_closed_on("a")}) AS last_closed, bool_and({_closed_on("a")} IS NOT NULL) AS all_closed
                      FROM applications_worker AS w
                      JOIN applications_caseworker AS l ON l.worker_id = w.id
                      JOIN applications_application AS a ON a.id = l.application_id
                     WHERE w.redacted_at IS NULL
                     GROUP BY w.id) AS per_worker
                 WHERE all_closed AND last_closed > %(identity_cutoff)s""",
            params,
        )
        (next_workers_closed,) = cursor.fetchone()
    return RetentionOutlook(
        cutoffs=cut,
        documents_days=settings.PERSONAL_DATA_DOCUMENTS_DAYS,
        identity_days=settings.PERSONAL_DATA_IDENTITY_DAYS,
        documents_due=documents_due,
        workers_due=workers_due,
        decision_workers_due=decision_workers_due,
        next_documents_on=next_documents_closed + dt.timedelta(days=settings.PERSONAL_DATA_DOCUMENTS_DAYS)
        if next_documents_closed
        else None,
        next_workers_on=next_workers_closed + dt.timedelta(days=settings.PERSONAL_DATA_IDENTITY_DAYS)
        if next_workers_closed
        else None,
    )
