"""The employer's declaration of its guarantees, ticked on the "check your answers" page before
a case is submitted and kept, in the words shown, with the submission (StatusChange.declaration).

The special procedure let a foreign worker in only against the employer's guarantees, at its own
expense: a negative PCR test before the journey, transport from the border to the place of
isolation, isolation on arrival, housing and medical insurance.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from applications.models import Application


def submission_declaration(application: Application, *, workers: int) -> str:
    """The declaration for `application` with `workers` workers, in the active language.
    Expects the case's employer and region fetched."""
    employer = application.employer
    address = application.isolation_address.strip()
    guarantees = ngettext(
        "for its %(count)d worker on this application",
        "for each of its %(count)d workers on this application",
        workers,
    ) % {"count": workers}
    days = application.isolation_days
    if address:
        isolation = ngettext(
            "isolation on arrival for %(days)d day at %(address)s", "isolation on arrival for %(days)d days at %(address)s", days
        ) % {"days": days, "address": address}
    else:
        isolation = ngettext(
            "isolation on arrival for %(days)d day at the address given in the application",
            "isolation on arrival for %(days)d days at the address given in the application",
            days,
        ) % {"days": days}
    return gettext(
        "On behalf of %(company)s (INN %(inn)s) I declare that the information in application %(reference)s is true, "
        "and that the company guarantees, at its own expense, %(guarantees)s: a negative PCR test for COVID-19 taken "
        "within the time the rules of %(region)s require before arrival; transport from the border crossing to the "
        "place of isolation; %(isolation)s; housing for the time of the work; "
        "and medical insurance."
    ) % {
        "company": employer.name, "inn": employer.inn, "reference": application.reference, "guarantees": guarantees,
        "region": application.region.name, "isolation": isolation,
    }
