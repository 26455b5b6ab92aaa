"""Charters: a flight, train or bus that brings the workers of several companies to one checkpoint
on one date (models/charter.py).

Each change runs in one transaction that locks the charter's row first, then the rows it changes
(the cases in id order), and checks again under the locks what the page showed: two people
acting at once are served one after the other. The officers decide a charter's cases through the
case decisions of services/cases.py, each case in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from applications.models import (
    Application,
    Charter,
    CharterEvent,
    CharterEventAction,
    CharterMember,
    CharterMemberState,
    Employer,
    Status,
    next_charter_reference,
)
from applications.models.application import DECIDED_STATUSES, OPEN_STATUSES
from applications.permissions import acts_for_region, employer_id_of
from applications.services.cases import application_approve, application_reject
from applications.services.errors import TransitionRefused
from applications.validators import validate_inn
from regions.models import Checkpoint, Region

# Companies a company may invite to its charters in an hour: enough for an association filling a
# plane of 14 companies, too few to walk the register of INNs to see who is on the portal.
CHARTER_INVITATIONS_PER_HOUR = 30


def _refuse_unless_member_of(user, employer_id: int) -> None:
    if employer_id_of(user) != employer_id:
        raise TransitionRefused(gettext("Only a member of the company can do this."))


def _locked_charter(charter: Charter) -> Charter:
    return Charter.objects.select_for_update(of=("self",)).select_related("region", "checkpoint__region").get(pk=charter.pk)


@transaction.atomic
def charter_create(
    *,
    employer: Employer,
    user,
    transport_kind: str,
    transport_number: str,
    region: Region,
    checkpoint: Checkpoint,
    arrival_date: dt.date,
) -> Charter:
    """A verified company (or an association acting for several) organises a charter; it is its
    first member, accepted. Raises ValidationError keyed by field for a closed checkpoint or a
    past date, TransitionRefused for a company not verified."""
    _refuse_unless_member_of(user, employer.pk)
    organiser = Employer.objects.select_for_update().get(pk=employer.pk)
    if not organiser.is_verified:
        raise TransitionRefused(gettext("Your company can organise a charter once the officers of its region have verified it."))
    errors = {}
    if not checkpoint.active:
        errors["checkpoint"] = gettext("This crossing point is closed to the procedure: choose an open one.")
    if arrival_date < timezone.localdate():
        errors["arrival_date"] = gettext("The arrival date has passed: give the date the charter arrives.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    charter = Charter(
        reference=next_charter_reference(), transport_kind=transport_kind, transport_number=" ".join(transport_number.split()).upper(),
        region=region, checkpoint=checkpoint, arrival_date=arrival_date, organiser=organiser, created_by=user, created_at=now,
    )
    charter.full_clean(exclude=["reference"])
    charter.save()
    CharterMember.objects.create(
        charter=charter, employer=organiser, state=CharterMemberState.ACCEPTED, invited_by=user, invited_at=now,
        answered_by=user, answered_at=now,
    )
    return charter


def _inn_error(message: str, code: str) -> ValidationError:
    return ValidationError({"inn": ValidationError(message, code=code)})


@transaction.atomic
def charter_invite(*, charter: Charter, user, inn: str) -> CharterMember:
    """The organiser invites another company, named by its INN; the company's cases join only once
    it accepts. A company that declined or left may be invited again.

    Whether an INN is on the portal is said to the organiser, as the colleague invitation says
    whether an address has an account: only to a verified company, and at most
    CHARTER_INVITATIONS_PER_HOUR times an hour. Raises ValidationError on `inn`."""
    locked = _locked_charter(charter)
    _refuse_unless_member_of(user, locked.organiser_id)
    organiser = Employer.objects.get(pk=locked.organiser_id)
    if not organiser.is_verified:
        raise TransitionRefused(gettext("Your company can invite companies once the officers of its region have verified it."))
    inn = "".join(inn.split())
    try:
        validate_inn(inn)
    except ValidationError as error:
        raise ValidationError({"inn": error}) from None
    now = timezone.now()
    sent = CharterMember.objects.filter(
        charter__organiser_id=locked.organiser_id, invited_at__gt=now - timedelta(hours=1)
    ).exclude(employer_id=locked.organiser_id).count()
    if sent >= CHARTER_INVITATIONS_PER_HOUR:
        raise _inn_error(
            gettext("Your company has sent %(limit)d charter invitations in the last hour, as many as a company may. "
                    "Please try again later.") % {"limit": CHARTER_INVITATIONS_PER_HOUR},
            "rate_limit",
        )
    invitee = Employer.objects.filter(inn=inn).first()
    if invitee is None:
        raise _inn_error(
            gettext("No company with this INN is registered on the portal. Ask it to register, then invite it."), "unknown"
        )
    member = CharterMember.objects.select_for_update().filter(charter=locked, employer=invitee).first()
    if member is not None and member.state == CharterMemberState.ACCEPTED:
        raise _inn_error(gettext("%(company)s is already on this charter.") % {"company": invitee.name}, "member")
    if member is not None and member.state == CharterMemberState.INVITED:
        raise _inn_error(gettext("%(company)s is already invited: it has not answered yet.") % {"company": invitee.name}, "invited")
    if member is None:
        member = CharterMember(charter=locked, employer=invitee)
    member.state, member.invited_by, member.invited_at = CharterMemberState.INVITED, user, now
    member.answered_by = member.answered_at = None
    member.save()
    return member


def _locked_member(charter: Charter, user) -> tuple[Charter, CharterMember]:
    locked = _locked_charter(charter)
    member = CharterMember.objects.select_for_update().filter(charter=locked, employer_id=employer_id_of(user)).first()
    if member is None:
        raise TransitionRefused(gettext("Your company is not on this charter."))
    return locked, member


def _answer(member: CharterMember, user, state: str) -> CharterMember:
    member.state, member.answered_by, member.answered_at = state, user, timezone.now()
    member.save(update_fields=["state", "answered_by", "answered_at"])
    return member


@transaction.atomic
def charter_answer(*, charter: Charter, user, accept: bool) -> CharterMember:
    """The invited company consents to the charter (then attaches its own cases) or declines."""
    _locked, member = _locked_member(charter, user)
    if member.state != CharterMemberState.INVITED:
        raise TransitionRefused(
            gettext("Your company has already answered this invitation: it is “%(state)s”.") % {"state": member.get_state_display()}
        )
    return _answer(member, user, CharterMemberState.ACCEPTED if accept else CharterMemberState.DECLINED)


@transaction.atomic
def charter_leave(*, charter: Charter, user) -> CharterMember:
    """A company that accepted leaves the charter, once none of its cases is on it. The organiser
    stays: the charter is its own."""
    locked, member = _locked_member(charter, user)
    if member.employer_id == locked.organiser_id:
        raise TransitionRefused(gettext("The organiser cannot leave its own charter."))
    if member.state != CharterMemberState.ACCEPTED:
        raise TransitionRefused(gettext("Your company is not on this charter."))
    if Application.objects.filter(charter=locked, employer_id=member.employer_id).exists():
        raise TransitionRefused(gettext("Take your applications off the charter first; then your company can leave it."))
    return _answer(member, user, CharterMemberState.LEFT)


def attach_refusal(application: Application, charter: Charter) -> str:
    """Why a case cannot join the charter, in words; empty when it can. Expects the case's
    region and checkpoint (with its region) and the charter's fetched."""
    reference = application.reference
    if application.charter_id == charter.pk:
        return gettext("%(reference)s is already on this charter.") % {"reference": reference}
    if application.charter_id is not None:
        return gettext("%(reference)s is on another charter: take it off that one first.") % {"reference": reference}
    if application.deleted_at is not None:
        return gettext("%(reference)s is a deleted draft.") % {"reference": reference}
    if application.status not in OPEN_STATUSES:
        return gettext("%(reference)s is “%(status)s”: only an application not yet decided or withdrawn can join a charter.") % {
            "reference": reference, "status": application.get_status_display(),
        }
    if application.region_id != charter.region_id:
        return gettext("%(reference)s is for work in %(region)s; the charter's workers work in %(charter_region)s.") % {
            "reference": reference, "region": application.region.name, "charter_region": charter.region.name,
        }
    if application.checkpoint_id != charter.checkpoint_id:
        return gettext("%(reference)s crosses the border at %(crossing)s; the charter arrives at %(checkpoint)s.") % {
            "reference": reference, "crossing": application.crossing_point_label or "—", "checkpoint": charter.checkpoint.label,
        }
    if application.planned_arrival_date != charter.arrival_date:
        return gettext("%(reference)s arrives on %(date)s; the charter arrives on %(charter_date)s.") % {
            "reference": reference,
            "date": date_format(application.planned_arrival_date, "SHORT_DATE_FORMAT"),
            "charter_date": date_format(charter.arrival_date, "SHORT_DATE_FORMAT"),
        }
    return ""


def _locked_cases_of_member(charter: Charter, user, application_ids: Iterable[int]) -> tuple[Charter, list[Application]]:
    """The charter locked, then the user's company's cases among `application_ids`, locked in
    id order; refuses unless the company is an accepted member. Another company's id is simply
    not found."""
    locked, member = _locked_member(charter, user)
    if member.state != CharterMemberState.ACCEPTED:
        raise TransitionRefused(gettext("Accept the invitation first: then your company's applications can join the charter."))
    cases = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=set(application_ids), employer_id=member.employer_id)
        .select_related("region", "checkpoint__region", "border_region")
        .order_by("pk")
    )
    if not cases:
        raise TransitionRefused(gettext("Choose at least one of your applications."))
    return locked, cases


def _record(charter: Charter, cases: list[Application], user, action: str) -> None:
    Application.objects.filter(pk__in=[case.pk for case in cases]).update(
        charter=charter if action == CharterEventAction.ATTACH else None, updated_at=timezone.now()
    )
    now = timezone.now()
    CharterEvent.objects.bulk_create(
        CharterEvent(charter=charter, application=case, action=action, actor=user, at=now) for case in cases
    )


@transaction.atomic
def charter_attach(*, charter: Charter, user, application_ids: Iterable[int]) -> list[Application]:
    """Puts the company's cases on the charter, all or none: each must be for the charter's region
    of work, cross at its checkpoint on its date, and be neither decided, withdrawn nor on
    another charter. Raises TransitionRefused naming each case that cannot."""
    locked, cases = _locked_cases_of_member(charter, user, application_ids)
    refusals = [reason for reason in (attach_refusal(case, locked) for case in cases) if reason]
    if refusals:
        raise TransitionRefused(" ".join(refusals))
    _record(locked, cases, user, CharterEventAction.ATTACH)
    return cases


@transaction.atomic
def charter_detach(*, charter: Charter, user, application_ids: Iterable[int]) -> list[Application]:
    """Takes the company's cases off the charter, all or none, while they are not decided (a
    decided case travels as decided)."""
    locked, cases = _locked_cases_of_member(charter, user, application_ids)
    refusals = []
    for case in cases:
        if case.charter_id != locked.pk:
            refusals.append(gettext("%(reference)s is not on this charter.") % {"reference": case.reference})
        elif case.status in DECIDED_STATUSES:
            refusals.append(
                gettext("%(reference)s is decided: it stays on the charter it was decided on.") % {"reference": case.reference}
            )
    if refusals:
        raise TransitionRefused(" ".join(refusals))
    _record(locked, cases, user, CharterEventAction.DETACH)
    return cases


# The officer: deciding a charter's cases together


@dataclass(frozen=True)
class CaseResult:
    application: Application
    done: bool
    reason: str = ""


def charter_decide(
    *, charter: Charter, user, versions: dict[int, int], approve: bool, reason: str = ""
) -> list[CaseResult]:
    """Approves every worker of each chosen case, or rejects each with `reason`, through the case
    decisions of services/cases.py: each case in its own transaction with its own guards (a
    blocking failure, the quota, a person approved once for the same time), so one refusal
    leaves the others decided. `versions` maps each chosen case id to the version the officer
    saw; a case changed since is refused, not decided unseen. Not atomic by design."""
    cases = (
        Application.objects.filter(charter=charter, pk__in=versions.keys()).select_related("employer")
        .exclude(status=Status.DRAFT)
        .order_by("pk")
    )
    results = []
    for case in cases:
        if not acts_for_region(user, case):
            continue
        try:
            if approve:
                decided = application_approve(application=case, user=user, expected_version=versions[case.pk])
            else:
                decided = application_reject(application=case, user=user, reason=reason, expected_version=versions[case.pk])
        except TransitionRefused as refused:
            results.append(CaseResult(application=case, done=False, reason=refused.message))
        else:
            results.append(CaseResult(application=decided, done=True))
    return results
