"""Reads of charters, scoped to who asks: a company sees the charters it is on (and only its own
cases and workers on them, the others' as counts), an officer those of their regions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from applications.models import Application, Charter, CharterMember, DecisionWorker, Status
from applications.models.application import OPEN_STATUSES
from applications.permissions import employer_id_of, officer_region_ids
from applications.selectors.review_case import border_list_of, border_list_workers

_CHARTER_RELATED = ("region", "checkpoint__region", "organiser")


# The employer's side


def charters_for_employer(*, user) -> QuerySet[Charter]:
    """The charters the user's company is on or invited to, with its own state on each
    (`my_state`) and its number of cases there (`my_cases`); the nearest arrival first."""
    employer_id = employer_id_of(user)
    my_state = CharterMember.objects.filter(charter=OuterRef("pk"), employer_id=employer_id).values("state")[:1]
    return (
        Charter.objects.filter(members__employer_id=employer_id)
        .select_related(*_CHARTER_RELATED)
        .annotate(
            my_state=Subquery(my_state),
            my_cases=Count("applications", filter=Q(applications__employer_id=employer_id), distinct=True),
        )
        .order_by("-arrival_date", "-pk")
    )


def charter_get_for_employer(*, user, pk: int) -> tuple[Charter, CharterMember]:
    """A charter the user's company is on (in any state, so an invitation can be read and
    answered), with the company's membership; another charter is a 404."""
    member = get_object_or_404(
        CharterMember.objects.select_related(*(f"charter__{name}" for name in _CHARTER_RELATED)),
        charter_id=pk, employer_id=employer_id_of(user),
    )
    return member.charter, member


@dataclass(frozen=True)
class MemberSummary:
    """What one company of a charter sees of another: its name, state and how many cases and
    workers it has on the charter; never who they are."""

    member: CharterMember
    cases: int
    workers: int


def charter_members_summary(charter: Charter) -> list[MemberSummary]:
    counts = {
        row["employer_id"]: row
        for row in Application.objects.filter(charter=charter)
        .exclude(status=Status.WITHDRAWN)
        .values("employer_id")
        .annotate(cases=Count("pk", distinct=True), workers=Count("lines"))
    }
    members = CharterMember.objects.filter(charter=charter).select_related("employer").order_by("invited_at", "pk")
    return [
        MemberSummary(
            member=member,
            cases=counts.get(member.employer_id, {}).get("cases", 0),
            workers=counts.get(member.employer_id, {}).get("workers", 0),
        )
        for member in members
    ]


def charter_cases_of_employer(charter: Charter, *, user) -> QuerySet[Application]:
    """The user's company's own cases on the charter, with their number of workers."""
    return (
        Application.objects.filter(charter=charter, employer_id=employer_id_of(user))
        .annotate(worker_count=Count("lines"))
        .order_by("reference")
    )


def cases_eligible_for_charter(charter: Charter, *, user) -> QuerySet[Application]:
    """The company's cases that could join: same region of work, checkpoint and arrival date, not
    decided or withdrawn, on no charter (services.charters.attach_refusal says it again, locked)."""
    return (
        Application.objects.filter(
            employer_id=employer_id_of(user), charter__isnull=True, status__in=OPEN_STATUSES, deleted_at__isnull=True,
            region_id=charter.region_id, checkpoint_id=charter.checkpoint_id, planned_arrival_date=charter.arrival_date,
        )
        .annotate(worker_count=Count("lines"))
        .order_by("reference")
    )


# The officer's side


def charters_for_officer(*, user) -> QuerySet[Charter]:
    """The charters of the officer's regions with their numbers of companies and cases sent to the
    authority (drafts never reach an officer); the latest arrival first."""
    return (
        Charter.objects.filter(region_id__in=officer_region_ids(user))
        .select_related(*_CHARTER_RELATED)
        .annotate(
            case_count=Count("applications", filter=~Q(applications__status=Status.DRAFT), distinct=True),
            company_count=Count("applications__employer", filter=~Q(applications__status=Status.DRAFT), distinct=True),
        )
        .order_by("-arrival_date", "-pk")
    )


def charter_get_for_officer(*, user, pk: int) -> Charter:
    return get_object_or_404(Charter.objects.filter(region_id__in=officer_region_ids(user)).select_related(*_CHARTER_RELATED), pk=pk)


def charter_cases_for_officer(charter: Charter) -> QuerySet[Application]:
    """The charter's cases side by side, as the officer's queue shows them (no drafts)."""
    return (
        Application.objects.filter(charter=charter)
        .exclude(status=Status.DRAFT)
        .select_related("employer")
        .annotate(worker_count=Count("lines"))
        .order_by("employer__name", "reference")
    )


def charter_border_list(charter: Charter) -> QuerySet[DecisionWorker]:
    """The border list of the whole charter: the approved people of its approved and partly
    approved cases, each passport once, as the region's border list lists them."""
    return border_list_of(border_list_workers().filter(decision__application__charter=charter))
