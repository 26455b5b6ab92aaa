"""The employer reports the arrivals of many approved workers at once from a file (CSV or XLSX):
passport number, arrival date and time (on the clocks of the point of arrival) and isolation
address. Every row is recorded, or none, with each refused row's problem listed."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import CaseWorker, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import text, url
from tests.regions.factories import RuleSetFactory, checkpoint, region

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MOSCOW = ZoneInfo("Europe/Moscow")
KAMCHATKA = ZoneInfo("Asia/Kamchatka")


def csv_file(rows: list[list[str]], name: str = "arrivals.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


HEADER = ["passport_number", "arrival_date", "arrival_time", "isolation_address"]


@pytest.fixture
def approved_case(employer, moscow_rules, threshold):
    """An approved Moscow case planned three days ago: three approved workers and one refused."""
    application = ApplicationFactory(employer=employer, status=Status.APPROVED, planned_arrival_date=TODAY - dt.timedelta(days=3))
    lines = [
        CaseWorkerFactory(
            application=application, outcome="approved", worker=WorkerFactory(employer=employer, passport_number=passport)
        )
        for passport in ("AA1000001", "AA1000002", "AA1000003")
    ]
    refused = CaseWorkerFactory(
        application=application,
        outcome="refused",
        refusal_reason="other",
        worker=WorkerFactory(employer=employer, passport_number="AA1000009"),
    )
    application.lines_approved, application.refused = lines, refused
    return application


def test_a_file_of_three_arrivals_is_recorded_with_each_address(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=2)
    rows = [
        HEADER,
        ["AA1000001", arrived.isoformat(), "09:15", "Hostel 1, Lyublino"],
        ["aa 100-0002", arrived.strftime("%d.%m.%Y"), "09:20", "Hostel 2, Kapotnya"],
        ["AA1000003", arrived.isoformat(), "23:40", ""],
    ]

    response = employer_client.post(url("arrival-report-file", approved_case.pk), {"file": csv_file(rows)})

    assert response.status_code == 302
    assert response["Location"] == url("arrival-report", approved_case.pk)
    assert "The file is recorded: 3 workers' arrivals changed." in text(employer_client.get(response["Location"]))
    first, second, third = (CaseWorker.objects.get(pk=line.pk) for line in approved_case.lines_approved)
    assert first.arrived_at == dt.datetime.combine(arrived, dt.time(9, 15), tzinfo=MOSCOW)
    assert first.isolation_address == "Hostel 1, Lyublino"
    assert second.arrived_at == dt.datetime.combine(arrived, dt.time(9, 20), tzinfo=MOSCOW)
    assert second.isolation_address == "Hostel 2, Kapotnya"
    assert third.arrived_on == arrived and third.isolation_address == ""


def test_an_excel_file_is_read_too(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Номер паспорта", "Дата прибытия", "Время прибытия", "Адрес изоляции"])
    sheet.append(["AA1000002", arrived, dt.time(7, 5), "Общежитие № 3"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("arrivals.xlsx", buffer.getvalue())

    response = employer_client.post(url("arrival-report-file", approved_case.pk), {"file": upload})

    assert response.status_code == 302
    line = CaseWorker.objects.get(pk=approved_case.lines_approved[1].pk)
    assert line.arrived_at == dt.datetime.combine(arrived, dt.time(7, 5), tzinfo=MOSCOW)
    assert line.isolation_address == "Общежитие № 3"


def test_one_bad_row_refuses_the_whole_file_with_that_rows_problem(employer_client, approved_case):
    arrived = TODAY - dt.timedelta(days=2)
    rows = [
        HEADER,
        ["AA1000001", arrived.isoformat(), "09:15", "Hostel 1"],
        ["AA1000009", arrived.isoformat(), "09:15", "Hostel 1"],  # refused: no arrival to report
        ["AA1000003", (TODAY + dt.timedelta(days=2)).isoformat(), "09:15", "Hostel 1"],
        ["AA1000001", arrived.isoformat(), "10:00", "Hostel 1"],
        ["AA1000002", arrived.isoformat(), "25:99", "Hostel 1"],
    ]

    response = employer_client.post(url("arrival-report-file", approved_case.pk), {"file": csv_file(rows)})

    assert response.status_code == 200
    page = text(response)
    assert "Nothing was saved: 4 rows of the file need correcting" in page
    assert "3 No approved worker of this application has the passport AA1000009." in page
    assert "4 The arrival date cannot be in the future." in page
    assert "5 The passport AA1000001 is also on row 2." in page
    assert "6 Write the arrival time as HH:MM, not “25:99”." in page
    assert not CaseWorker.objects.filter(application=approved_case, arrived_at__isnull=False).exists()
    assert not CaseWorker.objects.exclude(isolation_address="").exists()


def test_a_file_that_is_not_a_table_is_refused_next_to_the_field(employer_client, approved_case):
    upload = SimpleUploadedFile("arrivals.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    response = employer_client.post(url("arrival-report-file", approved_case.pk), {"file": upload})

    assert response.status_code == 200
    assert "This is an old Excel file (.xls)." in text(response)


def test_a_file_without_the_time_column_is_refused(employer_client, approved_case):
    rows = [["passport_number", "arrival_date"], ["AA1000001", TODAY.isoformat()]]

    response = employer_client.post(url("arrival-report-file", approved_case.pk), {"file": csv_file(rows)})

    assert "The file has no column arrival_time (Время прибытия)." in text(response)
    assert not CaseWorker.objects.filter(arrived_at__isnull=False).exists()


def test_arrival_times_are_read_on_kamchatka_clocks(employer_client, employer, threshold):
    RuleSetFactory(region=region(41))
    line = CaseWorkerFactory(
        application__employer=employer,
        application__region=region(41),
        application__checkpoint=checkpoint("PKC"),
        application__status=Status.APPROVED,
        application__planned_arrival_date=TODAY - dt.timedelta(days=3),
        outcome="approved",
        worker=WorkerFactory(employer=employer, passport_number="KK7000001"),
    )
    arrived = TODAY - dt.timedelta(days=2)
    rows = [HEADER, ["KK7000001", arrived.isoformat(), "01:30", "Petropavlovsk-Kamchatsky, Lenina 1"]]

    response = employer_client.post(url("arrival-report-file", line.application.pk), {"file": csv_file(rows)})

    assert response.status_code == 302
    line.refresh_from_db()
    # 01:30 in Kamchatka (UTC+12) is 16:30 the day before in Moscow; the date is Kamchatka's.
    assert line.arrived_at == dt.datetime.combine(arrived, dt.time(1, 30), tzinfo=KAMCHATKA)
    assert line.arrived_on == arrived


def test_another_company_cannot_send_a_file_for_the_case(client, other_employer_user, approved_case):
    client.force_login(other_employer_user)
    rows = [HEADER, ["AA1000001", TODAY.isoformat(), "09:15", ""]]

    assert client.post(url("arrival-report-file", approved_case.pk), {"file": csv_file(rows)}).status_code == 404
    assert not CaseWorker.objects.filter(arrived_at__isnull=False).exists()
