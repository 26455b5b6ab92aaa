"""The rule check: one pure function from a case's facts and a region's rule version to checks.

It serves the employer's live panel (before submitting), the officer's case page and the
decision record. No database access here: the caller gathers the facts (applications.selectors.
case_facts) and the rule version in force, so the function is tested with plain objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.countries import country_name
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
    region_name: str
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
    region_name: str
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
    code: str
    passed: bool
    blocking: bool
    message: str
    # The worker's line this check is about; None for a check of the whole case.
    line_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, stored: dict) -> Check:
        """A check as stored with a case, a decision or an override."""
        return cls(
            code=stored["code"], passed=stored["passed"], blocking=stored["blocking"],
            message=stored.get("message", ""), line_id=stored.get("line_id"),
        )

    @property
    def text(self) -> str:
        """What the check says, for a person to read."""
        return self.message


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
        checks.append(
            Check(
                "rules.in_force", False, True,
                _("%(region)s has no rules in force on %(date)s, so it accepts no applications for that date.")
                % {"region": facts.region_name, "date": _date(facts.arrival_date)},
            )
        )
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


def _date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _arrival_in_future(facts: CaseFacts, today: dt.date) -> Check:
    passed = facts.arrival_date > today
    message = (
        _("Planned arrival on %(date)s.") if passed else _("The planned arrival date %(date)s has passed or is today: choose a later date.")
    )
    return Check("arrival.in_future", passed, True, message % {"date": _date(facts.arrival_date)})


def _employer_eligible(facts: CaseFacts, threshold: EligibilityThreshold | None, today: dt.date | None = None) -> list[Check]:
    recent = _figures_recent(facts, today)
    if threshold is None:
        return recent
    if facts.employer_annual_revenue_rub is None or facts.employer_average_headcount is None:
        return [
            Check(
                "employer.figures", False, True,
                _("The company has not stated its yearly revenue and average headcount: state them on the company page."),
            ),
            *recent,
        ]
    revenue_ok = facts.employer_annual_revenue_rub >= threshold.min_annual_revenue_rub
    headcount_ok = facts.employer_average_headcount >= threshold.min_average_headcount
    params = {
        "revenue": f"{facts.employer_annual_revenue_rub:,}".replace(",", " "),
        "min_revenue": f"{threshold.min_annual_revenue_rub:,}".replace(",", " "),
        "headcount": facts.employer_average_headcount,
        "min_headcount": threshold.min_average_headcount,
    }
    return [
        Check(
            "employer.revenue", revenue_ok, True,
            (_("Yearly revenue %(revenue)s ₽ meets the minimum of %(min_revenue)s ₽.") if revenue_ok
             else _("Yearly revenue %(revenue)s ₽ is below the minimum of %(min_revenue)s ₽ for employers that may file.")) % params,
        ),
        Check(
            "employer.headcount", headcount_ok, True,
            (_("Average headcount %(headcount)s meets the minimum of %(min_headcount)s.") if headcount_ok
             else _("Average headcount %(headcount)s is below the minimum of %(min_headcount)s for employers that may file.")) % params,
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
        return [
            Check(
                "employer.figures_recent", False, False,
                _("The company's figures are for %(year)d, a year that ended more than a year before %(date)s: "
                  "ask for the figures of %(expected)d.") % {"year": year, "date": _date(as_of), "expected": as_of.year - 1},
            )
        ]
    return [Check("employer.figures_recent", True, False, _("The company's figures are for %(year)d.") % {"year": year})]


def _has_workers(facts: CaseFacts) -> Check:
    count = len(facts.workers)
    if count:
        return Check("workers.listed", True, True, ngettext("%(count)d worker listed.", "%(count)d workers listed.", count) % {"count": count})
    return Check("workers.listed", False, True, _("No workers are listed yet: add at least one."))


def _intake_open(facts: CaseFacts, rules: RuleSet) -> Check:
    if rules.intake_open:
        return Check("intake.open", True, True, _("%(region)s accepts applications.") % {"region": facts.region_name})
    return Check(
        "intake.open", False, True,
        _("%(region)s has suspended the intake of foreign workers (rules in force from %(date)s).")
        % {"region": facts.region_name, "date": _date(rules.effective_from)},
    )


def _max_workers(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    limit = rules.max_workers_per_application
    if limit is None:
        return []
    count = len(facts.workers)
    passed = count <= limit
    message = (
        ngettext(
            "%(count)d worker, within the limit of %(limit)d per application.",
            "%(count)d workers, within the limit of %(limit)d per application.",
            count,
        ) if passed
        else ngettext(
            "%(count)d worker listed; %(region)s accepts at most %(limit)d per application.",
            "%(count)d workers listed; %(region)s accepts at most %(limit)d per application.",
            count,
        )
    )
    return [Check("workers.max_per_application", passed, True, message % {"count": count, "limit": limit, "region": facts.region_name})]


def _activity_open(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.closed_activities:
        return []
    if not facts.activity_okved:
        return [Check("activity.closed", False, True, _("Give the activity (OKVED code) of the work: %(region)s closes some activities to foreign labour.") % {"region": facts.region_name})]
    closed = next((code for code in rules.closed_activities if _okved_within(facts.activity_okved, code)), None)
    if closed is None:
        return [Check("activity.closed", True, True, _("Activity %(code)s is open to foreign labour.") % {"code": facts.activity_okved})]
    return [
        Check(
            "activity.closed", False, True,
            _("Activity %(code)s falls under OKVED %(closed)s, which %(region)s closes to foreign labour.")
            % {"code": facts.activity_okved, "closed": closed, "region": facts.region_name},
        )
    ]


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
    if facts.transport_to_isolation:
        return Check("guarantee.transport", True, True, _("Transport from the border to the isolation site is guaranteed."))
    return Check("guarantee.transport", False, True, _("Guarantee transport from the point of arrival to the isolation site."))


def _charter(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.charter_transport_required:
        return []
    if facts.charter_transport_agreed:
        return [Check("guarantee.charter", True, True, _("Charter transport is agreed with the regional headquarters."))]
    return [Check("guarantee.charter", False, True, _("%(region)s requires charter transport agreed with its headquarters.") % {"region": facts.region_name})]


def _isolation_days(facts: CaseFacts, rules: RuleSet) -> Check:
    passed = facts.isolation_days >= rules.isolation_days
    params = {"days": facts.isolation_days, "required": rules.isolation_days, "region": facts.region_name}
    # Two numbers, each with its own plural form: the sentence is built of two messages.
    guaranteed = ngettext("Isolation of %(days)d day guaranteed", "Isolation of %(days)d days guaranteed", facts.isolation_days) % params
    required = (
        ngettext("(%(required)d day required).", "(%(required)d days required).", rules.isolation_days) if passed
        else ngettext("%(region)s requires %(required)d day.", "%(region)s requires %(required)d days.", rules.isolation_days)
    ) % params
    return Check("guarantee.isolation_days", passed, True, f"{guaranteed} {required}" if passed else f"{guaranteed}; {required}")


def _isolation_until_result(rules: RuleSet) -> list[Check]:
    if not rules.isolation_until_test_result:
        return []
    return [Check("isolation.until_test_result", True, False, _("Workers stay isolated until the result of their test on arrival comes."))]


def _isolation_housing(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.isolation_housing_required:
        return []
    if facts.isolation_address.strip():
        return [Check("guarantee.housing", True, True, _("Isolation housing: %(address)s.") % {"address": facts.isolation_address})]
    return [Check("guarantee.housing", False, True, _("Give the address where the workers will be isolated."))]


def _insurance(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.insurance_required:
        return []
    if facts.insurance_policy.strip():
        return [Check("guarantee.insurance", True, True, _("Medical insurance: %(policy)s.") % {"policy": facts.insurance_policy})]
    return [Check("guarantee.insurance", False, True, _("Give the medical insurance policy that covers the workers."))]


def _vaccination(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    if not rules.vaccination_required:
        return []
    if facts.vaccination_booked:
        return [Check("guarantee.vaccination", True, True, _("Vaccination is booked for the list."))]
    return [Check("guarantee.vaccination", False, True, _("%(region)s requires the employer to book vaccination for the workers on the list.") % {"region": facts.region_name})]


def _quota(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    # Advisory here: the quota is enforced, under a lock, when an officer approves.
    quota = rules.monthly_worker_quota
    if quota is None:
        return []
    asked = len(facts.workers)
    left = max(quota - facts.approved_in_arrival_month, 0)
    params = {"quota": quota, "used": facts.approved_in_arrival_month, "left": left, "asked": asked, "month": facts.arrival_date.strftime("%m.%Y")}
    if asked <= left:
        return [Check("quota.monthly", True, False, ngettext(
            "Monthly quota %(quota)d; %(used)d approved for %(month)s; %(left)d place left.",
            "Monthly quota %(quota)d; %(used)d approved for %(month)s; %(left)d places left.",
            left,
        ) % params)]
    # Two numbers, each with its own plural form ("lists 1 worker", "2 places"): two messages.
    places = ngettext(
        "Only %(left)d place of the monthly quota of %(quota)d is left for %(month)s",
        "Only %(left)d places of the monthly quota of %(quota)d are left for %(month)s",
        left,
    ) % params
    listed = ngettext("this application lists %(asked)d worker.", "this application lists %(asked)d workers.", asked) % params
    return [Check("quota.monthly", False, False, f"{places}; {listed}")]


def _citizenship(worker: WorkerFacts, rules: RuleSet) -> list[Check]:
    policy = rules.citizenship_policy
    if policy == CitizenshipPolicy.ALL:
        return []
    listed = worker.citizenship in rules.citizenships
    passed = listed if policy == CitizenshipPolicy.ONLY_LISTED else not listed
    params = {"worker": worker.name, "country": country_name(worker.citizenship)}
    message = (
        _("%(worker)s: citizenship %(country)s is accepted.") if passed
        else _("%(worker)s: the region does not accept citizens of %(country)s.")
    )
    return [Check("worker.citizenship", passed, True, message % params, line_id=worker.line_id)]


def _passport_valid(worker: WorkerFacts, facts: CaseFacts) -> Check:
    passed = worker.passport_expiry > facts.arrival_date
    params = {"worker": worker.name, "date": _date(worker.passport_expiry)}
    message = (
        _("%(worker)s: passport valid until %(date)s.") if passed
        else _("%(worker)s: the passport expires on %(date)s, before or on the arrival date.")
    )
    return Check("worker.passport", passed, True, message % params, line_id=worker.line_id)


def _pcr_test(worker: WorkerFacts, facts: CaseFacts, rules: RuleSet) -> list[Check]:
    limit = rules.pcr_max_age_hours
    params = {"worker": worker.name, "limit": limit, "region": facts.region_name}
    if rules.pcr_test_timing == PcrTestTiming.AFTER_ARRIVAL:
        return [Check("worker.pcr_test", True, False, ngettext("%(worker)s: a PCR test is to be taken within %(limit)d hour after arrival.", "%(worker)s: a PCR test is to be taken within %(limit)d hours after arrival.", limit) % params, line_id=worker.line_id)]
    if worker.pcr_test_taken_at is None:
        if rules.pcr_test_timing == PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL:
            return [Check("worker.pcr_test", True, False, ngettext("%(worker)s: no PCR test before arrival given; %(region)s accepts one taken within %(limit)d hour after arrival instead.", "%(worker)s: no PCR test before arrival given; %(region)s accepts one taken within %(limit)d hours after arrival instead.", limit) % params, line_id=worker.line_id)]
        return [Check("worker.pcr_test", False, True, ngettext("%(worker)s: give the date and time of the PCR test (at most %(limit)d hour before arrival).", "%(worker)s: give the date and time of the PCR test (at most %(limit)d hours before arrival).", limit) % params, line_id=worker.line_id)]

    # The age is the exact time between the two instants, whatever zones they were entered in.
    age = _arrival_instant(facts) - worker.pcr_test_taken_at
    if age < dt.timedelta(0):
        # Shown rounded up: a test 30 seconds after the arrival is "0 h 01 min after", never "0 h 00 min".
        params["age"] = format_duration(-age, ceiling=True)
        return [Check("worker.pcr_test", False, True, _("%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one taken before it.") % params, line_id=worker.line_id)]
    if age <= dt.timedelta(hours=limit):
        params["age"] = format_duration(age)
        return [Check("worker.pcr_test", True, True, ngettext("%(worker)s: the PCR test was taken %(age)s before arrival (at most %(limit)d hour).", "%(worker)s: the PCR test was taken %(age)s before arrival (at most %(limit)d hours).", limit) % params, line_id=worker.line_id)]
    # A failing age is rounded up, so 72 h 00 min 30 s reads "72 h 01 min", never like a pass.
    params["age"] = format_duration(age, ceiling=True)
    return [Check("worker.pcr_test", False, True, ngettext("The PCR test of %(worker)s was taken %(age)s before arrival; %(region)s accepts at most %(limit)d hour.", "The PCR test of %(worker)s was taken %(age)s before arrival; %(region)s accepts at most %(limit)d hours.", limit) % params, line_id=worker.line_id)]


def _kind_accepted(facts: CaseFacts, rules: RuleSet) -> list[Check]:
    # A closed intake is the intake.open check; this one says which kind an open intake takes.
    if not rules.intake_open or rules.kinds_accepted != KindsAccepted.RETURNING_ONLY:
        return []
    params = {"region": facts.region_name, "date": _date(rules.effective_from)}
    if facts.returning_workers:
        return [Check("intake.kind", True, True, _("%(region)s accepts only returning workers; this application brings workers back.") % params)]
    return [
        Check(
            "intake.kind", False, True,
            _("%(region)s accepts only returning workers (rules in force from %(date)s): new workers cannot be invited there. "
              "If the workers worked for your company before, switch the application to bringing back former workers.") % params,
        )
    ]


def _standing_evidence(worker: WorkerFacts) -> EarlierArrival | EarlierPermit | None:
    """An arrival on an earlier case of the employer, else a declared permit with its scan."""
    if worker.earlier_arrival is not None:
        return worker.earlier_arrival
    return next((permit for permit in worker.earlier_permits if permit.has_scan), None)


def _evidence_message(worker: WorkerFacts, evidence: EarlierArrival | EarlierPermit) -> str:
    if isinstance(evidence, EarlierArrival):
        return _("%(worker)s: arrived on case %(reference)s on %(date)s.") % {
            "worker": worker.name, "reference": evidence.reference, "date": _date(evidence.arrived_on),
        }
    params = {"worker": worker.name, "number": evidence.number, "date": _date(evidence.issued_on), "region": evidence.region_name}
    if evidence.kind == "patent":
        return _("%(worker)s: work patent %(number)s of %(date)s, %(region)s.") % params
    return _("%(worker)s: work permit %(number)s of %(date)s, %(region)s.") % params


def _missing_evidence_message(worker: WorkerFacts) -> str:
    """What to do for a worker with no evidence standing: add the scan of a declared permit, or
    declare one (or switch the application to new workers)."""
    unscanned = next(iter(worker.earlier_permits), None)
    if unscanned is None:
        return _(
            "%(worker)s: no earlier work for your company is on record (no arrival on an earlier case of yours, "
            "no work permit or patent declared). Declare the earlier permit or patent with its scan on the worker's "
            "page in your registry, or switch the application to new workers."
        ) % {"worker": worker.name}
    params = {"worker": worker.name, "number": unscanned.number}
    if unscanned.kind == "patent":
        return _("%(worker)s: work patent %(number)s is declared without a scan: upload its scan on the worker's page in your registry.") % params
    return _("%(worker)s: work permit %(number)s is declared without a scan: upload its scan on the worker's page in your registry.") % params


def _earlier_work_of_workers(facts: CaseFacts) -> list[Check]:
    """For returning workers, the evidence standing for each worker (or a blocking failure);
    and advice to switch the kind when the workers' history says the other kind."""
    standing = [(worker, _standing_evidence(worker)) for worker in facts.workers]
    without = [worker for worker, evidence in standing if evidence is None]
    checks = []
    if facts.returning_workers:
        for worker, evidence in standing:
            if evidence is not None:
                checks.append(Check("worker.earlier_work", True, True, _evidence_message(worker, evidence), line_id=worker.line_id))
            else:
                checks.append(Check("worker.earlier_work", False, True, _missing_evidence_message(worker), line_id=worker.line_id))
        if without:
            count, total = len(without), len(facts.workers)
            checks.append(
                Check(
                    "kind.advice", False, False,
                    ngettext(
                        "%(count)d of %(total)d workers has not worked for your company before: if they come for the first time, "
                        "file them as new workers (switch the application, or move them to an application for new workers).",
                        "%(count)d of %(total)d workers have not worked for your company before: if they come for the first time, "
                        "file them as new workers (switch the application, or move them to an application for new workers).",
                        count,
                    ) % {"count": count, "total": total},
                )
            )
    elif facts.workers and not without:
        checks.append(
            Check(
                "kind.advice", False, False,
                _("Every worker on this application has worked for your company before: you may file it as bringing back "
                  "returning workers."),
            )
        )
    return checks


def _on_other_live_cases(worker: WorkerFacts, facts: CaseFacts, rules: RuleSet) -> list[Check]:
    """One person is approved once for the same time: another live application arriving less
    than the isolation period away (14 days: arrivals 14 days apart do not overlap, 13 do)."""
    period = dt.timedelta(days=rules.isolation_days)
    checks = []
    for other in worker.other_live_cases:
        if abs(other.arrival_date - facts.arrival_date) >= period:
            continue
        params = {"worker": worker.name, "reference": other.reference, "date": _date(other.arrival_date), "days": rules.isolation_days}
        if other.own_company:
            message = ngettext(
                "%(worker)s is also on your application %(reference)s arriving on %(date)s, within %(days)d day of this one: "
                "remove the worker from one of them or withdraw the other application.",
                "%(worker)s is also on your application %(reference)s arriving on %(date)s, within %(days)d days of this one: "
                "remove the worker from one of them or withdraw the other application.",
                rules.isolation_days,
            )
        else:
            # Another company's case: its reference only, nothing of its company or its content.
            message = ngettext(
                "%(worker)s is on application %(reference)s of another company, arriving within %(days)d day of this one: "
                "a person is approved once for the same time. Remove the worker from this application.",
                "%(worker)s is on application %(reference)s of another company, arriving within %(days)d days of this one: "
                "a person is approved once for the same time. Remove the worker from this application.",
                rules.isolation_days,
            )
        checks.append(Check("worker.overlap", False, True, message % params, line_id=worker.line_id))
    return checks


def _arrival_instant(facts: CaseFacts) -> dt.datetime:
    if facts.arrival_at is not None:
        return facts.arrival_at
    return dt.datetime.combine(facts.arrival_date, NOON, tzinfo=MOSCOW)


def format_duration(duration: dt.timedelta, *, ceiling: bool = False) -> str:
    """"71 h 30 min": whole minutes, floored, or rounded up with `ceiling` (for an age that fails
    a limit, so it can never read as the limit itself)."""
    seconds = int(duration.total_seconds())
    minutes = -(-seconds // 60) if ceiling else seconds // 60
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def check_test_after_arrival(
    *, worker_name: str, region_name: str, arrived_at: dt.datetime, taken_at: dt.datetime | None, rules: RuleSet | None,
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
        params["age"] = format_duration(-after, ceiling=True)
        return Check("worker.pcr_test_after_arrival", False, True, _("%(worker)s: the PCR test after arrival was taken %(age)s before the arrival.") % params, line_id=line_id)
    if after <= dt.timedelta(hours=limit):
        params["age"] = format_duration(after)
        return Check("worker.pcr_test_after_arrival", True, True, ngettext("%(worker)s: the PCR test was taken %(age)s after the arrival (at most %(limit)d hour).", "%(worker)s: the PCR test was taken %(age)s after the arrival (at most %(limit)d hours).", limit) % params, line_id=line_id)
    params["age"] = format_duration(after, ceiling=True)
    return Check(
        "worker.pcr_test_after_arrival", False, True,
        ngettext("%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one within %(limit)d hour.", "%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one within %(limit)d hours.", limit) % params,
        line_id=line_id,
    )
