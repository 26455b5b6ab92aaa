"""The cases a region's rule version reaches: what its publication re-checks, and what the admin's
publish confirmation counts."""

from applications.models import Application
from applications.models.application import PENDING_STATUSES
from regions.models import RuleSet


def pending_cases_under_rule_version(*, rule_set: RuleSet):
    """The region's undecided cases `rule_set` applies (or would apply, once published) to: those
    arriving from its start until the start of the next published version."""
    cases = Application.objects.filter(
        region_id=rule_set.region_id, status__in=PENDING_STATUSES, planned_arrival_date__gte=rule_set.effective_from
    )
    next_start = (
        RuleSet.objects.published().filter(region_id=rule_set.region_id, effective_from__gt=rule_set.effective_from)
        .order_by("effective_from").values_list("effective_from", flat=True).first()
    )
    return cases if next_start is None else cases.filter(planned_arrival_date__lt=next_start)
