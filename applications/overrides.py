"""Blocking failures at approval, pure: which failures stand in the way of approving which worker,
the refusal reason each failure suggests, and what makes a justification of an override.

An approval refuses every worker with a blocking failure in the rule check run at that moment,
unless the officer overrides it for that worker with a justification; a failure of the whole
case (a check without `line_id`) blocks the whole approval unless overridden for the case. The
guard and the effect in applications/transitions.py, the officer's forms and the case page all
read the failures through `split_failures`, so they agree on what fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from applications.models.application import RefusalReason
from regions.rules import Check, blocking_failures

# The refusal reason a failing per-worker check suggests in the partial-approval form. A check not
# listed here (one added later, say) suggests "other" until it is given a reason of its own.
REFUSAL_REASON_FOR_CHECK: dict[str, str] = {
    "worker.citizenship": RefusalReason.CITIZENSHIP_NOT_ACCEPTED,
    "worker.pcr_test": RefusalReason.PCR_TEST,
    "worker.passport": RefusalReason.PASSPORT,
    # No evidence of earlier work for a returning worker: the permit or its scan is missing.
    "worker.earlier_work": RefusalReason.DOCUMENTS,
}
DEFAULT_REFUSAL_REASON = RefusalReason.OTHER

# "At least a sentence": long enough to say something, and more than one word, so that "ok",
# "agreed" or "see file" cannot stand as the reason a legal act departs from the rules.
JUSTIFICATION_MIN_LENGTH = 20
JUSTIFICATION_MIN_WORDS = 2
JUSTIFICATION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Failures:
    """The blocking failures of one rule check: those of the whole case, and those of each
    worker's line (line id -> its failing checks, in the check's order)."""

    case: list[Check] = field(default_factory=list)
    by_line: dict[int, list[Check]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.case or self.by_line)

    def of_lines(self, line_ids: Iterable[int]) -> dict[int, list[Check]]:
        """The failing lines among `line_ids` (the workers about to be approved)."""
        wanted = set(line_ids)
        return {line_id: checks for line_id, checks in self.by_line.items() if line_id in wanted}


def split_failures(checks: Sequence[Check]) -> Failures:
    failures = Failures()
    for check in blocking_failures(checks):
        if check.line_id is None:
            failures.case.append(check)
        else:
            failures.by_line.setdefault(check.line_id, []).append(check)
    return failures


def refusal_reason_for(failing_checks: Sequence[Check]) -> str:
    """The reason of the first failing check that has one of its own; "other" if none has."""
    for check in failing_checks:
        if check.code in REFUSAL_REASON_FOR_CHECK:
            return REFUSAL_REASON_FOR_CHECK[check.code]
    return DEFAULT_REFUSAL_REASON


def _words(text: str) -> list[str]:
    """Runs of text holding at least one letter (in any script): "72", "—" and "№5" are not words."""
    return [token for token in text.split() if any(character.isalpha() for character in token)]


def justification_problem(text: str) -> str | None:
    """Why `text` cannot justify an override, or None when it can. Spaces around do not count."""
    text = (text or "").strip()
    if len(text) < JUSTIFICATION_MIN_LENGTH or len(_words(text)) < JUSTIFICATION_MIN_WORDS:
        return str(
            _("Write why, in at least a sentence: at least %(length)d characters and two words.")
            % {"length": JUSTIFICATION_MIN_LENGTH}
        )
    if len(text) > JUSTIFICATION_MAX_LENGTH:
        return str(_("Keep the justification within %(length)d characters.") % {"length": JUSTIFICATION_MAX_LENGTH})
    return None
