"""The public "Am I approved?" check (issue 20, item 2): a worker's own approval by citizenship,
passport and date of birth, without a login; the same answer for an unknown passport and a wrong
date of birth; guessing slowed down per address and per passport; logged without the passport."""

import datetime as dt
import logging
import re
import time

import pytest
from django.urls import reverse

from applications import services
from applications.models import RefusalReason, Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import text
from tests.portal.factories import OfficerFactory
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db

CHECK = reverse("applications:worker_check")
KARIMOV = {"citizenship": "UZ", "passport_number": "FA 123 4567", "date_of_birth": "1990-04-12"}


@pytest.fixture(autouse=True)
def quick_floor(settings):
    settings.PUBLIC_CHECK_MIN_SECONDS = 0.05


@pytest.fixture
def decided(employer, moscow, moscow_rules, threshold):
    """KARIMOV approved and RAKHIMOV refused on a Moscow case arriving at Sheremetyevo in 2031."""
    case = ApplicationFactory(
        employer=employer, region=moscow, status=Status.IN_REVIEW, checkpoint=checkpoint("SVO"), planned_arrival_date=dt.date(2031, 5, 3),
    )
    CaseWorkerFactory(application=case, worker=WorkerFactory(
        employer=employer, surname_latin="KARIMOV", date_of_birth=dt.date(1990, 4, 12), citizenship="UZ", passport_number="FA1234567",
        passport_expiry=dt.date(2033, 1, 1),
    ))
    refused = CaseWorkerFactory(application=case, worker=WorkerFactory(
        employer=employer, surname_latin="RAKHIMOV", date_of_birth=dt.date(1991, 1, 1), citizenship="UZ", passport_number="FB7654321",
    ))
    services.application_approve_partially(
        application=case, user=OfficerFactory(regions=[moscow]), refusals={refused.pk: (RefusalReason.PCR_TEST, "Old test")},
    )
    return case


def answer(page) -> str:
    """The answer box of the page, as read."""
    match = re.search(r'id="worker-check-[a-z-]+"[^>]*>(.*?)</div>', page.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else ""


def test_an_approved_worker_sees_the_date_crossing_point_and_employer(english, decided, employer):
    response = english.post(CHECK, KARIMOV)

    assert response.status_code == 200
    page = text(response)
    assert "An approval was found" in page
    assert "3 May 2031" in page or "May 3, 2031" in page
    assert "Sheremetyevo" in page and employer.name in page and "Moscow" in page


@pytest.mark.parametrize(
    "particulars",
    [
        {**KARIMOV, "date_of_birth": "1990-04-13"},  # a wrong date of birth
        {**KARIMOV, "passport_number": "FA1234568"},  # an unknown passport
        {**KARIMOV, "citizenship": "TJ"},  # another country's passport of the same number
        {"citizenship": "UZ", "passport_number": "FB7654321", "date_of_birth": "1991-01-01"},  # refused
    ],
)
def test_everything_else_gets_one_and_the_same_answer(english, decided, particulars):
    not_found = answer(english.post(CHECK, particulars))

    assert not_found.startswith("No approval was found for these particulars.")
    assert not_found == answer(english.post(CHECK, {**KARIMOV, "passport_number": "ZZ0000000"}))


def test_an_undecided_case_is_not_an_approval(english, employer, moscow, moscow_rules):
    CaseWorkerFactory(application__employer=employer, application__region=moscow, application__status=Status.IN_REVIEW,
                             worker=WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567",
                                                  date_of_birth=dt.date(1990, 4, 12)))

    assert answer(english.post(CHECK, KARIMOV)).startswith("No approval was found")


def test_every_answer_takes_at_least_the_floor_found_or_not(english, decided, settings):
    settings.PUBLIC_CHECK_MIN_SECONDS = 0.3
    for particulars in (KARIMOV, {**KARIMOV, "date_of_birth": "1990-04-13"}):
        started = time.monotonic()
        english.post(CHECK, particulars)
        assert time.monotonic() - started >= 0.3


def test_guessing_one_passport_is_stopped_even_from_many_addresses(english, decided):
    for attempt in range(5):
        assert english.post(CHECK, {**KARIMOV, "date_of_birth": f"1990-04-{attempt + 1:02d}"}, REMOTE_ADDR=f"10.0.0.{attempt}").status_code == 200

    response = english.post(CHECK, KARIMOV, REMOTE_ADDR="10.0.0.99")

    assert response.status_code == 429
    assert "Too many checks" in text(response) and "Sheremetyevo" not in text(response)


def test_one_address_trying_many_passports_is_stopped(english, decided):
    for attempt in range(20):
        english.post(CHECK, {**KARIMOV, "passport_number": f"AA{attempt:07d}"})

    assert english.post(CHECK, {**KARIMOV, "passport_number": "AB0000001"}).status_code == 429


def test_each_check_is_logged_without_the_passport_number(english, decided, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        english.post(CHECK, KARIMOV)

    lines = [record.getMessage() for record in caplog.records if "worker_check" in record.getMessage()]
    assert len(lines) == 1 and "found=True" in lines[0]
    assert "1234567" not in lines[0] and "1990" not in lines[0]


def test_bad_input_is_answered_next_to_the_field(english):
    response = english.post(CHECK, {"citizenship": "XX", "passport_number": "", "date_of_birth": "30.02.1990"})

    assert response.status_code == 400
    assert "Choose a country from the list." in text(response)


def test_the_sign_in_page_and_the_letter_check_lead_to_it(english):
    for page in (reverse("accounts:login"), reverse("applications:decision_check_form")):
        assert f'href="{CHECK}"' in english.get(page).content.decode()
