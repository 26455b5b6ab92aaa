"""Personal data kept no longer than needed (Federal Law 152-FZ; docs/operations.md, "Personal
data retention"). `manage.py redact_personal_data` runs this once a day.

What is due is decided in applications/selectors/retention.py. Here, in batches, each in one
transaction with its rows locked:
- documents: the rows are deleted, and their files on the disk or in the bucket once the
  transaction commits (a file is never gone while a row still offers it);
- workers: the registry entry's names, birth date, passport and phone, the same identity kept
  with each decision the worker was on, and the corrections that named them are replaced by
  placeholders (models/retention.py); the worker's earlier permits go with their scans; a kept
  decision letter naming them is emptied (its SHA-256 stays). Each decision touched first has its
  record checked against its digest; then it keeps the SHA-256 of each removed identity with a
  salt of its own (decision_record.identity_digest), and a new digest of the record as it now
  stands (DecisionRedaction), so its integrity still checks. A decision whose record does not
  check is left as it is, with its workers, and logged for a person to look at.

The work is set-based SQL: a batch is one UPDATE per table. A run is idempotent (what is
redacted is no longer due) and may overlap another (locked rows are skipped, not waited for).
Each run is logged with its counts and kept as a RetentionRun; neither names anyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from functools import partial

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from applications.decision_record import IDENTITY_SEPARATOR, decision_record, record_matches, sha256_of
from applications.models import (
    Application,
    Decision,
    DecisionRedaction,
    DecisionWorker,
    Document,
    RetentionRun,
    WorkerEarlierPermit,
)
from applications.models.retention import (
    REDACTED_BIRTH_DATE,
    REDACTED_NAME,
    REDACTED_PASSPORT_EXPIRY,
    REDACTED_PASSPORT_PREFIX,
)
from applications.selectors.retention import Cutoffs, cutoffs, due_document_ids, due_worker_ids

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class RetentionCounts:
    documents_deleted: int = 0
    workers_redacted: int = 0
    decision_workers_redacted: int = 0
    earlier_permits_deleted: int = 0
    corrections_redacted: int = 0
    letters_removed: int = 0
    # Decisions found not to verify in this run, and their workers, which are not tried again.
    unverified_decisions: set[int] = field(default_factory=set)
    skipped_workers: set[int] = field(default_factory=set)

    def add(self, other: RetentionCounts) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unverified_decisions |= other.unverified_decisions
        self.skipped_workers |= other.skipped_workers

    def as_dict(self) -> dict[str, int]:
        return {**{name: getattr(self, name) for name in COUNTED}, "decisions_not_verified": len(self.unverified_decisions)}


COUNTED = tuple(counted.name for counted in fields(RetentionCounts) if counted.type == "int")


def redact_personal_data(*, today=None, batch_size: int = BATCH_SIZE) -> RetentionRun:
    """Removes what is due on `today` (the portal's today by default); returns the run's record."""
    started_at = timezone.now()
    cut = cutoffs(today)
    total = RetentionCounts()
    while (deleted := _delete_documents(cut, batch_size)) > 0:
        total.documents_deleted += deleted
    while True:
        batch = _redact_workers(cut, batch_size, skip=total.skipped_workers)
        newly_skipped = batch.skipped_workers - total.skipped_workers
        total.add(batch)
        if batch.workers_redacted == 0 and not newly_skipped:
            break
    counts = total.as_dict()
    run = RetentionRun.objects.create(
        started_at=started_at, documents_closed_before=cut.documents, identities_closed_before=cut.identities, **counts
    )
    logger.info("Personal data retention run %s: %s", run.pk, ", ".join(f"{name} {count}" for name, count in counts.items()))
    if counts["decisions_not_verified"]:
        logger.error(
            "Personal data retention run %s left %d decision(s) as they were: their record does not match its digest",
            run.pk,
            counts["decisions_not_verified"],
        )
    return run


def _delete_documents(cut: Cutoffs, batch_size: int) -> int:
    with transaction.atomic():
        ids = due_document_ids(cut, limit=batch_size, lock=True)
        if not ids:
            return 0
        files = [document.file for document in Document.objects.filter(pk__in=ids).only("pk", "file") if document.file]
        Document.objects.filter(pk__in=ids).delete()
        transaction.on_commit(partial(_delete_files, files, what="document"))
    return len(ids)


def _redact_workers(cut: Cutoffs, batch_size: int, *, skip: set[int]) -> RetentionCounts:
    counts = RetentionCounts()
    with transaction.atomic():
        # Locked first (SKIP LOCKED): a worker another transaction holds waits for the next run.
        ids = [pk for pk in due_worker_ids(cut, limit=batch_size + len(skip), lock=True) if pk not in skip][:batch_size]
        if not ids:
            return counts
        decisions = _decisions_naming(ids)
        unverified = [decision for decision in decisions if not _verifies(decision)]
        if unverified:
            counts.unverified_decisions = {decision.pk for decision in unverified}
            for decision in unverified:
                logger.error("Decision %s does not match its digest: its workers' personal data is kept", decision.pk)
            held = set(
                DecisionWorker.objects.filter(decision__in=unverified, line__worker_id__in=ids).values_list(
                    "line__worker_id", flat=True
                )
            )
            counts.skipped_workers = held
            ids = [pk for pk in ids if pk not in held]
            decisions = [decision for decision in decisions if decision not in unverified]
        if not ids:
            return counts
        now = timezone.now()
        with connection.cursor() as cursor:
            counts.decision_workers_redacted = _redact_decision_workers(cursor, ids, now)
            cursor.execute(
                """UPDATE applications_casecorrection SET worker_name = %s, before = NULL, after = NULL, redacted_at = %s
                    WHERE worker_id = ANY(%s) AND redacted_at IS NULL""",
                [REDACTED_NAME, now, ids],
            )
            counts.corrections_redacted = cursor.rowcount
            cursor.execute(
                """UPDATE applications_decisionletter SET pdf = '', redacted_at = %s
                    WHERE decision_id = ANY(%s) AND redacted_at IS NULL""",
                [now, [decision.pk for decision in decisions]],
            )
            counts.letters_removed = cursor.rowcount
            cursor.execute(
                """UPDATE applications_worker
                      SET surname_latin = %s, given_names_latin = '', surname_cyrillic = '', given_names_cyrillic = '',
                          date_of_birth = %s, passport_expiry = %s, passport_number = %s || id, phone = '', redacted_at = %s
                    WHERE id = ANY(%s)""",
                [REDACTED_NAME, REDACTED_BIRTH_DATE, REDACTED_PASSPORT_EXPIRY, REDACTED_PASSPORT_PREFIX, now, ids],
            )
            counts.workers_redacted = cursor.rowcount
        permits = WorkerEarlierPermit.objects.filter(worker_id__in=ids)
        scans = [permit.scan for permit in permits.only("pk", "scan") if permit.scan]
        counts.earlier_permits_deleted, _ = permits.delete()
        transaction.on_commit(partial(_delete_files, scans, what="earlier permit scan"))
        _seal_redactions(decisions, now)
    return counts


def _decisions_naming(worker_ids: list[int]) -> list[Decision]:
    """The decisions naming one of the workers not yet redacted there, read with their workers
    and latest redaction, after locking their cases: no decision or correction of them meanwhile."""
    decision_ids = set(
        DecisionWorker.objects.filter(line__worker_id__in=worker_ids, redacted_at__isnull=True).values_list(
            "decision_id", flat=True
        )
    )
    if not decision_ids:
        return []
    list(
        Application.objects.select_for_update(of=("self",))
        .filter(decision__in=decision_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(
        Decision.objects.filter(pk__in=decision_ids)
        .prefetch_related("workers", Prefetch("redactions", queryset=DecisionRedaction.objects.order_by("-at", "-pk")))
        .order_by("pk")
    )


def _verifies(decision: Decision) -> bool:
    if not decision.record_sha256 and not any(worker.redacted_at for worker in decision.workers.all()):
        return True  # never sealed (made before decisions were frozen): nothing to keep checking
    redactions = list(decision.redactions.all())
    return record_matches(decision, list(decision.workers.all()), redactions[0] if redactions else None)


def _redact_decision_workers(cursor, worker_ids: list[int], now) -> int:
    # Each row its own random salt; the digest of the values being removed is computed from the
    # old values in the same statement (decision_record.identity_digest does the same in Python).
    cursor.execute(
        """
        WITH due AS (
            SELECT dw.id, gen_random_uuid()::text AS salt
              FROM applications_decisionworker AS dw
              JOIN applications_caseworker AS l ON l.id = dw.line_id
             WHERE l.worker_id = ANY(%(workers)s) AND dw.redacted_at IS NULL
        )
        UPDATE applications_decisionworker AS dw
           SET identity_salt = due.salt,
               identity_sha256 = encode(sha256(convert_to(concat_ws(%(separator)s, due.salt, dw.surname_latin,
                   dw.given_names_latin, dw.surname_cyrillic, dw.given_names_cyrillic, to_char(dw.date_of_birth, 'YYYY-MM-DD'),
                   dw.passport_number, to_char(dw.passport_expiry, 'YYYY-MM-DD')), 'UTF8')), 'hex'),
               surname_latin = %(name)s, given_names_latin = '', surname_cyrillic = '', given_names_cyrillic = '',
               date_of_birth = %(birth)s, passport_expiry = %(expiry)s, passport_number = %(prefix)s || dw.id,
               redacted_at = %(now)s
          FROM due
         WHERE dw.id = due.id
        """,
        {
            "workers": worker_ids,
            "separator": IDENTITY_SEPARATOR,
            "name": REDACTED_NAME,
            "birth": REDACTED_BIRTH_DATE,
            "expiry": REDACTED_PASSPORT_EXPIRY,
            "prefix": REDACTED_PASSPORT_PREFIX,
            "now": now,
        },
    )
    return cursor.rowcount


def _seal_redactions(decisions: list[Decision], now) -> None:
    """The digest of each touched decision's record as its rows now stand."""
    if not decisions:
        return
    workers: dict[int, list[DecisionWorker]] = {}
    for worker in DecisionWorker.objects.filter(decision__in=decisions):
        workers.setdefault(worker.decision_id, []).append(worker)
    DecisionRedaction.objects.bulk_create(
        DecisionRedaction(decision=decision, record_sha256=sha256_of(decision_record(decision, workers[decision.pk])), at=now)
        for decision in decisions
    )


def _delete_files(files, *, what: str) -> None:
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except Exception:  # the row is gone already; a file left over is only storage, found by its name
            logger.exception("Could not delete the file %s of a removed %s", stored.name, what)
