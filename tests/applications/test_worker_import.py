"""Importing workers from a CSV or XLSX file: all rows or none, with a report of what to correct."""

import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Worker
from applications.services.workers import DuplicatePassport, workers_import
from applications.worker_import import MAX_ROWS, country_code
from tests.applications.factories import WorkerFactory
from tests.pages import field_error, text, url

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def report(response) -> list[tuple[str, str, str]]:
    """The rows of the "what to correct" table: (row, column, problem)."""
    section = re.search(r'id="import-problems-heading".*?</table>', response.content.decode(), re.S)
    assert section, "the page shows no report of problems"
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", section.group(0), re.S)
    return [tuple(html.unescape(cell).strip() for cell in row) for row in rows]


def upload(client, content: bytes, name: str = "workers.csv", follow: bool = True):
    return client.post(url("worker-import"), {"file": SimpleUploadedFile(name, content)}, follow=follow)


def expiry() -> str:
    return (timezone.localdate() + dt.timedelta(days=3 * 365)).isoformat()


HEADER = "surname_latin,given_names_latin,surname_cyrillic,given_names_cyrillic,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation,phone"


def csv_file(*rows: str, header: str = HEADER, delimiter: str = ",", bom: bool = False) -> bytes:
    lines = [header, *rows]
    content = "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"
    return ("\ufeff" if bom else "").encode() + content.encode()


def row(surname="KARIMOV", passport="FA1234567", born="1990-05-17", citizenship="UZ", sex="M", valid_until=None, given="ALISHER"):
    return f"{surname},{given},,,{sex},{born},{citizenship},{passport},{valid_until or expiry()},Bricklayer,"


# Happy paths


def test_a_csv_with_a_bom_and_semicolons_adds_every_worker(employer_client, employer):
    content = csv_file(
        f"Karimov;Alisher;Каримов;Алишер;M;1990-05-17;UZ;fa 123 4567;{expiry()};Bricklayer;+998901234567",
        f"Rahmonova;Nigora;;;F;17.05.1992;TJK;AB7654321;{expiry()};Plasterer;",
        f"Nazarov;Rustam;Назаров;Рустам;М;01.01.1985;Kyrgyzstan;ID0001112;{expiry()};Welder;",
        delimiter=";", bom=True,
    )

    response = upload(employer_client, content)

    assert "3 workers are added to your registry." in text(response)
    workers = {worker.surname_latin: worker for worker in Worker.objects.filter(employer=employer)}
    assert set(workers) == {"KARIMOV", "RAHMONOVA", "NAZAROV"}
    assert workers["KARIMOV"].passport_number == "FA1234567"
    assert workers["KARIMOV"].surname_cyrillic == "Каримов"
    assert (workers["RAHMONOVA"].citizenship, workers["RAHMONOVA"].sex) == ("TJ", "F")
    assert workers["RAHMONOVA"].date_of_birth == dt.date(1992, 5, 17)
    assert (workers["NAZAROV"].citizenship, workers["NAZAROV"].sex) == ("KG", "M")


def test_russian_headers_in_any_order_and_russian_country_names_are_understood(employer_client, employer):
    content = (
        "Гражданство;Пол;Фамилия (латиницей);Имя (латиницей);Дата рождения;Номер паспорта;Паспорт действителен до;Профессия\n"
        f"Узбекистан;Ж;Karimova;Dilnoza;17.05.1990;FA1234567;{expiry()};Повар\n"
        f"Республика Молдова;М;Rusu;Ion;01.02.1988;AB0001112;{expiry()};Каменщик\n"
    ).encode()

    response = upload(employer_client, content)

    assert "2 workers are added to your registry." in text(response)
    assert sorted(Worker.objects.filter(employer=employer).values_list("citizenship", "sex")) == [("MD", "M"), ("UZ", "F")]


def test_an_xlsx_workbook_with_date_cells_and_a_passport_typed_as_a_number_adds_every_worker(employer_client, employer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Surname (Latin)", "Given names (Latin)", "Sex", "Date of birth", "Citizenship", "Passport number",
                  "Passport valid until", "Occupation", "Phone"])
    valid_until = timezone.localdate() + dt.timedelta(days=1000)
    sheet.append(["Karimov", "Alisher", "M", dt.datetime(1990, 5, 17), "UZB", "FA1234567", valid_until, "Bricklayer", None])
    sheet.append(["Rahmonov", "Said", "m", "17.05.1991", "tj", 123456789, valid_until, "Welder", 79001234567])
    sheet.append([None] * 9)  # an empty row is left out, not refused
    sheet.append(["Aliev", "Ali", "M", "1989-01-31", "Azerbaijan", "C01234567", valid_until.isoformat(), "Driver", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(employer_client, buffer.getvalue(), name="workers.xlsx")

    assert "3 workers are added to your registry." in text(response)
    workers = {worker.surname_latin: worker for worker in Worker.objects.filter(employer=employer)}
    assert workers["KARIMOV"].date_of_birth == dt.date(1990, 5, 17)
    assert workers["KARIMOV"].passport_expiry == valid_until
    assert workers["RAHMONOV"].passport_number == "123456789"
    assert workers["RAHMONOV"].phone == "79001234567"
    assert workers["ALIEV"].citizenship == "AZ"


def test_an_unknown_column_is_left_out_and_the_page_says_so(employer_client, employer):
    content = csv_file(row() + ",call after 6", header=HEADER + ",Notes")

    response = upload(employer_client, content)

    assert "1 worker is added to your registry." in text(response)
    assert "These columns of the file were not recognised and were left out: “Notes”." in text(response)


# All or nothing


def test_one_bad_row_imports_nothing_and_the_report_gives_its_row_and_reason(employer_client, employer):
    under_18 = (timezone.localdate() - dt.timedelta(days=17 * 365)).isoformat()
    content = csv_file(row("KARIMOV", "FA0000001"), row("NAZAROV", "FA0000002", born=under_18), row("ALIEV", "FA0000003"))

    response = upload(employer_client, content)

    assert response.status_code == 200
    assert not Worker.objects.filter(employer=employer).exists()
    assert "Nothing was imported: 1 of 3 rows have errors." in text(response)
    assert report(response) == [("3", "date_of_birth", "The worker must be at least 18 years old.")]


def test_every_problem_of_every_row_is_reported_with_the_files_column_name(employer_client, employer):
    content = (
        "Фамилия (латиницей);Имя (латиницей);Пол;Дата рождения;Гражданство;Номер паспорта;Паспорт действителен до;Профессия\n"
        f"Каримов;Alisher;X;1990-05-17;Narnia;FA0000001;{expiry()};Bricklayer\n"
        f"Nazarov;Rustam;M;31/12/1990;UZ;FA0000002;2001-01-01;\n"
    ).encode()

    response = upload(employer_client, content)

    problems = report(response)
    assert ("2", "Фамилия (латиницей)", "Use the Latin letters of the passport (A–Z), spaces, hyphens and apostrophes only.") in problems
    assert ("2", "Пол", "Write M or F (М or Ж), not “X”.") in problems
    assert (
        "2", "Гражданство",
        "“Narnia” is not a country we know: give its ISO code (UZ or UZB) or its name in English or Russian.",
    ) in problems
    assert ("3", "Дата рождения", "Write the date with dots, as DD.MM.YYYY (31.12.1990), not “31/12/1990”.") in problems
    assert ("3", "Паспорт действителен до", "The passport expired on 01/01/2001: enter the worker's current passport.") in problems
    assert ("3", "Профессия", "“Профессия” is empty: fill it in for this worker.") in problems
    assert len(problems) == 6
    assert not Worker.objects.filter(employer=employer).exists()


def test_the_same_passport_twice_in_the_file_is_refused_on_the_second_row(employer_client, employer):
    content = csv_file(row("KARIMOV", "FA1234567"), row("NAZAROV", "AB0000001"), row("KARIMOV", "fa 1234567"))

    response = upload(employer_client, content)

    assert report(response) == [("4", "passport_number", "The same passport number and citizenship are on row 2 of the file too.")]
    assert not Worker.objects.filter(employer=employer).exists()


def test_the_same_passport_number_of_another_citizenship_in_the_file_is_accepted(employer_client, employer):
    content = csv_file(row("KARIMOV", "FA1234567", citizenship="UZ"), row("RAHMONOV", "FA1234567", citizenship="TJ"))

    upload(employer_client, content)

    assert Worker.objects.filter(employer=employer, passport_number="FA1234567").count() == 2


def test_a_passport_already_in_the_registry_is_refused_and_nothing_is_imported(employer_client, employer):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    WorkerFactory(citizenship="UZ", passport_number="AB0000001")  # another company's: no conflict

    response = upload(employer_client, csv_file(row("NAZAROV", "AB0000001"), row("KARIMOV", "FA1234567")))

    assert report(response) == [
        ("3", "passport_number", "A worker with this passport number and citizenship is already in your registry.")
    ]
    assert Worker.objects.filter(employer=employer).count() == 1


def test_the_import_service_adds_nothing_when_the_database_refuses_one_passport(employer, employer_user):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    rows = [
        {"surname_latin": name, "given_names_latin": "A", "sex": "M", "date_of_birth": dt.date(1990, 1, 1), "citizenship": "UZ",
         "passport_number": number, "passport_expiry": dt.date(2035, 1, 1), "occupation": "Welder"}
        for name, number in (("NAZAROV", "AB0000001"), ("KARIMOV", "FA1234567"))
    ]

    with pytest.raises(DuplicatePassport) as refusal:
        workers_import(employer=employer, user=employer_user, rows=rows)

    assert "nothing was imported" in refusal.value.message
    assert Worker.objects.filter(employer=employer).count() == 1


# Files that cannot be read


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG, "workers.csv", "The file is neither a CSV file in UTF-8 nor an Excel workbook (.xlsx)."),
        (PNG, "workers.xlsx", "The file is neither a CSV file in UTF-8 nor an Excel workbook (.xlsx)."),
        ("Фамилия;Имя\nКаримов;Алишер\n".encode("cp1251"), "workers.csv", "The file is neither a CSV file in UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "workers.xls", "This is an old Excel file (.xls)."),
        (b"PK\x03\x04 not really a zip", "workers.xlsx", "The file is neither a CSV file in UTF-8 nor an Excel workbook (.xlsx)."),
        (b"", "workers.csv", "The file is empty."),
        (b"\r\n  \r\n", "workers.csv", "The file is empty."),
        (HEADER.encode() + b"\r\n", "workers.csv", "The file has a header row but no workers under it."),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_message_next_to_the_file_field(employer_client, employer, content, name, message):
    response = upload(employer_client, content, name=name)

    assert response.status_code == 200
    assert field_error(response, "file").startswith(message)
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_zip_that_is_not_a_workbook_gets_a_message(employer_client, employer):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    response = upload(employer_client, buffer.getvalue(), name="workers.xlsx")

    assert field_error(response, "file").startswith("The file could not be read as an Excel workbook (.xlsx).")


def test_a_missing_required_column_is_named_in_the_message(employer_client, employer):
    header = HEADER.replace(",passport_number", "").replace(",sex", "")
    content = csv_file("KARIMOV,ALISHER,,,1990-05-17,UZ,2030-01-01,Bricklayer,", header=header)

    response = upload(employer_client, content)

    assert field_error(response, "file") == (
        "The file has no columns sex (Пол), passport_number (Номер паспорта). "
        "The first row must name the columns: download the template."
    )
    assert not Worker.objects.filter(employer=employer).exists()


def test_two_columns_for_the_same_field_are_refused(employer_client, employer):
    content = csv_file(row() + ",FA1", header=HEADER + ",Passport number")

    response = upload(employer_client, content)

    assert field_error(response, "file") == (
        "The columns “passport_number” and “Passport number” both hold passport_number. Keep one of them."
    )


def test_a_file_with_more_than_10000_workers_is_refused(employer_client, employer):
    rows = [row("KARIMOV", f"FA{n:07d}") for n in range(MAX_ROWS + 1)]

    response = upload(employer_client, csv_file(*rows))

    assert field_error(response, "file") == "The file has more than 10,000 workers. Split it into files of at most 10,000 rows."
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_file_larger_than_5_mb_is_refused(employer_client, employer):
    content = csv_file(row()) + b" " * (5 * 1024 * 1024)

    response = upload(employer_client, content)

    assert field_error(response, "file") == "The file is larger than 5 MB. Split it into smaller files."


def test_a_file_with_exactly_the_limit_of_workers_is_imported(employer_client, employer, monkeypatch):
    # The real limit (10,000) takes seconds to validate; the boundary is the same with 3.
    monkeypatch.setattr("applications.worker_import.MAX_ROWS", 3)

    refused = upload(employer_client, csv_file(*[row("KARIMOV", f"FA{n:07d}") for n in range(4)]))
    assert field_error(refused, "file") == "The file has more than 3 workers. Split it into files of at most 3 rows."

    accepted = upload(employer_client, csv_file(*[row("KARIMOV", f"FA{n:07d}") for n in range(3)]))
    assert "3 workers are added to your registry." in text(accepted)
    assert Worker.objects.filter(employer=employer).count() == 3


# The page and its template


def test_the_template_has_every_column_and_imports_as_it_is_once_filled(employer_client, employer, client):
    english_template = employer_client.get(url("worker-import-template"))
    assert english_template["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in english_template["Content-Disposition"]
    assert english_template.content.decode("utf-8-sig").strip() == HEADER

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    russian_header = client.get(url("worker-import-template")).content.decode("utf-8-sig").strip()
    assert russian_header.startswith("Фамилия (латиницей);Имя (латиницей);")
    filled = "\ufeff" + russian_header + "\r\n" + row().replace(",", ";") + "\r\n"
    upload(client, filled.encode())
    assert Worker.objects.filter(employer=employer, surname_latin="KARIMOV").exists()


def test_the_import_page_lists_the_columns_and_links_the_template(employer_client):
    response = employer_client.get(url("worker-import"))

    page = text(response)
    assert "Паспорт действителен до" in page
    assert "ISO code (UZ or UZB) or the country's name in English or Russian" in page
    assert url("worker-import-template") in response.content.decode()


def test_an_officer_cannot_import(client, officer):
    client.force_login(officer)

    response = client.post(url("worker-import"), {"file": SimpleUploadedFile("w.csv", csv_file(row()))})

    assert response.status_code == 403
    assert not Worker.objects.exists()


@pytest.mark.parametrize(
    ("value", "code"),
    [("UZ", "UZ"), ("uzb", "UZ"), ("Uzbekistan", "UZ"), ("узбекистан", "UZ"), ("Киргизия", "KG"), ("Кыргызстан", "KG"),
     ("Moldova", "MD"), ("Молдова", "MD"), ("Russia", "RU"), ("Российская Федерация", "RU"), ("Белоруссия", "BY"),
     ("Narnia", None), ("XX", None), ("", None)],
)
def test_countries_are_found_by_code_or_by_english_or_russian_name(value, code):
    assert country_code(value) == code


# Errors in words (issue 18, item 8): what is wrong with the value, not only the format expected.


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        ("30.02.1993", "30 February 1993 is not a date: that month has 28 days."),
        ("29.02.2023", "29 February 2023 is not a date: that month has 28 days."),
        ("31.04.1990", "31 April 1990 is not a date: that month has 30 days."),
        ("1993-02-30", "30 February 1993 is not a date: that month has 28 days."),
        ("12.13.1990", "There is no month 13 in “12.13.1990”: write the day first, as DD.MM.YYYY."),
        ("04/05/1990", "“04/05/1990” could be 4 May 1990 or 5 April 1990: write it as DD.MM.YYYY."),
        ("31/12/1990", "Write the date with dots, as DD.MM.YYYY (31.12.1990), not “31/12/1990”."),
        ("17.05.90", "Write the year with four digits, as DD.MM.YYYY, not “17.05.90”."),
        ("soon", "Write the date as YYYY-MM-DD or DD.MM.YYYY, not “soon”."),
    ],
)
def test_a_date_that_cannot_be_read_is_explained_in_words(employer_client, employer, born, problem):
    response = upload(employer_client, csv_file(row(born=born)))

    assert report(response) == [("2", "date_of_birth", problem)]
    assert not Worker.objects.filter(employer=employer).exists()


def test_the_29th_of_february_of_a_leap_year_is_a_date(employer_client, employer):
    upload(employer_client, csv_file(row(born="29.02.1996")))

    assert Worker.objects.get(employer=employer).date_of_birth == dt.date(1996, 2, 29)


def test_an_empty_required_cell_names_its_column(employer_client, employer):
    response = upload(employer_client, csv_file(row(surname="")))

    assert report(response) == [("2", "surname_latin", "“surname_latin” is empty: fill it in for this worker.")]


def test_the_explanation_reads_as_russian_for_a_russian_reader(client, employer_user, employer):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    client.force_login(employer_user)

    response = upload(client, csv_file(row(born="30.02.1993")))

    assert report(response) == [("2", "date_of_birth", "30 февраля 1993 г. — такой даты нет: в этом месяце 28 дней.")]
