"""The documents of large decided cases are built by a background task, not inside a request.

A letter of 3,415 workers is 264 pages and took 24 s inside the officer's (or the company's)
request. For a case of more than LARGE_CASE_WORKERS workers the decision queues the letter's build
once it commits; the letter's page then shows the build's state (refreshing itself) and offers the
download when it is done. Smaller cases keep building the letter on the first download, as before:
a few pages take well under a second.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from applications import background
from applications.background import Work
from applications.models import Decision, DocumentBuild, DocumentBuildKind, DocumentBuildState
from applications.services.decision_letters import decision_letter_pdf

logger = logging.getLogger(__name__)

# Above this many workers a case's letter is built in the background. 200 workers are some 16
# pages and about 1.5 s of WeasyPrint: still bearable inside a request; beyond it the wait grows
# linearly (24 s at 3,415) and ties up one of the server's few processes.
LARGE_CASE_WORKERS = 200


def decision_documents_schedule(*, decision: Decision) -> DocumentBuild | None:
    """Queues the build of a large case's letter; call it inside the decision's transaction, so
    the build row commits with the decision and the task runs only after both are visible.
    Returns the build, or None for a small case (its letter is built when first downloaded)."""
    if decision.workers.count() <= LARGE_CASE_WORKERS:
        return None
    build, _created = DocumentBuild.objects.get_or_create(decision=decision, kind=DocumentBuildKind.DECISION_LETTER)
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
            decision_letter_pdf(build.decision)
            build.state = DocumentBuildState.DONE
            build.finished_at = timezone.now()
            build.save(update_fields=["state", "finished_at"])
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
