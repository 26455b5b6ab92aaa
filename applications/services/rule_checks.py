"""Keeping each pending case's "fails a blocking check" flag true to the rules in force.

The flag lets the queue filter on it in SQL. It is refreshed when a case is submitted or an
answer comes back, and for every pending case of a region when the region's rules change.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from applications.models.application import PENDING_STATUSES
from applications.selectors import case_rule_check
from applications.selectors.people import pending_cases_sharing_people
from applications.selectors.review import forget_queue_counts
from applications.selectors.rule_versions import pending_cases_under_rule_version
from regions.rules import blocking_failures


def application_refresh_rule_check(application: Application, *, today: dt.date | None = None) -> bool:
    """Re-runs the check and stores whether a blocking rule fails; returns that flag."""
    rule_set, checks = case_rule_check(application, today=today)
    application.rule_check_failing = bool(blocking_failures(checks))
    application.rule_check_at = timezone.now()
    # The version the stored check read: once the case is not a draft, it freezes that version.
    application.rule_set_checked = rule_set
    Application.objects.filter(pk=application.pk).update(
        rule_check_failing=application.rule_check_failing, rule_check_at=application.rule_check_at,
        rule_set_checked=rule_set,
    )
    return application.rule_check_failing


def recheck_pending_cases(*, region_id: int, today: dt.date | None = None) -> int:
    """After a rule change: re-checks the region's pending cases; returns how many now fail."""
    pending = Application.objects.filter(region_id=region_id, status__in=PENDING_STATUSES).select_related("region", "employer__group_head")
    failing = sum(application_refresh_rule_check(application, today=today) for application in pending.iterator(chunk_size=500))
    # The queue's "fails a blocking rule check" filter counts differently now.
    transaction.on_commit(partial(forget_queue_counts, region_id))
    return failing


def recheck_cases_sharing_people(*, application_id: int, today: dt.date | None = None) -> int:
    """After a case changed state (submitted, withdrawn, decided, answered): the other pending
    cases listing one of its people, in any company or region, may have gained or lost an
    overlap with it; their flags are refreshed. Returns how many of them now fail."""
    failing, regions = 0, set()
    for application in pending_cases_sharing_people(application_id=application_id):
        failing += application_refresh_rule_check(application, today=today)
        regions.add(application.region_id)
    for region_id in regions:
        transaction.on_commit(partial(forget_queue_counts, region_id))
    return failing


def mark_cases_under_rule_version(*, rule_set) -> int:
    """Marks for a re-check (rule_check_at cleared) the undecided cases `rule_set` applies to;
    returns how many. Called when the version is published, inside that transaction."""
    return pending_cases_under_rule_version(rule_set=rule_set).update(rule_check_at=None)


def recheck_marked_cases(*, today: dt.date | None = None, region_id: int | None = None) -> tuple[int, int]:
    """Re-checks the undecided cases marked for it (rule_check_at cleared, e.g. by migration
    0009 when the PCR age became exact, or by a rule version's publication), of one region or
    all; returns (how many, how many now fail). Each case is refreshed on its own, so an
    interrupted run resumes where it stopped."""
    marked = Application.objects.filter(status__in=PENDING_STATUSES, rule_check_at__isnull=True).select_related(
        "region", "employer__group_head"
    )
    if region_id is not None:
        marked = marked.filter(region_id=region_id)
    checked = failing = 0
    regions = set()
    for application in marked.iterator(chunk_size=500):
        failing += application_refresh_rule_check(application, today=today)
        checked += 1
        regions.add(application.region_id)
    for region_id in regions:
        forget_queue_counts(region_id)
    return checked, failing
