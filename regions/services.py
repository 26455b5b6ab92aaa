"""Changes to regions' rules. A version in force is never edited: a change is a new version, and
these functions are how one is made, whether from Django admin or a management command."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from regions.models import Region, RuleSet
from regions.signals import NONE_RECHECKED, CasesRechecked, rule_set_published

# Everything that makes up the rules; the new version gets its own date, its own record of who
# made it, and starts as a draft. Read from the model so a rule field added later is copied
# without a change here. The legal basis and the notes are not copied: a new version rests on a
# new act, and a copy citing the old one would read as if that act said the new rules.
_NOT_COPIED = {
    "id", "effective_from", "created_at", "created_by", "published_at", "published_by",
    "legal_basis_type", "legal_basis_body", "legal_basis_number", "legal_basis_date", "notes",
}
_COPIED_ATTNAMES = tuple(field.attname for field in RuleSet._meta.concrete_fields if field.name not in _NOT_COPIED)


@transaction.atomic
def rule_set_copy_as_draft(*, rule_set: RuleSet, user, effective_from: dt.date | None = None) -> RuleSet:
    """A new draft version of the region's rules with every rule of `rule_set` but its legal
    basis and notes; it applies to nothing until it is published (rule_set_publish).

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


# The database's trigger (regions migration 0009) raises with this constraint name.
FROZEN_TRIGGER = "rule_version_frozen"


class RuleVersionFrozen(ValidationError):
    """The version is in force, or a decision or a submitted case's check cites it: a change of
    rules is a new version ("copy as a new draft version")."""

    @classmethod
    def of(cls, rule_set: RuleSet, reason: str) -> RuleVersionFrozen:
        return cls(
            gettext("“%(version)s” cannot be changed or deleted: %(reason)s A change of rules is a new version: "
                    "use “Copy as a new draft version”.") % {"version": rule_set, "reason": reason},
            code="rule_version_frozen",
        )


def _constraint_of(exc: IntegrityError) -> str | None:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)


@contextmanager
def _frozen_refused(rule_set: RuleSet) -> Iterator[None]:
    """The database's last word (a case submitted or decided between the check and the write)
    becomes the same refusal; the savepoint leaves the caller's transaction usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if _constraint_of(exc) == FROZEN_TRIGGER:
            reason = RuleSet.objects.get(pk=rule_set.pk).frozen_reason() or gettext("The database refused the change.")
            raise RuleVersionFrozen.of(rule_set, reason) from exc
        raise


def ensure_rule_set_editable(rule_set: RuleSet) -> None:
    """Raises RuleVersionFrozen when the stored version may no longer change."""
    if rule_set.pk is None:
        return
    if reason := rule_set.frozen_reason():
        raise RuleVersionFrozen.of(rule_set, reason)


@transaction.atomic
def rule_set_save(*, rule_set: RuleSet, user) -> RuleSet:
    """Saves a new version, or a change to one that is not frozen; refuses a frozen one.

    The stored row is locked first, so a concurrent save or delete waits, and the rule is judged
    on the row as stored (a changed start date in the form cannot thaw a version in force)."""
    if rule_set.pk is None:
        if not user.has_perm("regions.add_ruleset"):
            raise PermissionDenied(gettext("You may not create rule versions."))
        if rule_set.created_by_id is None and getattr(user, "pk", None) is not None:
            rule_set.created_by = user
    else:
        if not user.has_perm("regions.change_ruleset"):
            raise PermissionDenied(gettext("You may not change rule versions."))
        RuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()
        ensure_rule_set_editable(rule_set)
    rule_set.full_clean()
    with _frozen_refused(rule_set):
        rule_set.save()
    return rule_set


@transaction.atomic
def rule_set_delete(*, rule_set: RuleSet, user) -> None:
    """Deletes a version that is not frozen; refuses a frozen one."""
    if not user.has_perm("regions.delete_ruleset"):
        raise PermissionDenied(gettext("You may not delete rule versions."))
    RuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()
    ensure_rule_set_editable(rule_set)
    # A draft's check freezes nothing and keeps nothing: it is simply forgotten (the draft is
    # checked again live, and when it is submitted).
    rule_set.checked_applications.filter(status="draft").update(rule_set_checked=None)
    with _frozen_refused(rule_set):
        rule_set.delete()


@dataclass(frozen=True)
class Publication:
    """What publishing a version did: the undecided cases it applies to were re-checked
    (`rechecked` of them), now (`queued` False: `failing` of them fail a blocking check, or None
    if the re-check failed, see the log) or by a background worker after the commit."""

    rule_set: RuleSet
    rechecked: int
    queued: bool
    failing: int | None


@transaction.atomic
def rule_set_publish(*, rule_set: RuleSet, user) -> Publication:
    """Puts a draft version into force from its start date, on purpose: records who published it
    and when, freezes it, and re-checks the undecided cases it applies to (the same re-check as
    `manage.py recheck_rule_checks`). Refuses a version already published or one whose start
    date is not after the region's today.
    """
    if not user.has_perm("regions.publish_ruleset"):
        raise PermissionDenied(gettext("You may not publish rule versions."))
    # The region row first, as when copying: two admins publishing versions of one region
    # at once see each other's, and each marks the cases its own version then applies to.
    Region.objects.select_for_update().get(pk=rule_set.region_id)
    locked = RuleSet.objects.select_for_update().select_related("region").get(pk=rule_set.pk)
    if locked.published_at is not None:
        raise ValidationError(
            gettext("“%(version)s” was already published on %(date)s.") % {
                "version": locked, "date": date_format(timezone.localtime(locked.published_at), "SHORT_DATETIME_FORMAT"),
            },
            code="already_published",
        )
    ensure_rule_set_editable(locked)
    if problem := locked.publication_problem():
        raise ValidationError({"effective_from": problem})
    locked.full_clean()
    locked.published_at, locked.published_by = timezone.now(), user
    with _frozen_refused(locked):
        locked.save(update_fields=["published_at", "published_by"])
    rule_set.published_at, rule_set.published_by = locked.published_at, locked.published_by

    # The cases are the applications app's: it re-checks those the version reaches (applications/hooks.py).
    answers = [answer for _receiver, answer in rule_set_published.send(sender=RuleSet, rule_set=locked)]
    recheck = next((answer for answer in answers if isinstance(answer, CasesRechecked)), NONE_RECHECKED)
    return Publication(rule_set=locked, rechecked=recheck.rechecked, queued=recheck.queued, failing=recheck.failing)
