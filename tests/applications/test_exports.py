"""The officer's exports: the filtered queue as CSV (streamed) and XLSX, and the border service's
list of approved workers; scoped to the officer's regions, safe to open in a spreadsheet, and as
cheap for 50 rows as for 1."""

import csv
import datetime as dt
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import exports
from applications.models import Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, ApplicationWorkerFactory, EmployerFactory, WorkerFactory
from tests.portal.factories import OfficerFactory

pytestmark = pytest.mark.django_db

QUEUE_HEADER = [
    "Reference number", "Employer", "INN", "Region", "Kind", "Status", "Workers", "Submitted", "Planned arrival",
    "Decision due by", "Assigned officer",
]
BORDER_HEADER = [
    "Reference number", "Surname", "Given names", "Date of birth", "Citizenship (ISO 3166-1 alpha-3)", "Passport number",
    "Border crossing point", "Arrival date",
]


def export_url(name, **query):
    path = reverse(f"applications:{name}")
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def a_case(*, employer, status=Status.SUBMITTED, workers=1, **fields):
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for _ in range(workers):
        ApplicationWorkerFactory(application=application)
    return application


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# Formula injection


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+7 495 000", "'+7 495 000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tleading tab", "'\tleading tab"),
        ("\rleading return", "'\rleading return"),
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
    xlsx_row = xlsx_rows(officer_client.get(export_url("review-export-xlsx")))[1]

    assert csv_row[1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert xlsx_row[1] == '\'=HYPERLINK("http://evil.example","Click")'


def test_a_worker_named_as_a_formula_comes_out_as_text_in_the_border_list(officer_client, employer, moscow_rules):
    case = ApplicationFactory(employer=employer, status=Status.APPROVED, reference="2021-000902")
    ApplicationWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="@cmd|' /C calc'!A0"), outcome=WorkerOutcome.APPROVED
    )

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
        "2021-03-01 09:30", "2021-03-20", "2021-03-11", str(officer),
    ]]
    assert case.reference == rows[1][0]


def test_the_export_applies_the_queues_filters_and_sorting(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000921")
    a_case(employer=employer, status=Status.REJECTED, reference="2021-000922")
    a_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000923")
    a_case(employer=EmployerFactory(name="АО Другое"), status=Status.IN_REVIEW, reference="2021-000924")

    query = {"status": ["in_review", "rejected"], "employer": employer.inn, "o": "-reference", "page": 2}
    csv_references = [row[0] for row in csv_rows(officer_client.get(export_url("review-export-csv", **query)))[1:]]
    xlsx_references = [row[0] for row in xlsx_rows(officer_client.get(export_url("review-export-xlsx", **query)))[1:]]

    assert csv_references == ["2021-000923", "2021-000922"]
    assert xlsx_references == ["2021-000923", "2021-000922"]


def test_the_xlsx_export_has_the_header_real_dates_and_a_dated_file_name(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000931", planned_arrival_date=dt.date(2021, 4, 2))

    response = officer_client.get(export_url("review-export-xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="review-queue-{timezone.localdate().isoformat()}.xlsx"'
    rows = xlsx_rows(response)
    assert rows[0] == QUEUE_HEADER
    assert rows[1][0] == "2021-000931"
    assert rows[1][8] == dt.datetime(2021, 4, 2)  # a date cell, not text
    assert rows[1][6] == 1


def test_the_xlsx_export_stops_at_its_cap_and_says_so(officer_client, employer, moscow_rules, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for number in range(3):
        a_case(employer=employer, reference=f"2021-00094{number}")

    rows = xlsx_rows(officer_client.get(export_url("review-export-xlsx", o="reference")))

    assert [row[0] for row in rows[1:3]] == ["2021-000940", "2021-000941"]
    assert "2021-000942" not in [row[0] for row in rows if row]
    assert rows[-1][0] == "Only the first 2 rows are included. Narrow the filters, or export CSV for every row."


def test_an_invalid_filter_sends_the_officer_back_to_the_queue_with_the_reason(officer_client, employer, moscow_rules):
    response = officer_client.get(export_url("review-export-csv", arrival_from="not-a-date"), follow=True)

    assert response.redirect_chain[-1][0] == export_url("review-queue", arrival_from="not-a-date")
    assert "The export was not made; correct the filters first. Arrival from: Enter a valid date." in response.content.decode()


# The border service's list


def test_the_border_list_has_one_row_per_approved_worker_and_none_for_refused_or_pending(officer_client, employer, moscow_rules):
    partly = ApplicationFactory(
        employer=employer, status=Status.PARTIALLY_APPROVED, reference="2021-000951", planned_arrival_date=dt.date(2021, 5, 3),
        border_crossing_point="Domodedovo airport",
    )
    ApplicationWorkerFactory(
        application=partly, outcome=WorkerOutcome.APPROVED,
        worker=WorkerFactory(
            employer=employer, surname_latin="RAKHIMOV", given_names_latin="BOBUR OLIMOVICH", date_of_birth=dt.date(1988, 2, 29),
            citizenship="UZ", passport_number="FA1234567",
        ),
    )
    ApplicationWorkerFactory(
        application=partly, outcome=WorkerOutcome.REFUSED, refusal_reason="pcr_test",
        worker=WorkerFactory(employer=employer, surname_latin="REFUSEDOV"),
    )
    in_review = a_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000952")
    in_review.lines.update(outcome=WorkerOutcome.PENDING)
    rejected = a_case(employer=employer, status=Status.REJECTED, reference="2021-000953")
    rejected.lines.update(outcome=WorkerOutcome.REFUSED, refusal_reason="other")

    response = officer_client.get(export_url("review-export-border-list"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="border-list-{timezone.localdate().isoformat()}.csv"'
    rows = csv_rows(response)
    assert rows == [
        BORDER_HEADER,
        ["2021-000951", "RAKHIMOV", "BOBUR OLIMOVICH", "1988-02-29", "UZB", "FA1234567", "Domodedovo airport", "2021-05-03"],
    ]


def test_the_border_list_is_filtered_by_the_arrival_dates_both_ends_included(officer_client, employer, moscow_rules):
    for reference, arrival in (("2021-000961", dt.date(2021, 6, 1)), ("2021-000962", dt.date(2021, 6, 15)), ("2021-000963", dt.date(2021, 7, 1))):
        case = a_case(employer=employer, status=Status.APPROVED, reference=reference, planned_arrival_date=arrival)
        case.lines.update(outcome=WorkerOutcome.APPROVED)

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
    spb_case = a_case(employer=employer, region=spb, status=Status.APPROVED, reference="2021-000972")
    spb_case.lines.update(outcome=WorkerOutcome.APPROVED)
    client.force_login(officer_spb)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    queue_csv = csv_rows(client.get(export_url("review-export-csv")))
    queue_xlsx = xlsx_rows(client.get(export_url("review-export-xlsx")))
    border = csv_rows(client.get(export_url("review-export-border-list")))

    for rows in (queue_csv, queue_xlsx, border):
        assert [row[0] for row in rows[1:]] == ["2021-000972"]


def test_drafts_never_appear_in_the_queue_export(officer_client, employer, moscow_rules):
    a_case(employer=employer, status=Status.DRAFT, reference="2021-000981")

    assert csv_rows(officer_client.get(export_url("review-export-csv")))[1:] == []


@pytest.mark.parametrize("name", ["review-export-csv", "review-export-xlsx", "review-export-border-list"])
def test_the_employer_is_forbidden_every_export(client, employer_user, name):
    client.force_login(employer_user)

    assert client.get(export_url(name)).status_code == 403


@pytest.mark.parametrize("name", ["review-export-csv", "review-export-xlsx", "review-export-border-list"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, name):
    response = client.get(export_url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Cost


@pytest.mark.parametrize(("name", "status"), [("review-export-csv", Status.IN_REVIEW), ("review-export-border-list", Status.APPROVED)])
def test_an_export_costs_the_same_queries_for_1_and_for_50_rows(officer_client, officer, moscow_rules, name, status):
    def case():
        application = a_case(employer=EmployerFactory(), status=status, assigned_officer=OfficerFactory())
        application.lines.update(outcome=WorkerOutcome.APPROVED if status == Status.APPROVED else WorkerOutcome.PENDING)

    case()
    with CaptureQueriesContext(connection) as one:
        assert len(csv_rows(officer_client.get(export_url(name)))) == 2
    for _ in range(49):
        case()
    with CaptureQueriesContext(connection) as fifty:
        assert len(csv_rows(officer_client.get(export_url(name)))) == 51

    assert len(fifty) == len(one)
