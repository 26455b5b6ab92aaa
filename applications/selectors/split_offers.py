"""The split offered for a draft that lists more workers than its region accepts on one
application (services/draft_split.py splits it): read from the draft's rule check."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import ngettext

from applications.models import Application, Status
from regions.rules import Check

CAP_CHECK = "workers.max_per_application"


@dataclass(frozen=True)
class SplitOffer:
    """How a draft over its region's cap would be split: into `parts` applications of at most
    `limit` workers each (the last may hold fewer)."""

    count: int
    limit: int

    @property
    def parts(self) -> int:
        return math.ceil(self.count / self.limit)

    @property
    def label(self) -> str:
        return ngettext(
            "Split into %(parts)d application of at most %(limit)d workers",
            "Split into %(parts)d applications of at most %(limit)d workers",
            self.parts,
        ) % {"parts": self.parts, "limit": self.limit}


def split_offer(count: int, limit: int | None) -> SplitOffer | None:
    """The split to offer for `count` workers under a cap of `limit` (None: no cap): none while
    the list fits on one application."""
    if limit is None or count <= limit:
        return None
    return SplitOffer(count=count, limit=limit)


def split_offer_from_checks(application: Application, checks: Iterable[Check]) -> SplitOffer | None:
    """The offer for a draft, read from its rule check (run against the rule version in force, as
    the page and the submit guard run it): the failing cap check carries the count and the cap."""
    if application.status != Status.DRAFT:
        return None
    for check in checks:
        if check.code == CAP_CHECK and not check.passed and "count" in check.params and "limit" in check.params:
            return split_offer(int(check.params["count"]), int(check.params["limit"]))
    return None


def split_hint(offer: SplitOffer | None) -> str:
    """The sentence a refused submission adds, so the employer learns the way out."""
    if offer is None:
        return ""
    return ngettext(
        "Split it into %(parts)d application of at most %(limit)d workers (the button on the draft's page), then submit each.",
        "Split it into %(parts)d applications of at most %(limit)d workers (the button on the draft's page), then submit each.",
        offer.parts,
    ) % {"parts": offer.parts, "limit": offer.limit}
