"""The notice to an approved worker: one page in Russian and in the worker's language, chosen by
citizenship, saying the PCR test window of the region's rules, the isolation dates and address,
the employer's phone, the checkpoint and the arrival, in the time of the place of arrival."""

import datetime as dt
import io
from dataclasses import replace

import polib
import pypdf
import pytest
from django.conf import settings
from django.utils import translation

from applications.models import Decision
from applications.notices import (
    ALL_NOTICE_LANGUAGES,
    FALLBACK_LANGUAGE,
    NOTICE_CONTEXT,
    NOTICE_LANGUAGES,
    notice_facts,
    notice_language,
    notice_side,
    render_notices,
    worker_notice,
)
from regions.models import PcrTestTiming
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.notices import VLADIVOSTOK_DAY, approved_case, rules  # noqa: F401 (fixtures)
from tests.pages import url

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def squeezed(text: str) -> str:
    """Text without any space: a PDF breaks lines where it likes, after a hyphen too."""
    return "".join(text.split())


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_the_language_follows_the_citizenship():
    assert [notice_language(code) for code in ("UZ", "TJ", "KG", "KZ", "AM")] == ["uz", "tg", "ky", "kk", "hy"]
    assert notice_language("VN") == notice_language("DE") == notice_language("") == FALLBACK_LANGUAGE == "en"


def test_the_notice_languages_are_not_offered_by_the_portal():
    offered = {code for code, _name in settings.LANGUAGES}
    assert offered == {"ru", "en"}
    assert not offered & set(NOTICE_LANGUAGES.values())


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", sorted(NOTICE_LANGUAGES.values()))
def test_each_notice_catalogue_translates_every_notice_message_and_awaits_review(language):
    po = _catalogue(language)
    entries = [entry for entry in po if not entry.obsolete]
    assert entries and all(entry.msgctxt == NOTICE_CONTEXT for entry in entries)
    assert not [entry.msgid for entry in entries if not entry.translated() or "fuzzy" in entry.flags]
    assert "AWAITING REVIEW BY A NATIVE SPEAKER" in po.header
    # Django finds a catalogue of a language outside LANGUAGES through LOCALE_PATHS.
    with translation.override(language):
        assert translation.pgettext(NOTICE_CONTEXT, "Passport") == po.find("Passport", msgctxt=NOTICE_CONTEXT).msgstr


def _every_wording(facts):
    """The facts in every variant the notice words differently: each PCR timing (and none: no
    rules in force), isolation until the result, no isolation address."""
    variants = [replace(facts, pcr_timing=timing) for timing in (*PcrTestTiming.values, None)]
    return [replace(variant, isolation_until_result=True) for variant in variants] + [replace(facts, isolation_address="")]


def _sentences(side) -> list[str]:
    return [side.title, side.approved, *side.labels.values(), side.heading, *side.steps, *side.closing]


@pytest.mark.parametrize("language", [code for code in ALL_NOTICE_LANGUAGES if code != "en"])
def test_every_notice_renders_with_no_untranslated_string(approved_case, language):  # noqa: F811
    decision = Decision.objects.get(application=approved_case)
    for facts in _every_wording(notice_facts(decision, "+7 495 123-45-67")):
        english = _sentences(notice_side(facts, facts.isolation_address, "en"))
        translated = _sentences(notice_side(facts, facts.isolation_address, language))
        assert len(translated) == len(english)
        untranslated = [text for text, source in zip(translated, english, strict=True) if text == source]
        assert not untranslated, f"{language}: {untranslated}"
        if language != "ru":
            russian = _sentences(notice_side(facts, facts.isolation_address, "ru"))
            # A message missing from the catalogue falls back to Russian (settings.LANGUAGE_CODE),
            # unless the word is the same in both ("Паспорт" in Kyrgyz).
            same_word = {entry.msgstr for entry in _catalogue(language)}
            assert not [
                text for text, fallback in zip(translated, russian, strict=True) if text == fallback and text not in same_word
            ]


@pytest.mark.parametrize("citizenship", ["UZ", "TJ", "KG", "KZ", "AM", "VN"])
def test_the_pdf_says_every_sentence_in_russian_and_in_the_workers_language(approved_case, citizenship):  # noqa: F811
    decision = Decision.objects.get(application=approved_case)
    worker = decision.workers.select_related("line").get(line=approved_case.lines_by_citizenship[citizenship])
    facts = notice_facts(decision, "+7 495 123-45-67")
    notice = worker_notice(worker, facts, {})
    assert [side.language for side in notice.sides] == ["ru", notice_language(citizenship)]
    pdf = render_notices([notice])
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = squeezed(pdf_text(pdf))
    for side in notice.sides:
        for sentence in _sentences(side):
            assert squeezed(sentence) in text, f"{side.language}: {sentence}"
    assert squeezed(worker.name_latin) in text and worker.passport_number in text


def test_the_window_is_the_regions_rule_and_times_are_those_of_the_place_of_arrival(approved_case):  # noqa: F811
    decision = Decision.objects.get(application=approved_case)
    facts = notice_facts(decision, "")
    assert (facts.pcr_hours, facts.isolation_days, facts.zone) == (48, 10, "Asia/Vladivostok")
    with translation.override("en"):
        side = notice_side(facts, facts.isolation_address, "en")
    text = " ".join(side.steps + side.closing)
    day = VLADIVOSTOK_DAY
    # Arrival at 14:30 in Vladivostok; 48 hours before is 14:30 there two days before (not Moscow's 07:30).
    assert f"on {day:%d.%m.%Y} at 14:30" in text
    assert f"no more than 48 hours before arrival, not before 14:30 on {day - dt.timedelta(days=2):%d.%m.%Y}" in text
    assert f"10 days from the day of arrival, from {day:%d.%m.%Y} to {day + dt.timedelta(days=9):%d.%m.%Y} inclusive" in text
    assert "Moscow, Stroiteley street 5, hostel" in text
    assert "(Asia/Vladivostok)" in text


def test_the_employer_downloads_all_approved_workers_notices_one_page_each(employer_client, approved_case):  # noqa: F811
    response = employer_client.get(url("case-notices", approved_case.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text_of_pages = pages(b"".join(response.streaming_content) if response.streaming else response.content)
    assert len(text_of_pages) == 6
    assert not any("REFUSED" in page for page in text_of_pages)
    uzbek = next(page for page in text_of_pages if "WORKERUZ" in page)
    assert "Ishchiga eslatma" in uzbek
    vietnamese = next(page for page in text_of_pages if "WORKERVN" in page)
    assert "Notice to the worker" in vietnamese and "+7 495 123-45-67" in vietnamese


def test_one_workers_notice(employer_client, officer_client, approved_case):  # noqa: F811
    line = approved_case.lines_by_citizenship["AM"]
    for client in (employer_client, officer_client):
        response = client.get(url("worker-notice", approved_case.pk, line.pk))
        assert response.status_code == 200
        [page] = pages(response.content)
        assert "WORKERAM" in page and "Հիշեցում աշխատողին" in page


def test_a_refused_worker_has_no_notice(employer_client, approved_case):  # noqa: F811
    assert employer_client.get(url("worker-notice", approved_case.pk, approved_case.refused_line.pk)).status_code == 404


def test_a_worker_of_another_case_has_no_notice_here(employer_client, approved_case, employer, rules):  # noqa: F811
    other = ApplicationFactory(employer=employer)
    line = CaseWorkerFactory(application=other, worker=WorkerFactory(employer=employer))
    assert employer_client.get(url("worker-notice", approved_case.pk, line.pk)).status_code == 404


def test_another_company_and_another_regions_officer_get_404(client, other_employer_user, officer_spb, approved_case):  # noqa: F811
    line = approved_case.lines_by_citizenship["UZ"]
    for user in (other_employer_user, officer_spb):
        client.force_login(user)
        assert client.get(url("case-notices", approved_case.pk)).status_code == 404
        assert client.get(url("worker-notice", approved_case.pk, line.pk)).status_code == 404


def test_a_case_not_approved_has_no_notices(employer_client, submitted_case):
    assert employer_client.get(url("case-notices", submitted_case.pk)).status_code == 404
