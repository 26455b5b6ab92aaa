"""Everything about a decided case reads what the decision kept: the officer's and the employer's
case pages show the workers, the company and the checks as they stood at the decision, with the
date of the rules it was decided under, and never run today's rules on it; the statistics and the
quota count a decided person as the decision named them. Editing a worker, the company or the
region's rules afterwards changes none of them."""

import datetime as dt
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import CaseWorker, Employer, RefusalReason, Status, WorkerOutcome
from applications.selectors.quota import approved_workers_by_month, approved_workers_in_month, quota_meters
from applications.selectors.statistics import region_statistics
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory, decide
from tests.helpers.decision_snapshot import COMPANY_EDITS, WORKER_EDITS, edit_worker_past_the_lock
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

ARRIVAL = dt.date(2031, 5, 3)
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextOfElement(HTMLParser):
    """The text of the element with the given id, its descendants included."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.parts, self.found = element_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def shown(response, element_id: str) -> str:
    """What a person reads in one part of a page, white space collapsed."""
    assert response.status_code == 200
    parser = _TextOfElement(element_id)
    parser.feed(response.content.decode())
    assert parser.found, f"no element #{element_id} on the page"
    return " ".join("".join(parser.parts).split())


@pytest.fixture
def signing_officer(moscow):
    return OfficerFactory(email="ivanova@77.example", full_name="Ivanova Maria Petrovna", regions=[moscow])


@pytest.fixture
def moscow_rules(moscow):
    # A quota of 10 a month from the start: a version in force is never edited.
    return RuleSetFactory(region=moscow, monthly_worker_quota=10)


@pytest.fixture
def decided(employer, moscow_rules, threshold, signing_officer):
    """A Moscow case of two workers, KARIMOV approved and RAKHIMOV refused."""
    employer.language = "en"
    employer.legal_address = "Moscow, Tverskaya 1"
    employer.save()
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    approved = CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(
            employer=employer, surname_latin="KARIMOV", given_names_latin="ALISHER", surname_cyrillic="Каримов",
            given_names_cyrillic="Алишер", date_of_birth=dt.date(1990, 4, 12), citizenship="UZ", passport_number="FA1234567",
            passport_expiry=dt.date(2032, 1, 1),
        ),
    )
    refused = CaseWorkerFactory(
        application=application, worker=WorkerFactory(employer=employer, surname_latin="RAKHIMOV", given_names_latin="BOBUR"),
    )
    services.application_approve_partially(
        application=application, user=signing_officer,
        refusals={refused.pk: (RefusalReason.PCR_TEST, "Test taken 5 days before")}, message="One test is too old.",
    )
    application.refresh_from_db()
    application.approved_line, application.refused_line = approved, refused
    return application


@pytest.fixture
def signing_officer_client(client, signing_officer):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(signing_officer)
    return client


@pytest.fixture
def employer_browser(employer_user):
    """A browser of its own, beside the officer's."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(employer_user)
    return client


def officer_page(client, application):
    return client.get(reverse("applications:review-detail", args=[application.pk]))


def employer_page(client, application):
    return client.get(reverse("applications:application-detail", args=[application.pk]))


# The workers


@pytest.mark.parametrize(("field", "value"), WORKER_EDITS.items())
def test_the_officer_s_page_shows_each_worker_as_decided_after_the_registry_changes(signing_officer_client, decided, field, value):
    before = shown(officer_page(signing_officer_client, decided), "workers")
    edit_worker_past_the_lock(decided.approved_line.worker_id, **{field: value})

    assert shown(officer_page(signing_officer_client, decided), "workers") == before
    for text in ("KARIMOV A.", "Каримов Алишер", "04/12/1990", "Uzbekistan", "FA1234567", "01/01/2032", "Test taken 5 days before"):
        assert text in before


@pytest.mark.parametrize(("field", "value"), WORKER_EDITS.items())
def test_the_employer_s_page_shows_each_worker_as_decided_after_the_registry_changes(employer_browser, decided, field, value):
    before = shown(employer_page(employer_browser, decided), "workers")
    edit_worker_past_the_lock(decided.approved_line.worker_id, **{field: value})

    assert shown(employer_page(employer_browser, decided), "workers") == before
    for text in ("KARIMOV A.", "Каримов Алишер", "04/12/1990", "Uzbekistan", "FA1234567", "01/01/2032", "Test taken 5 days before"):
        assert text in before


def test_both_pages_show_the_outcome_the_decision_gave_whatever_the_line_says_now(signing_officer_client, employer_browser, decided):
    """The line's outcome is the working copy; the decision's is what was decided."""
    CaseWorker.objects.filter(pk=decided.refused_line.pk).update(
        outcome=WorkerOutcome.APPROVED, refusal_reason="", refusal_note=""
    )

    for page in (officer_page(signing_officer_client, decided), employer_page(employer_browser, decided)):
        assert "Test taken 5 days before" in shown(page, "workers")


def test_the_pages_of_an_undecided_case_show_the_registry_as_it_is(signing_officer_client, employer_browser, employer):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    line = CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin="KARIMOV"))
    edit_worker_past_the_lock(line.worker_id, surname_latin="KARIMOFF")

    assert "KARIMOFF" in shown(employer_page(employer_browser, application), "workers")


# The company


@pytest.mark.parametrize(("field", "value"), COMPANY_EDITS.items())
def test_both_pages_name_the_company_as_decided_after_it_is_renamed_or_renumbered(
    signing_officer_client, employer_browser, decided, employer, field, value
):
    officer_before = shown(officer_page(signing_officer_client, decided), "company-identity")
    employer_before = shown(employer_page(employer_browser, decided), "company-identity")
    Employer.objects.filter(pk=employer.pk).update(**{field: value})

    assert shown(officer_page(signing_officer_client, decided), "company-identity") == officer_before
    assert shown(employer_page(employer_browser, decided), "company-identity") == employer_before
    for text in (employer.name, employer.inn, employer.ogrn, "Moscow, Tverskaya 1"):
        assert text in officer_before and text in employer_before


# The checks and the rules


def test_the_officer_s_page_shows_the_checks_kept_and_the_rules_decided_under_after_the_rules_change(
    signing_officer_client, decided, moscow_rules
):
    before = shown(officer_page(signing_officer_client, decided), "decision")
    RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2031, 1, 1), intake_open=False, pcr_max_age_hours=24)

    after = shown(officer_page(signing_officer_client, decided), "decision")

    assert after == before
    assert "Decided under the rules of 06/01/2020" in after


def test_the_employer_s_page_shows_the_checks_kept_and_the_rules_decided_under_after_the_rules_change(
    employer_browser, decided, moscow_rules
):
    before = shown(employer_page(employer_browser, decided), "rule-check")
    RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2031, 1, 1), intake_open=False, pcr_max_age_hours=24)

    after = shown(employer_page(employer_browser, decided), "rule-check")

    assert after == before
    assert "Decided under the rules of 06/01/2020" in after
    assert "Passed" in after


def test_no_page_of_a_decided_case_runs_the_rules_again(signing_officer_client, employer_browser, decided):
    with mock.patch("applications.selectors.cases.check_case", side_effect=AssertionError("the rules were run again")):
        officer_page(signing_officer_client, decided)
        page = employer_page(employer_browser, decided)
        fragment = employer_browser.get(reverse("applications:application-rule-check", args=[decided.pk]))

    assert "Decided under the rules of 06/01/2020" in shown(page, "rule-check")
    assert fragment.status_code == 200 and "Decided under the rules of 06/01/2020" in fragment.content.decode()
    # The panel of a decided case is not fetched again by the page's script.
    assert "data-rule-check-url" not in page.content.decode()


def test_an_undecided_case_s_employer_page_still_checks_against_the_rules_in_force(employer_browser, employer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.DRAFT, planned_arrival_date=ARRIVAL)

    with mock.patch("applications.selectors.cases.check_case", return_value=[]) as check_case:
        employer_page(employer_browser, application)

    check_case.assert_called_once()


# Statistics and the quota


def test_the_statistics_count_a_decided_worker_by_the_citizenship_the_decision_named(decided, moscow):
    before = region_statistics(region=moscow, today=ARRIVAL).top_citizenships
    edit_worker_past_the_lock(decided.approved_line.worker_id, citizenship="TJ")

    after = region_statistics(region=moscow, today=ARRIVAL).top_citizenships

    assert after == before
    assert "TJ" not in [row.code for row in after]


def test_the_quota_counts_a_decided_person_by_the_decision(decided, moscow):
    """Behind the decision's back, the approved line is marked refused: the quota still counts the
    person the decision approved."""
    counts_before = (
        approved_workers_in_month(region_id=moscow.pk, month_of=ARRIVAL),
        approved_workers_by_month(region_ids=[moscow.pk], months=[ARRIVAL.replace(day=1)]),
        [meter.approved for meter in quota_meters(region_ids=[moscow.pk], today=ARRIVAL)],
    )
    CaseWorker.objects.filter(pk=decided.approved_line.pk).update(outcome=WorkerOutcome.REFUSED, refusal_reason="other")

    counts_after = (
        approved_workers_in_month(region_id=moscow.pk, month_of=ARRIVAL),
        approved_workers_by_month(region_ids=[moscow.pk], months=[ARRIVAL.replace(day=1)]),
        [meter.approved for meter in quota_meters(region_ids=[moscow.pk], today=ARRIVAL)],
    )
    assert counts_after == counts_before == (1, {(moscow.pk, ARRIVAL.replace(day=1)): 1}, [1, 0])


def test_the_quota_counts_two_decided_people_twice_though_one_was_edited_into_the_other(decided, moscow, moscow_rules):
    """Another company's approved worker, edited afterwards to KARIMOV's passport: still two people."""
    other = EmployerFactory()
    application = ApplicationFactory(employer=other, status=Status.APPROVED, planned_arrival_date=ARRIVAL)
    line = CaseWorkerFactory(application=application, worker=WorkerFactory(employer=other, citizenship="UZ", passport_number="FA7654321"))
    decide(application)
    assert approved_workers_in_month(region_id=moscow.pk, month_of=ARRIVAL) == 2
    citizenships_before = region_statistics(region=moscow, today=ARRIVAL).top_citizenships

    edit_worker_past_the_lock(line.worker_id, passport_number="FA1234567")

    assert approved_workers_in_month(region_id=moscow.pk, month_of=ARRIVAL) == 2
    assert approved_workers_by_month(region_ids=[moscow.pk], months=[ARRIVAL.replace(day=1)]) == {(moscow.pk, ARRIVAL.replace(day=1)): 2}
    assert region_statistics(region=moscow, today=ARRIVAL).top_citizenships == citizenships_before


def test_a_line_being_approved_counts_as_it_stands_before_its_decision_exists(decided, moscow, employer):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL)
    line = CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, passport_number="FB1111111"))

    assert approved_workers_in_month(region_id=moscow.pk, month_of=ARRIVAL, adding_line_ids=[line.pk]) == 2
