"""After an approval the employer reports, for each approved worker, when the worker arrived (a
moment, on the clocks of the zone of arrival), when the isolation began and ended, and, where
the region wants a PCR test after arrival, when it was taken. The dates go on through the federal labour service, so they
are checked here, whichever door they come through; the form repeats the same check to show
each problem next to its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from applications.models import Application, CaseWorker, WorkerOutcome
from applications.models.application import APPROVED_STATUSES
from applications.permissions import acts_for_employer
from applications.services.errors import TransitionRefused

REPORTING_STATUSES = APPROVED_STATUSES
# Workers travelled on charter flights booked weeks ahead; an arrival earlier than this before
# the planned date is a typing mistake, not an early flight.
EARLIEST_ARRIVAL_BEFORE_PLAN = dt.timedelta(days=30)

class ArrivalDates(NamedTuple):
    """One worker's report. The arrival and the test after it are instants (aware); the
    isolation dates are dates in the zone of arrival."""

    arrived_at: dt.datetime | None
    isolation_started_on: dt.date | None
    isolation_ended_on: dt.date | None
    arrival_test_taken_at: dt.datetime | None = None


def arrival_dates_errors(
    *, application: Application, arrived_at: dt.datetime | None, started_on: dt.date | None, ended_on: dt.date | None,
    test_taken_at: dt.datetime | None = None, today: dt.date | None = None, now: dt.datetime | None = None,
) -> dict[str, str]:
    """What is wrong with one worker's report, by field (arrived_on, isolation_started_on,
    isolation_ended_on, arrival_test_taken_at); empty when it may be recorded. No database
    access beyond the case's region (its zone of arrival)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    errors: dict[str, str] = {}
    arrived_on = arrived_at.astimezone(application.arrival_zone).date() if arrived_at is not None else None
    if arrived_on is not None:
        earliest = application.planned_arrival_date - EARLIEST_ARRIVAL_BEFORE_PLAN
        if arrived_on > today or arrived_at > now:
            errors["arrived_on"] = gettext("The arrival date cannot be in the future.")
        elif arrived_on < earliest:
            errors["arrived_on"] = gettext(
                "The arrival date is more than 30 days before the planned arrival (%(planned)s): check the date."
            ) % {"planned": date_format(application.planned_arrival_date, "SHORT_DATE_FORMAT")}
    if started_on is not None:
        if arrived_on is None:
            errors["arrived_on"] = gettext("Give the arrival date: the isolation begins on arrival or later.")
        elif started_on < arrived_on:
            errors["isolation_started_on"] = gettext("The isolation cannot begin before the worker arrived.")
        elif started_on > today:
            errors["isolation_started_on"] = gettext("The isolation start cannot be in the future.")
    if ended_on is not None:
        if started_on is None:
            errors["isolation_started_on"] = gettext("Give the date the isolation began before the date it ended.")
        elif ended_on < started_on:
            errors["isolation_ended_on"] = gettext("The isolation cannot end before it began.")
        elif ended_on > today:
            errors["isolation_ended_on"] = gettext("The isolation end cannot be in the future.")
    if test_taken_at is not None:
        if arrived_at is None:
            errors["arrived_on"] = gettext("Give the arrival: the test after arrival is counted from it.")
        elif test_taken_at < arrived_at:
            errors["arrival_test_taken_at"] = gettext("The test after arrival cannot be before the arrival.")
        elif test_taken_at > now:
            errors["arrival_test_taken_at"] = gettext("The PCR test cannot be in the future: check the date, the time and the time zone.")
    return errors


def isolation_shortfall(*, application: Application, started_on: dt.date | None, ended_on: dt.date | None) -> int | None:
    """How many days short of the guaranteed isolation a reported isolation is, or None.

    Counted from the start date to the end date: a 14-day isolation begun on the 1st ends on
    the 15th. A short isolation is worth a warning, not a refusal: a negative test may have
    released the worker early where the region allows it."""
    if started_on is None or ended_on is None:
        return None
    days = (ended_on - started_on).days
    return application.isolation_days - days if days < application.isolation_days else None


@transaction.atomic
def arrivals_report(
    *, application: Application, user, reports: Mapping[int, ArrivalDates], today: dt.date | None = None
) -> list[CaseWorker]:
    """Records the reports of approved workers: `reports` maps a line id to ArrivalDates (arrived
    at, isolation began on, isolation ended on, test after arrival taken at); None clears a
    value. Returns the lines that changed."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not acts_for_employer(user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if locked.status not in REPORTING_STATUSES:
        raise TransitionRefused(
            gettext("Arrivals can be reported only once the application is approved; it is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    lines = {line.pk: line for line in locked.lines.select_related("worker").filter(pk__in=list(reports))}
    changed = []
    zone = locked.arrival_zone
    for line_id, given in reports.items():
        arrived_at, started_on, ended_on, test_taken_at = ArrivalDates(*given)
        line = lines.get(line_id)
        if line is None:
            raise TransitionRefused(gettext("A reported worker is not on this application."))
        if line.outcome != WorkerOutcome.APPROVED:
            raise TransitionRefused(
                gettext("%(worker)s was not approved: no arrival can be reported.") % {"worker": line.worker.display_name}
            )
        errors = arrival_dates_errors(
            application=locked, arrived_at=arrived_at, started_on=started_on, ended_on=ended_on,
            test_taken_at=test_taken_at, today=today,
        )
        if errors:
            raise TransitionRefused(f"{line.worker.display_name}: {' '.join(errors.values())}")
        stored = (line.arrived_at, line.isolation_started_on, line.isolation_ended_on, line.arrival_test_taken_at)
        if stored == (arrived_at, started_on, ended_on, test_taken_at):
            continue
        line.set_arrival(arrived_at, zone)
        line.isolation_started_on, line.isolation_ended_on, line.arrival_test_taken_at = started_on, ended_on, test_taken_at
        changed.append(line)
    CaseWorker.objects.bulk_update(
        changed, ["arrived_at", "arrived_on", "isolation_started_on", "isolation_ended_on", "arrival_test_taken_at"]
    )
    return changed


@transaction.atomic
def arrivals_report_from_file(
    *, application: Application, user, reports: Mapping[int, ArrivalDates], addresses: Mapping[int, str],
    today: dt.date | None = None,
) -> list[CaseWorker]:
    """Records a file of arrivals: the dates as `arrivals_report` does (same checks, same lock),
    and each worker's isolation address (`addresses`: line id -> address, empty for the case's).
    One transaction: a row refused here refuses the whole file. Returns the lines that changed."""
    changed = {line.pk: line for line in arrivals_report(application=application, user=user, reports=reports, today=today)}
    lines = CaseWorker.objects.filter(application_id=application.pk, pk__in=list(addresses)).only("pk", "isolation_address")
    moved = []
    for line in lines:
        address = addresses[line.pk].strip()
        if line.isolation_address != address:
            line.isolation_address = address
            moved.append(line)
            changed.setdefault(line.pk, line)
    CaseWorker.objects.bulk_update(moved, ["isolation_address"])
    return list(changed.values())
