"""Reads of the approvals against a failing check (DecisionOverride), for the case pages and their
histories. Scoping is the caller's: pass a case or a decision already fetched through a scoped
selector."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from applications.models import Application, Decision, DecisionOverride, StatusChange

# The transitions whose history row is the decision the overrides belong to.
APPROVAL_TRANSITIONS = ("approve", "approve_partially")


def decision_overrides_of(decision: Decision | None) -> list[DecisionOverride]:
    """The overrides kept with the decision, the whole case's first, then the workers'; one query."""
    if decision is None:
        return []
    return list(decision.overrides.order_by("pk"))


def decision_overrides_of_case(application: Application) -> list[DecisionOverride]:
    """The same for a case whose decision was not fetched; nothing to read while it is undecided."""
    if not application.is_decided:
        return []
    return list(DecisionOverride.objects.filter(decision__application=application).order_by("pk"))


def with_overrides(history: Iterable[StatusChange], overrides: Sequence[DecisionOverride]) -> list[StatusChange]:
    """Sets `overrides` on each history row: the approval's row gets the decision's overrides (a case
    has one decision, so one approval), every other row none."""
    changes = list(history)
    for change in changes:
        change.overrides = list(overrides) if change.transition in APPROVAL_TRANSITIONS else []
    return changes
