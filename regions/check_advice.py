"""What to do about a failed check, per rule code: one sentence under the failure, so the reader of
a rule check knows the next step (the check's own message says what is wrong).

The advice names the change the application needs; an officer reads it as what to ask the
employer for. A code without advice here shows its message alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Keyed by "code" or, where a code's failures need different steps, "code:variant".
ADVICE = {
    "rules.in_force": _("Choose an arrival date on which the region has rules in force, or wait for the region to publish them."),
    "arrival.in_future": _("Change the planned arrival to a later date."),
    "employer.figures": _("Enter the company's yearly revenue and average headcount on the company page."),
    "employer.revenue": _("Only a company with the minimum revenue may file; a group's head company may file for the group."),
    "employer.headcount": _("Only a company with the minimum headcount may file; a group's head company may file for the group."),
    "employer.figures_recent": _("Update the company's figures on the company page with those of the last full year."),
    "workers.listed": _("Add workers from the registry or import them from a file."),
    "intake.open": _("Wait until the region reopens its intake; the application cannot be approved until then."),
    "intake.kind": _("Switch the application to bringing back former workers, or file in another region."),
    "workers.max_per_application": _("Split the application into several, each within the limit."),
    "activity.closed": _("Check the activity's OKVED code; work in a closed activity cannot be approved in this region."),
    "activity.closed:missing": _("Enter the activity's OKVED code in the application."),
    "guarantee.transport": _("Tick the transport guarantee in the application."),
    "guarantee.charter": _("Agree the charter transport with the regional headquarters, then tick it in the application."),
    "guarantee.isolation_days": _("Raise the guaranteed isolation to at least the region's number of days."),
    "guarantee.housing": _("Enter the isolation address in the application."),
    "guarantee.insurance": _("Enter the medical insurance policy in the application."),
    "guarantee.vaccination": _("Book vaccination for the list, then tick it in the application."),
    "quota.monthly": _("Plan the arrival for a later month, or list fewer workers."),
    "worker.citizenship": _("Remove this worker from the application: the region does not accept their citizenship."),
    "worker.passport": _("Enter the worker's new passport in the registry, or remove the worker from the application."),
    "worker.pcr_test": _("Enter a PCR test taken within the region's limit before arrival, or move the arrival."),
    "worker.pcr_test:missing": _("Enter the date and time of the worker's PCR test."),
    "worker.pcr_test_after_arrival": _("Report a PCR test taken within the region's limit after arrival."),
    "worker.earlier_work": _(
        "Declare the worker's earlier permit or patent with its scan in the registry, or switch the application to new workers."
    ),
    "worker.overlap": _("Remove the worker from one of the applications."),
    "kind.advice": _("Check the kind of the application matches the workers' history."),
}


def advice_for(code: str, params: dict | None = None) -> str:
    """The advice for a failure of `code` (its variant's own, if it has one), or ""."""
    variant = (params or {}).get("variant")
    text = ADVICE.get(f"{code}:{variant}") if variant else None
    if text is None:
        text = ADVICE.get(code, "")
    return str(text)
