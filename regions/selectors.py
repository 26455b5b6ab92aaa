"""Reads of regions and their rules. The rules in force on a date are a query, not a flag."""

import datetime as dt
from collections.abc import Sequence

from regions.models import EligibilityThreshold, RuleSet


def rule_set_in_force(*, region_id: int, on: dt.date) -> RuleSet | None:
    """The latest published version that started on or before `on`; None when the region has
    none yet. A draft is never in force, whatever its date."""
    return RuleSet.objects.filter(region_id=region_id).in_force_on(on).first()


def rule_set_in_force_among(versions: Sequence[RuleSet], *, on: dt.date) -> RuleSet | None:
    """`rule_set_in_force` picked from the region's `versions` already read (oldest first, every
    version up to `on` among them); drafts among them are passed over."""
    return next(
        (version for version in reversed(versions) if version.effective_from <= on and version.published_at is not None), None
    )


def threshold_in_force(*, on: dt.date) -> EligibilityThreshold | None:
    return EligibilityThreshold.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
