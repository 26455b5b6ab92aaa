"""The officers' spreadsheets: what each export's columns are, and the CSV and XLSX writers.

CSV is streamed row by row (a region's queue or border list can run to hundreds of thousands of
rows, which must never sit in memory at once); XLSX cannot be streamed, so it is built in
openpyxl's write-only mode and capped.

Every text cell is neutralised against formula injection: a spreadsheet runs a cell that starts
with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, and the text
comes from employers (a company named `=HYPERLINK(...)` would otherwise become a live link or
worse on an officer's machine). Such text gets an apostrophe, which shows it as text. Looking at
the start of a value is not enough: a spreadsheet may split a field again (Excel set to Russian
splits a comma-separated file on `;`, "Text to columns" on whatever is picked, a line break can
start a row), so a trigger right after any of those separators gets its apostrophe too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo

import pycountry
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from applications.models import Application, DecisionWorker

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITERS = (",", ";")  # comma for English, semicolon for Excel where the comma is the decimal separator
UTF8_BOM = "\ufeff"  # lets Excel open the file as UTF-8 (Cyrillic names) instead of the ANSI code page
CSV_ROWS_PER_CHUNK = 500  # one chunk per row would cost a write to the socket per row
XLSX_MAX_ROWS = 100_000
# Rows fetched per round trip: a server-side cursor keeps memory flat however long the list.
EXPORT_CHUNK_SIZE = 2000

Cell = str | int | dt.date | dt.datetime | None


# Control characters (C0 and C1) other than tab and line feed: noise in a name, refused by
# openpyxl, and some are line breaks to a reader; a carriage return becomes a line feed first.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")
# Where a cell may start once a spreadsheet splits a value again: the value's start, and after a
# delimiter the portal writes (`,` `;`), a tab or a line break. Blanks and quotes before the
# trigger are skipped (a reader may trim them), and the apostrophe goes right before the trigger.
_TRIGGER_AT_A_CELL_START = re.compile(
    rf"(?:^|(?<=[,;\t\n\u2028\u2029]))((?:[^\S\t\n\u2028\u2029]|\")*)(?=[{re.escape(''.join(FORMULA_TRIGGERS))}])"
)


def neutralise_formula(value: Cell) -> Cell:
    """Text with control characters dropped and `'` before every formula trigger a spreadsheet
    could read at the start of a cell, whichever separator it splits on; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _CONTROL_CHARACTERS.sub("", _CARRIAGE_RETURN.sub("\n", value))
    return _TRIGGER_AT_A_CELL_START.sub(r"\1'", text)


def _local(value: dt.datetime) -> dt.datetime:
    # Spreadsheets have no time zones: the officer reads Moscow time, as on the pages.
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


# CSV


class _Echo:
    """A file-like object whose write() hands the text back, so csv.writer formats one row at a
    time for the response to send (Django's "Streaming large CSV files")."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return neutralise_formula(str(value))


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, delimiter: str = ",") -> Iterator[str]:
    """The CSV text in chunks: the BOM and the header first, then the rows as they are read. Every
    CSV the portal writes comes from here, so every text cell passes the formula guard."""
    if delimiter not in CSV_DELIMITERS:
        raise ValueError(f"the formula guard covers the delimiters {CSV_DELIMITERS}, not {delimiter!r}")
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield UTF8_BOM + writer.writerow([_csv_cell(str(title)) for title in header])
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([_csv_cell(value) for value in row]))
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# XLSX


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, dt.datetime):
        return _local(value)
    # The guard also drops the control characters openpyxl refuses outright.
    return neutralise_formula(value)


def xlsx_bytes(*, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], max_rows: int) -> bytes:
    """A one-sheet workbook of at most `max_rows` rows; beyond that the last line says the list was cut."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])  # Excel's limit on a sheet's name
    sheet.append([_xlsx_cell(str(title)) for title in header])
    for count, row in enumerate(rows):
        if count == max_rows:
            sheet.append([])
            sheet.append([
                ngettext(
                    "Only the first %(count)d row is included. Narrow the filters, or export CSV for every row.",
                    "Only the first %(count)d rows are included. Narrow the filters, or export CSV for every row.",
                    max_rows,
                )
                % {"count": max_rows}
            ])
            break
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The queue


QUEUE_HEADER = (
    _("Reference number"), _("Employer"), _("INN"), _("Region"), _("Kind"), _("Status"), _("Workers"),
    _("Submitted"), _("Planned arrival"), _("Decision due by"), _("Assigned officer"),
    _("Planned arrival, local time (ISO 8601)"), _("Time zone of arrival"),
)


def _local_arrival(application: Application) -> tuple[str, str]:
    """The planned arrival as the clocks of its zone read it, with the offset (ISO 8601, e.g.
    2021-05-12T14:30+10:00), and the zone's name: unambiguous for a machine and a person."""
    zone = application.arrival_zone
    return application.planned_arrival_at.astimezone(zone).isoformat(timespec="minutes"), zone.key


def with_company_as_decided(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The company's name and INN as each decision kept them (empty for an undecided case): an
    export names a decided case's company as the decision did, whatever it is called today."""
    return applications.annotate(decided_company_name=F("decision__company_name"), decided_company_inn=F("decision__company_inn"))


def queue_rows(applications: Iterable[Application]) -> Iterator[tuple[Cell, ...]]:
    """The queue's columns; expects the officer's queue query (region, employer and officer
    fetched with the case, `worker_count` annotated) passed through `with_company_as_decided`."""
    for application in applications:
        officer = application.assigned_officer
        yield (
            application.reference,
            application.decided_company_name or application.employer.name,
            application.decided_company_inn or application.employer.inn,
            application.region.name,
            application.get_kind_display(),
            application.get_status_display(),
            application.worker_count,
            application.submitted_at,
            application.planned_arrival_date,
            application.deadline,
            str(officer) if officer else "",
            *_local_arrival(application),
        )


# The border service's list


# The citizenship goes out as the ISO 3166-1 alpha-3 code: it is the code printed in a
# passport's machine-readable zone (ICAO Doc 9303), so the border guard compares it at a glance.
ALPHA_3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}

BORDER_LIST_HEADER = (
    _("Reference number"), _("Surname"), _("Given names"), _("Date of birth"),
    _("Citizenship (ISO 3166-1 alpha-3)"), _("Passport number"), _("Checkpoint code"), _("Border crossing point"),
    _("Arrival date"), _("Arrival, local time (ISO 8601)"), _("Time zone of arrival"),
)


def border_list_rows(workers: Iterable[DecisionWorker]) -> Iterator[tuple[Cell, ...]]:
    """The border service's columns, names in Latin letters as in the passport, as the decision
    named them; expects `approved_workers_for_border_service` (the decision's particulars fetched)."""
    language = "ru" if (get_language() or "ru").startswith("ru") else "en"
    for worker in workers:
        case = worker.decision.case_particulars
        zone = ZoneInfo(case["arrival_zone"])
        arrival = dt.datetime.fromisoformat(case["planned_arrival_at"]).astimezone(zone)
        yield (
            case["reference"],
            worker.surname_latin,
            worker.given_names_latin,
            worker.date_of_birth,
            ALPHA_3.get(worker.citizenship, worker.citizenship),
            worker.passport_number,
            # The checkpoint's code (empty for a crossing outside the list) and its name with its
            # kind and region, or the other crossing's name with its region.
            case["crossing"]["code"],
            case["crossing"][f"label_{language}"],
            dt.date.fromisoformat(case["planned_arrival_date"]),
            arrival.isoformat(timespec="minutes"),
            zone.key,
        )
