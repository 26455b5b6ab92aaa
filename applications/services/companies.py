"""Companies: verification by an admin or an officer of the company's region."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Employer
from applications.permissions import officer_region_ids
from applications.services.errors import TransitionRefused


def employer_verify(*, employer: Employer, user) -> Employer:
    """An admin, or an officer of the employer's region, confirms the company is who it says."""
    if not (user.is_staff or employer.region_id in officer_region_ids(user)):
        raise TransitionRefused(gettext("Only an admin or an officer of the company's region can verify it."))
    with transaction.atomic():
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        if locked.verified_at is None:
            locked.verified_at, locked.verified_by = timezone.now(), user
            locked.save(update_fields=["verified_at", "verified_by"])
    return locked
