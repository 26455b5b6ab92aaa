"""The rule check: one pure function from a case's facts and a region's rule version to checks.

It serves the employer's live panel (before submitting), the officer's case page and the
decision record. No database access here: the caller gathers the facts (applications.selectors.
case_facts) and the rule version in force, so the function is tested with plain objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from regions import check_messages
from regions.models import CitizenshipPolicy, EligibilityThreshold, KindsAccepted, PcrTestTiming, RuleSet

MOSCOW = ZoneInfo("Europe/Moscow")
NOON = dt.time(12, 0)


@dataclass(frozen=True)
class EarlierArrival:
    """The worker's latest arrival reported on an earlier case of the same employer."""

    reference: str
    arrived_on: dt.date


@dataclass(frozen=True)
class EarlierPermit:
    """A work permit or patent the employer declared for the worker in its registry."""

    kind: str  # "permit" or "patent" (applications.models.EarlierPermitKind)
    number: str
    issued_on: dt.date
    # The region's name in both languages ({"ru": ..., "en": ...}), or one string.
    region_name: str | dict
    has_scan: bool


@dataclass(frozen=True)
class OtherLiveCase:
    """Another live application listing the same person (citizenship and passport key): pending
    (submitted, in review, information requested), or approved for that person who has not
    arrived yet. Another company's case is named by its reference only."""

    reference: str
    arrival_date: dt.date
    own_company: bool


@dataclass(frozen=True)
class WorkerFacts:
    name: str
    citizenship: str
    passport_expiry: dt.date
    pcr_test_taken_at: dt.datetime | None
    # The worker's line on the case, so a failing check can be traced to the worker it is about
    # (the approval refuses or overrides per worker). None for facts built outside a case.
    line_id: int | None = None
    # Evidence of earlier work for this employer (checked when the application brings workers back).
    earlier_arrival: EarlierArrival | None = None
    earlier_permits: Sequence[EarlierPermit] = ()
    # The person's other live applications arriving near this one (the check keeps those within
    # the isolation period of the rules in force).
    other_live_cases: tuple[OtherLiveCase, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    # The region's name in both languages ({"ru": ..., "en": ...}, as checks keep it), or one string.
    region_name: str | dict
    arrival_date: dt.date
    activity_okved: str
    transport_to_isolation: bool
    isolation_address: str
    isolation_days: int
    insurance_policy: str
    charter_transport_agreed: bool
    vaccination_booked: bool
    # The figures that count for eligibility: the employer's own, or its group head's.
    employer_annual_revenue_rub: int | None
    employer_average_headcount: int | None
    workers: Sequence[WorkerFacts]
    # Workers already approved for this region with arrival in the same month.
    approved_in_arrival_month: int
    # The application's kind is "bring back former workers" (each needs evidence of earlier work).
    returning_workers: bool = False
    # The year the eligibility figures above are for (None: not known), and the day they are
    # judged on: the submission day, or today for a draft (None: today).
    employer_figures_year: int | None = None
    figures_as_of: dt.date | None = None
    # The planned arrival as an instant (aware), for the PCR test's exact age. `arrival_date` is
    # its local date in the zone of arrival, for the date rules (passport, rules in force, quota).
    # None for facts built without one: the age is then counted to noon of `arrival_date`, Moscow.
    arrival_at: dt.datetime | None = None


@dataclass(frozen=True)
class Check:
    """One check, as data: what it is about (`code`), its outcome and its parameters. Its text is
    rendered when read, in the reader's language (regions.check_messages), never frozen."""

    code: str
    passed: bool
    blocking: bool
    # Plain JSON: what the sentence names, as it stood when the check ran (see check_messages).
    params: dict = field(default_factory=dict)
    # The worker's line this check is about; None for a check of the whole case.
    line_id: int | None = None
    # A check stored before checks kept their parameters: its text as written then, shown as is.
    legacy_text: str | None = None

    def as_dict(self) -> dict:
        stored = {"code": self.code, "passed": self.passed, "blocking": self.blocking}
        if self.legacy_text is not None:
            stored["message"] = self.legacy_text
        else:
            stored["params"] = dict(self.params)
        stored["line_id"] = self.line_id
        return stored

    @classmethod
    def from_dict(cls, stored: dict) -> Check:
        """A check as stored with a case, a decision or an override: with its parameters, or in
        the older shape with its text only."""
        if "params" in stored:
            params, legacy_text = stored["params"] or {}, None
        else:
            params, legacy_text = {}, stored.get("message", "")
        return cls(
            code=stored["code"], passed=stored["passed"], blocking=stored["blocking"], params=params,
            line_id=stored.get("line_id"), legacy_text=legacy_text,
        )

    @property
    def text(self) -> str:
        """What the check says, for a person to read, in the active language."""
        if self.legacy_text is not None:
            return self.legacy_text
        return check_messages.render(self.code, self.passed, self.params)


def blocking_failures(checks: Sequence[Check]) -> list[Check]:
    return [check for check in checks if check.blocking and not check.passed]


def check_case(
    facts: CaseFacts,
    rules: RuleSet | None,
    threshold: EligibilityThreshold | None,
    today: dt.date,
) -> list[Check]:
    """Every check of the case against the rules; blocking failures prevent submitting."""
    checks = [_arrival_in_future(facts, today), *_employer_eligible(facts, threshold, today), _has_workers(facts)]
    if rules is None:
        checks.append(Check("rules.in_force", False, True, {"region": facts.region_name, "date": _iso(facts.arrival_date)}))
        return checks
    checks += [
        _intake_open(facts, rules),
        *_kind_accepted(facts, rules),
        *_max_workers(facts, rules),
        *_activity_open(facts, rules),
        _transport(facts),
        *_charter(facts, rules),
        _isolation_days(facts, rules),
        *_isolation_until_result(rules),
        *_isolation_housing(facts, rules),
        *_insurance(facts, rules),
        *_vaccination(facts, rules),
        *_quota(facts, rules),
    ]
    for worker in facts.workers:
        checks += [
            *_citizenship(worker, rules),
            _passport_valid(worker, facts),
            *_pcr_test(worker, facts, rules),
            *_on_other_live_cases(worker, facts, rules),
        ]
    checks += _earlier_work_of_workers(facts)
    return checks


def _iso(value: dt.date) -> str:
    """A date as a check keeps it; shown in the reader's format (check_messages)."""
    return value.isoformat()


def _arrival_in_future(facts: CaseFacts, today: dt.date) -> Check:
    return Check("arrival.in_future", facts.arrival_date > today, True, {"date": _iso(facts.arrival_date)})


def _employer_eligible(facts: CaseFacts, threshold: EligibilityThreshold | None, today: dt.date | None = None) -> list[Check]:
    recent = _figures_recent(facts, today)
    if threshold is None:
        return recent
    if facts.employer_annual_revenue_rub is None or facts.employer_average_headcount is None:
        return [Check("employer.figures", False, True), *recent]
    revenue_ok = facts.employer_annual_revenue_rub >= threshold.min_annual_revenue_rub
    headcount_ok = facts.employer_average_headcount >= threshold.min_average_headcount
    return [
        Check(
            "employer.revenue", revenue_ok, True,
            {"revenue": facts.employer_annual_revenue_rub, "min_revenue": threshold.min_annual_revenue_rub},
        ),
        Check(
            "employer.headcount", headcount_ok, True,
            {"headcount": facts.employer_average_headcount, "min_headcount": threshold.min_average_headcount},
        ),
        *recent,
    ]


def _figures_recent(facts: CaseFacts, today: dt.date | None) -> list[Check]:
    """Advisory: figures for a year that ended more than a year before the day they are judged
    on. A year Y ends on 31 December Y, so that is exactly Y < (that day's year) - 1: on any day
    of 2021, figures for 2020 are current and figures for 2019 are old."""
    if facts.employer_figures_year is None:
        return []
    as_of = facts.figures_as_of or today
    if as_of is None:
        return []
    year = facts.employer_figures_year
    if year < as_of.year - 1:
        return [Check("employer.figures_recent", False, False, {"year": year, "date": _iso(as_of), "expected": as_of.year - 1})]
    return [Check("employer.figures_recent", True, False, {"year": year})]


def _has_workers(facts: CaseFacts) -> Check:
    count = len(facts.workers)
    if count:
        return Check("workers.listed", True, True, {"count": count})
    return Check("workers.listed", False, True)


def _intake_open(facts: CaseFacts, rules: RuleSet) -> Check:
    if rules.intake_open:
        return Check("intake.open", True, True, {"region": facts.region_name})
    return Check("intake.open", False, True, {"region": facts.region_name, "date": _iso(rules.effective_from)})


def _max_workers(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    limit = rules.max_workers_per_application
    if limit is None:
        return []
    count = len(facts.workers)
    return [
        Check("workers.max_per_application", count <= limit, True, {"count": count, "limit": limit, "region": facts.region_name})
    ]


def _activity_open(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.closed_activities:
        return []
    if not facts.activity_okved:
        return [Check("activity.closed", False, True, {"variant": "missing", "region": facts.region_name})]
    closed = next((code for code in rules.closed_activities if _okved_within(facts.activity_okved, code)), None)
    if closed is None:
        return [Check("activity.closed", True, True, {"code": facts.activity_okved})]
    return [Check("activity.closed", False, True, {"code": facts.activity_okved, "closed": closed, "region": facts.region_name})]


def _okved_within(code: str, closed_prefix: str) -> bool:
    """OKVED codes nest by dotted groups: 47.71 lies within 47.7 and 47, not within 4.7."""
    code_parts, prefix_parts = code.strip().split("."), closed_prefix.strip().split(".")
    if len(code_parts) < len(prefix_parts):
        return False
    return all(
        part == prefix if index < len(prefix_parts) - 1 else part.startswith(prefix)
        for index, (part, prefix) in enumerate(zip(code_parts, prefix_parts))
    )


def _transport(facts: CaseFacts) -> Check:
    return Check("guarantee.transport", facts.transport_to_isolation, True)


def _charter(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.charter_transport_required:
        return []
    if facts.charter_transport_agreed:
        return [Check("guarantee.charter", True, True)]
    return [Check("guarantee.charter", False, True, {"region": facts.region_name})]


def _isolation_days(facts: CaseFacts, rules: RuleSet) -> Check:
    passed = facts.isolation_days >= rules.isolation_days
    params = {"days": facts.isolation_days, "required": rules.isolation_days, "region": facts.region_name}
    return Check("guarantee.isolation_days", passed, True, params)


def _isolation_until_result(rules: RuleSet) -> list[Check]:
    if not rules.isolation_until_test_result:
        return []
    return [Check("isolation.until_test_result", True, False)]


def _isolation_housing(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.isolation_housing_required:
        return []
    if facts.isolation_address.strip():
        return [Check("guarantee.housing", True, True, {"address": facts.isolation_address})]
    return [Check("guarantee.housing", False, True)]


def _insurance(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.insurance_required:
        return []
    if facts.insurance_policy.strip():
        return [Check("guarantee.insurance", True, True, {"policy": facts.insurance_policy})]
    return [Check("guarantee.insurance", False, True)]


def _vaccination(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.vaccination_required:
        return []
    if facts.vaccination_booked:
        return [Check("guarantee.vaccination", True, True)]
    return [Check("guarantee.vaccination", False, True, {"region": facts.region_name})]


def _quota(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    # Advisory here: the quota is enforced, under a lock, when an officer approves.
    quota = rules.monthly_worker_quota
    if quota is None:
        return []
    asked = len(facts.workers)
    left = max(quota - facts.approved_in_arrival_month, 0)
    params = {
        "quota": quota, "used": facts.approved_in_arrival_month, "left": left, "asked": asked,
        "month": facts.arrival_date.strftime("%Y-%m"),
    }
    return [Check("quota.monthly", asked <= left, False, params)]


def _citizenship(worker: WorkerFacts, rules: RuleSet) -> list[Check]:
    policy = rules.citizenship_policy
    if policy == CitizenshipPolicy.ALL:
        return []
    listed = worker.citizenship in rules.citizenships
    passed = listed if policy == CitizenshipPolicy.ONLY_LISTED else not listed
    # The ISO code: the country is named in the reader's language when shown.
    params = {"worker": worker.name, "country": worker.citizenship}
    return [Check("worker.citizenship", passed, True, params, line_id=worker.line_id)]


def _passport_valid(worker: WorkerFacts, facts: CaseFacts) -> Check:
    passed = worker.passport_expiry > facts.arrival_date
    params = {"worker": worker.name, "date": _iso(worker.passport_expiry)}
    return Check("worker.passport", passed, True, params, line_id=worker.line_id)


def _pcr_test(worker: WorkerFacts, facts: CaseFacts, rules: RuleSet) -> list[Check]:
    limit = rules.pcr_max_age_hours
    params = {"worker": worker.name, "limit": limit, "region": facts.region_name}
    if rules.pcr_test_timing == PcrTestTiming.AFTER_ARRIVAL:
        return [Check("worker.pcr_test", True, False, {**params, "variant": "after_arrival"}, line_id=worker.line_id)]
    if worker.pcr_test_taken_at is None:
        if rules.pcr_test_timing == PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL:
            return [Check("worker.pcr_test", True, False, {**params, "variant": "accepted_after_arrival"}, line_id=worker.line_id)]
        return [Check("worker.pcr_test", False, True, {**params, "variant": "missing"}, line_id=worker.line_id)]

    # The age is the exact time between the two instants, whatever zones they were entered in.
    age = _arrival_instant(facts) - worker.pcr_test_taken_at
    if age < dt.timedelta(0):
        # Shown rounded up: a test 30 seconds after the arrival is "0 h 01 min after", never "0 h 00 min".
        return [
            Check(
                "worker.pcr_test", False, True,
                {**params, "variant": "taken_after_arrival", "age": whole_minutes(-age, ceiling=True)}, line_id=worker.line_id,
            )
        ]
    if age <= dt.timedelta(hours=limit):
        return [Check("worker.pcr_test", True, True, {**params, "age": whole_minutes(age)}, line_id=worker.line_id)]
    # A failing age is rounded up, so 72 h 00 min 30 s reads "72 h 01 min", never like a pass.
    return [Check("worker.pcr_test", False, True, {**params, "age": whole_minutes(age, ceiling=True)}, line_id=worker.line_id)]


def _kind_accepted(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    # A closed intake is the intake.open check; this one says which kind an open intake takes.
    if not rules.intake_open or rules.kinds_accepted != KindsAccepted.RETURNING_ONLY:
        return []
    if facts.returning_workers:
        return [Check("intake.kind", True, True, {"region": facts.region_name})]
    return [Check("intake.kind", False, True, {"region": facts.region_name, "date": _iso(rules.effective_from)})]


def _standing_evidence(worker: WorkerFacts) -> EarlierArrival | EarlierPermit | None:
    """An arrival on an earlier case of the employer, else a declared permit with its scan."""
    if worker.earlier_arrival is not None:
        return worker.earlier_arrival
    return next((permit for permit in worker.earlier_permits if permit.has_scan), None)


def _evidence_params(worker: WorkerFacts, evidence: EarlierArrival | EarlierPermit) -> dict:
    if isinstance(evidence, EarlierArrival):
        return {"variant": "arrived", "worker": worker.name, "reference": evidence.reference, "date": _iso(evidence.arrived_on)}
    return {
        "variant": "patent" if evidence.kind == "patent" else "permit",
        "worker": worker.name, "number": evidence.number, "date": _iso(evidence.issued_on), "region": evidence.region_name,
    }


def _missing_evidence_params(worker: WorkerFacts) -> dict:
    """What to do for a worker with no evidence standing: add the scan of a declared permit, or
    declare one (or switch the application to new workers)."""
    unscanned = next(iter(worker.earlier_permits), None)
    if unscanned is None:
        return {"variant": "none", "worker": worker.name}
    variant = "patent_without_scan" if unscanned.kind == "patent" else "permit_without_scan"
    return {"variant": variant, "worker": worker.name, "number": unscanned.number}


def _earlier_work_of_workers(facts: CaseFacts) -> list[Check]:
    """For returning workers, the evidence standing for each worker (or a blocking failure);
    and advice to switch the kind when the workers' history says the other kind."""
    standing = [(worker, _standing_evidence(worker)) for worker in facts.workers]
    without = [worker for worker, evidence in standing if evidence is None]
    checks = []
    if facts.returning_workers:
        for worker, evidence in standing:
            if evidence is not None:
                checks.append(Check("worker.earlier_work", True, True, _evidence_params(worker, evidence), line_id=worker.line_id))
            else:
                checks.append(Check("worker.earlier_work", False, True, _missing_evidence_params(worker), line_id=worker.line_id))
        if without:
            params = {"variant": "new_workers", "count": len(without), "total": len(facts.workers)}
            checks.append(Check("kind.advice", False, False, params))
    elif facts.workers and not without:
        checks.append(Check("kind.advice", False, False, {"variant": "returning_workers"}))
    return checks


def _on_other_live_cases(worker: WorkerFacts, facts: CaseFacts, rules: RuleSet) -> list[Check]:
    """One person is approved once for the same time: another live application arriving less
    than the isolation period away (14 days: arrivals 14 days apart do not overlap, 13 do)."""
    period = dt.timedelta(days=rules.isolation_days)
    checks = []
    for other in worker.other_live_cases:
        if abs(other.arrival_date - facts.arrival_date) >= period:
            continue
        if other.own_company:
            params = {
                "variant": "own_company", "worker": worker.name, "reference": other.reference,
                "date": _iso(other.arrival_date), "days": rules.isolation_days,
            }
        else:
            # Another company's case: its reference only, nothing of its company or its content.
            params = {"variant": "other_company", "worker": worker.name, "reference": other.reference, "days": rules.isolation_days}
        checks.append(Check("worker.overlap", False, True, params, line_id=worker.line_id))
    return checks


def _arrival_instant(facts: CaseFacts) -> dt.datetime:
    if facts.arrival_at is not None:
        return facts.arrival_at
    return dt.datetime.combine(facts.arrival_date, NOON, tzinfo=MOSCOW)


def whole_minutes(duration: dt.timedelta, *, ceiling: bool = False) -> int:
    """Whole minutes, floored, or rounded up with `ceiling` (for an age that fails a limit, so it
    can never read as the limit itself)."""
    seconds = int(duration.total_seconds())
    return -(-seconds // 60) if ceiling else seconds // 60


def format_duration(duration: dt.timedelta, *, ceiling: bool = False) -> str:
    """"71 h 30 min", in the active language (see `whole_minutes`)."""
    return check_messages.duration_text(whole_minutes(duration, ceiling=ceiling))


def check_test_after_arrival(
    *, worker_name: str, region_name: str | dict, arrived_at: dt.datetime, taken_at: dt.datetime | None, rules: RuleSet | None,
    line_id: int | None = None,
) -> Check | None:
    """Where the region wants (or accepts) a PCR test within N hours after arrival: the test the
    employer reports against the actual arrival, exactly as the test before arrival is checked
    against the planned one. None when the rules ask for no such test or none is reported."""
    if rules is None or rules.pcr_test_timing == PcrTestTiming.BEFORE_ARRIVAL or taken_at is None:
        return None
    limit = rules.pcr_max_age_hours
    after = taken_at - arrived_at
    params = {"worker": worker_name, "limit": limit, "region": region_name}
    if after < dt.timedelta(0):
        params |= {"variant": "taken_before_arrival", "age": whole_minutes(-after, ceiling=True)}
        return Check("worker.pcr_test_after_arrival", False, True, params, line_id=line_id)
    if after <= dt.timedelta(hours=limit):
        return Check("worker.pcr_test_after_arrival", True, True, {**params, "age": whole_minutes(after)}, line_id=line_id)
    return Check("worker.pcr_test_after_arrival", False, True, {**params, "age": whole_minutes(after, ceiling=True)}, line_id=line_id)
