"""Changes of a case's status. Each runs `_run_transition`: one transaction, the case row locked with
SELECT ... FOR UPDATE, the transitions table consulted, a history row appended, and the
notification sent only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from applications import background
from applications.background import Work
from applications.models import Application, Document, DocumentKind, Status, StatusChange
from applications.permissions import acts_for_employer, acts_for_region
from applications.selectors.review import forget_queue_counts
from applications.services.document_builds import decision_documents_schedule
from applications.services.errors import TransitionRefused
from applications.services.rule_checks import application_refresh_rule_check
from applications.transitions import TRANSITIONS, Actor, TransitionContext

# The bounds of the working days an officer may give the employer to answer a request.
MIN_ANSWER_DAYS, MAX_ANSWER_DAYS = 1, 30


def _may_act(actor: Actor, user, application: Application) -> bool:
    if actor == Actor.EMPLOYER:
        return acts_for_employer(user, application)
    return acts_for_region(user, application)


@transaction.atomic
def _run_transition(
    *,
    application: Application,
    name: str,
    user,
    message: str = "",
    reply_due: dt.date | None = None,
    refusals: Mapping[int, tuple[str, str]] | None = None,
    requested_documents: Sequence[str] = (),
    expected_version: int | None = None,
    answer_days: int | None = None,
    overrides: Mapping[int, str] | None = None,
    case_override: str = "",
    declaration: str = "",
) -> Application:
    transition = TRANSITIONS[name]
    locked = Application.objects.select_for_update(of=("self",)).select_related("region", "employer").get(pk=application.pk)

    if not _may_act(transition.actor, user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionRefused(
            gettext("The application changed since you opened it (it is now “%(status)s”). Reload the page and check it again.")
            % {"status": locked.get_status_display()}
        )
    if locked.status not in transition.sources:
        raise TransitionRefused(
            gettext("“%(action)s” is not possible while the application is “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        )
    message = (message or "").strip()
    if transition.message_required and not message:
        raise TransitionRefused(gettext("Please write a message: it is required for “%(action)s”.") % {"action": transition.label})

    context = TransitionContext(
        application=locked, user=user, message=message, reply_due=reply_due, refusals=refusals or {}, answer_days=answer_days,
        overrides=overrides or {}, case_override=case_override or "",
    )
    for guard in transition.guards:
        reason = guard(context)
        if reason:
            raise TransitionRefused(reason)

    from_status = locked.status
    locked.status = transition.target
    locked.version += 1
    if transition.effect:
        transition.effect(context)
    if transition.rechecks_rules:
        application_refresh_rule_check(locked, today=context.today)
    locked.save()
    change = StatusChange.objects.create(
        application=locked, from_status=from_status, to_status=locked.status, transition=name,
        actor=user, message=message, reply_due=context.reply_due, requested_documents=list(requested_documents),
        declaration=declaration,
    )
    background.after_commit(Work.STATUS_EMAIL, change_id=change.pk)
    transaction.on_commit(partial(forget_queue_counts, locked.region_id))
    if name in DECISIONS:
        # A large case's letter and notices are built in the background once the decision commits.
        decision_documents_schedule(decision=locked.decision)
    if name in CHANGES_WHO_IS_HELD:
        # Other pending cases of the same people may have gained or lost an overlap with this one.
        background.after_commit(Work.RECHECK_PEOPLE_OF_CASE, application_id=locked.pk)
    return locked


# Transitions that decide the case (and freeze a Decision).
DECISIONS = frozenset({"approve", "approve_partially", "reject"})

# Transitions after which the case holds its people differently (see selectors/people.py).
CHANGES_WHO_IS_HELD = frozenset({"submit", "withdraw", "approve", "approve_partially", "reject", "answer_request"})


# Employer actions


def application_submit(
    *, application: Application, user, expected_version: int | None = None, declaration: str = ""
) -> Application:
    """Files the draft with the region's authority. `declaration` is the employer's declaration of
    its guarantees as the employer ticked it on the "check your answers" page; it is kept with
    the submission in the history."""
    return _run_transition(
        application=application, name="submit", user=user, expected_version=expected_version, declaration=declaration.strip()
    )


def application_withdraw(*, application: Application, user, reason: str = "", expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="withdraw", user=user, message=reason, expected_version=expected_version)


@transaction.atomic
def application_answer_request(
    *,
    application: Application,
    user,
    message: str,
    documents: Sequence[tuple[str, UploadedFile]] = (),
    expected_version: int | None = None,
) -> Application:
    """Sends the answer back to the authority with the documents it came with, all or nothing.

    `documents` is a sequence of (kind, uploaded file). A refused file raises
    `AnswerDocumentRefused` (saying which file and why); nothing of the answer is kept then.
    """
    # Imported here: the documents service is a younger module that imports from this package.
    from applications.services.documents import document_upload

    # The documents service accepts files only while the authority waits for information, so the
    # files go in first, with the case locked, and are tied to the answer once it exists.
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    stored: list[Document] = []
    try:
        if locked.status == Status.INFO_REQUESTED and acts_for_employer(user, locked):
            for index, (kind, uploaded_file) in enumerate(documents):
                try:
                    stored.append(
                        document_upload(application=locked, user=user, uploaded_file=uploaded_file, kind=kind, with_answer=True)
                    )
                except (TransitionRefused, ValidationError) as exc:
                    reasons = [exc.message] if isinstance(exc, TransitionRefused) else exc.messages
                    raise AnswerDocumentRefused(index=index, reasons=reasons) from exc
        answered = _run_transition(
            application=locked, name="answer_request", user=user, message=message, expected_version=expected_version
        )
        # The case row is still locked, so the latest answer is the one just made.
        change = answered.history.filter(transition="answer_request").latest("at", "pk")
        Document.objects.filter(pk__in=[document.pk for document in stored]).update(status_change=change)
    except BaseException:
        # The rows go with the rolled-back transaction; the stored files must go by hand.
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    return answered


class AnswerDocumentRefused(TransitionRefused):
    """A file of an answer was refused; `index` says which of the answer's documents it was."""

    def __init__(self, *, index: int, reasons: Sequence[str]):
        super().__init__(" ".join(reasons))
        self.index = index


# Officer actions


def application_take_into_review(*, application: Application, user, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="take_into_review", user=user, expected_version=expected_version)


def application_request_information(
    *, application: Application, user, message: str, reply_due: dt.date | None = None,
    requested_documents: Sequence[str] = (), expected_version: int | None = None, answer_days: int | None = None,
) -> Application:
    """Asks the employer for `message`, and for the documents of the kinds in `requested_documents`
    (DocumentKind values), kept on the history row so the employer's answer can be checked against them.

    The employer has `answer_days` working days to reply (1 to 30; None: the region's rules say),
    unless an explicit `reply_due` date is given, which must be after today in the case's region
    (the transition's guard says so). The decision clock stops until the answer."""
    if answer_days is not None and not MIN_ANSWER_DAYS <= answer_days <= MAX_ANSWER_DAYS:
        raise TransitionRefused(
            gettext("The employer's time to answer must be between %(min)d and %(max)d working days.")
            % {"min": MIN_ANSWER_DAYS, "max": MAX_ANSWER_DAYS}
        )
    unknown = [kind for kind in requested_documents if kind not in DocumentKind.values]
    if unknown:
        raise TransitionRefused(gettext("Unknown kind of document: %(kinds)s.") % {"kinds": ", ".join(map(str, unknown))})
    return _run_transition(
        application=application, name="request_information", user=user, message=message, reply_due=reply_due,
        requested_documents=list(dict.fromkeys(requested_documents)), expected_version=expected_version,
        answer_days=answer_days,
    )


def application_approve(
    *, application: Application, user, message: str = "", expected_version: int | None = None,
    overrides: Mapping[int, str] | None = None, case_override: str = "",
) -> Application:
    """Approves every worker. A worker failing a blocking check needs an override in `overrides`
    (line id -> justification); a failure of the whole case needs `case_override` (its justification)."""
    return _run_transition(
        application=application, name="approve", user=user, message=message, expected_version=expected_version,
        overrides=overrides, case_override=case_override,
    )


def application_approve_partially(
    *, application: Application, user, refusals: Mapping[int, tuple[str, str]], message: str = "",
    expected_version: int | None = None, overrides: Mapping[int, str] | None = None, case_override: str = "",
) -> Application:
    """Approves every worker but those in `refusals` (line id -> (reason, note)); a worker approved
    against a blocking failure needs an override, as in `application_approve`."""
    return _run_transition(
        application=application, name="approve_partially", user=user, refusals=refusals, message=message,
        expected_version=expected_version, overrides=overrides, case_override=case_override,
    )


def application_reject(*, application: Application, user, reason: str, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="reject", user=user, message=reason, expected_version=expected_version)
