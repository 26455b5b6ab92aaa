"""Cases in Django admin are for looking, not changing: status changes are made by the services.
Employers are verified from admin through the same service the officers use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Status
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DecisionFactory,
    DocumentFactory,
    EmployerFactory,
    EmployerMemberFactory,
    StatusChangeFactory,
)
from tests.pages import messages_of
from tests.portal.factories import OfficerFactory, UserFactory
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db

CASES = reverse("admin:applications_application_changelist")
EMPLOYERS = reverse("admin:applications_employer_changelist")


def case_url(case, page="change"):
    return reverse(f"admin:applications_application_{page}", args=[case.pk])


def queries_to_open(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.fixture
def decided_case(moscow_rules):
    case = ApplicationFactory(status=Status.REJECTED, region=moscow_rules.region)
    CaseWorkerFactory(application=case, worker__surname_latin="KARIMOV", worker__passport_number="FA1234567")
    DocumentFactory(application=case, original_name="guarantee-letter.pdf")
    officer = OfficerFactory(full_name="Olga Officer", regions=[case.region])
    StatusChangeFactory(application=case, actor=UserFactory(full_name="Clerk Ivanova"), message="Please take our case")
    StatusChangeFactory(
        application=case, actor=officer, from_status=Status.SUBMITTED, to_status=Status.IN_REVIEW,
        transition="take_into_review",
    )
    StatusChangeFactory(
        application=case, actor=officer, from_status=Status.IN_REVIEW, to_status=Status.REJECTED, transition="reject",
        message="Intake suspended",
    )
    DecisionFactory(
        application=case, outcome=Status.REJECTED, rule_set=moscow_rules, decided_by=officer, reason="Intake suspended",
        checks=[{"code": "intake.open", "passed": False, "blocking": True, "message": "Moscow has suspended intake."}],
    )
    return case


# A case is shown, never changed


def test_a_cases_page_shows_its_history(admin_client_, decided_case):
    page = admin_client_.get(case_url(decided_case)).content.decode()

    assert "Status history" in page
    for text in ("Clerk Ivanova", "Please take our case", "take_into_review", "Olga Officer", "Intake suspended"):
        assert text in page


def test_a_cases_page_shows_its_workers_documents_and_decision_with_the_rule_check(admin_client_, decided_case):
    page = admin_client_.get(case_url(decided_case)).content.decode()

    assert "KARIMOV" in page and "FA1234567" in page
    assert "guarantee-letter.pdf" in page
    assert "Moscow has suspended intake." in page
    assert str(decided_case.decision.rule_set) in page


def test_a_cases_page_has_no_inputs_and_no_save_or_delete_button(admin_client_, decided_case):
    page = admin_client_.get(case_url(decided_case)).content.decode()

    assert 'name="status"' not in page
    assert 'name="_save"' not in page
    assert "deletelink" not in page


def test_posting_to_a_cases_page_is_refused_and_changes_nothing(admin_client_, decided_case):
    response = admin_client_.post(case_url(decided_case), {"status": Status.APPROVED, "project_name": "Changed"})

    assert response.status_code == 403
    decided_case.refresh_from_db()
    assert (decided_case.status, decided_case.project_name) == (Status.REJECTED, "Residential block 4")


def test_there_is_no_add_button_for_cases(admin_client_, decided_case):
    page = admin_client_.get(CASES).content.decode()

    assert reverse("admin:applications_application_add") not in page
    assert admin_client_.get(reverse("admin:applications_application_add")).status_code == 403


def test_a_case_cannot_be_deleted(admin_client_, decided_case):
    assert admin_client_.get(case_url(decided_case, "delete")).status_code == 403
    assert "delete_selected" not in admin_client_.get(CASES).content.decode()


@pytest.mark.parametrize("model", ["statuschange", "decision"])
def test_history_and_decisions_can_be_looked_at_but_not_added_or_changed(admin_client_, decided_case, model):
    obj = decided_case.history.first() if model == "statuschange" else decided_case.decision

    change = reverse(f"admin:applications_{model}_change", args=[obj.pk])
    assert admin_client_.get(change).status_code == 200
    assert admin_client_.post(change, {}).status_code == 403
    assert admin_client_.get(reverse(f"admin:applications_{model}_add")).status_code == 403
    assert admin_client_.get(reverse(f"admin:applications_{model}_delete", args=[obj.pk])).status_code == 403


def test_cases_are_found_by_reference_and_by_employer_inn(admin_client_, decided_case):
    other = ApplicationFactory()

    by_reference = admin_client_.get(CASES, {"q": decided_case.reference}).context["cl"].result_list
    by_inn = admin_client_.get(CASES, {"q": decided_case.employer.inn}).context["cl"].result_list

    assert list(by_reference) == [decided_case]
    assert list(by_inn) == [decided_case]
    assert other not in by_inn


def test_the_case_list_costs_the_same_queries_for_1_and_50_cases(admin_client_, moscow):
    ApplicationFactory()
    one = queries_to_open(admin_client_, CASES)
    ApplicationFactory.create_batch(49, employer=EmployerFactory(region=moscow))
    assert queries_to_open(admin_client_, CASES) == one


def test_a_cases_page_costs_the_same_queries_for_1_and_5_workers(admin_client_, decided_case):
    one = queries_to_open(admin_client_, case_url(decided_case))
    CaseWorkerFactory.create_batch(4, application=decided_case)
    StatusChangeFactory.create_batch(4, application=decided_case)
    DocumentFactory.create_batch(4, application=decided_case)
    assert queries_to_open(admin_client_, case_url(decided_case)) == one


# Employers


def test_the_verify_action_verifies_a_company(admin_client_, admin_user):
    company = EmployerFactory(verified_at=None)

    response = admin_client_.post(EMPLOYERS, {"action": "verify", "_selected_action": [company.pk]})

    company.refresh_from_db()
    assert company.verified_at is not None
    assert company.verified_by == admin_user
    assert messages_of(response) == ["1 company is verified."]


def test_verifying_again_keeps_the_first_verification(admin_client_):
    first_verifier = UserFactory(is_staff=True)
    company = EmployerFactory(verified_by=first_verifier)
    verified_at = company.verified_at

    admin_client_.post(EMPLOYERS, {"action": "verify", "_selected_action": [company.pk]})

    company.refresh_from_db()
    assert (company.verified_at, company.verified_by) == (verified_at, first_verifier)


def test_the_employer_list_can_show_only_companies_not_yet_verified(admin_client_):
    waiting = EmployerFactory(verified_at=None)
    verified = EmployerFactory()

    listed = list(admin_client_.get(EMPLOYERS, {"verified": "no"}).context["cl"].result_list)

    assert listed == [waiting]
    assert verified not in listed


def test_the_employer_list_counts_members_in_a_constant_number_of_queries(admin_client_, employer):
    one = queries_to_open(admin_client_, EMPLOYERS)
    for company in EmployerFactory.create_batch(49):
        EmployerMemberFactory.create_batch(2, employer=company)

    assert queries_to_open(admin_client_, EMPLOYERS) == one
    row = admin_client_.get(EMPLOYERS, {"q": employer.inn}).context["cl"].result_list[0]
    assert row.members_count == 1


def test_an_employers_page_lists_its_members(admin_client_, employer, employer_user):
    page = admin_client_.get(reverse("admin:applications_employer_change", args=[employer.pk])).content.decode()

    assert str(employer_user) in page


def test_workers_are_found_by_passport_number(admin_client_, decided_case):
    line = decided_case.lines.get()

    found = admin_client_.get(reverse("admin:applications_worker_changelist"), {"q": "FA1234567"}).context["cl"].result_list

    assert list(found) == [line.worker]



def test_the_admin_case_page_names_the_checkpoint_or_the_other_crossing_with_its_region(admin_client_):
    at_checkpoint = ApplicationFactory(checkpoint=checkpoint("KGD"))
    elsewhere = ApplicationFactory(border_crossing_point="Mamonovo", border_region=region(39))

    assert "Khrabrovo (Kaliningrad) — airport (KGD), Kaliningrad Oblast" in admin_client_.get(case_url(at_checkpoint)).content.decode()
    assert "Mamonovo, Kaliningrad Oblast" in admin_client_.get(case_url(elsewhere)).content.decode()


def test_checkpoints_are_searchable_in_the_admin_by_name_code_or_region(admin_client_):
    url = reverse("admin:regions_checkpoint_changelist")

    assert "Yelizovo" in admin_client_.get(url, {"q": "PKC"}).content.decode()
    assert "Verkhny Lars" in admin_client_.get(url, {"q": "Ларс"}).content.decode()
    assert "Zabaikalsk" in admin_client_.get(url, {"q": "Zabaykalsky"}).content.decode()


def test_the_admin_case_page_shows_the_arrival_and_the_pcr_test_on_their_own_clocks(admin_client_):
    import datetime as dt
    from zoneinfo import ZoneInfo

    case = ApplicationFactory(
        region=region(25), checkpoint=checkpoint("VVO"),
        planned_arrival_at=dt.datetime(2031, 5, 1, 14, 30, tzinfo=ZoneInfo("Asia/Vladivostok")),
    )
    CaseWorkerFactory(
        application=case, pcr_test_taken_at=dt.datetime(2031, 4, 29, 9, 15, tzinfo=ZoneInfo("Asia/Tashkent")),
        pcr_test_zone="Asia/Tashkent",
    )

    page = admin_client_.get(case_url(case)).content.decode()
    assert "14:30 (Asia/Vladivostok, UTC+10)" in page
    assert "09:15 (Asia/Tashkent, UTC+5)" in page
