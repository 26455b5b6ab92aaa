"""A rule check as read at a glance: the blocking failures first (each with what to do), then the
warnings, and the passes folded away, leaving out those that say nothing.

Pure: takes the checks (live `Check`s or as stored with a decision) and sorts them, no queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from regions.check_advice import advice_for
from regions.rules import Check

# A region-wide note that changes what the employer must do: shown with the warnings, not folded.
NOTES_SHOWN = frozenset({"isolation.until_test_result"})
# How close to a cap a passing count must come before it is worth saying ("95 workers, within
# the limit of 100" is; "3 workers, within the limit of 100" is not).
NEAR_LIMIT = 0.8


@dataclass
class CheckGroups:
    # With what to do about each ("" for a note).
    failures: list[tuple[Check, str]] = field(default_factory=list)
    warnings: list[tuple[Check, str]] = field(default_factory=list)
    passes: list[Check] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.failures or self.warnings or self.passes)


def pass_informs(check: Check) -> bool:
    """Whether a passed check tells the reader something. A pass that only restates a rule the
    application is far from (a few workers under a cap of a hundred, no worker asked against a
    quota) or that the figures are current is left out."""
    params = check.params or {}
    if check.code == "workers.max_per_application":
        count, limit = params.get("count", 0), params.get("limit") or 0
        return count > 0 and count >= limit * NEAR_LIMIT
    if check.code == "quota.monthly":
        return params.get("asked", 0) > 0
    if check.code == "employer.figures_recent":
        return False
    return True


def _with_advice_once(checks: list[Check]) -> list[tuple[Check, str]]:
    """The checks with the same advice side by side (in the order each advice first comes), the
    advice said once, after the last of them: fifty workers with no PCR test read as fifty
    sentences and one step to take, not fifty times the same step."""
    runs: dict[str, list[Check]] = {}
    for check in checks:
        runs.setdefault(advice_for(check.code, check.params) or f"\0{check.code}", []).append(check)
    listed = []
    for advice, run in runs.items():
        said = "" if advice.startswith("\0") else advice
        listed += [(check, said if index == len(run) - 1 else "") for index, check in enumerate(run)]
    return listed


def group_checks(checks: Iterable[Check | dict]) -> CheckGroups:
    groups = CheckGroups()
    failures, warnings = [], []
    for check in checks:
        if isinstance(check, dict):
            check = Check.from_dict(check)
        if not check.passed and check.blocking:
            failures.append(check)
        elif not check.passed:
            warnings.append(check)
        elif check.code in NOTES_SHOWN:
            groups.warnings.append((check, ""))
        elif pass_informs(check):
            groups.passes.append(check)
    groups.failures = _with_advice_once(failures)
    groups.warnings = _with_advice_once(warnings) + groups.warnings
    return groups
