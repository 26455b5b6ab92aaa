"""A worker's own check of their approval (the public "Am I approved?" page)."""

from __future__ import annotations

import datetime as dt

from applications.models import DecisionWorker
from applications.models.worker import passport_key
from applications.selectors.review_case import border_list_workers

# How many approvals the page lists: a person is rarely on more than one or two at a time.
APPROVALS_SHOWN = 5


def approvals_of_person(*, citizenship: str, passport_number: str, date_of_birth: dt.date, since: dt.date) -> list[DecisionWorker]:
    """The person's approvals whose planned arrival is on `since` or later, as the decisions
    named them: only when citizenship, passport and date of birth all match, so a wrong date of
    birth finds nothing, exactly as an unknown passport does."""
    return list(
        border_list_workers()
        .filter(
            citizenship=citizenship, passport_key=passport_key(passport_number), date_of_birth=date_of_birth,
            decision__application__planned_arrival_date__gte=since,
            # A redacted worker is no one any more: "no approval found", as for an unknown passport.
            redacted_at__isnull=True,
        )
        .select_related(
            "decision__application__region", "decision__application__checkpoint__region", "decision__application__border_region",
        )
        .order_by("decision__application__planned_arrival_date", "pk")[:APPROVALS_SHOWN]
    )
