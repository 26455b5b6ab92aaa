"""Changes of a case's status. Each runs `_run_transition`: one transaction, the case row locked with
SELECT ... FOR UPDATE, the transitions table consulted, a history row appended, and the
notification sent only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext

from applications.models import Application, StatusChange
from applications.notifications import notify_transition
from applications.permissions import acts_for_employer, acts_for_region
from applications.services.errors import TransitionRefused
from applications.transitions import TRANSITIONS, Actor, TransitionContext


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
    expected_version: int | None = None,
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

    context = TransitionContext(application=locked, user=user, message=message, reply_due=reply_due, refusals=refusals or {})
    for guard in transition.guards:
        reason = guard(context)
        if reason:
            raise TransitionRefused(reason)

    from_status = locked.status
    locked.status = transition.target
    locked.version += 1
    if transition.effect:
        transition.effect(context)
    locked.save()
    change = StatusChange.objects.create(
        application=locked, from_status=from_status, to_status=locked.status, transition=name,
        actor=user, message=message, reply_due=reply_due,
    )
    transaction.on_commit(lambda: notify_transition(change_id=change.pk))
    return locked


# Employer actions


def application_submit(*, application: Application, user, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="submit", user=user, expected_version=expected_version)


def application_withdraw(*, application: Application, user, reason: str = "", expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="withdraw", user=user, message=reason, expected_version=expected_version)


def application_answer_request(*, application: Application, user, message: str, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="answer_request", user=user, message=message, expected_version=expected_version)


# Officer actions


def application_take_into_review(*, application: Application, user, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="take_into_review", user=user, expected_version=expected_version)


def application_request_information(
    *, application: Application, user, message: str, reply_due: dt.date | None = None, expected_version: int | None = None
) -> Application:
    return _run_transition(
        application=application, name="request_information", user=user, message=message, reply_due=reply_due,
        expected_version=expected_version,
    )


def application_approve(*, application: Application, user, message: str = "", expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="approve", user=user, message=message, expected_version=expected_version)


def application_approve_partially(
    *, application: Application, user, refusals: Mapping[int, tuple[str, str]], message: str = "",
    expected_version: int | None = None,
) -> Application:
    """Approves every worker but those in `refusals` (line id -> (reason, note))."""
    return _run_transition(
        application=application, name="approve_partially", user=user, refusals=refusals, message=message,
        expected_version=expected_version,
    )


def application_reject(*, application: Application, user, reason: str, expected_version: int | None = None) -> Application:
    return _run_transition(application=application, name="reject", user=user, message=reason, expected_version=expected_version)
