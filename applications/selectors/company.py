"""Reads for the company page and the invitation link, scoped to the user's own company first."""

from __future__ import annotations

from django.db.models import QuerySet

from applications.models import EmployerInvitation, EmployerMember
from applications.permissions import employer_id_of


def member_list_for_employer(*, user) -> QuerySet[EmployerMember]:
    return EmployerMember.objects.filter(employer_id=employer_id_of(user)).select_related("user").order_by("joined_at", "pk")


def open_invitation_list_for_employer(*, user) -> QuerySet[EmployerInvitation]:
    return (
        EmployerInvitation.objects.filter(employer_id=employer_id_of(user), accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def open_invitation_by_token(*, token: str) -> EmployerInvitation | None:
    """The invitation a link names, while it has not been used; the token is the only credential."""
    if not token:
        return None
    return EmployerInvitation.objects.select_related("employer").filter(token=token, accepted_at__isnull=True).first()
