"""A company's verification: an officer of the region it is registered in (or an admin) verifies
it or refuses with a reason; a refused company corrects its details and asks again. Each change
locks the company's row, appends to its history (EmployerEvent) and, once committed, e-mails the
company's members what was decided and why."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications import background
from applications.background import Work
from applications.models import Employer, EmployerEvent, EmployerEventAction, VerificationState
from applications.permissions import employer_id_of, officer_region_ids
from applications.services.errors import TransitionRefused

REFUSAL_REASON_MAX_LENGTH = 2000


def may_decide_verification(user, employer: Employer) -> bool:
    """An admin, or an officer of the region the company is registered in."""
    return bool(user.is_staff or employer.region_id in officer_region_ids(user))


def _locked(employer: Employer) -> Employer:
    return Employer.objects.select_for_update().get(pk=employer.pk)


def _record(employer: Employer, *, action: str, from_state: str, user, reason: str = "", changes=None) -> EmployerEvent:
    return EmployerEvent.objects.create(
        employer=employer,
        action=action,
        from_state=from_state,
        to_state=employer.verification_state,
        actor=user,
        reason=reason,
        changes=changes or {},
    )


def _notify_members(event: EmployerEvent) -> None:
    background.after_commit(Work.COMPANY_VERIFICATION_EMAIL, event_id=event.pk)


def employer_verify(*, employer: Employer, user) -> Employer:
    """Confirms the company is who it says; from then on it can submit. Verifying a company
    someone has just verified changes nothing (the first verification stands); a refused
    company may be verified (its corrections were enough)."""
    if not may_decide_verification(user, employer):
        raise TransitionRefused(gettext("Only an admin or an officer of the company's region can verify it."))
    with transaction.atomic():
        locked = _locked(employer)
        if locked.verified_at is None:
            from_state = locked.verification_state
            locked.verified_at, locked.verified_by = timezone.now(), user
            locked.refused_at, locked.refusal_reason = None, ""
            locked.save(update_fields=["verified_at", "verified_by", "refused_at", "refusal_reason"])
            _notify_members(_record(locked, action=EmployerEventAction.VERIFY, from_state=from_state, user=user))
    return locked


def employer_refuse(*, employer: Employer, user, reason: str) -> Employer:
    """Refuses to verify a company waiting for it, saying why: the members read the reason on
    the company page and by e-mail, correct what it names and ask again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(gettext("Say why, so the company knows what to correct."), code="required")}
        )
    if len(reason) > REFUSAL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": gettext("At most %(limit)d characters.") % {"limit": REFUSAL_REASON_MAX_LENGTH}})
    if not may_decide_verification(user, employer):
        raise TransitionRefused(gettext("Only an admin or an officer of the company's region can refuse to verify it."))
    with transaction.atomic():
        locked = _locked(employer)
        if locked.verification_state != VerificationState.WAITING:
            raise TransitionRefused(
                gettext("%(company)s is no longer waiting for verification: it is “%(state)s”.")
                % {"company": locked.name, "state": locked.verification_state.label}
            )
        locked.refused_at, locked.refusal_reason = timezone.now(), reason
        locked.save(update_fields=["refused_at", "refusal_reason"])
        _notify_members(
            _record(locked, action=EmployerEventAction.REFUSE, from_state=VerificationState.WAITING, user=user, reason=reason)
        )
    return locked


def employer_ask_again(*, employer: Employer, user, note: str = "") -> Employer:
    """A member of a refused company asks to be verified again, once it has corrected what the
    refusal named; the company is back in its region's queue."""
    if employer_id_of(user) != employer.pk:
        raise TransitionRefused(gettext("Only a member of the company can ask for its verification."))
    with transaction.atomic():
        locked = _locked(employer)
        if locked.verification_state != VerificationState.REFUSED:
            raise TransitionRefused(gettext("Your company is not refused: there is nothing to ask again."))
        locked.refused_at, locked.refusal_reason = None, ""
        locked.save(update_fields=["refused_at", "refusal_reason"])
        _record(
            locked,
            action=EmployerEventAction.ASK_AGAIN,
            from_state=VerificationState.REFUSED,
            user=user,
            reason=note.strip()[:REFUSAL_REASON_MAX_LENGTH],
        )
    return locked
