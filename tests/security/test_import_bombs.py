"""The worker import against files built to exhaust memory when read naively (issue 16, item 1):
each kept small in tests/data/import_bombs/ (scripts/make_import_bombs.py writes them).

Each is sent through the import page as an employer would send it, and must be refused with a
sentence next to the file field, with less than MEMORY_CEILING allocated while the request runs
and no worker added.
"""

from __future__ import annotations

import html
import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import worker_import
from applications.models import Worker

pytestmark = pytest.mark.django_db

BOMBS = Path(__file__).resolve().parent.parent / "data" / "import_bombs"
MEMORY_CEILING = 100 * 1024 * 1024
HEADER = "surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation"


def field_error(response) -> str:
    match = re.search(r'id="error_1_id_file"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match, "no error is shown next to the file field"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def send(client, name: str, content: bytes) -> tuple[object, int]:
    tracemalloc.start()
    try:
        response = client.post(reverse("applications:worker-import"), {"file": SimpleUploadedFile(name, content)})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        ("shared-strings.xlsx", "A cell of the workbook has more than 500 characters (“"),
        ("wide-rows.xlsx", "A row of the workbook has more than 1,000 cells."),
        ("deep-xml.xlsx", "The workbook's XML is nested more than 100 levels deep"),
        ("entities.xlsx", "The workbook declares XML entities or a document type"),
        ("zip-ratio.xlsx", "The workbook is packed far more densely than a spreadsheet is."),
        ("huge-field.csv", "The row starting on line 2 of the file is longer than 25,000 characters."),
        ("many-columns.csv", "Line 2 of the file has values in more than 50 columns."),
        ("too-many-rows.csv", "The file has more than 10,000 workers."),
    ],
)
def test_each_bomb_is_refused_with_a_sentence_and_little_memory(employer_client, employer, bomb, message):
    content = (BOMBS / bomb).read_bytes()
    assert len(content) < 100 * 1024, "a bomb file is kept small"

    response, peak = send(employer_client, bomb, content)

    assert response.status_code == 200
    assert field_error(response).startswith(message)
    assert peak < MEMORY_CEILING, f"{peak / 2**20:.0f} MB allocated"
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_long_value_is_quoted_in_at_most_50_characters(employer_client):
    response, _ = send(employer_client, "shared-strings.xlsx", (BOMBS / "shared-strings.xlsx").read_bytes())

    quoted = re.search(r"“(.*?)”", field_error(response)).group(1)
    assert len(quoted) == 50 and quoted.endswith("…")
    assert len(response.content) < 100 * 1024


def _workbook(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_workbook_of_more_parts_than_the_limit_is_refused_before_they_are_read(employer_client):
    content = _workbook({f"xl/part{n}.xml": "<a/>" for n in range(worker_import.MAX_XLSX_PARTS + 1)})

    response, _ = send(employer_client, "parts.xlsx", content)

    assert field_error(response).startswith("The workbook has more than 500 parts.")


def test_a_part_that_unpacks_past_its_limit_is_refused_whatever_its_header_says(employer_client, monkeypatch):
    # Parts of random text pack poorly, so the ratio does not stop them: the count of bytes does.
    monkeypatch.setattr(worker_import, "MAX_UNPACKED_PART_BYTES", 1000)
    content = _workbook({"xl/worksheets/sheet1.xml": "<worksheet>" + "<x>1</x>" * 200 + "</worksheet>"})

    response, _ = send(employer_client, "big.xlsx", content)

    assert field_error(response) == "The workbook is too large once unpacked. Save the workers' sheet alone as CSV UTF-8."


def test_a_workbook_of_too_many_shared_strings_is_refused_while_they_are_read(employer_client, monkeypatch):
    monkeypatch.setattr(worker_import, "MAX_SHARED_STRINGS", 3)
    content = _workbook({"xl/sharedStrings.xml": "<sst>" + "<si><t>a</t></si>" * 4 + "</sst>"})

    response, _ = send(employer_client, "strings.xlsx", content)

    assert field_error(response).startswith("The workbook holds more than 3 different texts.")


def test_a_workbook_of_too_many_cells_is_refused_while_they_are_read(employer_client, monkeypatch):
    monkeypatch.setattr(worker_import, "MAX_CELLS", 5)
    rows = "".join(f'<row r="{n}"><c r="A{n}"/><c r="B{n}"/></row>' for n in range(1, 4))
    content = _workbook({"xl/worksheets/sheet1.xml": f"<worksheet><sheetData>{rows}</sheetData></worksheet>"})

    response, _ = send(employer_client, "cells.xlsx", content)

    assert field_error(response).startswith("The workbook has more than 5 cells.")


def test_a_value_past_the_50th_column_of_a_workbook_is_refused(employer_client):
    row = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="AZ1"><v>1</v></c></row>'
    content = _workbook({"xl/worksheets/sheet1.xml": f"<worksheet><sheetData>{row}</sheetData></worksheet>"})

    response, _ = send(employer_client, "columns.xlsx", content)

    assert field_error(response).startswith("The workbook has values in more than 50 columns.")


def test_a_csv_value_longer_than_500_characters_is_refused_and_quoted_short(employer_client):
    content = f"{HEADER}\nKARIMOV,{'A' * 600},M,1990-05-17,UZ,FA1234567,2031-01-01,Bricklayer\n".encode()

    response, _ = send(employer_client, "long.csv", content)

    assert field_error(response) == (
        "A value on line 2 of the file has more than 500 characters (“" + "A" * 49 + "…”). "
        "No worker's value is that long: check the file."
    )


def test_a_report_lists_the_problems_of_100_rows_and_counts_the_others(employer_client, employer):
    rows = [f"KARIMOV,ALISHER,X,1990-05-17,UZ,FA{n:07d},2031-01-01,Bricklayer" for n in range(130)]

    response, _ = send(employer_client, "bad.csv", "\n".join([HEADER, *rows]).encode())

    page = response.content.decode()
    assert page.count("Write M or F") == 100
    assert "And 30 more rows with errors." in page
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_bad_value_is_quoted_in_at_most_50_characters_in_the_report(employer_client):
    row = f"KARIMOV,ALISHER,{'Q' * 300},1990-05-17,UZ,FA1234567,2031-01-01,Bricklayer"

    response, _ = send(employer_client, "bad.csv", f"{HEADER}\n{row}".encode())

    assert "Write M or F (М or Ж), not “" + "Q" * 49 + "…”." in html.unescape(response.content.decode())


def test_a_workbook_of_too_many_formats_is_refused_before_openpyxl_builds_them(employer_client):
    # 200,000 cell formats in a 70 KB file made openpyxl allocate 280 MB; varied, so the ratio
    # does not refuse them first.
    xfs = "".join(f'<xf numFmtId="{n % 997}" fontId="{n % 89}"/>' for n in range(worker_import.MAX_OTHER_ELEMENTS + 1))
    content = _workbook({"xl/styles.xml": f"<styleSheet><cellXfs>{xfs}</cellXfs></styleSheet>"})

    response, _ = send(employer_client, "styles.xlsx", content)

    assert field_error(response).startswith("The workbook holds more than 50,000 formats or other elements besides the cells.")


def test_merged_cells_outside_the_rows_count_as_other_elements(employer_client, monkeypatch):
    monkeypatch.setattr(worker_import, "MAX_OTHER_ELEMENTS", 10)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 20))
    merged = '<mergeCell ref="A1:B1"/>' * 20
    sheet = f"<worksheet><sheetData>{rows}</sheetData><mergeCells>{merged}</mergeCells></worksheet>"

    response, _ = send(employer_client, "merged.xlsx", _workbook({"xl/worksheets/sheet1.xml": sheet}))

    assert field_error(response).startswith("The workbook holds more than 10 formats or other elements")
