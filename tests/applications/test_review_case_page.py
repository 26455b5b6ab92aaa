"""The officer's case page: the company and its verification, the company's earlier cases, the
workers with their outcomes and arrival, documents, the rule check or the decision's stored
checks, the quota meter and the full history; scoped to the officer's regions and cheap to draw."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications.models import DocumentKind, RefusalReason, Status, WorkerOutcome
from regions.models import ActType
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DecisionFactory,
    DocumentFactory,
    EmployerFactory,
    StatusChangeFactory,
    WorkerFactory,
)
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

CASE_URLS = [
    ("get", "review-detail"),
    ("post", "review-take"),
    ("post", "review-request-information"),
    ("post", "review-approve"),
    ("post", "review-approve-partially"),
    ("post", "review-reject"),
    ("post", "review-verify-company"),
]


def case_url(name, application):
    return reverse(f"applications:{name}", kwargs={"pk": application.pk})


def a_case(*, employer, status=Status.SUBMITTED, workers=1, **fields):
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for _ in range(workers):
        CaseWorkerFactory(application=application)
    return application


def submitted_days_ago(days):
    submitted = timezone.now() - dt.timedelta(days=days)
    return {"created_at": submitted - dt.timedelta(hours=1), "submitted_at": submitted}


def short_date(value):
    return date_format(timezone.localtime(value) if isinstance(value, dt.datetime) else value, "SHORT_DATE_FORMAT")


# Scoping


@pytest.mark.parametrize(("method", "name"), CASE_URLS)
def test_officer_of_another_region_gets_404_on_every_url_of_a_moscow_case(client, officer_spb, employer, moscow_rules, method, name):
    case = a_case(employer=employer, workers=2)
    client.force_login(officer_spb)

    response = getattr(client, method)(
        case_url(name, case), {"version": case.version, "message": "x", "reason": "x", "company_checked": "on"}
    )

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


# The company


def test_a_verified_company_shows_when_and_by_whom(officer_client, employer, moscow_rules):
    verifier = OfficerFactory(full_name="Irina Petrova")
    employer.verified_at, employer.verified_by = timezone.now() - dt.timedelta(days=3), verifier
    employer.save()
    case = a_case(employer=employer)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert f"Verified on {short_date(employer.verified_at)} by Irina Petrova" in page
    assert "Verify this company" not in page


def test_an_unverified_company_of_the_officers_region_offers_verify_this_company(officer_client, moscow_rules):
    company = EmployerFactory(verified_at=None)
    case = a_case(employer=company)

    response = officer_client.get(case_url("review-detail", case))

    page = response.content.decode()
    assert "Not verified" in page
    assert "Verify this company" in page
    assert f'action="{case_url("review-verify-company", case)}"' in page
    assert "I have checked the company&#x27;s INN and OGRN against the state register" in page


def test_an_unverified_company_of_another_region_says_who_can_verify_it_and_offers_no_button(officer_client, spb, moscow_rules):
    company = EmployerFactory(verified_at=None, region=spb)
    case = a_case(employer=company)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "Not verified" in page
    assert "Only an officer of Saint Petersburg or an admin can verify it." in page
    assert case_url("review-verify-company", case) not in page


def test_earlier_cases_of_the_company_in_the_officers_regions_are_listed_with_links(officer_client, employer, spb, moscow_rules):
    older = a_case(employer=employer, status=Status.APPROVED, reference="2021-000201", **submitted_days_ago(30))
    old_rejected = a_case(employer=employer, status=Status.REJECTED, reference="2021-000202", **submitted_days_ago(20))
    a_case(employer=employer, region=spb, reference="2021-000203", **submitted_days_ago(25))  # another region
    a_case(employer=employer, status=Status.DRAFT, reference="2021-000204")
    a_case(employer=EmployerFactory(), reference="2021-000205", **submitted_days_ago(15))  # another company
    current = a_case(employer=employer, reference="2021-000206", **submitted_days_ago(5))
    a_case(employer=employer, reference="2021-000207", **submitted_days_ago(1))  # filed later

    page = officer_client.get(case_url("review-detail", current)).content.decode()

    earlier = page[page.index('id="earlier-heading"'):]
    earlier = earlier[: earlier.index("</section>")]
    assert earlier.index("2021-000202") < earlier.index("2021-000201")  # latest first
    assert f'href="{case_url("review-detail", older)}"' in earlier
    assert f'href="{case_url("review-detail", old_rejected)}"' in earlier
    assert "Rejected" in earlier
    for absent in ("2021-000203", "2021-000204", "2021-000205", "2021-000206", "2021-000207"):
        assert absent not in earlier


def test_earlier_cases_show_the_latest_ten(officer_client, employer, moscow_rules):
    for number in range(12):
        a_case(employer=employer, reference=f"2021-0003{number:02d}", **submitted_days_ago(40 - number))
    current = a_case(employer=employer, **submitted_days_ago(1))

    response = officer_client.get(case_url("review-detail", current))

    assert [case.reference for case in response.context["earlier_cases"]] == [f"2021-0003{n:02d}" for n in range(11, 1, -1)]


def test_a_first_case_says_there_is_no_earlier_one(officer_client, employer, moscow_rules):
    case = a_case(employer=employer)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "None: this is the company's first case in your regions." in page


# Workers


def test_workers_show_citizenship_passport_test_outcome_with_reason_and_reported_arrival(officer_client, employer, moscow_rules):
    case = ApplicationFactory(employer=employer, status=Status.PARTIALLY_APPROVED, planned_arrival_date=dt.date(2021, 3, 10))
    arrived = CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="ARRIVED", citizenship="TJ", passport_number="TJ1234567"),
        outcome=WorkerOutcome.APPROVED, arrived_on=dt.date(2021, 3, 10), arrived_at=dt.datetime(2021, 3, 10, 7, 0, tzinfo=dt.UTC),
        isolation_started_on=dt.date(2021, 3, 10),
        isolation_ended_on=dt.date(2021, 3, 24),
    )
    CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="REFUSED", citizenship="KG"),
        outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.PASSPORT, refusal_note="Expires in May",
    )

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "Tajikistan" in page and "Kyrgyzstan" in page
    assert "TJ1234567" in page
    assert date_format(arrived.worker.passport_expiry, "SHORT_DATE_FORMAT") in page
    # The test as printed (the factory enters it in Moscow time), with its zone.
    assert f"{short_date(dt.date(2021, 3, 9))} 10:00 (Europe/Moscow, UTC+3)" in page
    assert "Passport invalid or expiring: Expires in May" in page
    assert f"Arrived {short_date(dt.date(2021, 3, 10))} 10:00 (Europe/Moscow, UTC+3)" in page
    assert f"Isolation from {short_date(dt.date(2021, 3, 10))}" in page
    assert f"Isolation ended {short_date(dt.date(2021, 3, 24))}" in page


def test_arrival_column_appears_only_once_an_arrival_is_reported(officer_client, employer, moscow_rules):
    case = a_case(employer=employer)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "Arrival and isolation" not in page


# Documents and history


def test_documents_are_listed_and_open_through_the_authorised_view(officer_client, employer, moscow_rules):
    case = a_case(employer=employer)
    document = DocumentFactory(application=case, original_name="guarantee-letter.pdf", kind=DocumentKind.GUARANTEE_LETTER)

    page = officer_client.get(case_url("review-detail", case)).content.decode()
    download = reverse("applications:document-download", kwargs={"pk": document.pk})

    assert "guarantee-letter.pdf" in page
    assert f'href="{download}"' in page
    opened = officer_client.get(download)
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content) == b"%PDF-1.4 test"


def test_history_shows_messages_requested_documents_reply_date_and_documents_sent_with_an_answer(
    officer_client, officer, employer_user, employer, moscow_rules
):
    case = a_case(employer=employer, status=Status.IN_REVIEW)
    due = timezone.localdate() + dt.timedelta(days=4)
    StatusChangeFactory(
        application=case, from_status=Status.IN_REVIEW, to_status=Status.INFO_REQUESTED, transition="request_information",
        actor=officer, message="Send the lease of the hostel.", reply_due=due,
        requested_documents=[DocumentKind.ISOLATION_HOUSING, DocumentKind.INSURANCE_POLICY],
    )
    answer = StatusChangeFactory(
        application=case, from_status=Status.INFO_REQUESTED, to_status=Status.IN_REVIEW, transition="answer_request",
        actor=employer_user, message="The lease is attached.",
    )
    attached = DocumentFactory(application=case, status_change=answer, original_name="hostel-lease.pdf", kind=DocumentKind.ISOLATION_HOUSING)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    history = page[page.index('id="history-heading"'):]
    assert "Send the lease of the hostel." in history
    assert "Documents requested:" in history
    assert "Isolation housing" in history and "Insurance policy" in history
    assert f"Reply due by {short_date(due)}" in history
    assert "The lease is attached." in history
    assert "Documents sent with it:" in history
    assert f'href="{reverse("applications:document-download", kwargs={"pk": attached.pk})}">hostel-lease.pdf</a>' in history


# Rule check, decision and quota


def test_a_decided_case_shows_the_checks_stored_with_the_decision_not_a_fresh_run(officer_client, officer, employer, moscow_rules):
    case = a_case(employer=employer, status=Status.APPROVED)
    DecisionFactory(
        application=case, rule_set=moscow_rules, decided_by=officer,
        checks=[{"code": "quota.month", "passed": True, "blocking": True, "message": "Stored: 3 of 10 places used in March."}],
    )

    response = officer_client.get(case_url("review-detail", case))

    page = response.content.decode()
    assert "Rule check as it stood when the decision was taken" in page
    assert "Stored: 3 of 10 places used in March." in page
    assert 'data-check="quota.month"' in page
    assert 'data-check="arrival.in_future"' not in page  # no fresh run beside it
    assert [check.code for check in response.context["checks"]] == ["quota.month"]  # the kept ones only


def test_a_pending_case_shows_the_rule_check_against_the_version_in_force_on_arrival(officer_client, employer, moscow_rules):
    newer = RuleSetFactory(
        region=moscow_rules.region, effective_from=timezone.localdate(), legal_basis_type=ActType.ORDER,
        legal_basis_body="of the Mayor", legal_basis_number="42-UM",
    )
    case = a_case(employer=employer)

    response = officer_client.get(case_url("review-detail", case))

    assert response.context["rule_set"] == newer
    assert "Legal basis: order of the Mayor No. 42-UM." in " ".join(response.content.decode().split())


def test_the_quota_meter_shows_the_arrival_months_use_of_the_regions_quota(officer_client, employer, moscow_rules):
    arrival = timezone.localdate() + dt.timedelta(days=20)
    RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2020, 7, 1), monthly_worker_quota=50)
    approved = a_case(employer=employer, status=Status.APPROVED, workers=3, planned_arrival_date=arrival)
    approved.lines.update(outcome=WorkerOutcome.APPROVED)
    case = a_case(employer=employer, planned_arrival_date=arrival)

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "Monthly worker quota" in page
    assert f"3 of 50 approved for {date_format(arrival.replace(day=1), 'F Y')}" in page


# Safety and cost


def test_a_worker_name_with_markup_is_printed_escaped_in_the_partial_approval_form(officer_client, officer, employer, moscow_rules):
    case = a_case(employer=employer, status=Status.IN_REVIEW, workers=1, assigned_officer=officer)
    CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="<b>EVIL</b>{{ csrf_token }}")
    )

    page = officer_client.get(case_url("review-detail", case)).content.decode()

    assert "<b>EVIL</b>" not in page
    assert "&lt;b&gt;EVIL&lt;/b&gt;{{ csrf_token }}" in page


def test_case_page_costs_the_same_queries_for_1_and_for_20_workers_documents_and_history_rows(
    officer_client, officer, employer_user, employer, moscow_rules, threshold
):
    def busy_case(size):
        case = a_case(employer=employer, status=Status.IN_REVIEW, workers=size, assigned_officer=officer, **submitted_days_ago(2))
        for _ in range(size):
            a_case(employer=employer, status=Status.REJECTED, **submitted_days_ago(10))
            change = StatusChangeFactory(
                application=case, from_status=Status.INFO_REQUESTED, to_status=Status.IN_REVIEW, transition="answer_request",
                actor=employer_user, message="Answer", requested_documents=[DocumentKind.OTHER],
            )
            DocumentFactory(application=case, status_change=change, uploaded_by=employer_user)
            DocumentFactory(application=case, uploaded_by=employer_user)
        case.lines.filter(pk=case.lines.first().pk).update(outcome=WorkerOutcome.APPROVED)
        return case

    small, big = busy_case(1), busy_case(20)
    officer_client.get(case_url("review-detail", small))  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(case_url("review-detail", small)).status_code == 200
    with CaptureQueriesContext(connection) as twenty:
        response = officer_client.get(case_url("review-detail", big))

    assert response.status_code == 200
    assert len(response.context["lines"]) == 20
    assert len(twenty) == len(one), "\n".join(query["sql"] for query in twenty.captured_queries)
