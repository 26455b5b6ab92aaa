"""Changes to regions' rules. A version in force is never edited: a change is a new version, and
these functions are how one is made, whether from Django admin or a management command."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext

from regions.models import Region, RuleSet

# Everything that makes up the rules; the new version gets its own date and its own record of
# who made it. Read from the model so a rule field added later is copied without a change here.
_NOT_COPIED = {"id", "effective_from", "created_at", "created_by"}
_COPIED_ATTNAMES = tuple(field.attname for field in RuleSet._meta.concrete_fields if field.name not in _NOT_COPIED)


@transaction.atomic
def rule_set_copy_as_draft(*, rule_set: RuleSet, user, effective_from: dt.date | None = None) -> RuleSet:
    """A new version of the region's rules with every rule of `rule_set`, not yet in force.

    Without `effective_from` it starts on the later of the region's tomorrow and the day after the
    region's latest version, so it never collides with an existing one and stays editable until
    then. A chosen date earlier than the region's tomorrow is refused by RuleSet.clean(), the same
    rule and words as the admin's.
    """
    if not user.has_perm("regions.add_ruleset"):
        raise PermissionDenied(gettext("You may not create rule versions."))
    # The region row is the lock: two admins copying at once get consecutive dates, not a
    # unique-constraint error.
    Region.objects.select_for_update().get(pk=rule_set.region_id)

    earliest = RuleSet.earliest_start(rule_set.region)
    if effective_from is None:
        latest = RuleSet.objects.filter(region_id=rule_set.region_id).aggregate(latest=Max("effective_from"))["latest"]
        effective_from = max(earliest, latest + dt.timedelta(days=1)) if latest else earliest
    elif RuleSet.objects.filter(region_id=rule_set.region_id, effective_from=effective_from).exists():
        message = gettext("%(region)s already has a version starting on %(date)s.") % {
            "region": rule_set.region, "date": date_format(effective_from, "SHORT_DATE_FORMAT"),
        }
        raise ValidationError({"effective_from": message})

    draft = RuleSet(effective_from=effective_from, created_by=user)
    for attname in _COPIED_ATTNAMES:
        # Lists (citizenships, closed activities) are copied, not shared with the source object.
        setattr(draft, attname, copy.copy(getattr(rule_set, attname)))
    draft.full_clean()
    draft.save()
    return draft
