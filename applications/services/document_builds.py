"""The documents of large decided cases are built by a background task, not inside a request.

A letter of 3,415 workers is 264 pages and took 24 s inside the officer's (or the company's)
request. For a case of more than LARGE_CASE_WORKERS workers the decision queues the letter's build
once it commits; the letter's page then shows the build's state (refreshing itself) and offers the
download when it is done. Smaller cases keep building the letter on the first download, as before:
a few pages take well under a second.

The notices to a case's approved workers (one page each, about 0.1 s a page: some eight minutes for
5,000) go the same way above the same size, counted in approved workers: their build is queued
beside the letter's, and the PDF is kept as a private file on the build (the uploads' storage, no
public URL), served only through the case's scoped view. A large case decided before that, or whose
built notices name a worker whose personal data was removed since, has its build queued (again)
when its notices are first asked for; the request itself never builds them.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications import background
from applications.background import Work
from applications.models import Decision, DocumentBuild, DocumentBuildKind, DocumentBuildState
from applications.notices import render_notices
from applications.selectors.notices import NOTICE_BATCH, approved_worker_count, notice_workers, notices_of
from applications.services.decision_letters import decision_letter_pdf

logger = logging.getLogger(__name__)

# Above this many workers a case's letter is built in the background. 200 workers are some 16
# pages and about 1.5 s of WeasyPrint: still bearable inside a request; beyond it the wait grows
# linearly (24 s at 3,415) and ties up one of the server's few processes.
LARGE_CASE_WORKERS = 200


def decision_documents_schedule(*, decision: Decision) -> list[DocumentBuild]:
    """Queues the builds of a large case's letter and of its approved workers' notices; call it
    inside the decision's transaction, so the build rows commit with the decision and the tasks
    run only after both are visible. Returns the builds queued: none for a small case (its letter
    and notices are built when first downloaded)."""
    builds = []
    if decision.workers.count() > LARGE_CASE_WORKERS:
        builds.append(_schedule(decision, DocumentBuildKind.DECISION_LETTER))
    if notices_are_large(decision):
        builds.append(_schedule(decision, DocumentBuildKind.WORKER_NOTICES))
    return builds


def notices_are_large(decision: Decision) -> bool:
    """Whether the case's notices are built in the background rather than inside a request."""
    return approved_worker_count(decision) > LARGE_CASE_WORKERS


@transaction.atomic
def worker_notices_schedule(*, decision: Decision) -> DocumentBuild:
    """Queues the build of a large case's notices that has none yet (a case decided before they
    were built in the background), or builds them again when the kept PDF names a worker whose
    personal data was removed after it was built. Idempotent: a pending build is left alone."""
    build, created = DocumentBuild.objects.select_for_update().get_or_create(
        decision=decision, kind=DocumentBuildKind.WORKER_NOTICES
    )
    if created:
        background.after_commit(Work.DECISION_DOCUMENT, build_id=build.pk)
    elif notices_outdated(build):
        build.file.delete(save=False)
        build.state, build.failure, build.finished_at = DocumentBuildState.PENDING, "", None
        build.save(update_fields=["file", "state", "failure", "finished_at"])
        background.after_commit(Work.DECISION_DOCUMENT, build_id=build.pk)
    return build


def notices_outdated(build: DocumentBuild) -> bool:
    """Whether built notices name a worker whose personal data was removed after they were built:
    they are not served again, but built anew without that worker."""
    return build.is_ready and build.decision.workers.filter(redacted_at__gte=build.finished_at).exists()


def _schedule(decision: Decision, kind: DocumentBuildKind) -> DocumentBuild:
    build, _created = DocumentBuild.objects.get_or_create(decision=decision, kind=kind)
    background.after_commit(Work.DECISION_DOCUMENT, build_id=build.pk)
    return build


def document_build_run(*, build_id: int) -> DocumentBuild | None:
    """Builds (and keeps) the document of a pending build and marks it DONE. The build row stays
    locked while it runs, so a second worker given the same build waits, then finds it done and
    does nothing. A failure is logged and recorded (FAILED, with why), never raised: the page
    says so. Returns None when the build no longer exists."""
    try:
        with transaction.atomic():
            build = DocumentBuild.objects.select_for_update(of=("self",)).select_related("decision").get(pk=build_id)
            if build.state != DocumentBuildState.PENDING:
                return build
            if build.kind == DocumentBuildKind.WORKER_NOTICES:
                _keep_worker_notices(build)
            else:
                decision_letter_pdf(build.decision)
            build.state = DocumentBuildState.DONE
            build.finished_at = timezone.now()
            build.save(update_fields=["file", "state", "finished_at"])
            return build
    except DocumentBuild.DoesNotExist:
        logger.warning("Document build %s no longer exists; nothing to build", build_id)
        return None
    except Exception as error:
        logger.exception("Could not build document %s", build_id)
        DocumentBuild.objects.filter(pk=build_id, state=DocumentBuildState.PENDING).update(
            state=DocumentBuildState.FAILED, failure=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return DocumentBuild.objects.filter(pk=build_id).first()


def _keep_worker_notices(build: DocumentBuild) -> None:
    """Lays out the notices of the build's case (one page per approved worker, in the letter's
    order) and stores the PDF as the build's file; the row is saved by the caller."""
    application = build.decision.application
    workers = notice_workers(application).iterator(chunk_size=NOTICE_BATCH)
    build.file.save(f"notices-{application.reference}.pdf", ContentFile(render_notices(notices_of(workers))), save=False)
