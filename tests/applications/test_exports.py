"""The officer's exports: the filtered queue as CSV (streamed) and XLSX (prepared by a background
task, then downloaded by the officer who asked), and the border service's list of approved
workers; scoped to the officer's regions, safe to open in a spreadsheet, and as cheap for 50 rows
as for 1."""

import datetime as dt
import html
import io
import logging
import re
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from applications import exports, services
from applications.filters.review import filtered_queue
from applications.models import ExportState, QueueExport, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory, decide
from tests.helpers.exports import csv_rows, export_url
from tests.helpers.tasks import DATABASE, run_worker_once
from tests.pages import field_error
from tests.portal.factories import OfficerFactory
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db

QUEUE_HEADER = [
    "Reference number", "Employer", "INN", "Region", "Kind", "Status", "Workers", "Submitted", "Planned arrival",
    "Decision due by", "Assigned officer", "Planned arrival, local time (ISO 8601)", "Time zone of arrival",
]
BORDER_HEADER = [
    "Reference number", "Surname", "Given names", "Date of birth", "Citizenship (ISO 3166-1 alpha-3)", "Passport number",
    "Checkpoint code", "Border crossing point", "Arrival date", "Arrival, local time (ISO 8601)", "Time zone of arrival",
]


def a_case(*, employer, status=Status.SUBMITTED, workers=1, **fields):
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for _ in range(workers):
        CaseWorkerFactory(application=application)
    return application


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def request_xlsx(client, *, follow=False, **query):
    """Presses "Export XLSX" under the queue filtered by `query`: a POST to the export URL with the
    queue's query string. The request's transaction commits, so the build is enqueued (and, with
    the immediate backend, run)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(export_url("review-export-xlsx", **query), follow=follow)


def latest_export():
    return QueueExport.objects.latest("pk")


def download_url(export):
    return reverse("applications:review-export-download", kwargs={"pk": export.pk})


def exported_xlsx(client, **query):
    """Asks for the spreadsheet and downloads it: without a worker it is ready at once."""
    response = request_xlsx(client, **query)
    assert response.status_code == 302 and response.url == reverse("applications:review-exports")
    download = client.get(download_url(latest_export()))
    assert download.status_code == 200
    return download


def exports_page(client):
    response = client.get(reverse("applications:review-exports"))
    assert response.status_code == 200
    return response.content.decode()


def stored_files():
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# Formula injection


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+7 495 000", "'+7 495 000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tleading tab", "'\tleading tab"),
        # A carriage return is a line break, kept as a line feed; a trigger after it is neutralised.
        ("\rleading return", "\nleading return"),
        ("\r=1", "\n'=1"),
        ("ООО Ромашка", "ООО Ромашка"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_as_a_formula_is_prefixed_with_an_apostrophe(text, written):
    assert exports.neutralise_formula(text) == written


def test_numbers_and_dates_are_left_as_they_are():
    assert exports.neutralise_formula(-5) == -5
    assert exports.neutralise_formula(dt.date(2021, 3, 1)) == dt.date(2021, 3, 1)
    assert exports.neutralise_formula(None) is None


def test_an_employer_named_as_a_formula_comes_out_as_text_in_csv_and_xlsx(officer_client, moscow_rules):
    evil = EmployerFactory(name='=HYPERLINK("http://evil.example","Click")')
    a_case(employer=evil, reference="2021-000901")

    csv_row = csv_rows(officer_client.get(export_url("review-export-csv")))[1]
    xlsx_row = xlsx_rows(exported_xlsx(officer_client))[1]

    assert csv_row[1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert xlsx_row[1] == '\'=HYPERLINK("http://evil.example","Click")'


def test_a_worker_named_as_a_formula_comes_out_as_text_in_the_border_list(officer_client, employer, moscow_rules):
    case = ApplicationFactory(employer=employer, status=Status.APPROVED, reference="2021-000902")
    CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="@cmd|' /C calc'!A0"), outcome=WorkerOutcome.APPROVED
    )
    decide(case)

    rows = csv_rows(officer_client.get(export_url("review-export-border-list")))

    assert rows[1][1] == "'@cmd|' /C calc'!A0"


# The queue export


def test_the_csv_export_streams_the_queue_with_its_header_and_rows(officer_client, officer, employer, moscow_rules):
    submitted = timezone.make_aware(dt.datetime(2021, 3, 1, 9, 30))
    case = a_case(
        employer=employer, status=Status.IN_REVIEW, workers=3, reference="2021-000911", assigned_officer=officer,
        created_at=submitted - dt.timedelta(hours=1), submitted_at=submitted,
        planned_arrival_date=dt.date(2021, 3, 20), deadline=dt.date(2021, 3, 11),
    )

    response = officer_client.get(export_url("review-export-csv"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="review-queue-{timezone.localdate().isoformat()}.csv"'
    rows = csv_rows(response)
    assert rows[0] == QUEUE_HEADER
    assert rows[1:] == [[
        "2021-000911", employer.name, employer.inn, "Moscow", "Invite new workers", "In review", "3",
        "2021-03-01 09:30", "2021-03-20", "2021-03-11", str(officer), "2021-03-20T12:00+03:00", "Europe/Moscow",
    ]]
    assert case.reference == rows[1][0]


def test_the_export_applies_the_queues_filters_and_sorting(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000921")
    a_case(employer=employer, status=Status.REJECTED, reference="2021-000922")
    a_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000923")
    a_case(employer=EmployerFactory(name="АО Другое"), status=Status.IN_REVIEW, reference="2021-000924")

    query = {"status": ["in_review", "rejected"], "employer": employer.inn, "o": "-reference", "page": 2}
    csv_references = [row[0] for row in csv_rows(officer_client.get(export_url("review-export-csv", **query)))[1:]]
    xlsx_references = [row[0] for row in xlsx_rows(exported_xlsx(officer_client, **query))[1:]]

    assert csv_references == ["2021-000923", "2021-000922"]
    assert xlsx_references == ["2021-000923", "2021-000922"]


def test_the_xlsx_export_has_the_header_real_dates_and_a_dated_file_name(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000931", planned_arrival_date=dt.date(2021, 4, 2))

    response = exported_xlsx(officer_client)

    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # Named after the day it was asked for, not after its random name in the storage.
    asked_on = timezone.localdate(latest_export().created_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="review-queue-{asked_on}.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = xlsx_rows(response)
    assert rows[0] == QUEUE_HEADER
    assert rows[1][0] == "2021-000931"
    assert rows[1][8] == dt.datetime(2021, 4, 2)  # a date cell, not text
    assert rows[1][6] == 1


def test_the_xlsx_export_stops_at_its_cap_and_says_so(officer_client, employer, moscow_rules, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for number in range(3):
        a_case(employer=employer, reference=f"2021-00094{number}")

    rows = xlsx_rows(exported_xlsx(officer_client, o="reference"))

    assert [row[0] for row in rows[1:3]] == ["2021-000940", "2021-000941"]
    assert "2021-000942" not in [row[0] for row in rows if row]
    assert rows[-1][0] == "Only the first 2 rows are included. Narrow the filters, or export CSV for every row."
    export = latest_export()
    assert (export.row_count, export.truncated) == (2, True)
    assert "cut at 2 rows" in exports_page(officer_client)


def test_an_xlsx_export_of_exactly_the_cap_is_not_cut(officer_client, employer, moscow_rules, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for number in range(2):
        a_case(employer=employer, reference=f"2021-00095{number}")

    rows = xlsx_rows(exported_xlsx(officer_client))

    assert [row[0] for row in rows[1:]] == ["2021-000950", "2021-000951"]
    export = latest_export()
    assert (export.row_count, export.truncated) == (2, False)
    assert "cut at" not in exports_page(officer_client)


def test_an_invalid_filter_sends_the_officer_back_to_the_queue_with_the_reason(officer_client, employer, moscow_rules):
    response = officer_client.get(export_url("review-export-csv", arrival_from="not-a-date"), follow=True)

    assert response.redirect_chain[-1][0] == export_url("review-queue", arrival_from="not-a-date")
    assert "The export was not made; correct the filters first. Arrival from: Enter a valid date." in response.content.decode()


# The XLSX export, prepared in the background


def test_asking_for_the_xlsx_says_it_is_being_prepared_and_lists_it_ready_to_download(officer_client, officer, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000991")

    response = request_xlsx(officer_client, follow=True, status="submitted", page=3)

    assert response.redirect_chain == [(reverse("applications:review-exports"), 302)]
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["The spreadsheet is being prepared. It appears under “Your exports” when it is ready."]
    export = latest_export()
    assert export.requested_by == officer
    assert export.query == "status=submitted&page=3"
    # Without a worker the task ran as soon as the request committed.
    assert (export.state, export.row_count, export.truncated) == (ExportState.DONE, 1, False)
    assert export.file.name.startswith("exports/") and export.file.name.endswith(".xlsx")
    assert export.finished_at is not None
    page = exports_page(officer_client)
    assert "Ready" in page
    assert download_url(export) in page


def test_the_queue_page_posts_its_filters_to_the_xlsx_export_and_links_to_the_exports(officer_client, moscow_rules):
    page = officer_client.get(export_url("review-queue", status="submitted", page=2)).content.decode()

    action = html.escape(export_url("review-export-xlsx", status="submitted"))
    assert f'<form method="post" action="{action}"' in page
    assert f'href="{reverse("applications:review-exports")}"' in page


def test_the_xlsx_export_cannot_be_fetched_with_get(officer_client, moscow_rules):
    assert officer_client.get(export_url("review-export-xlsx")).status_code == 405
    assert not QueueExport.objects.exists()


def test_an_invalid_filter_refuses_the_xlsx_with_the_error_next_to_the_field_and_makes_no_job(officer_client, moscow_rules):
    response = request_xlsx(officer_client, follow=True, arrival_from="not-a-date")

    assert response.redirect_chain[-1][0] == export_url("review-queue", arrival_from="not-a-date")
    assert "The export was not made; correct the filters first. Arrival from: Enter a valid date." in response.content.decode()
    assert field_error(response, "arrival_from") == "Enter a valid date."
    assert not QueueExport.objects.exists()


def test_filters_too_long_to_keep_are_refused_and_make_no_job(officer_client, moscow_rules):
    response = request_xlsx(officer_client, follow=True, reference="x" * 2100)

    assert "The export was not made: the filters are too long to keep. Shorten them." in response.content.decode()
    assert not QueueExport.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_worker_the_request_only_records_the_job_and_the_worker_builds_it(
    settings, worker_leaves_no_trace, officer_client, employer, moscow_rules
):
    settings.TASKS = DATABASE
    a_case(employer=employer, reference="2021-001001")

    response = officer_client.post(export_url("review-export-xlsx", reference="2021-001001"))

    assert response.status_code == 302
    export = latest_export()
    assert (export.state, export.file.name, export.row_count) == (ExportState.PENDING, "", None)
    assert stored_files() == []
    task_row = DBTaskResult.objects.get()
    assert task_row.task_path == "applications.tasks.build_queue_export"
    assert task_row.args_kwargs["kwargs"] == {"export_id": export.pk, "language": "en"}
    page = exports_page(officer_client)
    assert "Being prepared" in page and "Refresh" in page
    assert officer_client.get(download_url(export)).status_code == 404  # not ready yet

    run_worker_once()

    task_row.refresh_from_db()
    assert task_row.status == "SUCCESSFUL"
    export.refresh_from_db()
    assert (export.state, export.row_count) == (ExportState.DONE, 1)
    assert [row[0] for row in xlsx_rows(officer_client.get(download_url(export)))[1:]] == ["2021-001001"]
    assert "Refresh" not in exports_page(officer_client)


def test_the_worker_writes_the_header_in_the_language_the_officer_asked_in(officer, employer, moscow_rules):
    a_case(employer=employer)
    export = QueueExport.objects.create(requested_by=officer, query="")

    services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue, language="ru")

    export.refresh_from_db()
    with export.file.open("rb") as stored:
        workbook = openpyxl.load_workbook(stored, read_only=True)
        assert next(workbook.active.iter_rows(values_only=True))[0] == "Регистрационный номер"


def test_building_an_export_that_is_done_again_changes_nothing(officer, employer, moscow_rules):
    a_case(employer=employer)
    export = QueueExport.objects.create(requested_by=officer, query="")
    services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue)
    built = QueueExport.objects.get(pk=export.pk)
    a_case(employer=employer)  # would be a second row if it were built again

    again = services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue)

    assert (again.file.name, again.row_count, again.finished_at) == (built.file.name, 1, built.finished_at)
    assert len(stored_files()) == 1


def test_an_export_builds_the_rows_of_the_officer_who_asked_with_assigned_to_me(officer, employer, moscow_rules):
    a_case(employer=employer, reference="2021-001011", assigned_officer=officer)
    a_case(employer=employer, reference="2021-001012", assigned_officer=OfficerFactory())
    export = QueueExport.objects.create(requested_by=officer, query="mine=on")

    services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue)

    export.refresh_from_db()
    assert export.row_count == 1
    with export.file.open("rb") as stored:
        rows = list(openpyxl.load_workbook(stored, read_only=True).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["2021-001011"]


def test_a_build_that_fails_marks_the_export_failed_logs_why_and_the_page_says_so(
    officer_client, employer, moscow_rules, monkeypatch, caplog
):
    a_case(employer=employer)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "xlsx_bytes", broken)

    with caplog.at_level(logging.ERROR, logger="applications.services.exports"):
        response = request_xlsx(officer_client)

    assert response.status_code == 302  # the officer's request is not the worse for it
    export = latest_export()
    assert (export.state, export.file.name) == (ExportState.FAILED, "")
    assert export.finished_at is not None
    assert f"Could not build queue export {export.pk}" in caplog.text and "disk full" in caplog.text
    page = exports_page(officer_client)
    assert "Failed" in page
    assert "The spreadsheet could not be made. Ask for it again from the queue." in page
    assert officer_client.get(download_url(export)).status_code == 404
    assert stored_files() == []


def test_a_build_for_an_export_that_is_gone_does_nothing(db):
    assert services.queue_export_build(export_id=987654, filtered_queue=filtered_queue) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_given_the_same_export_build_it_once(officer, employer, moscow_rules, monkeypatch):
    a_case(employer=employer)
    export = QueueExport.objects.create(requested_by=officer, query="")
    first_is_building, let_it_finish = threading.Event(), threading.Event()
    builds = []
    real_xlsx_bytes = exports.xlsx_bytes

    def slow_xlsx_bytes(**kwargs):
        builds.append(threading.current_thread().name)
        first_is_building.set()
        let_it_finish.wait(timeout=10)
        return real_xlsx_bytes(**kwargs)

    monkeypatch.setattr(exports, "xlsx_bytes", slow_xlsx_bytes)

    def worker():
        try:
            services.queue_export_build(export_id=export.pk, filtered_queue=filtered_queue)
        finally:
            connection.close()

    first = threading.Thread(target=worker, name="first")
    second = threading.Thread(target=worker, name="second")
    first.start()
    assert first_is_building.wait(timeout=10)
    second.start()
    time.sleep(0.3)  # the second waits on the export's row lock meanwhile
    let_it_finish.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert builds == ["first"]
    export.refresh_from_db()
    assert export.state == ExportState.DONE
    assert len(stored_files()) == 1


# Only the officer who asked sees and downloads the spreadsheet


def test_another_officer_of_the_same_region_neither_sees_nor_downloads_the_export(client, officer_client, employer, moscow, moscow_rules):
    a_case(employer=employer)
    exported_xlsx(officer_client)
    export = latest_export()
    colleague = OfficerFactory(email="colleague@77.example", regions=[moscow])
    client.force_login(colleague)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    assert client.get(download_url(export)).status_code == 404
    page = client.get(reverse("applications:review-exports")).content.decode()
    assert download_url(export) not in page
    assert "You have not asked for a spreadsheet yet." in page


def test_an_officer_of_another_region_cannot_download_the_export(client, officer_client, officer_spb, employer, moscow_rules):
    a_case(employer=employer)
    exported_xlsx(officer_client)
    client.force_login(officer_spb)

    assert client.get(download_url(latest_export())).status_code == 404


def test_a_download_whose_file_is_missing_from_storage_is_a_404(officer_client, employer, moscow_rules):
    a_case(employer=employer)
    exported_xlsx(officer_client)
    export = latest_export()
    export.file.storage.delete(export.file.name)

    assert officer_client.get(download_url(export)).status_code == 404


def test_the_exports_page_lists_the_officers_latest_20_newest_first(officer_client, officer, moscow_rules):
    start = timezone.now() - dt.timedelta(days=1)
    for minutes in range(22):
        QueueExport.objects.create(requested_by=officer, created_at=start + dt.timedelta(minutes=minutes))

    page = exports_page(officer_client)

    shown = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', page)
    with translation.override("en"):
        expected = [
            date_format(timezone.localtime(start + dt.timedelta(minutes=minutes)), "SHORT_DATETIME_FORMAT")
            for minutes in range(21, 1, -1)
        ]
    assert shown == expected


def test_the_exports_page_costs_the_same_queries_for_1_and_for_20_exports(officer_client, officer, moscow_rules):
    QueueExport.objects.create(requested_by=officer)
    with CaptureQueriesContext(connection) as one:
        exports_page(officer_client)
    for _ in range(19):
        QueueExport.objects.create(requested_by=officer)
    with CaptureQueriesContext(connection) as twenty:
        exports_page(officer_client)

    assert len(twenty) == len(one)


# The border service's list


def test_the_border_list_has_one_row_per_approved_worker_and_none_for_refused_or_pending(officer_client, employer, moscow_rules):
    partly = ApplicationFactory(
        employer=employer, status=Status.PARTIALLY_APPROVED, reference="2021-000951", planned_arrival_date=dt.date(2021, 5, 3),
        checkpoint=checkpoint("DME"),
    )
    CaseWorkerFactory(
        application=partly, outcome=WorkerOutcome.APPROVED,
        worker=WorkerFactory(
            employer=employer, surname_latin="RAKHIMOV", given_names_latin="BOBUR OLIMOVICH", date_of_birth=dt.date(1988, 2, 29),
            citizenship="UZ", passport_number="FA1234567",
        ),
    )
    CaseWorkerFactory(
        application=partly, outcome=WorkerOutcome.REFUSED, refusal_reason="pcr_test",
        worker=WorkerFactory(employer=employer, surname_latin="REFUSEDOV"),
    )
    in_review = a_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000952")
    in_review.lines.update(outcome=WorkerOutcome.PENDING)
    rejected = a_case(employer=employer, status=Status.REJECTED, reference="2021-000953")
    rejected.lines.update(outcome=WorkerOutcome.REFUSED, refusal_reason="other")
    decide(partly)
    decide(rejected)

    response = officer_client.get(export_url("review-export-border-list"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="border-list-{timezone.localdate().isoformat()}.csv"'
    rows = csv_rows(response)
    assert rows == [
        BORDER_HEADER,
        [
            "2021-000951", "RAKHIMOV", "BOBUR OLIMOVICH", "1988-02-29", "UZB", "FA1234567", "DME",
            "Domodedovo — airport (DME), Moscow Oblast", "2021-05-03", "2021-05-03T12:00+03:00", "Europe/Moscow",
        ],
    ]


def test_the_border_list_groups_the_rows_by_checkpoint_with_other_crossings_last(officer_client, employer, moscow_rules):
    """Each checkpoint's guards read one block of rows; within it, by arrival date."""
    cases = [
        ("2021-000941", dt.date(2021, 5, 2), {"checkpoint": checkpoint("SVO")}),
        ("2021-000942", dt.date(2021, 5, 1), {"border_crossing_point": "Mamonovo", "border_region": region(39)}),
        ("2021-000943", dt.date(2021, 5, 1), {"checkpoint": checkpoint("road-verkhny-lars")}),
        ("2021-000944", dt.date(2021, 5, 3), {"checkpoint": checkpoint("DME")}),
        ("2021-000945", dt.date(2021, 5, 1), {"checkpoint": checkpoint("SVO")}),
        ("2021-000946", dt.date(2021, 5, 4), {"checkpoint": checkpoint("DME")}),
    ]
    for reference, arrival, crossing in cases:
        case = a_case(employer=employer, status=Status.APPROVED, reference=reference, planned_arrival_date=arrival, **crossing)
        case.lines.update(outcome=WorkerOutcome.APPROVED)
        decide(case)

    rows = csv_rows(officer_client.get(export_url("review-export-border-list")))

    assert [(row[0], row[6], row[7]) for row in rows[1:]] == [
        ("2021-000944", "DME", "Domodedovo — airport (DME), Moscow Oblast"),
        ("2021-000946", "DME", "Domodedovo — airport (DME), Moscow Oblast"),
        ("2021-000945", "SVO", "Sheremetyevo — airport (SVO), Moscow Oblast"),
        ("2021-000941", "SVO", "Sheremetyevo — airport (SVO), Moscow Oblast"),
        ("2021-000943", "road-verkhny-lars", "Verkhny Lars — road crossing, Republic of North Ossetia – Alania"),
        ("2021-000942", "", "Mamonovo, Kaliningrad Oblast"),
    ]


def test_the_border_list_is_filtered_by_the_arrival_dates_both_ends_included(officer_client, employer, moscow_rules):
    for reference, arrival in (("2021-000961", dt.date(2021, 6, 1)), ("2021-000962", dt.date(2021, 6, 15)), ("2021-000963", dt.date(2021, 7, 1))):
        case = a_case(employer=employer, status=Status.APPROVED, reference=reference, planned_arrival_date=arrival)
        case.lines.update(outcome=WorkerOutcome.APPROVED)
        decide(case)

    rows = csv_rows(officer_client.get(export_url("review-export-border-list", arrival_from="2021-06-01", arrival_to="2021-06-15")))

    assert [row[0] for row in rows[1:]] == ["2021-000961", "2021-000962"]


def test_a_border_list_range_that_ends_before_it_starts_is_refused_with_the_reason(officer_client, moscow_rules):
    response = officer_client.get(
        export_url("review-export-border-list", arrival_from="2021-06-15", arrival_to="2021-06-01"), follow=True
    )

    assert response.status_code == 200
    assert "Arrival to: The end of the range must not be before its start." in response.content.decode()


# Scoping


def test_an_officer_of_another_region_sees_none_of_moscows_rows_in_any_export(client, officer_spb, employer, spb, moscow_rules):
    moscow_case = a_case(employer=employer, status=Status.APPROVED, reference="2021-000971")
    moscow_case.lines.update(outcome=WorkerOutcome.APPROVED)
    decide(moscow_case)
    spb_case = a_case(employer=employer, region=spb, status=Status.APPROVED, reference="2021-000972")
    spb_case.lines.update(outcome=WorkerOutcome.APPROVED)
    decide(spb_case)
    client.force_login(officer_spb)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    queue_csv = csv_rows(client.get(export_url("review-export-csv", status="all")))
    queue_xlsx = xlsx_rows(exported_xlsx(client, status="all"))
    border = csv_rows(client.get(export_url("review-export-border-list")))

    for rows in (queue_csv, queue_xlsx, border):
        assert [row[0] for row in rows[1:]] == ["2021-000972"]


def test_drafts_never_appear_in_the_queue_export(officer_client, employer, moscow_rules):
    a_case(employer=employer, status=Status.DRAFT, reference="2021-000981")

    assert csv_rows(officer_client.get(export_url("review-export-csv")))[1:] == []


EVERY_EXPORT = [
    ("get", "review-export-csv"), ("post", "review-export-xlsx"), ("get", "review-exports"), ("get", "review-export-border-list"),
]


@pytest.mark.parametrize(("method", "name"), EVERY_EXPORT)
def test_the_employer_is_forbidden_every_export(client, employer_user, method, name):
    client.force_login(employer_user)

    assert getattr(client, method)(export_url(name)).status_code == 403
    assert not QueueExport.objects.exists()


def test_the_employer_is_forbidden_an_officers_download(client, officer_client, employer_user, employer, moscow_rules):
    a_case(employer=employer)
    exported_xlsx(officer_client)
    client.force_login(employer_user)

    assert client.get(download_url(latest_export())).status_code == 403


@pytest.mark.parametrize(("method", "name"), EVERY_EXPORT)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, method, name):
    response = getattr(client, method)(export_url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Cost


@pytest.mark.parametrize(("name", "status"), [("review-export-csv", Status.IN_REVIEW), ("review-export-border-list", Status.APPROVED)])
def test_an_export_costs_the_same_queries_for_1_and_for_50_rows(officer_client, officer, moscow_rules, name, status):
    def case():
        application = a_case(employer=EmployerFactory(), status=status, assigned_officer=OfficerFactory())
        application.lines.update(outcome=WorkerOutcome.APPROVED if status == Status.APPROVED else WorkerOutcome.PENDING)
        if status == Status.APPROVED:
            decide(application)

    case()
    with CaptureQueriesContext(connection) as one:
        assert len(csv_rows(officer_client.get(export_url(name)))) == 2
    for _ in range(49):
        case()
    with CaptureQueriesContext(connection) as fifty:
        assert len(csv_rows(officer_client.get(export_url(name)))) == 51

    assert len(fifty) == len(one)


# Retention


def test_spreadsheets_older_than_a_week_are_deleted_with_their_files_and_the_page_says_so(
    officer_client, employer, moscow_rules, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    a_case(employer=employer, reference="2021-000001")
    exported_xlsx(officer_client)
    exported_xlsx(officer_client)
    old, recent = QueueExport.objects.order_by("pk")
    QueueExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert len(stored_files()) == 2
    assert "Spreadsheets are deleted 7 days after they were asked for." in exports_page(officer_client)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_exports", stdout=out)

    assert out.getvalue().strip() == "Queue exports removed: 1."
    assert list(QueueExport.objects.all()) == [recent]
    assert stored_files() == [Path(django_settings.MEDIA_ROOT) / recent.file.name]
    assert officer_client.get(download_url(old)).status_code == 404
    assert officer_client.get(download_url(recent)).status_code == 200
    # Again: nothing more to delete.
    assert services.queue_exports_purge() == 0


def many_cases_like(application, count, *, prefix):
    """`count` more submitted cases copied from `application` in one insert (a factory per case
    would take minutes at 2,000)."""
    from applications.models import Application

    copies = []
    for number in range(count):
        copy = Application.objects.get(pk=application.pk)
        copy.pk = None
        copy.reference = f"{prefix}-{number:06d}"
        copies.append(copy)
    Application.objects.bulk_create(copies)


def test_the_csv_export_costs_the_same_queries_for_10_and_for_2000_rows(officer_client, officer, employer, moscow_rules):
    first = a_case(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    many_cases_like(first, 9, prefix="A")
    with CaptureQueriesContext(connection) as ten:
        assert len(csv_rows(officer_client.get(export_url("review-export-csv")))) == 11
    many_cases_like(first, 1990, prefix="B")
    with CaptureQueriesContext(connection) as two_thousand:
        assert len(csv_rows(officer_client.get(export_url("review-export-csv")))) == 2001

    assert len(two_thousand) == len(ten)


def test_the_csv_export_reads_only_the_columns_it_writes(officer_client, employer, moscow_rules):
    """A row of the queue export is 13 cells; the query behind it reads the 17 values they are
    made of (both company names and INNs, both region names, the officer's name and e-mail, the
    arrival's zone), not every column of the case, its employer, region, officer and crossing."""
    a_case(employer=employer, status=Status.IN_REVIEW)
    with CaptureQueriesContext(connection) as captured:
        assert len(csv_rows(officer_client.get(export_url("review-export-csv")))) == 2

    rows_query = next(query["sql"] for query in captured.captured_queries if "planned_arrival_at" in query["sql"])
    # Each value read is named (`... AS "name"`); what subqueries name inside their parentheses is not.
    outside_parentheses, depth = [], 0
    for character in rows_query.split(" FOR ", 1)[-1]:  # after the cursor's DECLARE ... FOR
        depth += {"(": 1, ")": -1}.get(character, 0)
        outside_parentheses.append(character if depth == 0 else "")
    read = re.findall(r' AS "([^"]+)"', "".join(outside_parentheses))
    assert len(read) == 17, read
    assert "project_name" not in rows_query
