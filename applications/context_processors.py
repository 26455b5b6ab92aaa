"""What the menu shows on every page: for an officer, how many companies of their regions wait
for verification. Handed to the template as a function, so only a page that draws the officer's
menu counts (one indexed COUNT, employer_waiting_verification)."""

from __future__ import annotations

from functools import partial

from applications.selectors.company_review import companies_waiting_count
from portal.accounts.models import Role


def officer_work(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.OFFICER:
        return {}
    return {"companies_waiting": partial(companies_waiting_count, user)}
