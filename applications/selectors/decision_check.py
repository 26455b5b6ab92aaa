"""The public check of a decision letter: what anyone holding the letter may confirm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from applications.decision_record import normalise_code
from applications.models import Decision, WorkerOutcome


@dataclass(frozen=True)
class CheckedDecision:
    """Only what the letter's public check shows: no names, no passports."""

    reference: str
    outcome: str
    decided_on: dt.date
    region_name_ru: str
    region_name_en: str
    company_name: str
    company_inn: str
    workers: int
    approved: int
    # Workers whose personal data the retention job removed (the counts above still hold).
    redacted: int


def decision_for_code(code: str) -> CheckedDecision | None:
    """The decision whose letter carries `code`, or None; a wrong code and a malformed one look
    the same to the person asking."""
    code = normalise_code(code)
    if len(code) != 19:
        return None
    decision = (
        Decision.objects.filter(verification_code=code)
        .annotate(
            worker_count=Count("workers"),
            approved_count=Count("workers", filter=Q(workers__outcome=WorkerOutcome.APPROVED)),
            redacted_count=Count("workers", filter=Q(workers__redacted_at__isnull=False)),
        )
        .first()
    )
    if decision is None:
        return None
    case = decision.case_particulars
    return CheckedDecision(
        reference=case["reference"],
        outcome=decision.get_outcome_display(),
        decided_on=timezone.localdate(decision.decided_at, ZoneInfo(case["region"]["time_zone"])),
        region_name_ru=case["region"]["name_ru"],
        region_name_en=case["region"]["name_en"],
        company_name=decision.company_name,
        company_inn=decision.company_inn,
        workers=decision.worker_count,
        approved=decision.approved_count,
        redacted=decision.redacted_count,
    )
