"""Cases of many workers, made in bulk: the size tests' cases without a factory call per worker."""

import datetime as dt

from django.utils import timezone

from applications.models import CaseWorker, Status, Worker
from tests.applications.factories import ApplicationFactory, WorkerFactory


def case_of(size, *, employer, officer, arrival=None):
    """A case in review of `size` workers who each pass the rules, its lines made in bulk."""
    application = ApplicationFactory(
        employer=employer,
        status=Status.IN_REVIEW,
        assigned_officer=officer,
        **({"planned_arrival_date": arrival} if arrival else {}),
    )
    template = WorkerFactory.build(employer=employer)
    start = Worker.objects.count()
    workers = Worker.objects.bulk_create(
        [
            Worker(
                employer=employer,
                surname_latin=f"WORKER{start + n:05d}",
                given_names_latin="ALISHER",
                sex=template.sex,
                date_of_birth=template.date_of_birth,
                citizenship="UZ",
                passport_number=f"AB{start + n:07d}",
                passport_expiry=template.passport_expiry,
                occupation="Bricklayer",
            )
            for n in range(size)
        ]
    )
    taken = timezone.make_aware(dt.datetime.combine(application.planned_arrival_date - dt.timedelta(days=1), dt.time(10)))
    CaseWorker.objects.bulk_create(
        [
            CaseWorker(application=application, worker=worker, pcr_test_taken_at=taken, pcr_test_zone="Europe/Moscow")
            for worker in workers
        ]
    )
    return application
