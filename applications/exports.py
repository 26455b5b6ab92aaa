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
from django.db import connections, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from applications.models import Application, ApplicationKind, Decision, DecisionWorker, Status

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

# Text the substitutions below leave as it is, told in two quick looks for nearly every cell: no
# control character (tab and carriage return included) and no separator anywhere, so a cell can
# start only at the value's start, and no trigger there.
_NO_CONTROL_OR_SEPARATOR = re.compile(r"[^\x00-\x1f\x7f-\x9f,;\u2028\u2029]*")
_TRIGGER_AT_THE_START = re.compile(rf"(?:[^\S\t\n\u2028\u2029]|\")*[{re.escape(''.join(FORMULA_TRIGGERS))}]")


def neutralise_formula(value: Cell) -> Cell:
    """Text with control characters dropped and `'` before every formula trigger a spreadsheet
    could read at the start of a cell, whichever separator it splits on; other values unchanged."""
    if not isinstance(value, str):
        return value
    if _NO_CONTROL_OR_SEPARATOR.fullmatch(value) and not _TRIGGER_AT_THE_START.match(value):
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


def _csv_cell(value: Cell, zone: dt.tzinfo | None = None) -> str | int:
    kind = type(value)
    if kind is str:  # most cells: tested first, by exact type (a subclass goes through str() below)
        return neutralise_formula(value)
    if value is None:
        return ""
    if kind is int:
        return value
    if isinstance(value, dt.datetime):
        # As _local, with the zone looked up once per file rather than once per cell.
        return (value.astimezone(zone) if zone else _local(value)).strftime("%Y-%m-%d %H:%M")
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
    zone = timezone.get_current_timezone()  # the officer reads Moscow time, as on the pages
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([_csv_cell(value, zone) for value in row]))
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


# The queue's columns exactly, read as plain tuples: building a model instance (and its region,
# employer, officer, checkpoint and decision) for every row made the export four times slower.
# The company is the one the decision named, else today's (an export names a decided case's
# company as the decision did, whatever it is called today). It is read by a subquery per row,
# after the sort, not by a join: a join made PostgreSQL read the whole decisions table (with the
# letters' particulars, hundreds of MB) before the first row. The arrival's zone is that of the
# region where the border is crossed (Application.arrival_zone), picked in SQL.
_QUEUE_VALUES = (
    "reference", "export_decided_name", "employer__name", "export_decided_inn", "employer__inn",
    "region__name_ru", "region__name_en", "kind", "status", "worker_count", "submitted_at", "planned_arrival_date",
    "deadline", "assigned_officer__full_name", "assigned_officer__email", "planned_arrival_at",
)


def queue_export_rows(applications: QuerySet[Application], *, limit: int | None = None) -> Iterator[tuple[Cell, ...]]:
    """The queue's columns for the officer's (scoped, filtered, ordered, `worker_count`
    annotated) queue query, at most `limit` rows. Labels and the region's name are taken in the
    language active now, when the export is asked for, not when the stream is read."""
    russian = (get_language() or "ru").startswith("ru")
    kinds = {value: str(label) for value, label in ApplicationKind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    decision = Decision.objects.filter(application=OuterRef("pk"))
    values = applications.annotate(
        export_decided_name=Subquery(decision.values("company_name")[:1]),
        export_decided_inn=Subquery(decision.values("company_inn")[:1]),
    ).values_list(
        *_QUEUE_VALUES, Coalesce("checkpoint__region__time_zone", "border_region__time_zone", "region__time_zone")
    )
    if limit is not None:
        values = values[:limit]
    return _queue_rows(values, russian=russian, kinds=kinds, statuses=statuses)


def _queue_rows(values, *, russian: bool, kinds: dict, statuses: dict) -> Iterator[tuple[Cell, ...]]:
    zones: dict[str, ZoneInfo] = {}
    for (
        reference, decided_name, employer_name, decided_inn, employer_inn, region_ru, region_en, kind, status, workers,
        submitted, arrival_date, due, officer_name, officer_email, arrival_at, zone_key,
    ) in read_in_one_transaction(values):
        zone = zones.get(zone_key) or zones.setdefault(zone_key, ZoneInfo(zone_key))
        yield (
            reference,
            decided_name or employer_name,
            decided_inn or employer_inn,
            region_ru if russian else region_en,
            kinds.get(kind, kind),
            statuses.get(status, status),
            workers,
            submitted,
            arrival_date,
            due,
            officer_name or officer_email or "",
            # The planned arrival as the clocks of its zone read it, with the offset (ISO 8601,
            # e.g. 2021-05-12T14:30+10:00), and the zone's name: unambiguous for a machine and a person.
            arrival_at.astimezone(zone).isoformat(timespec="minutes"),
            zone_key,
        )


def read_in_one_transaction(queryset: QuerySet) -> Iterator:
    """The rows of `queryset` through a server-side cursor, EXPORT_CHUNK_SIZE a round trip, inside
    a transaction of their own. Outside a transaction Django declares the cursor WITH HOLD, and
    PostgreSQL then runs the whole query and keeps its result before the first row comes back
    (a second's wait for 100,000 rows); inside one the rows stream as they are found. A download
    broken off closes this generator, which ends the read-only transaction."""
    with transaction.atomic(using=queryset.db):
        with connections[queryset.db].cursor() as cursor:
            # A long export's plan costs enough for PostgreSQL to compile it first (JIT): a
            # second or so before the first row, for a query whose rows are then only read.
            cursor.execute("SET LOCAL jit = off")
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)


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
