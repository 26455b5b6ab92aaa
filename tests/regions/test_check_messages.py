"""A check is data (code, outcome, parameters) and reads in the reader's language when shown:
every message of the registry renders in English and in Russian, with nothing left unfilled."""

import re

import pytest
from django.utils import translation

from regions.check_messages import MESSAGES, names
from regions.rules import Check

LEFTOVER = re.compile(r"%\(|%[sd]\b|\)s|\)d")


def rendered(key: str, language: str) -> str:
    code, variant = key.split(":")
    check = Check(code, variant != "failed", True, {**MESSAGES[key].example, "variant": variant})
    with translation.override(language):
        return check.text


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_renders_in_english_and_in_russian_with_no_placeholder_left(key):
    english, russian = rendered(key, "en"), rendered(key, "ru")

    assert english and russian
    assert not LEFTOVER.search(english), english
    assert not LEFTOVER.search(russian), russian
    assert re.search("[а-яё]", russian, re.IGNORECASE), f"{key} is not translated: {russian}"
    assert not re.search("[а-яё]", english, re.IGNORECASE), f"{key} reads Russian in English: {english}"


def test_a_check_is_stored_as_its_code_and_parameters_with_no_text():
    check = Check("intake.open", True, True, {"region": names("Москва", "Moscow")})

    stored = check.as_dict()

    assert stored == {"code": "intake.open", "passed": True, "blocking": True, "params": {"region": {"ru": "Москва", "en": "Moscow"}}, "line_id": None}
    assert Check.from_dict(stored) == check


def test_a_stored_check_reads_in_the_language_of_its_reader():
    stored = Check("worker.passport", False, True, {"worker": "IVANOV I.", "date": "2021-03-01"}, line_id=7).as_dict()

    with translation.override("en"):
        assert Check.from_dict(stored).text == "IVANOV I.: the passport expires on 03/01/2021, before or on the arrival date."
    with translation.override("ru"):
        assert Check.from_dict(stored).text == "IVANOV I.: срок действия паспорта истекает 01.03.2021 — до даты прибытия или в этот день."


def test_names_and_countries_are_shown_in_the_readers_language():
    refused = Check("worker.citizenship", False, True, {"worker": "IVANOV I.", "country": "KG"})
    suspended = Check("intake.open", False, True, {"region": names("Москва", "Moscow"), "date": "2021-03-15"})

    with translation.override("en"):
        assert refused.text == "IVANOV I.: the region does not accept citizens of Kyrgyzstan."
        assert suspended.text.startswith("Moscow has suspended the intake")
        assert "03/15/2021" in suspended.text
    with translation.override("ru"):
        assert "Киргизия" in refused.text or "Кыргызстан" in refused.text
        assert suspended.text.startswith("Москва: приём иностранных работников приостановлен")
        assert "15.03.2021" in suspended.text


def test_a_legacy_check_stored_as_text_reads_as_it_was_written_in_any_language():
    legacy = {"code": "intake.open", "passed": False, "blocking": True, "message": "Moscow has suspended intake."}

    check = Check.from_dict(legacy)

    with translation.override("ru"):
        assert check.text == "Moscow has suspended intake."
    assert check.as_dict() == {**legacy, "line_id": None}


def test_a_check_whose_code_the_portal_no_longer_knows_reads_as_its_code():
    assert Check.from_dict({"code": "worker.retired_rule", "passed": False, "blocking": True, "params": {}}).text == "worker.retired_rule"
