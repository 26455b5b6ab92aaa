"""Reading a file of workers (CSV or XLSX) into rows of form data for the registry's import.

This module only reads: it finds the columns by their header (in English or Russian), turns
the spreadsheet's values into what the worker form expects (dates in ISO format, countries as
ISO codes, sex as M/F) and notes what it could not understand. Validating each row is the
worker form's job (applications/forms/workers.py), creating the workers the service's.

Everything a file can get wrong ends as an ImportFileError with a message for the user, never
as an exception that escapes as a server error.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import gettext
import io
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import openpyxl
import pycountry
from django.utils.dates import MONTHS_ALT
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.exports import csv_stream
from portal.email_text import cut

MAX_FILE_BYTES = 5 * 1024 * 1024
# The largest registries sent are a few thousand workers; a file of more is split.
MAX_ROWS = 10_000
# Excel keeps formatted but empty rows; past this many rows of any kind the sheet is refused
# rather than read to its end.
MAX_SHEET_ROWS = 100_000
MAX_COLUMNS = 50
# The longest value a worker's field holds is 200 characters (an occupation); a cell of more is
# a mistake or an attack, and quoting it whole made the error page hundreds of megabytes.
MAX_CELL_CHARS = 500
# How much of a value a message quotes.
QUOTED_CHARS = 50
# One CSV row with its quoted line breaks: 50 columns of 500 characters is 25,000.
MAX_CSV_RECORD_CHARS = MAX_COLUMNS * MAX_CELL_CHARS
# A 5 MB workbook can unpack to gigabytes (a "zip bomb"); real registries unpack to far less.
# Every part is unpacked in chunks and counted before any XML is read.
MAX_XLSX_PARTS = 500
MAX_UNPACKED_PART_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_XLSX_BYTES = 50 * 1024 * 1024
# Spreadsheet XML packs about 10:1; 100:1 is only reached by padding. Parts under a megabyte
# unpacked are harmless whatever their ratio.
MAX_COMPRESSION_RATIO = 100
MIN_RATIO_CHECKED_BYTES = 1024 * 1024
ZIP_CHUNK_BYTES = 64 * 1024
# Limits of the workbook's XML, checked at each element while it is parsed.
MAX_XML_DEPTH = 100
MAX_CELLS_PER_ROW = 1000
MAX_CELLS = 500_000
MAX_SHARED_STRINGS = 200_000
# Elements of the other parts openpyxl builds objects for (styles, the workbook, a sheet's merged
# cells and formats outside its rows): 200,000 cell formats took 280 MB; Excel itself keeps at
# most 64,000 formats, and a registry's workbook has a few dozen.
MAX_OTHER_ELEMENTS = 50_000

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_DELIMITERS = (",", ";", "\t")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportColumn:
    field: str
    english: str
    russian: str
    required: bool
    # Other headers people write for the same column.
    aliases: tuple[str, ...] = ()
    meaning: str = ""


COLUMNS = (
    ImportColumn("surname_latin", "surname_latin", "Фамилия (латиницей)", True,
                 ("Surname (Latin)", "Surname", "Фамилия латиницей", "Фамилия (лат.)"),
                 gettext_lazy("Latin letters as in the passport")),
    ImportColumn("given_names_latin", "given_names_latin", "Имя (латиницей)", True,
                 ("Given names (Latin)", "Given names", "Имена (латиницей)", "Имя латиницей", "Имя (лат.)"),
                 gettext_lazy("Latin letters as in the passport")),
    ImportColumn("surname_cyrillic", "surname_cyrillic", "Фамилия (кириллицей)", False,
                 ("Surname (Cyrillic)", "Фамилия кириллицей", "Фамилия"),
                 gettext_lazy("Cyrillic letters; may be empty")),
    ImportColumn("given_names_cyrillic", "given_names_cyrillic", "Имя (кириллицей)", False,
                 ("Given names (Cyrillic)", "Имена (кириллицей)", "Имя кириллицей", "Имя"),
                 gettext_lazy("Cyrillic letters; may be empty")),
    ImportColumn("sex", "sex", "Пол", True, ("Gender",), gettext_lazy("M or F (М or Ж)")),
    ImportColumn("date_of_birth", "date_of_birth", "Дата рождения", True, ("Date of birth", "Birth date"),
                 gettext_lazy("YYYY-MM-DD or DD.MM.YYYY")),
    ImportColumn("citizenship", "citizenship", "Гражданство", True, ("Nationality", "Country"),
                 gettext_lazy("ISO code (UZ or UZB) or the country's name in English or Russian")),
    ImportColumn("passport_number", "passport_number", "Номер паспорта", True,
                 ("Passport number", "Passport", "Паспорт", "Серия и номер паспорта"),
                 gettext_lazy("Letters and digits; spaces are removed")),
    ImportColumn("passport_expiry", "passport_expiry", "Паспорт действителен до", True,
                 ("Passport expiry", "Passport valid until", "Срок действия паспорта"),
                 gettext_lazy("YYYY-MM-DD or DD.MM.YYYY")),
    ImportColumn("occupation", "occupation", "Профессия", True, ("Position", "Job", "Должность", "Специальность"),
                 gettext_lazy("Free text")),
    ImportColumn("phone", "phone", "Телефон", False, ("Phone number", "Telephone", "Номер телефона"),
                 gettext_lazy("May be empty")),
)
DATE_FIELDS = ("date_of_birth", "passport_expiry")

SEX_WORDS = {
    "M": {"m", "м", "male", "man", "муж", "мужской", "мужчина"},
    "F": {"f", "ж", "female", "woman", "жен", "женский", "женщина"},
}

# Names people write that pycountry (English) and its Russian translation spell otherwise.
COUNTRY_ALIASES = {
    "россия": "RU", "рф": "RU", "russia": "RU",
    "молдова": "MD", "молдавия": "MD",
    "кыргызстан": "KG", "киргизстан": "KG", "kyrgyz republic": "KG", "kirghizia": "KG",
    "белоруссия": "BY", "республика беларусь": "BY",
    "сирия": "SY", "лаос": "LA", "венесуэла": "VE", "македония": "MK",
    "южная корея": "KR", "северная корея": "KP", "кндр": "KP",
    "великобритания": "GB", "сша": "US", "соединенные штаты америки": "US",
    "turkey": "TR", "uk": "GB", "usa": "US",
}


@dataclass
class ImportRow:
    number: int  # the row's number in the file as a spreadsheet shows it (the header is row 1)
    data: dict[str, str]  # what the worker form receives
    errors: dict[str, str] = field(default_factory=dict)  # values this module could not understand


@dataclass
class ImportTable:
    headers: dict[str, str]  # field -> the header as written in the file
    rows: list[ImportRow]
    ignored_headers: list[str]


# Normalising names and values


def clip(value: str) -> str:
    """A value as a message quotes it: at most QUOTED_CHARS characters."""
    return cut(value, QUOTED_CHARS)


def _key(text: str) -> str:
    """"Surname (Latin)", "surname_latin" and "SURNAME LATIN" become one key; so do ё and е."""
    return "".join(ch for ch in text.casefold().replace("ё", "е") if ch.isalnum())


@cache
def _header_fields() -> dict[str, str]:
    fields = {}
    for column in COLUMNS:
        for header in (column.field, column.english, column.russian, *column.aliases):
            fields[_key(header)] = column.field
    return fields


@cache
def _country_names() -> dict[str, str]:
    """Country names in English and Russian (short, official and common), casefolded -> ISO alpha-2."""
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)):
            if name:
                names[_country_key(name)] = country.alpha_2
                names[_country_key(russian.gettext(name))] = country.alpha_2
    names.update(COUNTRY_ALIASES)
    return names


def _country_key(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").split())


def country_code(value: str) -> str | None:
    """ISO alpha-2 code of a country given by its alpha-2 or alpha-3 code or its name, or None."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", value):
        country = pycountry.countries.get(alpha_2=value.upper())
    elif re.fullmatch(r"[A-Za-z]{3}", value):
        country = pycountry.countries.get(alpha_3=value.upper())
    else:
        return _country_names().get(_country_key(value))
    return country.alpha_2 if country else None


def _sex(value: str) -> str:
    word = value.strip().casefold().rstrip(".")
    return next((code for code, words in SEX_WORDS.items() if word in words), value)


_ISO_SHAPE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_SHAPE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SHORT_YEAR_SHAPE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}")
_SLASHED_SHAPE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date_in_words(day: int, month: int, year: int) -> str:
    # The month's name as it follows a day ("30 февраля" in Russian: Django's MONTHS_ALT).
    return _("%(day)d %(month)s %(year)d") % {"day": day, "month": MONTHS_ALT[month], "year": year}


def _real_date(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_problem(value: str) -> str:
    """Why a cell is not a date, in words: the day the month lacks, the month that does not
    exist, the order a slashed date leaves open; else the formats the import reads."""
    value = value.strip()
    if match := _SLASHED_SHAPE.fullmatch(value):
        first, second, year = (int(part) for part in match.groups())
        as_day_month, as_month_day = _real_date(first, second, year), _real_date(second, first, year)
        if as_day_month and as_month_day and first != second:
            return _("“%(value)s” could be %(one)s or %(other)s: write it as DD.MM.YYYY.") % {
                "value": clip(value),
                "one": _date_in_words(first, second, year),
                "other": _date_in_words(second, first, year),
            }
        if as_day_month or as_month_day:
            meant = as_day_month or as_month_day
            return _("Write the date with dots, as DD.MM.YYYY (%(date)s), not “%(value)s”.") % {
                "date": meant.strftime("%d.%m.%Y"), "value": clip(value),
            }
    if _SHORT_YEAR_SHAPE.fullmatch(value):
        return _("Write the year with four digits, as DD.MM.YYYY, not “%(value)s”.") % {"value": clip(value)}
    parts = None
    if match := _DOTTED_SHAPE.fullmatch(value):
        parts = tuple(int(part) for part in match.groups())
    elif match := _ISO_SHAPE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
        parts = (day, month, year)
    if parts:
        day, month, year = parts
        if not 1 <= month <= 12:
            return _("There is no month %(month)d in “%(value)s”: write the day first, as DD.MM.YYYY.") % {
                "month": month, "value": clip(value),
            }
        if year >= 1:
            days = calendar.monthrange(year, month)[1]
            return ngettext(
                "%(date)s is not a date: that month has %(days)d day.",
                "%(date)s is not a date: that month has %(days)d days.",
                days,
            ) % {"date": _date_in_words(day, month, year), "days": days}
    return _("Write the date as YYYY-MM-DD or DD.MM.YYYY, not “%(value)s”.") % {"value": clip(value)}


def _iso_date(value: str) -> str | None:
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, date_format).date().isoformat()
        except ValueError:
            continue
    return None


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: a date as YYYY-MM-DD, a passport number
    typed into a number cell without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _form_data(values: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    data = dict(values)
    errors: dict[str, str] = {}
    if data.get("sex"):
        data["sex"] = _sex(data["sex"])
        if data["sex"] not in SEX_WORDS:
            errors["sex"] = _("Write M or F (М or Ж), not “%(value)s”.") % {"value": clip(values["sex"])}
    for name in DATE_FIELDS:
        if data.get(name):
            iso = _iso_date(data[name])
            if iso is None:
                errors[name] = _date_problem(values[name])
            data[name] = iso or ""
    if data.get("citizenship"):
        code = country_code(data["citizenship"])
        if code is None:
            errors["citizenship"] = _(
                "“%(value)s” is not a country we know: give its ISO code (UZ or UZB) or its name in English or Russian."
            ) % {"value": clip(values["citizenship"])}
        data["citizenship"] = code or ""
    return data, errors


# Reading the file


def read_worker_file(uploaded) -> ImportTable:
    """The rows of an uploaded CSV or XLSX file, as form data; raises ImportFileError."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(megabytes)d MB. Split it into smaller files.") % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}
        )
    content = uploaded.read(MAX_FILE_BYTES + 1)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(XLSX_SIGNATURE):
        records = _xlsx_records(content)
    elif content.startswith(OLD_EXCEL_SIGNATURE):
        raise ImportFileError(_("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8 and upload it again."))
    else:
        records = _csv_records(content)
    return _table(records)


def _not_csv_nor_xlsx() -> ImportFileError:
    return ImportFileError(
        _("The file is neither a CSV file in UTF-8 nor an Excel workbook (.xlsx). If it is a CSV file in another "
          "encoding (such as Windows-1251), save it again as “CSV UTF-8”.")
    )


def _too_long_value(message: str, value: str, **place) -> ImportFileError:
    return ImportFileError(message % {**place, "characters": MAX_CELL_CHARS, "value": clip(value)})


def _too_many_columns(message: str, **place) -> ImportFileError:
    return ImportFileError(message % {**place, "columns": MAX_COLUMNS})


# CSV


class _BoundedLines:
    """The lines of the text for csv.reader, refusing a record (one row, with the lines of its
    quoted values) longer than MAX_CSV_RECORD_CHARS before the reader holds it: an unclosed
    quote would otherwise make the rest of the file one value."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="")
        self.record_chars = 0
        self.record_start = 1
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.line += 1
        self.record_chars += len(line)
        if self.record_chars > MAX_CSV_RECORD_CHARS:
            raise ImportFileError(
                _("The row starting on line %(line)d of the file is longer than %(characters)s characters. "
                  "A quotation mark may be missing: check the file.")
                % {"line": self.record_start, "characters": number_format(MAX_CSV_RECORD_CHARS, force_grouping=True)}
            )
        return line

    def record_read(self) -> None:
        self.record_chars = 0
        self.record_start = self.line + 1


def _csv_records(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_csv_nor_xlsx() from None
    if "\x00" in text:
        raise _not_csv_nor_xlsx()
    # The delimiter is judged on the start of the first line only: a first "line" can be the
    # whole file.
    first_line = text.lstrip("\r\n")[:MAX_CSV_RECORD_CHARS].split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    return _guarded_csv(_BoundedLines(text), delimiter)


def _guarded_csv(lines: _BoundedLines, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for record in reader:
            lines.record_read()
            if any(value.strip() for value in record[MAX_COLUMNS:]):
                raise _too_many_columns(
                    _(
                        "Line %(line)d of the file has values in more than %(columns)d columns. Keep only the workers' "
                        "columns and upload the file again."
                    ),
                    line=reader.line_num,
                )
            values = [value.strip() for value in record[:MAX_COLUMNS]]
            for value in values:
                if len(value) > MAX_CELL_CHARS:
                    raise _too_long_value(
                        _(
                            "A value on line %(line)d of the file has more than %(characters)d characters (“%(value)s”). "
                            "No worker's value is that long: check the file."
                        ),
                        value,
                        line=reader.line_num,
                    )
            yield values
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)d of the file could not be read as CSV (%(reason)s).") % {"line": reader.line_num, "reason": clip(str(exc))}
        ) from exc


# XLSX: the archive and its XML are checked as they are unpacked and parsed, in chunks, and
# refused at the first limit passed; only then does openpyxl read the first sheet's values.


def _zip_entry_count(content: bytes) -> int | None:
    """The number of parts the archive's end record declares, read before zipfile builds an
    object per part; None if there is no end record (not a zip)."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return None
    return struct.unpack("<H", content[end + 10 : end + 12])[0]


def _unreadable_workbook() -> ImportFileError:
    return ImportFileError(
        _("The file could not be read as an Excel workbook (.xlsx). Open it in Excel and save it again, or save it as CSV UTF-8.")
    )


def _workbook_too_large() -> ImportFileError:
    return ImportFileError(_("The workbook is too large once unpacked. Save the workers' sheet alone as CSV UTF-8."))


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Unpacks every part in chunks, counting the bytes really produced (a part's header can
    lie about its size), and stops at the first part or total past the limits or packed too
    densely."""
    total = 0
    for member in archive.infolist():
        unpacked = 0
        with archive.open(member) as stream:
            while chunk := stream.read(ZIP_CHUNK_BYTES):
                unpacked += len(chunk)
                total += len(chunk)
                if unpacked > MAX_UNPACKED_PART_BYTES or total > MAX_UNPACKED_XLSX_BYTES:
                    raise _workbook_too_large()
                if unpacked > MIN_RATIO_CHECKED_BYTES and unpacked > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
                    raise ImportFileError(
                        _("The workbook is packed far more densely than a spreadsheet is. Open it in Excel and save it "
                          "again, or save the workers' sheet as CSV UTF-8.")
                    )


def _column_number(reference: str) -> int:
    """1 for "A1", 27 for "AA7"; 0 if the reference has no letters."""
    number = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        number = number * 26 + ord(letter) - 64
        if number > 16_384:  # Excel's last column, XFD
            break
    return number


class _PartReader:
    """One XML part parsed with expat in chunks, with the limits checked at each element."""

    def __init__(self, limits: _WorkbookLimits, name: str):
        self.limits = limits
        self.name = name
        self.depth = 0
        self.root = ""
        self.text_chars = 0
        self.collect_text = False
        self.row_cells = 0
        self.cell_has_value = False
        self.cell_column = 0
        self.text = ""
        self.in_sheet_data = False
        self.other_elements = 0

    def parse(self, archive: zipfile.ZipFile) -> None:
        parser = xml.parsers.expat.ParserCreate()
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        with archive.open(self.name) as stream:
            while chunk := stream.read(ZIP_CHUNK_BYTES):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def refuse_dtd(self, *args) -> None:
        raise ImportFileError(
            _("The workbook declares XML entities or a document type, which Excel never writes. "
              "Open it in Excel and save it again, or save it as CSV UTF-8.")
        )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise ImportFileError(
                _("The workbook's XML is nested more than %(depth)d levels deep, which a spreadsheet never is. "
                  "Open it in Excel and save it again, or save it as CSV UTF-8.") % {"depth": MAX_XML_DEPTH}
            )
        name = tag.rpartition(":")[2]
        if self.depth == 1:
            self.root = name
        if self.root != "sst" and not self.in_sheet_data:
            self.other_elements += 1
            if self.other_elements > MAX_OTHER_ELEMENTS:
                raise ImportFileError(
                    _("The workbook holds more than %(count)s formats or other elements besides the cells. "
                      "Save the workers' sheet alone as CSV UTF-8.")
                    % {"count": number_format(MAX_OTHER_ELEMENTS, force_grouping=True)}
                )
        if self.root == "worksheet" and name == "sheetData":
            self.in_sheet_data = True
        if self.root == "worksheet":
            self.start_in_sheet(name, attributes)
        elif self.root == "sst" and name == "si":
            self.limits.shared_strings += 1
            if self.limits.shared_strings > MAX_SHARED_STRINGS:
                raise ImportFileError(
                    _("The workbook holds more than %(count)s different texts. Save the workers' sheet alone as CSV UTF-8.")
                    % {"count": number_format(MAX_SHARED_STRINGS, force_grouping=True)}
                )
            self.text_chars = 0
            self.text = ""
        elif self.root == "sst" and name == "t":
            self.collect_text = True

    def start_in_sheet(self, name: str, attributes: dict[str, str]) -> None:
        limits = self.limits
        if name == "row":
            self.row_cells = 0
            self.cell_column = 0
            limits.rows += 1
            number = attributes.get("r", "")
            row_number = int(number) if number.isdigit() and len(number) < 10 else limits.rows
            if limits.rows > MAX_SHEET_ROWS or row_number > MAX_SHEET_ROWS:
                raise ImportFileError(
                    _("The sheet has more than %(rows)s rows, counting empty ones. Delete the empty rows below your workers.")
                    % {"rows": number_format(MAX_SHEET_ROWS, force_grouping=True)}
                )
        elif name == "c":
            self.row_cells += 1
            limits.cells += 1
            if self.row_cells > MAX_CELLS_PER_ROW:
                raise ImportFileError(
                    _("A row of the workbook has more than %(cells)s cells. Delete the unused columns, or save the "
                      "workers' sheet alone as CSV UTF-8.") % {"cells": number_format(MAX_CELLS_PER_ROW, force_grouping=True)}
                )
            if limits.cells > MAX_CELLS:
                raise ImportFileError(
                    _("The workbook has more than %(cells)s cells. Save the workers' sheet alone as CSV UTF-8.")
                    % {"cells": number_format(MAX_CELLS, force_grouping=True)}
                )
            self.cell_column = _column_number(attributes.get("r", "")) or self.cell_column + 1
            self.cell_has_value = False
        elif name in ("v", "t", "f"):
            self.collect_text = True
            self.text_chars = 0
            self.text = ""
            if name != "f":
                self.cell_has_value = True
                if self.cell_column > MAX_COLUMNS:
                    raise _too_many_columns(
                        _(
                            "The workbook has values in more than %(columns)d columns. Keep only the workers' columns "
                            "and upload the file again."
                        )
                    )

    def characters(self, data: str) -> None:
        if not self.collect_text:
            return
        self.text_chars += len(data)
        if len(self.text) <= MAX_CELL_CHARS:
            self.text += data[: MAX_CELL_CHARS + 1]
        if self.text_chars > MAX_CELL_CHARS:
            raise _too_long_value(
                _(
                    "A cell of the workbook has more than %(characters)d characters (“%(value)s”). No worker's value "
                    "is that long: check the file."
                ),
                self.text,
            )

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.collect_text = False
        if tag.rpartition(":")[2] == "sheetData":
            self.in_sheet_data = False


@dataclass
class _WorkbookLimits:
    """What the parts read so far add up to."""

    rows: int = 0
    cells: int = 0
    shared_strings: int = 0


def _check_workbook(content: bytes) -> None:
    parts = _zip_entry_count(content)
    if parts is None:
        raise _not_csv_nor_xlsx()
    if parts > MAX_XLSX_PARTS:
        raise ImportFileError(
            _("The workbook has more than %(parts)d parts. Open it in Excel and save the workers' sheet alone as CSV UTF-8.")
            % {"parts": MAX_XLSX_PARTS}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if len(archive.infolist()) > MAX_XLSX_PARTS:
                raise _workbook_too_large()
            _check_archive(archive)
            limits = _WorkbookLimits()
            for member in archive.infolist():
                if member.filename.endswith((".xml", ".rels")):
                    _PartReader(limits, member.filename).parse(archive)
    except zipfile.BadZipFile:
        raise _not_csv_nor_xlsx() from None
    except (xml.parsers.expat.ExpatError, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError) as exc:
        raise _unreadable_workbook() from exc


def _xlsx_records(content: bytes) -> Iterator[list[str]]:
    _check_workbook(content)
    return _guarded_xlsx(content)


def _guarded_xlsx(content: bytes) -> Iterator[list[str]]:
    # openpyxl raises many kinds of exception on a damaged or foreign file (KeyError,
    # ValueError, zipfile errors, its own); to the user they all mean the same thing.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable_workbook() from exc
    try:
        if not workbook.worksheets:
            return
        for values in workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("The workbook's first sheet could not be read. Open it in Excel and save it again, or save it as CSV UTF-8.")
        ) from exc
    finally:
        workbook.close()


def filled_records(records: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The records that hold something, with their row number in the file; a sheet of more than
    MAX_SHEET_ROWS rows, empty ones counted, is refused while reading, not after."""
    for number, record in enumerate(records, start=1):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                _("The sheet has more than %(rows)s rows, counting empty ones. Delete the empty rows below your workers.")
                % {"rows": number_format(MAX_SHEET_ROWS, force_grouping=True)}
            )
        if any(record):
            yield number, record


def _table(records: Iterable[list[str]]) -> ImportTable:
    header: list[str] | None = None
    header_fields: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    rows: list[ImportRow] = []
    for number, record in filled_records(records):
        if header is None:
            header = record
            header_fields, headers, ignored = _columns(header)
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(rows)s workers. Split it into files of at most %(rows)s rows.") % {"rows": number_format(MAX_ROWS, force_grouping=True)}
            )
        values = {name: (record[index] if index < len(record) else "") for name, index in header_fields.items()}
        data, errors = _form_data(values)
        rows.append(ImportRow(number=number, data=data, errors=errors))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no workers under it."))
    return ImportTable(headers=headers, rows=rows, ignored_headers=ignored)


def _columns(header: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Which column holds which field; refuses a file that lacks a required column or names one twice."""
    known = _header_fields()
    indexes: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        name = known.get(_key(title))
        if name is None:
            if title:
                ignored.append(title)
            continue
        if name in indexes:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” both hold %(field)s. Keep one of them.")
                % {"first": clip(headers[name]), "second": clip(title), "field": name}
            )
        indexes[name] = index
        headers[name] = title
    missing = [column for column in COLUMNS if column.required and column.field not in indexes]
    if missing:
        names = ", ".join(f"{column.english} ({column.russian})" for column in missing)
        raise ImportFileError(
            ngettext(
                "The file has no column %(names)s. The first row must name the columns: download the template.",
                "The file has no columns %(names)s. The first row must name the columns: download the template.",
                len(missing),
            ) % {"names": names}
        )
    return indexes, headers, ignored


def template_csv(language: str) -> str:
    """The header row of an import file, in the user's language; Russian uses semicolons, as
    Excel does where the comma is the decimal separator. The byte order mark makes Excel read
    the file as UTF-8."""
    russian = language.startswith("ru")
    header = [column.russian if russian else column.english for column in COLUMNS]
    return "".join(csv_stream(header, [], delimiter=";" if russian else ","))
