"""A person is a citizenship and a passport together: the lookups that read people's keys as lists
(for speed at thousands of workers) must not take one worker's citizenship with another's passport
for a person."""

import pytest

from applications.models import Status
from applications.selectors.people import other_live_cases_by_person, pending_cases_sharing_people
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def case_of(*people, status=Status.SUBMITTED, employer=None):
    case = ApplicationFactory(status=status, **({"employer": employer} if employer else {}))
    for citizenship, passport in people:
        CaseWorkerFactory(application=case, worker=WorkerFactory(citizenship=citizenship, passport_number=passport))
    return case


def test_a_pending_case_is_found_by_a_person_it_shares_not_by_mixed_keys():
    ours = case_of(("UZ", "AA1000001"), ("TJ", "AA1000002"))
    mixed = case_of(("UZ", "AA1000002"))  # Uzbek with the Tajik's passport number: someone else
    shared = case_of(("TJ", "AA1000002"))
    case_of(("TJ", "AA1000002"), status=Status.REJECTED)  # not pending

    assert list(pending_cases_sharing_people(application_id=ours.pk)) == [shared]
    assert mixed.pk not in [case.pk for case in pending_cases_sharing_people(application_id=ours.pk)]


def test_other_live_cases_are_listed_per_person_not_per_mixed_keys():
    ours = case_of(("UZ", "AA2000001"), ("TJ", "AA2000002"))
    case_of(("UZ", "AA2000002"))
    shared = case_of(("TJ", "AA2000002"))

    found = other_live_cases_by_person(ours, {("UZ", "AA2000001"), ("TJ", "AA2000002")})

    assert set(found) == {("TJ", "AA2000002")}
    assert [case.reference for case in found[("TJ", "AA2000002")]] == [shared.reference]


def test_a_case_without_workers_shares_no_one():
    assert list(pending_cases_sharing_people(application_id=case_of().pk)) == []
