"""A decision keeps its checks as data, not as text in the officer's language of the day: the
same decision reads in English to an English reader and in Russian to a Russian one, and still
says what it said when it was made (the region's name of that day, the record's digest)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from applications import services
from applications.decision_record import stored_record_matches
from applications.models import Decision, Status
from regions.models import Region
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, DecisionFactory, WorkerFactory

pytestmark = pytest.mark.django_db

ARRIVAL = dt.date(2031, 5, 3)


@pytest.fixture
def decided(employer, moscow_rules, threshold, officer):
    """A Moscow case of one worker, approved by the officer of an English page."""
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, passport_expiry=dt.date(2040, 1, 1)))
    services.application_approve(application=application, user=officer)
    return Decision.objects.get(application=application)


def overrides_card(page: str) -> str:
    """The overrides kept with the decision, apart from the page's live check."""
    return re.search(r'<dl class="decision-overrides.*?</dl>', page, re.S).group(0)


def detail_page(client, officer, application, language: str) -> str:
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("applications:review-detail", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_decision_keeps_each_check_as_code_and_parameters_not_text(decided):
    intake = next(check for check in decided.checks if check["code"] == "intake.open")

    assert intake == {"code": "intake.open", "passed": True, "blocking": True, "params": {"region": {"ru": "Москва", "en": "Moscow"}}, "line_id": None}
    assert all("message" not in check for check in decided.checks)


def test_a_decided_case_reads_its_stored_checks_in_english_to_an_english_reader(client, officer, decided):
    page = detail_page(client, officer, decided.application, "en")

    assert "Moscow accepts applications." in page
    assert "Planned arrival on 05/03/2031." in page


def test_a_decided_case_reads_its_stored_checks_in_russian_to_a_russian_reader(client, officer, decided):
    page = detail_page(client, officer, decided.application, "ru")

    assert "Москва принимает заявления." in page
    assert "Планируемое прибытие — 03.05.2031." in page
    assert "Moscow accepts applications." not in page


def test_a_check_stored_before_the_region_was_renamed_still_names_it_as_it_was(client, officer, decided):
    Region.objects.filter(pk=decided.application.region_id).update(name_en="Moskva City", name_ru="Город Москва")

    assert "Moscow accepts applications." in detail_page(client, officer, decided.application, "en")
    assert "Москва принимает заявления." in detail_page(client, officer, decided.application, "ru")


def test_the_decision_record_still_matches_its_digest_with_checks_as_data(decided):
    assert stored_record_matches(Decision.objects.get(pk=decided.pk))


def test_a_decision_stored_with_checks_as_text_shows_that_text_in_either_language(client, officer, employer, moscow_rules):
    application = ApplicationFactory(employer=employer, status=Status.APPROVED)
    decision = DecisionFactory(
        application=application, rule_set=moscow_rules, decided_by=officer,
        checks=[{"code": "intake.open", "passed": True, "blocking": True, "message": "Москва принимает заявления (текст 2021 года)."}],
    )

    for language in ("en", "ru"):
        assert "Москва принимает заявления (текст 2021 года)." in detail_page(client, officer, application, language)
    assert stored_record_matches(decision)


def test_the_failing_check_an_override_kept_reads_in_the_employers_language(client, employer_user, employer, moscow_rules, threshold, officer):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    worker = CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(employer=employer, surname_latin="IVANOV", given_names_latin="IVAN", passport_expiry=dt.date(2031, 5, 1)),
    )
    services.application_approve(
        application=application, user=officer, overrides={worker.pk: "The consulate extended the passport by a stamp."}
    )
    client.force_login(employer_user)
    url = reverse("applications:application-detail", kwargs={"pk": application.pk})

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = overrides_card(client.get(url).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian = overrides_card(client.get(url).content.decode())

    assert "IVANOV I.: the passport expires on 05/01/2031, before or on the arrival date." in english
    assert "IVANOV I.: срок действия паспорта истекает 01.05.2031 — до даты прибытия или в этот день." in russian
