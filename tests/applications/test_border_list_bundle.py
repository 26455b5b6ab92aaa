"""The border list bundle: the border list of the officer's regions as a ZIP of the CSV and one
PDF of the listed workers' notices, one page each; and the case pages link to the notices."""

import io
import zipfile

import pypdf
import pytest

from tests.helpers.notices import approved_case, rules  # noqa: F401 (fixtures)
from tests.pages import url

pytestmark = pytest.mark.django_db


def test_the_border_list_bundle_holds_the_list_and_the_notices(officer_client, approved_case):  # noqa: F811
    response = officer_client.get(url("review-export-border-bundle"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["border-list.csv", "notices.pdf"]
    listed = archive.read("border-list.csv").decode("utf-8-sig")
    notices = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(archive.read("notices.pdf"))).pages]
    assert len(notices) == 6 == listed.count("WORKER")
    assert "REFUSED" not in listed and not any("REFUSED" in page for page in notices)
    assert any("WORKERKZ" in page and "Жұмысшыға арналған жадынама" in page for page in notices)


def test_another_regions_officer_gets_a_bundle_without_the_case(client, officer_spb, approved_case):  # noqa: F811
    client.force_login(officer_spb)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(url("review-export-border-bundle")).streaming_content)))
    assert archive.namelist() == ["border-list.csv"]


def test_an_employer_cannot_download_the_bundle(employer_client, approved_case):  # noqa: F811
    assert employer_client.get(url("review-export-border-bundle")).status_code == 403


def test_both_case_pages_link_to_the_notices(english, employer_user, officer, approved_case):  # noqa: F811
    link = url("case-notices", approved_case.pk)
    english.force_login(employer_user)
    assert link in english.get(url("application-detail", approved_case.pk)).content.decode()
    english.force_login(officer)
    assert link in english.get(url("review-detail", approved_case.pk)).content.decode()
