"""Who may do what. Views pass these flags to templates; services call them too, so a rule is
enforced in one place whichever door a request comes through."""

from zoneinfo import ZoneInfo

from django.conf import settings

from applications.models import Application, Document, Status
from portal.accounts.models import Role


def employer_id_of(user) -> int | None:
    """The employer a user works for, or None (officers, admins, users without a company)."""
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return None
    membership = getattr(user, "employer_membership", None)
    return membership.employer_id if membership else None


def officer_region_ids(user) -> frozenset[int]:
    """The regions an officer works for; cached on the user object for the request."""
    if not user.is_authenticated or user.role != Role.OFFICER:
        return frozenset()
    if not hasattr(user, "_officer_region_ids"):
        # Their clocks come in the same query, for the pages that tell the officer a time.
        regions = list(user.officer_regions.values_list("pk", "time_zone"))
        user._officer_region_ids = frozenset(pk for pk, _zone in regions)
        user._officer_time_zones = frozenset(zone for _pk, zone in regions)
    return user._officer_region_ids


def officer_time_zone(user) -> ZoneInfo:
    """The clock the officer works by: that of their regions when they share one, else the
    portal's (Moscow's) for a reviewer of regions in several zones."""
    officer_region_ids(user)
    zones = getattr(user, "_officer_time_zones", frozenset())
    return ZoneInfo(next(iter(zones))) if len(zones) == 1 else ZoneInfo(settings.TIME_ZONE)


def remember_officer_regions(user, region_ids) -> None:
    """The officer's regions read by another query (the case page's): officer_region_ids answers
    from them for the rest of the request."""
    if user.is_authenticated and user.role == Role.OFFICER:
        user._officer_region_ids = frozenset(region_ids)


def officer_regions_filter(user):
    """The officer's regions as the right side of a `region_id__in` filter: the ids when this
    request has read them already, else a subquery, so a page that needs them only to scope its
    queries spends no query of its own on them."""
    if not user.is_authenticated or user.role != Role.OFFICER:
        return frozenset()
    if hasattr(user, "_officer_region_ids"):
        return user._officer_region_ids
    return user.officer_regions.values("pk")


def acts_for_employer(user, application) -> bool:
    return employer_id_of(user) == application.employer_id and application.employer_id is not None


def acts_for_region(user, application) -> bool:
    return application.region_id in officer_region_ids(user)


def can_delete_document(user, document: Document, application: Application) -> bool:
    """An employer's member may remove a file they uploaded while the case is still a draft."""
    return (
        application.status == Status.DRAFT
        and document.uploaded_by_id == getattr(user, "pk", None)
        and acts_for_employer(user, application)
    )
