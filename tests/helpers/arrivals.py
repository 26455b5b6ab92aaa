"""An approved case whose workers were due three weeks ago, as the employer reports their arrivals."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from applications import services
from applications.models import RefusalReason, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory

TODAY = timezone.localdate()
MOSCOW = ZoneInfo("Europe/Moscow")


def moscow_time(day: dt.date, time=dt.time(9, 15)) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=MOSCOW)


def approved_three_weeks_ago(employer, officer):
    """A Moscow case planned to arrive 20 days ago; KARIMOV and NAZAROV approved, RAKHIMOV refused."""
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, isolation_days=14)
    karimov, nazarov, rakhimov = (
        CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin=name))
        for name in ("KARIMOV", "NAZAROV", "RAKHIMOV")
    )
    services.application_approve_partially(
        application=application,
        user=officer,
        refusals={rakhimov.pk: (RefusalReason.PCR_TEST, "")},
    )
    # The decision was taken before the workers came; move the plan into the past, as it is
    # when arrivals are reported.
    application.refresh_from_db()
    application.set_planned_arrival(moscow_time(TODAY - dt.timedelta(days=20), dt.time(12)))
    application.save(update_fields=["planned_arrival_at", "planned_arrival_date"])
    application.karimov, application.nazarov, application.rakhimov = karimov, nazarov, rakhimov
    return application
