"""Writes the small hostile files the worker import must refuse to tests/data/import_bombs/.

Each file is a few kilobytes and would, read naively, take hundreds of megabytes or more: the
tests (tests/security/test_import_bombs.py, tests/security/test_hostile_uploads.py) send them
through the import page. Run it again after changing a bomb: python scripts/make_import_bombs.py
"""

from __future__ import annotations

import random
import string
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "import_bombs"

HEADER = "surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = XML + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = XML + (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="Workers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = XML + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def sheet(rows: str) -> str:
    return XML + f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def shared_strings(items: str, count: int = 1, prolog: str = "") -> str:
    return XML + prolog + f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'


def workbook(path: Path, *, sheet_xml: str, strings_xml: str | None = None) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", strings_xml or shared_strings("<si><t>x</t></si>"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    letters = random.Random(16)

    # One shared string of 5,000 varied characters that a thousand cells name: read naively,
    # each cell holds it and each error message quotes it.
    long_text = "".join(letters.choice(string.ascii_letters) for _ in range(5_000))
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, 1001))
    workbook(
        OUT / "shared-strings.xlsx", sheet_xml=sheet(cells), strings_xml=shared_strings(f"<si><t>{long_text[:5_000]}</t></si>")
    )

    # A row of 5,000 cells (Excel's empty formatted cells): a sheet of such rows is millions of cells.
    wide = "".join(f'<c r="{column(n)}1" s="1"/>' for n in range(1, 5001))
    workbook(OUT / "wide-rows.xlsx", sheet_xml=sheet(f'<row r="1">{wide}</row>'))

    # Elements nested 50,000 deep: a recursive parser runs out of stack, a tree parser out of memory.
    workbook(OUT / "deep-xml.xlsx", sheet_xml=sheet('<row r="1">' + "<x>" * 50_000 + "</x>" * 50_000 + "</row>"))

    # The billion laughs: ten entities of ten each, 10^9 "lol"s from a few hundred bytes.
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    prolog = f'<!DOCTYPE sst [<!ENTITY lol0 "lol">{entities}]>'
    workbook(OUT / "entities.xlsx", sheet_xml=sheet(""), strings_xml=shared_strings("<si><t>&lol9;</t></si>", prolog=prolog))

    # Five megabytes of spaces inside the sheet, which deflate packs a thousand to one.
    workbook(OUT / "zip-ratio.xlsx", sheet_xml=sheet(" " * (5 * 1024 * 1024)))

    # A CSV value whose quotation mark never closes: the rest of the file is one value.
    (OUT / "huge-field.csv").write_text(HEADER + '\n"KARIMOV' + "A" * 60_000 + "\n", encoding="utf-8")

    # A CSV row of 10,000 columns.
    (OUT / "many-columns.csv").write_text(HEADER + "\n" + "x," * 10_000 + "\n", encoding="utf-8")

    # More rows than an import takes, each as short as a row can be.
    (OUT / "too-many-rows.csv").write_text(HEADER + "\n" + "A\n" * 10_001, encoding="utf-8")


def column(number: int) -> str:
    """Excel's column letters: 1 is A, 27 is AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


if __name__ == "__main__":
    main()
