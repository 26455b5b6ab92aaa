"""Reading a file of arrivals (CSV or XLSX): one row per worker with the passport number, the date
and the time of arrival (local time at the point of arrival) and the isolation address.

The file is read with the worker import's guarded readers (applications/worker_import.py): the
same limits on size, rows, columns, cell length and the parts of a workbook protect against
"zip bombs" and runaway quotes. This module only names the columns and turns the cells into
values; whether a row fits the case is the form's business (applications/forms/arrivals.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models.worker import passport_key
from applications.worker_import import (
    MAX_FILE_BYTES,
    OLD_EXCEL_SIGNATURE,
    XLSX_SIGNATURE,
    ImportFileError,
    _csv_records,
    _key,
    _xlsx_records,
    clip,
    filled_records,
)

# A case holds a charter's workers: 5,000 rows are more than any case we have seen (3,415).
MAX_ARRIVAL_ROWS = 5_000

# field -> the headers accepted for it (the first English and the first Russian are the template's).
ARRIVAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "passport_number": ("passport_number", "Номер паспорта", "Passport number", "Passport", "Паспорт"),
    "arrival_date": ("arrival_date", "Дата прибытия", "Arrival date", "Arrived on", "Date of arrival"),
    "arrival_time": ("arrival_time", "Время прибытия", "Arrival time", "Time of arrival"),
    "isolation_address": ("isolation_address", "Адрес изоляции", "Isolation address", "Address of isolation"),
}
REQUIRED_ARRIVAL_COLUMNS = ("passport_number", "arrival_date", "arrival_time")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M")


@dataclass
class ArrivalRow:
    number: int  # as a spreadsheet shows it: the header is row 1
    passport_key: str
    passport_as_written: str
    arrived_on: dt.date | None
    arrived_time: dt.time | None
    isolation_address: str
    errors: list[str] = field(default_factory=list)


def _parse(value: str, formats: tuple[str, ...], kind) -> object | None:
    for pattern in formats:
        try:
            parsed = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return parsed.date() if kind is dt.date else parsed.time()
    return None


def read_arrivals_file(uploaded) -> list[ArrivalRow]:
    """The rows of an uploaded file of arrivals; raises ImportFileError for a file that cannot be
    read as a whole. A row's own problems are in its `errors`."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(megabytes)d MB. Split it into smaller files.")
            % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}
        )
    content = uploaded.read(MAX_FILE_BYTES + 1)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(XLSX_SIGNATURE):
        records = _xlsx_records(content)
    elif content.startswith(OLD_EXCEL_SIGNATURE):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8 and upload it again.")
        )
    else:
        records = _csv_records(content)
    return _rows(records)


def _header_indexes(header: list[str]) -> dict[str, int]:
    known = {_key(title): name for name, titles in ARRIVAL_COLUMNS.items() for title in titles}
    indexes: dict[str, int] = {}
    for index, title in enumerate(header):
        name = known.get(_key(title))
        if name is not None and name not in indexes:
            indexes[name] = index
    missing = [name for name in REQUIRED_ARRIVAL_COLUMNS if name not in indexes]
    if missing:
        names = ", ".join(f"{ARRIVAL_COLUMNS[name][0]} ({ARRIVAL_COLUMNS[name][1]})" for name in missing)
        raise ImportFileError(
            ngettext(
                "The file has no column %(names)s. The first row must name the columns.",
                "The file has no columns %(names)s. The first row must name the columns.",
                len(missing),
            )
            % {"names": names}
        )
    return indexes


def _rows(records) -> list[ArrivalRow]:
    indexes: dict[str, int] | None = None
    rows: list[ArrivalRow] = []
    for number, record in filled_records(records):
        if indexes is None:
            indexes = _header_indexes(record)
            continue
        if len(rows) == MAX_ARRIVAL_ROWS:
            raise ImportFileError(
                _("The file has more than %(rows)s workers. Split it into files of at most %(rows)s rows.")
                % {"rows": number_format(MAX_ARRIVAL_ROWS, force_grouping=True)}
            )
        values = {name: (record[index].strip() if index < len(record) else "") for name, index in indexes.items()}
        rows.append(_row(number, values))
    if indexes is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no workers under it."))
    return rows


def _row(number: int, values: dict[str, str]) -> ArrivalRow:
    errors = []
    passport = values.get("passport_number", "")
    if not passport:
        errors.append(_("The passport number is missing."))
    date_text, time_text = values.get("arrival_date", ""), values.get("arrival_time", "")
    arrived_on = _parse(date_text, DATE_FORMATS, dt.date) if date_text else None
    arrived_time = _parse(time_text, TIME_FORMATS, dt.time) if time_text else None
    if not date_text:
        errors.append(_("The arrival date is missing."))
    elif arrived_on is None:
        errors.append(_("Write the arrival date as YYYY-MM-DD or DD.MM.YYYY, not “%(value)s”.") % {"value": clip(date_text)})
    if not time_text:
        errors.append(_("The arrival time is missing."))
    elif arrived_time is None:
        errors.append(_("Write the arrival time as HH:MM, not “%(value)s”.") % {"value": clip(time_text)})
    return ArrivalRow(
        number=number,
        passport_key=passport_key(passport),
        passport_as_written=clip(passport),
        arrived_on=arrived_on,
        arrived_time=arrived_time,
        isolation_address=values.get("isolation_address", ""),
        errors=errors,
    )
