"""The citizenships of each case's workers, kept by PostgreSQL triggers for the queue's
citizenship filter: whatever adds, removes or changes a worker line or a worker's citizenship,
the officer's filter finds the case by its workers' citizenships as they are now."""

import pytest
from django.urls import reverse

from applications.models import Application, CaseCitizenships, CaseWorker, Worker
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def codes(application) -> list[str] | None:
    row = CaseCitizenships.objects.filter(application=application).first()
    return row.codes if row else None


def worker(application, citizenship):
    return WorkerFactory(employer=application.employer, citizenship=citizenship)


def test_adding_and_removing_workers_keeps_the_case_citizenships():
    case = ApplicationFactory()
    assert codes(case) is None  # no workers yet

    uzbek = CaseWorkerFactory(application=case, worker=worker(case, "UZ"))
    CaseWorkerFactory(application=case, worker=worker(case, "TJ"))
    CaseWorkerFactory(application=case, worker=worker(case, "UZ"))
    assert codes(case) == ["TJ", "UZ"]  # each once, in order

    CaseWorker.objects.filter(application=case, worker__citizenship="TJ").delete()
    assert codes(case) == ["UZ"]
    uzbek.delete()
    assert codes(case) == ["UZ"]  # another Uzbek worker is still on the case
    CaseWorker.objects.filter(application=case).delete()
    assert codes(case) is None


def test_correcting_a_workers_citizenship_changes_every_case_of_that_worker():
    first, second = ApplicationFactory(), ApplicationFactory()
    person = worker(first, "KG")
    CaseWorkerFactory(application=first, worker=person)
    CaseWorkerFactory(application=second, worker=person)

    Worker.objects.filter(pk=person.pk).update(citizenship="KZ")

    assert codes(first) == codes(second) == ["KZ"]


def test_a_bulk_insert_refreshes_each_case():
    cases = [ApplicationFactory() for _ in range(3)]
    CaseWorker.objects.bulk_create(
        CaseWorker(application=case, worker=worker(case, citizenship))
        for case in cases
        for citizenship in ("AM", "AZ")
    )

    assert [codes(case) for case in cases] == [["AM", "AZ"]] * 3


def test_a_case_deleted_with_its_workers_leaves_no_row():
    case = ApplicationFactory()
    CaseWorkerFactory(application=case, worker=worker(case, "UZ"))

    Application.objects.filter(pk=case.pk).delete()

    assert not CaseCitizenships.objects.exists()


def test_the_queue_filter_follows_a_corrected_citizenship(client, officer, moscow_rules):
    # Asked for information, the employer may correct a worker's identity (not before: it is locked).
    case = ApplicationFactory(status="info_requested", region=moscow_rules.region)
    person = worker(case, "TJ")
    CaseWorkerFactory(application=case, worker=person)
    client.force_login(officer)

    def found(citizenship):
        response = client.get(reverse("applications:review-queue"), {"citizenship": citizenship})
        return [application.reference for application in response.context["page"]]

    assert found("TJ") == [case.reference]
    Worker.objects.filter(pk=person.pk).update(citizenship="UZ")
    assert found("TJ") == []
    assert found("UZ") == [case.reference]
