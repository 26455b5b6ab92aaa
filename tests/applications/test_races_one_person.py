"""Races on real PostgreSQL, each officer on its own connection: two officers approving, at the
same moment, two cases that list the same person for the same fortnight give exactly one
approval, whether the cases are in one region or in two (Moscow and Saint Petersburg), where the
region's quota lock does not serialise them."""

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, Decision, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.concurrency import run_at_once
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory, region

ROUNDS = 20
# Each case also fails the rule check's overlap with the other (still pending) case, which the
# officers override: the override never lets a person be approved twice, the race is what it tests.
JUSTIFICATION = "Both companies confirmed the same charter; the other case is being corrected."


def overridden(case):
    return {line_id: JUSTIFICATION for line_id in case.lines.values_list("pk", flat=True)}


def case_listing(*, passports, region_, arrival):
    case = ApplicationFactory(employer=EmployerFactory(), region=region_, status=Status.IN_REVIEW, planned_arrival_date=arrival)
    for number in passports:
        CaseWorkerFactory(
            application=case, worker=WorkerFactory(employer=case.employer, citizenship="UZ", passport_number=number)
        )
    return case


def race(first_region, second_region):
    first_officer, second_officer = OfficerFactory(regions=[first_region]), OfficerFactory(regions=[second_region])
    arrival = timezone.localdate() + dt.timedelta(days=30)
    for round_ in range(ROUNDS):
        # The same two people, written differently by each company and listed in opposite
        # orders: locks taken in the order of the lines would deadlock.
        first = case_listing(passports=[f"AA 123-{round_:04d}", f"BB{round_:07d}", f"ZZ{round_:07d}"], region_=first_region, arrival=arrival)
        second = case_listing(
            passports=[f"bb-{round_:07d}", f"aa123{round_:04d}"], region_=second_region, arrival=arrival + dt.timedelta(days=13)
        )

        results = run_at_once([
            lambda first=first: services.application_approve(application=first, user=first_officer, overrides=overridden(first)),
            lambda second=second: services.application_approve(application=second, user=second_officer, overrides=overridden(second)),
        ])

        errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, services.TransitionRefused)]
        assert errors == [], f"round {round_}: {errors}"
        refusals = [r for r in results if isinstance(r, services.TransitionRefused)]
        assert len(refusals) == 1, f"round {round_}: {results}"
        approved = Application.objects.filter(pk__in=[first.pk, second.pk], status=Status.APPROVED)
        assert approved.count() == 1, f"round {round_}"
        assert Decision.objects.filter(application__in=[first, second]).count() == 1
        loser = second if approved.get() == first else first
        assert loser.reference not in refusals[0].message
        assert approved.get().reference in refusals[0].message
        assert set(loser.lines.values_list("outcome", flat=True)) == {WorkerOutcome.PENDING}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_of_one_region_approving_the_same_person_at_once_give_exactly_one_approval():
    moscow = region(77)
    RuleSetFactory(region=moscow)
    race(moscow, moscow)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officers_of_moscow_and_saint_petersburg_approving_the_same_person_at_once_give_exactly_one_approval():
    moscow, spb = region(77), region(78)
    RuleSetFactory(region=moscow)
    RuleSetFactory(region=spb)
    race(moscow, spb)
