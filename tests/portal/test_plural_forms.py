"""Counts in messages take the plural form their number needs, in English (1 worker, 2 workers)
and in Russian's three forms (1 работник, 2 работника, 5 работников; 21 like 1, 11 like 5)."""

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from regions.models import RuleSet
from regions.rules import check_case
from tests.helpers.arrivals import approved_three_weeks_ago
from tests.helpers.rule_check import THRESHOLD, TODAY, facts, worker
from tests.pages import text


def quota_message(listed: int, language: str) -> str:
    case = replace(facts(), workers=[worker(name=f"W{n}") for n in range(listed)], approved_in_arrival_month=0)
    with translation.override(language):
        checks = check_case(case, RuleSet(monthly_worker_quota=0, isolation_days=14), THRESHOLD, TODAY)
        return next(c for c in checks if c.code == "quota.monthly").text


def isolation_message(days: int, required: int, language: str) -> str:
    case = replace(facts(), isolation_days=days)
    with translation.override(language):
        checks = check_case(case, RuleSet(isolation_days=required), THRESHOLD, TODAY)
        return next(c for c in checks if c.code == "guarantee.isolation_days").text


@pytest.mark.parametrize(
    ("listed", "english", "russian"),
    [
        (1, "lists 1 worker.", "в заявлении 1 работник."),
        (2, "lists 2 workers.", "в заявлении 2 работника."),
        (5, "lists 5 workers.", "в заявлении 5 работников."),
        (11, "lists 11 workers.", "в заявлении 11 работников."),
        (21, "lists 21 workers.", "в заявлении 21 работник."),
    ],
)
def test_the_number_of_workers_over_the_quota_takes_its_plural_form(listed, english, russian):
    assert quota_message(listed, "en").endswith(english)
    assert quota_message(listed, "ru").endswith(russian)


def test_the_places_left_take_their_own_plural_form():
    # No place left: "0 places" in English, "0 мест" in Russian.
    assert quota_message(1, "en").startswith("Only 0 places of the monthly quota of 0 are left")
    assert quota_message(1, "ru").startswith("На 03.2021 от месячной квоты 0 осталось только 0 мест")


@pytest.mark.parametrize(
    ("days", "required", "english", "russian"),
    [
        (1, 14, "Isolation of 1 day guaranteed; Moscow requires 14 days.", "Гарантирована изоляция на 1 день; Москва требует 14 дней."),
        (3, 21, "Isolation of 3 days guaranteed; Moscow requires 21 days.", "Гарантирована изоляция на 3 дня; Москва требует 21 день."),
        (14, 2, "Isolation of 14 days guaranteed (2 days required).", "Гарантирована изоляция на 14 дней (требуется 2 дня)."),
    ],
)
def test_isolation_days_guaranteed_and_required_each_take_their_plural_form(days, required, english, russian):
    assert isolation_message(days, required, "en") == english
    with translation.override("ru"):
        assert isolation_message(days, required, "ru") == russian.replace("Москва", facts().region_name)


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    return approved_three_weeks_ago(employer, officer)


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "english", "russian"), [(1, "1 day.", "1 день."), (2, "2 days.", "2 дня."), (5, "5 days.", "5 дней.")])
def test_the_arrival_report_says_the_isolation_days_with_their_plural_form(
    client, employer_user, approved_case, days, english, russian
):
    Application.objects.filter(pk=approved_case.pk).update(isolation_days=days)
    client.force_login(employer_user)
    page = reverse("applications:arrival-report", args=[approved_case.pk])

    assert f"Isolation guaranteed: {english}" in text(client.get(page, HTTP_ACCEPT_LANGUAGE="en"))
    assert f"Гарантированный срок изоляции: {russian}" in text(client.get(page, HTTP_ACCEPT_LANGUAGE="ru"))
