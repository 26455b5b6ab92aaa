"""Reads for the company page and the invitation link, scoped to the user's own company first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from applications.models import Application, Employer, EmployerFigures, EmployerInvitation, EmployerMember, Status
from applications.permissions import employer_id_of, officer_region_ids


def member_list_for_employer(*, user) -> QuerySet[EmployerMember]:
    return EmployerMember.objects.filter(employer_id=employer_id_of(user)).select_related("user").order_by("joined_at", "pk")


# The company page lists this many of the latest invitations; every pending one is younger than a
# week, so at the hourly limits they can only fall off the list after a burst the limits allow.
INVITATION_LIST_LENGTH = 100


def invitation_list_for_employer(*, user) -> list[EmployerInvitation]:
    """The company's latest invitations, newest first, each with its `state` (pending, accepted,
    expired, revoked)."""
    return list(
        EmployerInvitation.objects.filter(employer_id=employer_id_of(user))
        .select_related("invited_by")
        .order_by("-created_at", "-pk")[:INVITATION_LIST_LENGTH]
    )


def invitation_for_member(*, user, pk: int) -> EmployerInvitation:
    """An invitation of the user's own company; another company's is a 404."""
    return get_object_or_404(EmployerInvitation.objects.filter(employer_id=employer_id_of(user)), pk=pk)


def open_invitation_by_token(*, token: str) -> EmployerInvitation | None:
    """The invitation a link names, while it has not been used; the token is the only credential.
    It may have expired or been revoked: the page then says so (`closed_reason`) instead of
    offering the form, and the service refuses it."""
    if not token:
        return None
    return EmployerInvitation.objects.select_related("employer").filter(token=token, accepted_at__isnull=True).first()


# Figures for eligibility


@dataclass(frozen=True)
class FiguresInForce:
    """The revenue and headcount that count on a date; `year` is None for figures with no
    statement in the history (a company made by an admin or a script)."""

    annual_revenue_rub: int | None
    average_headcount: int | None
    year: int | None


def figures_in_force(*, employer: Employer, at: dt.datetime, statements: list[EmployerFigures] | None = None) -> FiguresInForce:
    """The latest statement recorded at or before `at`. Before the first statement (a case
    submitted before the history began), the earliest statement; with no history at all, the
    company's own current figures, year unknown. `statements`: the company's, newest first, when
    already read (`figures_history`)."""
    if statements is None:
        statements = list(
            EmployerFigures.objects.filter(employer=employer).order_by("-recorded_at", "-pk").only(
                "year", "annual_revenue_rub", "average_headcount", "recorded_at"
            )
        )
    chosen = _statement_in_force(statements, at)
    if chosen is None:
        return FiguresInForce(employer.annual_revenue_rub, employer.average_headcount, None)
    return FiguresInForce(chosen.annual_revenue_rub, chosen.average_headcount, chosen.year)


def _statement_in_force(statements_newest_first: list[EmployerFigures], at: dt.datetime | None) -> EmployerFigures | None:
    """The rule check and the officer's page pick the statement alike: the latest recorded at or
    before `at` (None: now, the latest), else the earliest."""
    fallback = statements_newest_first[-1] if statements_newest_first else None
    return next((s for s in statements_newest_first if at is None or s.recorded_at <= at), fallback)


def figures_history(*, employer_id: int) -> QuerySet[EmployerFigures]:
    """Every statement of a company's figures, newest first, with who recorded it."""
    return EmployerFigures.objects.filter(employer_id=employer_id).select_related("recorded_by").order_by("-recorded_at", "-pk")


def figures_evidence_for_user(*, user, pk: int) -> EmployerFigures:
    """A statement whose evidence the user may download: a member of the company, an admin, or an
    officer of the region the company is registered in (who verifies it) or of a region where the
    company (or a company of its group) has submitted a case."""
    statements = EmployerFigures.objects.select_related("employer").exclude(evidence="")
    if not user.is_staff:
        own = Q(employer_id=employer_id_of(user)) if employer_id_of(user) else Q(pk__in=[])
        regions = officer_region_ids(user)
        filed_here = Exists(
            Application.objects.filter(region_id__in=regions)
            .exclude(status=Status.DRAFT)
            .filter(Q(employer_id=OuterRef("employer_id")) | Q(employer__group_head_id=OuterRef("employer_id")))
        )
        registered_here = Q(employer__region_id__in=regions)
        statements = statements.filter(own | registered_here | filed_here) if regions else statements.filter(own)
    return get_object_or_404(statements, pk=pk)


def figures_statements_of_case(application: Application) -> list[EmployerFigures]:
    """The statements of the company whose figures a case is judged on (the group head when the
    company names one), newest first: the rule check and the officer's panel read them once."""
    employer = application.employer
    return list(figures_history(employer_id=(employer.group_head or employer).pk))


def figures_history_for_case(
    application: Application, statements: list[EmployerFigures] | None = None
) -> tuple[Employer, list[EmployerFigures]]:
    """The officer's view of the figures a case is judged on: the company whose figures count (the
    group head when the company names one) and its statements (`figures_statements_of_case`);
    the one in force when the case was submitted is marked `in_force`."""
    employer = application.employer
    company = employer.group_head or employer
    if statements is None:
        statements = figures_statements_of_case(application)
    in_force = _statement_in_force(statements, application.submitted_at)
    for statement in statements:
        statement.in_force = statement is in_force
    return company, statements
