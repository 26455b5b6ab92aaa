"""Reads for the officers' work on companies: the queue of companies waiting for verification in
the officer's regions, a company's card, its history. A company belongs to the region it is
registered in (Employer.region, chosen at sign-up): that region's officers verify it, whichever
regions its cases are later filed in. Scoped to the officer's regions first: another region's
company is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from applications.models import Employer, EmployerEvent, EmployerMember, VerificationState
from applications.permissions import officer_regions_filter
from applications.validators import kind_number_errors, validate_inn, validate_ogrn

_STATE_FILTERS = {
    VerificationState.WAITING: {"verified_at__isnull": True, "refused_at__isnull": True},
    VerificationState.REFUSED: {"refused_at__isnull": False},
    VerificationState.VERIFIED: {"verified_at__isnull": False},
}


def _companies_of_officer(user) -> QuerySet[Employer]:
    if user.is_staff:
        return Employer.objects.all()
    return Employer.objects.filter(region_id__in=officer_regions_filter(user))


def company_list_for_officer(*, user, state: str = VerificationState.WAITING) -> QuerySet[Employer]:
    """The companies of the officer's regions in a verification state; waiting ones oldest first
    (first come, first served), the others latest first."""
    companies = (
        _companies_of_officer(user)
        .filter(**_STATE_FILTERS[VerificationState(state)])
        .select_related("region")
        .annotate(member_count=Count("members"))
    )
    if state == VerificationState.WAITING:
        return companies.order_by("created_at", "pk")
    return companies.order_by("-refused_at" if state == VerificationState.REFUSED else "-verified_at", "-pk")


def companies_waiting_count(user) -> int:
    """For the officer's menu: how many companies of their regions wait for verification."""
    return _companies_of_officer(user).filter(**_STATE_FILTERS[VerificationState.WAITING]).count()


def company_for_officer(*, user, pk: int) -> Employer:
    return get_object_or_404(_companies_of_officer(user).select_related("region", "verified_by"), pk=pk)


def company_members(*, employer_id: int) -> QuerySet[EmployerMember]:
    return EmployerMember.objects.filter(employer_id=employer_id).select_related("user").order_by("joined_at", "pk")


def company_history(*, employer_id: int) -> QuerySet[EmployerEvent]:
    """The company's history, oldest first, with who made each entry."""
    return EmployerEvent.objects.filter(employer_id=employer_id).select_related("actor").order_by("at", "pk")


@dataclass(frozen=True)
class NumberCheck:
    """The result of checking a registration number's check digit and its fit to the company's kind."""

    label: str
    value: str
    passed: bool
    message: str


def registration_number_checks(employer: Employer) -> list[NumberCheck]:
    """The INN and OGRN checked again as the officer opens the card (python-stdnum and the
    kind's lengths): a company an admin typed in, or one made before a check existed, may fail."""
    kind_errors = kind_number_errors(employer.kind, employer.inn, employer.ogrn)
    checks = []
    for label, value, validate, field in (
        (gettext("INN"), employer.inn, validate_inn, "inn"),
        (gettext("OGRN / OGRNIP"), employer.ogrn, validate_ogrn, "ogrn"),
    ):
        try:
            validate(value)
        except ValidationError as error:
            checks.append(NumberCheck(label, value, False, " ".join(error.messages)))
            continue
        if field in kind_errors:
            checks.append(NumberCheck(label, value, False, " ".join(kind_errors[field].messages)))
        else:
            checks.append(NumberCheck(label, value, True, gettext("Check digit correct; fits the kind of company.")))
    return checks
