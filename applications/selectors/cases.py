"""Reads about one case, shared by the employer's and the officer's pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from applications.models import Application, ApplicationKind, CaseWorker, Decision, EmployerFigures, StatusChange
from applications.models.worker import display_name
from applications.selectors.company import figures_in_force
from applications.selectors.earlier_work import earlier_work_facts, with_earlier_work
from applications.selectors.people import other_live_cases_by_person
from applications.selectors.quota import approved_workers_in_month
from regions import check_messages
from regions.models import RuleSet
from regions.rules import CaseFacts, Check, WorkerFacts, check_case
from regions.selectors import rule_set_in_force, rule_set_in_force_among, threshold_in_force


def worker_count_subquery():
    """Workers per case as a subquery: unlike a join with GROUP BY, it leaves the paginator's
    COUNT over the queue cheap."""
    lines = CaseWorker.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return Subquery(lines.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


# A decided case's lines in the order of its letter, an undecided one's by name.
LINE_ORDER = (F("decided__position").asc(nulls_last=True), "worker__surname_latin", "worker__given_names_latin", "pk")


def application_lines(application: Application) -> QuerySet[CaseWorker]:
    """The case's workers with the registry's row and, once decided, the decision's row
    (`line.person` and `line.as_decided` read them without a query), in `LINE_ORDER`."""
    return application.lines.select_related("worker", "decided").order_by(*LINE_ORDER)


def decision_of_case(application: Application) -> Decision | None:
    """The case's decision, None while it is undecided."""
    return Decision.objects.filter(application=application).first()


def application_history(application: Application) -> QuerySet[StatusChange]:
    return application.history.select_related("actor").order_by("at", "pk")


def case_facts(
    application: Application, *, count_quota: bool = True, figures_statements: list[EmployerFigures] | None = None
) -> CaseFacts:
    """Gathers what the rule check needs, in a fixed number of queries. Without `count_quota`
    the month's approved workers are not counted (the rules in force set no quota).
    `figures_statements`: the statements of `figures_statements_of_case`, when already read."""
    employer = application.employer
    # A group's head company's figures count when the company names one; the figures are those
    # in force when the case was submitted (a draft: now), whatever was stated since.
    figures_from = employer.group_head or employer
    # Plain values, not model rows, with each worker's earlier work read in the same query: a case
    # may hold thousands of workers, and every look at the case checks them all.
    lines = list(with_earlier_work(application.lines.order_by(*LINE_ORDER), application=application).values_list(
        "pk", "pcr_test_taken_at", "worker__surname_latin", "worker__given_names_latin", "worker__citizenship",
        "worker__passport_expiry", "worker__passport_key", "earlier_arrival", "earlier_permits",
    ))
    figures_at = application.submitted_at or timezone.now()
    figures = figures_in_force(employer=figures_from, at=figures_at, statements=figures_statements)
    # The workers' other live applications, of any company: one query for all of them.
    elsewhere = other_live_cases_by_person(application, {(line[4], line[6]) for line in lines})
    workers = []
    for line_id, pcr_test_taken_at, surname, given_names, citizenship, passport_expiry, passport_key, arrival, permits in lines:
        # Read for either kind: a new-workers application of former workers is advised to switch.
        earlier_arrival, earlier_permits = earlier_work_facts(arrival, permits)
        workers.append(WorkerFacts(
            name=display_name(surname, given_names),
            citizenship=citizenship,
            passport_expiry=passport_expiry,
            pcr_test_taken_at=pcr_test_taken_at,
            line_id=line_id,
            earlier_arrival=earlier_arrival,
            earlier_permits=earlier_permits,
            other_live_cases=elsewhere.get((citizenship, passport_key), ()),
        ))
    return CaseFacts(
        region_name=check_messages.names(application.region.name_ru, application.region.name_en),
        arrival_date=application.planned_arrival_date,
        activity_okved=application.activity_okved,
        transport_to_isolation=application.transport_to_isolation,
        isolation_address=application.isolation_address,
        isolation_days=application.isolation_days,
        insurance_policy=application.insurance_policy,
        charter_transport_agreed=application.charter_transport_agreed,
        vaccination_booked=application.vaccination_booked,
        employer_annual_revenue_rub=figures.annual_revenue_rub,
        employer_average_headcount=figures.average_headcount,
        workers=workers,
        approved_in_arrival_month=approved_workers_in_month(
            region_id=application.region_id, month_of=application.planned_arrival_date
        ) if count_quota else 0,
        returning_workers=application.kind == ApplicationKind.RETURNING_WORKERS,
        employer_figures_year=figures.year,
        figures_as_of=timezone.localdate(figures_at),
        arrival_at=application.planned_arrival_at,
    )


def case_rule_check(
    application: Application, *, today: dt.date | None = None, rule_versions: list[RuleSet] | None = None,
    figures_statements: list[EmployerFigures] | None = None,
):
    """The rule version in force on the planned arrival date, and the checks against it. A page
    that has read the region's versions up to the arrival (`rule_versions`, oldest first) or the
    company's statements of figures passes them in, and they are not read again."""
    today = today or timezone.localdate()
    if rule_versions is None:
        rules = rule_set_in_force(region_id=application.region_id, on=application.planned_arrival_date)
    else:
        rules = rule_set_in_force_among(rule_versions, on=application.planned_arrival_date)
    threshold = threshold_in_force(on=today)
    # The month's approvals are counted only against a quota: most regions set none.
    count_quota = rules is not None and rules.monthly_worker_quota is not None
    facts = case_facts(application, count_quota=count_quota, figures_statements=figures_statements)
    checks: list[Check] = check_case(facts, rules, threshold, today)
    return rules, checks


def case_page_rule_check(
    application: Application, *, decision: Decision | None, today: dt.date | None = None,
    rule_versions: list[RuleSet] | None = None, figures_statements: list[EmployerFigures] | None = None,
) -> tuple[RuleSet | None, list[Check]]:
    """The rule check a case page shows. A decided case: the checks kept with its decision, and no
    version (the page says which it was decided under, from the decision); the rules are not run
    again, as today's rules would judge it and its own approved workers would count against the
    quota. An undecided case: the version in force and a fresh run against it (with what the page
    has read already: see `case_rule_check`)."""
    if decision is not None:
        return None, [Check.from_dict(stored) for stored in decision.checks]
    return case_rule_check(application, today=today, rule_versions=rule_versions, figures_statements=figures_statements)
