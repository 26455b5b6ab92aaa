"""The state machine of a case, in one table: who may make each transition, from which states,
what must hold (guards), what it records (effect) and whom it notifies.

```
draft -> submitted -> in_review -> approved | partially_approved | rejected
                          |  ^
                          v  |
                   info_requested        (the employer answers: back to in_review)
draft | submitted | info_requested -> withdrawn   (by the employer)
```

The services in applications/services/cases.py run a transition in one database transaction with the
case row locked; guards and effects run inside it and see the locked row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.decision_record import LINE_ORDER, freeze
from applications.letters import decision_letter_terms
from applications.models import Application, CaseWorker, Decision, DecisionOverride, DecisionWorker, Status, WorkerOutcome
from applications.models.application import RefusalReason
from applications.overrides import justification_problem, split_failures
from applications.selectors import case_rule_check
from applications.selectors.people import DEFAULT_ISOLATION_DAYS, approved_elsewhere_for_the_same_time, people_to_approve
from applications.selectors.quota import approved_workers_in_month
from applications.selectors.split_offers import split_hint, split_offer_from_checks
from regions.models import Region, RuleSet
from regions.production_calendar import add_working_days, working_days_between
from regions.rules import blocking_failures
from regions.selectors import rule_set_in_force


class Actor(StrEnum):
    EMPLOYER = "employer"
    OFFICER = "officer"


class Audience(StrEnum):
    EMPLOYER = "employer"
    OFFICERS = "officers"


@dataclass
class TransitionContext:
    """What a guard or an effect may look at: the locked case, who acts, and the action's data."""

    application: Application
    user: object
    message: str = ""
    reply_due: dt.date | None = None
    # For decisions: line id -> (reason, note) of each refused worker; the other lines are approved.
    refusals: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    today: dt.date = field(default_factory=timezone.localdate)
    # Working days the employer has to answer a request (None: the region's rules say).
    answer_days: int | None = None
    # For approvals: line id -> the officer's justification for approving that worker against a
    # blocking failure; and the justification for approving against a failure of the whole case.
    overrides: Mapping[int, str] = field(default_factory=dict)
    case_override: str = ""
    # The rule check run with the case locked, kept by `case_checks` so that the override guard and
    # the decision it records read the same checks, computed once.
    rule_check: tuple | None = field(default=None, repr=False)


def case_checks(ctx: TransitionContext):
    """(rule version, checks) of the locked case, run once per transition: before the effect
    changes the lines, or the quota line would count this case's own workers as approved already."""
    if ctx.rule_check is None:
        ctx.rule_check = case_rule_check(ctx.application, today=ctx.today)
    return ctx.rule_check


Guard = Callable[[TransitionContext], str | None]
Effect = Callable[[TransitionContext], None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    actor: Actor
    notify: Audience
    message_required: bool = False
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None
    # After the effect, the service refreshes the case's stored rule check (an answer may have
    # fixed what failed, or the rules may have changed meanwhile): a write of the services', not
    # of this table's.
    rechecks_rules: bool = False


# Guards: each returns None when the transition may go ahead, or why not, in plain words.


def employer_verified(ctx: TransitionContext) -> str | None:
    if ctx.application.employer.is_verified:
        return None
    return gettext("Your company is not verified yet: an officer of its region or an admin must verify it before you can submit.")


def rule_check_passes(ctx: TransitionContext) -> str | None:
    _rule_set, checks = case_rule_check(ctx.application, today=ctx.today)
    failures = blocking_failures(checks)
    if not failures:
        return None
    refusal = gettext("The application fails the region's rules: %(failures)s") % {
        "failures": " ".join(check.text for check in failures)
    }
    # Over the region's cap of workers per application: say how to split it.
    hint = split_hint(split_offer_from_checks(ctx.application, failures))
    return f"{refusal} {hint}" if hint else refusal


def reply_due_after_today(ctx: TransitionContext) -> str | None:
    """A reply date the officer gives must leave the employer at least a day, counted by the
    region's clocks (as the request's working days are): due today or earlier is no request at
    all. Days given as working days (the page's way) always end after today."""
    if ctx.reply_due is None:
        return None
    today = region_today(ctx.application)
    if ctx.reply_due > today:
        return None
    return gettext(
        "The reply date must be after today (%(today)s in the region): give the employer at least one day to answer."
    ) % {"today": date_format(today, "SHORT_DATE_FORMAT")}


def refusals_leave_some_approved(ctx: TransitionContext) -> str | None:
    line_ids = set(ctx.application.lines.values_list("pk", flat=True))
    refused = set(ctx.refusals)
    if not refused:
        return gettext("Choose at least one worker to refuse, or approve the whole application.")
    if not refused <= line_ids:
        return gettext("A refused worker is not on this application.")
    if refused == line_ids:
        return gettext("Every worker is refused: reject the application instead.")
    if any(reason not in RefusalReason.values for reason, _note in ctx.refusals.values()):
        return gettext("Give a reason from the list for every refused worker.")
    return None


def blocking_failures_refused_or_overridden(ctx: TransitionContext) -> str | None:
    """Every worker approved passes the blocking checks, or the officer overrides the failure for
    that worker with a justification; a failure of the whole case needs an override of the case.

    The check is run afresh here, with the case locked: the rules or the quota may have changed
    since the officer's page was drawn. Nothing is kept when this refuses (the transaction rolls back).
    """
    failures = _approval_failures(ctx)
    problems = []
    if failures.case:
        checks = " ".join(check.text for check in failures.case)
        if not ctx.case_override.strip():
            problems.append(
                gettext(
                    "The whole application fails a blocking check: %(checks)s Approve it only with an override "
                    "of the application and a justification, or request information, or reject it."
                ) % {"checks": checks}
            )
        elif problem := justification_problem(ctx.case_override):
            problems.append(gettext("Override of the whole application: %(problem)s") % {"problem": problem})
    failing_lines = failures.of_lines(_approved_line_ids(ctx))
    if failing_lines:
        names = _worker_names(ctx.application, failing_lines)
        unresolved = [line_id for line_id in failing_lines if not ctx.overrides.get(line_id, "").strip()]
        if unresolved:
            problems.append(
                ngettext(
                    "%(count)d worker fails a blocking check and is neither refused nor overridden: %(workers)s. "
                    "%(checks)s Refuse the worker (“Approve some workers”) or override the check with a justification.",
                    "%(count)d workers fail a blocking check and are neither refused nor overridden: %(workers)s. "
                    "%(checks)s Refuse these workers (“Approve some workers”) or override each check with a justification.",
                    len(unresolved),
                ) % {
                    "count": len(unresolved),
                    "workers": ", ".join(names[line_id] for line_id in unresolved),
                    "checks": " ".join(check.text for line_id in unresolved for check in failing_lines[line_id]),
                }
            )
        for line_id in failing_lines:
            text = ctx.overrides.get(line_id, "")
            if text.strip() and (problem := justification_problem(text)):
                problems.append(
                    gettext("Override for %(worker)s: %(problem)s") % {"worker": names[line_id], "problem": problem}
                )
    return " ".join(problems) or None


def _approved_line_ids(ctx: TransitionContext) -> list[int]:
    return [pk for pk in ctx.application.lines.values_list("pk", flat=True) if pk not in ctx.refusals]


def _approval_failures(ctx: TransitionContext):
    """The blocking failures of the rule check run now."""
    _rule_set, checks = case_checks(ctx)
    return split_failures(checks)


def _worker_names(application: Application, line_ids) -> dict[int, str]:
    lines = application.lines.filter(pk__in=list(line_ids)).select_related("worker")
    return {line.pk: line.worker.display_name for line in lines}


def quota_allows(ctx: TransitionContext) -> str | None:
    """Locks the region row, so approvals in one region run one at a time and the count
    below sees every approval committed before this one: the monthly cap cannot be exceeded."""
    application = ctx.application
    Region.objects.select_for_update().filter(pk=application.region_id).first()
    rules = rule_set_in_force(region_id=application.region_id, on=application.planned_arrival_date)
    if rules is None or rules.monthly_worker_quota is None:
        return None
    # People, not lines: a person already approved for the month takes no second place.
    approving = list(application.lines.exclude(pk__in=ctx.refusals.keys()).values_list("pk", flat=True))
    used = approved_workers_in_month(region_id=application.region_id, month_of=application.planned_arrival_date)
    after = approved_workers_in_month(
        region_id=application.region_id, month_of=application.planned_arrival_date, adding_line_ids=approving
    )
    asked = after - used
    if after <= rules.monthly_worker_quota:
        return None
    return ngettext(
        "Approving %(asked)d worker would exceed the monthly quota of %(quota)d for %(month)s: "
        "%(used)d approved already, places left: %(left)d.",
        "Approving %(asked)d workers would exceed the monthly quota of %(quota)d for %(month)s: "
        "%(used)d approved already, places left: %(left)d.",
        asked,
    ) % {
        "asked": asked,
        "quota": rules.monthly_worker_quota,
        "month": application.planned_arrival_date.strftime("%m.%Y"),
        "used": used,
        "left": max(rules.monthly_worker_quota - used, 0),
    }


def person_approved_once_for_the_same_time(ctx: TransitionContext) -> str | None:
    """Refuses to approve a person (citizenship and passport key) already approved, and not yet
    arrived, on another case arriving within the isolation period, in any region or company.

    The region row lock of the quota does not serialise two regions, so each person to approve
    is locked with a transaction-level advisory lock on a hash of their key, taken in sorted
    order (two approvals sharing several people never wait on each other in a cycle) and before
    the quota's region lock (always the same order of lock kinds). The check that follows runs
    after the locks are granted, so it sees every approval of these people committed before.
    """
    application = ctx.application
    people = people_to_approve(application, refused_line_ids=ctx.refusals.keys())
    if not people:
        return None
    lock_keys = sorted({_person_lock_key(person.citizenship, person.passport_key) for person in people})
    with connection.cursor() as cursor:
        # Array order is the order of the locks (WITH ORDINALITY ... ORDER BY makes it explicit).
        cursor.execute(
            "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) WITH ORDINALITY AS held(key, n) ORDER BY n",
            [lock_keys],
        )
    rules = rule_set_in_force(region_id=application.region_id, on=application.planned_arrival_date)
    days = rules.isolation_days if rules else DEFAULT_ISOLATION_DAYS
    clashes = approved_elsewhere_for_the_same_time(application, people=people, isolation_days=days)
    if not clashes:
        return None
    return " ".join(
        ngettext(
            "%(worker)s is already approved on application %(reference)s, arriving within %(days)d day of this one: "
            "a person is approved once for the same time. Refuse this worker or ask the employer.",
            "%(worker)s is already approved on application %(reference)s, arriving within %(days)d days of this one: "
            "a person is approved once for the same time. Refuse this worker or ask the employer.",
            days,
        ) % {"worker": person.name, "reference": reference, "days": days}
        for person, reference in clashes
    )


def _person_lock_key(citizenship: str, passport_key: str) -> int:
    """A signed 64-bit advisory lock key for a person; stable across processes (unlike hash()).
    Two people sharing a key only wait for each other needlessly."""
    digest = hashlib.blake2b(f"person:{citizenship}:{passport_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# Effects: what a transition records on the case besides its status and the history row.


def region_today(application: Application) -> dt.date:
    """The date in the case's region: a deadline runs by the clocks of the authority that decides."""
    return timezone.localtime(timezone.now(), application.region.zone).date()


def _rules_of(application: Application):
    return rule_set_in_force(region_id=application.region_id, on=application.planned_arrival_date)


def stamp_submitted(ctx: TransitionContext) -> None:
    application = ctx.application
    application.submitted_at = timezone.now()
    rules = _rules_of(application)
    days = rules.days_to_decide if rules else RuleSet._meta.get_field("days_to_decide").default
    # Working days from the day after submission, as the region's own calendar day.
    application.deadline = add_working_days(region_today(application), days)
    application.decision_days_left = None
    # The submit guard has just run the check on `rules` and found no blocking failure; the
    # submitted case now cites that version, which freezes it (RuleSet.frozen_reason).
    application.rule_check_failing, application.rule_check_at = False, timezone.now()
    application.rule_set_checked = rules


def clear_deadline(ctx: TransitionContext) -> None:
    """A withdrawn case awaits no decision; the deadline it had stays in the history's dates."""
    ctx.application.deadline = None
    ctx.application.decision_days_left = None
    ctx.application.reply_due = None


def pause_decision_clock(ctx: TransitionContext) -> None:
    """Asking the employer stops the officer's clock: the working days left are kept (negative
    when already late) and the deadline is emptied, so nothing counts a waiting case as overdue.
    The employer's own due date is set here too, in working days from the request day."""
    application = ctx.application
    today = region_today(application)
    if application.deadline is not None:
        application.decision_days_left = working_days_between(today, application.deadline)
        application.deadline = None
    if ctx.reply_due is None:
        rules = _rules_of(application)
        days = ctx.answer_days or (rules.days_to_answer if rules else 5)
        ctx.reply_due = add_working_days(today, days)
    application.reply_due = ctx.reply_due


def resume_decision_clock(ctx: TransitionContext) -> None:
    """The answer restarts the officer's clock with the working days that were left."""
    application = ctx.application
    if application.decision_days_left is not None:
        application.deadline = add_working_days(region_today(application), application.decision_days_left)
        application.decision_days_left = None
    application.reply_due = None


def assign_to_actor(ctx: TransitionContext) -> None:
    ctx.application.assigned_officer = ctx.user


def record_decision(ctx: TransitionContext) -> None:
    """Sets each worker's outcome and freezes the decision with everything it rests on
    (applications/decision_record.py): the rule version, the checks as they stood, the company,
    the officer, and each worker's identity as decided."""
    application = ctx.application
    outcome = application.status  # the target status, already set by the service
    # The checks as they stood before this decision (the ones the approval guard judged, if it ran).
    rule_set, checks = case_checks(ctx)
    set_line_outcomes(application, rejected=outcome == Status.REJECTED, refusals=ctx.refusals)
    # Read back after the update: the frozen rows carry the outcomes as stored.
    lines = list(application.lines.select_related("worker").order_by(*LINE_ORDER))
    application.decided_at = timezone.now()
    # The overrides the approval guard accepted: the failing approved workers, and the whole case.
    failures = split_failures(checks)
    override_notes, case_override = {}, ""
    if outcome != Status.REJECTED:
        override_notes = {pk: ctx.overrides[pk].strip() for pk in failures.of_lines(_approved_line_ids(ctx))}
        case_override = ctx.case_override.strip() if failures.case else ""
    language, legal_basis = decision_letter_terms(application, rule_set)
    decision = freeze(
        decision_model=Decision,
        worker_model=DecisionWorker,
        application=application,
        outcome=outcome,
        rule_set=rule_set,
        checks=[check.as_dict() for check in checks],
        reason=ctx.message,
        user=ctx.user,
        lines=lines,
        override_notes=override_notes,
        case_override_note=case_override,
        decided_at=application.decided_at,
        letter_language=language,
        legal_basis=legal_basis,
    )
    if outcome != Status.REJECTED:
        record_overrides(ctx, decision, checks)


def set_line_outcomes(application: Application, *, rejected: bool, refusals: Mapping[int, tuple[str, str]]) -> None:
    """Sets every line's outcome in one UPDATE, whatever the number of workers: a rejection refuses
    them all ("other"); an approval approves all but `refusals` (line id -> (reason, note)), which
    are refused with their reason and note. The caller holds the case's row lock."""
    table = connection.ops.quote_name(CaseWorker._meta.db_table)
    given = {} if rejected else refusals
    ids = list(given)
    reasons = [given[pk][0] for pk in ids]
    notes = [given[pk][1] for pk in ids]
    if rejected:
        others = (WorkerOutcome.REFUSED, RefusalReason.OTHER)
    else:
        others = (WorkerOutcome.APPROVED, "")
    with connection.cursor() as cursor:
        # A line named in `refusals` takes its reason and note; every other line takes `others`.
        cursor.execute(
            f"""
            UPDATE {table} AS line
               SET outcome = chosen.outcome, refusal_reason = chosen.reason, refusal_note = chosen.note
              FROM (
                    SELECT every.id,
                           CASE WHEN given.id IS NULL THEN %s ELSE %s END AS outcome,
                           COALESCE(given.reason, %s) AS reason,
                           COALESCE(given.note, '') AS note
                      FROM {table} AS every
                      LEFT JOIN unnest(%s::bigint[], %s::text[], %s::text[]) AS given(id, reason, note)
                        ON given.id = every.id
                     WHERE every.application_id = %s
                   ) AS chosen
             WHERE line.id = chosen.id
            """,
            [str(others[0]), str(WorkerOutcome.REFUSED), str(others[1]), ids, reasons, notes, application.pk],
        )


def record_overrides(ctx: TransitionContext, decision: Decision, checks) -> None:
    """Keeps, with the decision, each override the guard accepted: the worker (or the whole case),
    the checks it overrode as they stood, and the justification. An override given for a worker
    who passes, or who is refused, overrides nothing and is not kept."""
    failures = split_failures(checks)
    rows = []
    if failures.case and ctx.case_override.strip():
        rows.append(
            DecisionOverride(
                decision=decision, line=None, failed_checks=[check.as_dict() for check in failures.case],
                justification=ctx.case_override.strip(),
            )
        )
    failing_lines = failures.of_lines(_approved_line_ids(ctx))
    for line in ctx.application.lines.filter(pk__in=list(failing_lines)).select_related("worker").order_by(
        "worker__surname_latin", "worker__given_names_latin", "pk"
    ):
        rows.append(
            DecisionOverride(
                decision=decision, line=line, worker_name=line.worker.display_name,
                failed_checks=[check.as_dict() for check in failing_lines[line.pk]],
                justification=ctx.overrides[line.pk].strip(),
            )
        )
    DecisionOverride.objects.bulk_create(rows)


# The approval guards in lock order: the people's advisory locks, then the region row (quota), then
# the rule check, run once under both (`case_checks`), so the decision keeps checks no approval
# committed meanwhile could have changed.
APPROVAL_GUARDS = (person_approved_once_for_the_same_time, quota_allows, blocking_failures_refused_or_overridden)


def _transitions(*items: Transition) -> dict[str, Transition]:
    return {item.name: item for item in items}


TRANSITIONS: dict[str, Transition] = _transitions(
    Transition(
        "submit", _("Submit"), frozenset({Status.DRAFT}), Status.SUBMITTED, Actor.EMPLOYER, Audience.OFFICERS,
        guards=(employer_verified, rule_check_passes), effect=stamp_submitted,
    ),
    Transition(
        "take_into_review", _("Take into review"), frozenset({Status.SUBMITTED}), Status.IN_REVIEW, Actor.OFFICER,
        Audience.EMPLOYER, effect=assign_to_actor,
    ),
    Transition(
        "request_information", _("Request information"), frozenset({Status.IN_REVIEW}), Status.INFO_REQUESTED,
        Actor.OFFICER, Audience.EMPLOYER, message_required=True, guards=(reply_due_after_today,),
        effect=pause_decision_clock,
    ),
    Transition(
        "answer_request", _("Answer the request"), frozenset({Status.INFO_REQUESTED}), Status.IN_REVIEW,
        Actor.EMPLOYER, Audience.OFFICERS, message_required=True,
        effect=resume_decision_clock, rechecks_rules=True,
    ),
    Transition(
        "approve", _("Approve"), frozenset({Status.IN_REVIEW}), Status.APPROVED, Actor.OFFICER, Audience.EMPLOYER,
        guards=APPROVAL_GUARDS,
        effect=record_decision,
    ),
    Transition(
        "approve_partially", _("Approve some workers"), frozenset({Status.IN_REVIEW}), Status.PARTIALLY_APPROVED,
        Actor.OFFICER, Audience.EMPLOYER,
        guards=(refusals_leave_some_approved, *APPROVAL_GUARDS),
        effect=record_decision,
    ),
    Transition(
        "reject", _("Reject"), frozenset({Status.IN_REVIEW}), Status.REJECTED, Actor.OFFICER, Audience.EMPLOYER,
        message_required=True, effect=record_decision,
    ),
    Transition(
        "withdraw", _("Withdraw"), frozenset({Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED}), Status.WITHDRAWN,
        Actor.EMPLOYER, Audience.OFFICERS, effect=clear_deadline,
    ),
)


def available_transitions(application: Application, actor: Actor) -> list[Transition]:
    """The transitions an actor of this kind could attempt on the case in its current state."""
    return [t for t in TRANSITIONS.values() if t.actor == actor and application.status in t.sources]
