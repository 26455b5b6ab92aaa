"""The company's own details (name, legal address, phone), changed by its members; every change
is kept in the company's history with the old and the new values. The INN, OGRN and region are
the company's identity and stay as verified: a change of them is an admin's."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from applications.models import Employer, EmployerEvent, EmployerEventAction
from applications.permissions import employer_id_of
from applications.services.errors import TransitionRefused

EDITABLE_DETAILS = ("name", "legal_address", "phone")


def employer_details_update(*, employer: Employer, user, **fields) -> dict[str, list[str]]:
    """Changes the details given (of EDITABLE_DETAILS); returns what changed, {field: [old, new]}
    (empty: nothing did, and nothing is recorded). Raises ValidationError keyed by field."""
    if employer_id_of(user) != employer.pk:
        raise TransitionRefused(gettext("Only a member of the company can change its details."))
    unknown = set(fields) - set(EDITABLE_DETAILS)
    if unknown:
        raise TypeError(f"not a company detail a member may change: {sorted(unknown)}")
    with transaction.atomic():
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        changes = {}
        for name, value in fields.items():
            value = value.strip()
            old = getattr(locked, name)
            if value != old:
                changes[name] = [old, value]
                setattr(locked, name, value)
        if not changes:
            return {}
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save(update_fields=list(changes))
        state = locked.verification_state
        EmployerEvent.objects.create(
            employer=locked, action=EmployerEventAction.DETAILS, from_state=state, to_state=state, actor=user, changes=changes
        )
    return changes
