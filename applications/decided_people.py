"""A person on a case as counted: as the decision named them once the case is decided
(DecisionWorker: citizenship, passport key, outcome), as the line and the registry say before.

The quota meters, the statistics' months and citizenships count people with these expressions on
CaseWorker (the quota guard's `applications.selectors.quota.approved_workers_in_month` does the same as
a UNION, to keep its index), so a worker edited after a decision is still counted as decided, and a
line being approved (no decision yet) as it stands.
"""

from __future__ import annotations

from django.db.models import Q, TextField, Value
from django.db.models.functions import Coalesce, Concat

from applications.models import WorkerOutcome


def citizenship_as_decided() -> Coalesce:
    return Coalesce("decided__citizenship", "worker__citizenship", output_field=TextField())


def passport_key_as_decided() -> Coalesce:
    return Coalesce("decided__passport_key", "worker__passport_key", output_field=TextField())


def person_as_decided() -> Concat:
    """A person as one value to count DISTINCT: citizenship and passport key (a key holds no ":")."""
    return Concat(citizenship_as_decided(), Value(":"), passport_key_as_decided(), output_field=TextField())


def approved_as_decided() -> Q:
    """Lines approved: by their decision once the case has one (the line's outcome is a working
    copy), by the line itself before. "No decision" is asked of the case, which the reads reach
    from the index of cases by region and arrival anyway."""
    return Q(decided__outcome=WorkerOutcome.APPROVED) | Q(application__decision__isnull=True, outcome=WorkerOutcome.APPROVED)
