"""What the regions app announces to the apps above it, which it does not import.

`rule_set_published` is sent by regions.services.rule_set_publish inside the publishing
transaction, with the locked `rule_set`. The cases live in `applications`, which re-checks the
ones the version reaches (applications/hooks.py) and answers with a CasesRechecked, so the admin
can say what publishing did.
"""

from dataclasses import dataclass

from django.dispatch import Signal

rule_set_published = Signal()


@dataclass(frozen=True)
class CasesRechecked:
    """The undecided cases a published version reached: `rechecked` of them, re-checked now
    (`queued` False: `failing` of them fail a blocking check, or None if the re-check failed) or
    queued for a background worker after the commit."""

    rechecked: int
    queued: bool
    failing: int | None


NONE_RECHECKED = CasesRechecked(rechecked=0, queued=False, failing=0)
