"""The officer's marks of a partial approval while they page through a large case.

A case of thousands of workers cannot be decided on one page: the officer marks the workers of one
page, saves, moves on, and the marks wait in the officer's session until the decision is taken
through the one decision service (services.application_approve_partially) with the refusals and
overrides of every page. Only the marks that differ from the default are kept (a worker passing the
rule check starts approved; one failing it starts refused with the reason the check suggests), so
"refuse all failing" and "approve all passing" simply forget the marks of that group.

The draft belongs to one version of the case: once the case moves on (another officer acted, the
employer answered), its marks no longer describe what the officer saw, and it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from applications.models import Application
from applications.overrides import Failures, refusal_reason_for

APPROVE, REFUSE = "approve", "refuse"


@dataclass(frozen=True)
class Mark:
    decision: str
    reason: str = ""
    note: str = ""
    override: bool = False
    justification: str = ""

    def as_list(self) -> list:
        return [self.decision, self.reason, self.note, self.override, self.justification]


def default_mark(line_id: int, failures: Failures) -> Mark:
    failing = failures.by_line.get(line_id)
    return Mark(REFUSE, refusal_reason_for(failing)) if failing else Mark(APPROVE)


def _key(application: Application) -> str:
    return f"partial-approval:{application.pk}"


def draft_marks(session, application: Application) -> dict[int, Mark]:
    """The marks kept for this version of the case (line id -> mark); none for another version."""
    stored = session.get(_key(application))
    if not stored or stored.get("version") != application.version:
        return {}
    return {int(line_id): Mark(*values) for line_id, values in stored["marks"].items()}


def _store(session, application: Application, marks: Mapping[int, Mark]) -> None:
    if marks:
        session[_key(application)] = {
            "version": application.version,
            "marks": {str(line_id): mark.as_list() for line_id, mark in marks.items()},
        }
    else:
        session.pop(_key(application), None)


def keep_marks(session, application: Application, posted: Mapping[int, Mark], failures: Failures) -> dict[int, Mark]:
    """Merges the marks of one page into the draft; a mark equal to its default is forgotten."""
    marks = draft_marks(session, application)
    for line_id, mark in posted.items():
        if mark == default_mark(line_id, failures):
            marks.pop(line_id, None)
        else:
            marks[line_id] = mark
    _store(session, application, marks)
    return marks


def forget_marks(session, application: Application, line_ids: Iterable[int]) -> None:
    """Back to the default for these lines ("refuse all failing", "approve all passing")."""
    marks = draft_marks(session, application)
    for line_id in line_ids:
        marks.pop(line_id, None)
    _store(session, application, marks)


def clear_draft(session, application: Application) -> None:
    session.pop(_key(application), None)


def effective_marks(marks: Mapping[int, Mark], line_ids: Iterable[int], failures: Failures) -> dict[int, Mark]:
    """Every line's mark: the officer's, else its default."""
    return {line_id: marks.get(line_id) or default_mark(line_id, failures) for line_id in line_ids}
