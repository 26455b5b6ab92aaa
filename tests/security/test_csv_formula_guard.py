"""The exports cannot carry a formula into an officer's spreadsheet (issue 16, item 5).

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return. The
guard used to look only at the start of a value, but a spreadsheet may split a field again: Excel
set to Russian splits a comma-separated file on `;`, "Text to columns" splits on whatever the
officer picks, and a line break inside a field can start a row of its own. So after writing and
reading back, and after splitting every line naively on any delimiter the portal writes, no cell
may start with a trigger, whatever the text.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from applications import exports
from applications.models import Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory, decide
from tests.regions.factories import checkpoint, region

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";")
# Where a spreadsheet or a person may split a line: the delimiters the portal writes, and tab.
NAIVE_SEPARATORS = (",", ";", "\t")

# Text that looks for trouble: triggers, delimiters, quotes, blanks, every kind of line break and
# control character, mixed with any other character.
hostile_pieces = st.one_of(
    st.sampled_from(
        [
            *TRIGGERS,
            ",",
            ";",
            '"',
            "'",
            " ",
            "\xa0",
            "\n",
            "\r\n",
            "\x00",
            "\x07",
            "\x0b",
            "\x0c",
            "\x1c",
            "\x1e",
            "\x7f",
            "\x85",
            "\u2028",
            "\u2029",
            "\ufeff",
            "a",
            "Я",
            "1",
        ]
    ),
    # Any character PostgreSQL can store: a lone surrogate cannot be in the database, nor in UTF-8.
    st.characters(codec="utf-8"),
)
hostile_text = st.lists(hostile_pieces, max_size=40).map("".join)
hostile_rows = st.lists(st.lists(hostile_text, min_size=1, max_size=4), max_size=4)


def blank_or_quote(character: str) -> bool:
    """What a reader may skip before a cell's value: blanks (LibreOffice can trim them) and the
    quotes of a quoted field; tab and line breaks are not blanks here."""
    return character == '"' or (character.isspace() and character not in "\t\n\r\u2028\u2029")


def starts_with_trigger(cell: str) -> bool:
    start = 0
    while start < len(cell) and blank_or_quote(cell[start]):
        start += 1
    return cell[start:].startswith(TRIGGERS)


def written(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    """The export as the officer's machine receives it: UTF-8 bytes with a byte order mark."""
    body = "".join(exports.csv_stream(header, rows, delimiter=delimiter)).encode("utf-8")
    assert body.startswith(b"\xef\xbb\xbf")
    return body.decode("utf-8-sig")


def assert_no_cell_starts_with_a_trigger(text: str, delimiter: str) -> None:
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        for cell in row:
            assert not starts_with_trigger(cell), (cell, delimiter)
    for line in text.splitlines():
        for separator in NAIVE_SEPARATORS:
            for cell in line.split(separator):
                assert not starts_with_trigger(cell), (cell, separator, line)


def without_guard(text: str) -> str:
    """A value as it should read once the guard's apostrophes are taken out: control characters
    other than tab and line feed dropped, every carriage return a line feed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or not (c < " " or "\x7f" <= c <= "\x9f")).replace("'", "")


# The writer, for any text


@pytest.mark.parametrize("delimiter", DELIMITERS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(hostile_text, min_size=1, max_size=3), rows=hostile_rows)
@example(header=["Employer"], rows=[['ООО Ромашка;=HYPERLINK("http://evil.example";"Click")']])
@example(header=["Employer"], rows=[["a,=1+1", "b;+1", "c\t-1", "d\n@SUM(A1)", "e\r=1", 'f; "=1', "g;\t=1"]])
def test_no_cell_starts_with_a_formula_after_reading_or_naive_splitting(delimiter, header, rows):
    text = written(header, rows, delimiter)

    assert_no_cell_starts_with_a_trigger(text, delimiter)


@pytest.mark.parametrize("delimiter", DELIMITERS)
@settings(max_examples=200, deadline=None)
@given(rows=hostile_rows)
def test_the_guard_only_adds_apostrophes_and_drops_control_characters(delimiter, rows):
    """The officer still reads what the company wrote: nothing but control characters is lost."""
    read = list(csv.reader(io.StringIO(written(["h"], rows, delimiter), newline=""), delimiter=delimiter))[1:]

    assert [[cell.replace("'", "") for cell in row] for row in read] == [[without_guard(value) for value in row] for row in rows]
    for row in read:
        for cell in row:
            assert not any((c < " " and c not in "\t\n") or "\x7f" <= c <= "\x9f" for c in cell)


@settings(max_examples=100, deadline=None)
@given(rows=hostile_rows)
def test_the_spreadsheet_export_takes_any_text_and_no_cell_starts_with_a_formula(rows):
    workbook = openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_bytes(sheet_title="t", header=["h"], rows=rows, max_rows=10)), read_only=True
    )
    for row in workbook.active.iter_rows(values_only=True):
        for cell in row:
            if isinstance(cell, str):
                assert not starts_with_trigger(cell)
                for line in cell.splitlines():
                    for separator in NAIVE_SEPARATORS:
                        assert not any(starts_with_trigger(part) for part in line.split(separator)), cell


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ('ООО Ромашка;=HYPERLINK("http://evil";"x")', 'ООО Ромашка;\'=HYPERLINK("http://evil";"x")'),
        ("a,+1", "a,'+1"),
        ("a\t-1", "a\t'-1"),
        ("a\n@SUM(A1)", "a\n'@SUM(A1)"),
        ("a\r\n=1", "a\n'=1"),
        ("a; =1", "a; '=1"),
        ('a;"=1"', 'a;"\'=1"'),
        ("a;\t=1", "a;'\t'=1"),
        ("Bell\x07 and NUL\x00 gone", "Bell and NUL gone"),
        ("Иванов-Петров, ООО «Ромашка» 50%", "Иванов-Петров, ООО «Ромашка» 50%"),
        ("user@example.org; +7 495", "user@example.org; '+7 495"),
    ],
)
def test_a_trigger_after_any_delimiter_or_line_break_is_neutralised(text, guarded):
    assert exports.neutralise_formula(text) == guarded


# Through the real exports


def export_body(client, name: str, language: str) -> str:
    # Every status: the queue (and its export) opens on the cases awaiting decision.
    response = client.get(reverse(f"applications:{name}"), {"status": "all"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8-sig")


HOSTILE_COMPANY = 'ООО "Ромашка";=HYPERLINK("http://evil.example";"Click"),+cmd|\' /C calc\'!A0\r\n@SUM(A1)\x07'
HOSTILE_CROSSING = "Мамоново;-2+3,=1+1\t@A1"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_company_and_a_crossing_named_as_formulas_are_text_in_every_export(client, officer, moscow_rules, language):
    company = EmployerFactory(name=HOSTILE_COMPANY)
    ApplicationFactory(employer=company, status=Status.SUBMITTED, reference="2021-001601")
    approved = ApplicationFactory(
        employer=company,
        status=Status.APPROVED,
        reference="2021-001602",
        border_crossing_point=HOSTILE_CROSSING,
        border_region=region(39),
    )
    CaseWorkerFactory(application=approved, outcome=WorkerOutcome.APPROVED, worker=WorkerFactory(employer=company))
    decide(approved)
    client.force_login(officer)

    queue = export_body(client, "review-export-csv", language)
    border_list = export_body(client, "review-export-border-list", language)

    for text in (queue, border_list):
        for delimiter in DELIMITERS:
            assert_no_cell_starts_with_a_trigger(text, delimiter)
    # The officer still reads the name and the crossing, as text.
    names = [row[1] for row in csv.reader(io.StringIO(queue, newline=""))][1:]
    assert names == ['ООО "Ромашка";\'=HYPERLINK("http://evil.example";"Click"),\'+cmd|\' /C calc\'!A0\n\'@SUM(A1)'] * 2
    crossing = [row[7] for row in csv.reader(io.StringIO(border_list, newline=""))][1]
    assert crossing.startswith("Мамоново;'-2+3,'=1+1\t'@A1, ")


@pytest.mark.django_db
def test_a_checkpoint_renamed_as_a_formula_is_text_in_the_border_list(client, officer, employer, moscow_rules):
    """Checkpoints are reference data an admin can edit: their names go through the guard too."""
    renamed = checkpoint("DME")
    renamed.name_en = 'Domodedovo;=HYPERLINK("http://evil.example")'
    renamed.save()
    case = ApplicationFactory(
        employer=employer,
        status=Status.APPROVED,
        reference="2021-001603",
        checkpoint=renamed,
        planned_arrival_date=dt.date(2021, 5, 3),
    )
    CaseWorkerFactory(application=case, outcome=WorkerOutcome.APPROVED, worker=WorkerFactory(employer=employer))
    decide(case)
    client.force_login(officer)

    border_list = export_body(client, "review-export-border-list", "en")

    for delimiter in DELIMITERS:
        assert_no_cell_starts_with_a_trigger(border_list, delimiter)
    row = list(csv.reader(io.StringIO(border_list, newline="")))[1]
    assert row[7].startswith('Domodedovo;\'=HYPERLINK("http://evil.example") — airport (DME)')
