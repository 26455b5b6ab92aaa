"""The officer's actions on a case: each one's happy path and its refusals (bad input next to its
field, a stale page, the quota), including the request for information with the documents needed,
and verifying the case's company."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications import services
from applications.models import Application, Decision, DocumentKind, Employer, RefusalReason, Status, StatusChange, WorkerOutcome
from regions.production_calendar import add_working_days
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory, new_version

pytestmark = pytest.mark.django_db


def case_url(name, application):
    return reverse(f"applications:{name}", kwargs={"pk": application.pk})


def a_case(*, employer, status=Status.SUBMITTED, workers=2, **fields):
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for _ in range(workers):
        CaseWorkerFactory(application=application)
    return application


@pytest.fixture
def in_review(employer, officer, moscow_rules, threshold):
    return a_case(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)


def reloaded(application):
    return Application.objects.get(pk=application.pk)


# Take into review


def test_taking_into_review_from_a_stale_page_is_refused(officer_client, employer, moscow_rules):
    case = a_case(employer=employer)
    Application.objects.filter(pk=case.pk).update(version=case.version + 1)

    response = officer_client.post(case_url("review-take", case), {"version": case.version}, follow=True)

    assert "The application changed since you opened it" in response.content.decode()
    assert reloaded(case).assigned_officer is None


# Request information


def test_requesting_information_stores_the_documents_needed_and_the_reply_date(
    officer_client, officer, in_review, employer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            case_url("review-request-information", in_review),
            {
                "version": in_review.version,
                "message": "Send the insurance and the hostel lease.",
                "requested_documents": [DocumentKind.INSURANCE_POLICY, DocumentKind.ISOLATION_HOUSING],
                "answer_days": 5,
            },
        )

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.INFO_REQUESTED
    change = StatusChange.objects.get(application=in_review, transition="request_information")
    assert change.requested_documents == ["insurance_policy", "isolation_housing"]
    assert change.reply_due == add_working_days(timezone.localdate(), 5)
    assert change.actor == officer
    assert mail.outbox[0].to == [employer_user.email]
    page = officer_client.get(response.url).content.decode()
    assert "Documents requested:" in page and "Insurance policy" in page and "Isolation housing" in page


def test_the_request_form_offers_the_regions_working_days_to_answer_and_the_date_they_give(
    officer_client, in_review, moscow_rules
):
    new_version(moscow_rules, days_to_answer=7)
    page = officer_client.get(case_url("review-detail", in_review)).content.decode()

    assert 'name="answer_days" value="7"' in page
    due = date_format(add_working_days(timezone.localdate(), 7), "SHORT_DATE_FORMAT")
    assert f"7 working days: reply due by {due}." in page


@pytest.mark.parametrize(
    ("days", "error"),
    [
        (0, "Give the employer at least 1 working day."),
        (31, "Give the employer at most 30 working days."),
        ("two", "Enter a whole number of working days, from 1 to 30."),
        ("", "Give the number of working days the employer has to answer (1 to 30)."),
    ],
)
def test_working_days_to_answer_outside_1_to_30_show_the_error_at_the_field(officer_client, in_review, days, error):
    response = officer_client.post(
        case_url("review-request-information", in_review),
        {"version": in_review.version, "message": "Send the lease.", "requested_documents": ["other"], "answer_days": days},
    )

    assert response.status_code == 200
    form = response.context["forms"]["request_information"]
    assert form.errors == {"answer_days": [error]}
    assert 'id="error_1_id_review-request-information_answer_days"' in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW
    assert not StatusChange.objects.filter(application=in_review).exists()


@pytest.mark.parametrize("days", [1, 30])
def test_one_and_thirty_working_days_to_answer_are_accepted(officer_client, in_review, days):
    response = officer_client.post(
        case_url("review-request-information", in_review),
        {"version": in_review.version, "message": "Send the lease.", "answer_days": days},
    )

    assert response.status_code == 302
    assert reloaded(in_review).reply_due == add_working_days(timezone.localdate(), days)


def test_requesting_a_kind_of_document_not_on_the_list_shows_the_error_at_the_field(officer_client, in_review):
    response = officer_client.post(
        case_url("review-request-information", in_review),
        {"version": in_review.version, "message": "x", "requested_documents": ["birth_certificate"], "answer_days": 3},
    )

    assert "requested_documents" in response.context["forms"]["request_information"].errors
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_the_request_service_refuses_an_unknown_kind_of_document(in_review, officer):
    with pytest.raises(services.TransitionRefused, match="Unknown kind of document: passport_scan"):
        services.application_request_information(
            application=in_review, user=officer, message="x", requested_documents=["passport_scan"]
        )
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_the_request_form_offers_every_kind_of_document(officer_client, in_review):
    page = officer_client.get(case_url("review-detail", in_review)).content.decode()

    for _value, label in DocumentKind.choices:
        assert str(label) in page


# Approve all, approve some, reject


def test_approving_all_from_a_stale_page_is_refused(officer_client, in_review):
    Application.objects.filter(pk=in_review.pk).update(version=in_review.version + 1)

    response = officer_client.post(
        case_url("review-approve", in_review), {"version": in_review.version, "rule_check_confirmed": "on"}, follow=True
    )

    assert "changed since you opened it" in response.content.decode()
    assert not Decision.objects.filter(application=in_review).exists()


def test_approving_some_records_each_outcome_and_the_decision(officer_client, officer, in_review, moscow_rules):
    refused, approved = in_review.lines.order_by("pk")

    response = officer_client.post(
        case_url("review-approve-partially", in_review),
        {
            "version": in_review.version,
            f"line_{refused.pk}_decision": "refuse",
            f"line_{refused.pk}_reason": RefusalReason.CITIZENSHIP_NOT_ACCEPTED,
            f"line_{approved.pk}_decision": "approve",
        },
    )

    assert response.status_code == 302
    assert "is partially approved" in " ".join(messages_of(response))
    refused.refresh_from_db()
    approved.refresh_from_db()
    assert (refused.outcome, refused.refusal_reason) == (WorkerOutcome.REFUSED, "citizenship")
    assert approved.outcome == WorkerOutcome.APPROVED
    decision = Decision.objects.get(application=in_review)
    assert (decision.outcome, decision.rule_set, decision.decided_by) == (Status.PARTIALLY_APPROVED, moscow_rules, officer)


def test_the_partial_approval_form_explains_itself_and_lists_the_reasons(officer_client, in_review):
    page = officer_client.get(case_url("review-detail", in_review)).content.decode()

    assert "Approve some workers, refuse others" in page
    assert "To refuse every worker, reject the application instead." in page
    assert page.count('id="form-review-approve-partially"') == 1
    for _value, label in RefusalReason.choices:
        assert str(label) in page


def test_refusing_every_worker_through_partial_approval_is_refused_with_advice(officer_client, in_review):
    lines = list(in_review.lines.order_by("pk"))
    data = {"version": in_review.version}
    for line in lines:
        data |= {f"line_{line.pk}_decision": "refuse", f"line_{line.pk}_reason": RefusalReason.DOCUMENTS}

    response = officer_client.post(case_url("review-approve-partially", in_review), data, follow=True)

    assert "Every worker is refused: reject the application instead." in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_approving_some_beyond_the_quota_is_refused_with_the_numbers(officer_client, employer, in_review, moscow_rules):
    RuleSetFactory(region=moscow_rules.region, effective_from=timezone.localdate(), monthly_worker_quota=1)
    taken = a_case(employer=employer, status=Status.APPROVED, workers=1, planned_arrival_date=in_review.planned_arrival_date)
    taken.lines.update(outcome=WorkerOutcome.APPROVED)
    refused, approved = in_review.lines.order_by("pk")

    response = officer_client.post(
        case_url("review-approve-partially", in_review),
        {
            "version": in_review.version,
            f"line_{refused.pk}_decision": "refuse",
            f"line_{refused.pk}_reason": RefusalReason.QUOTA,
            f"line_{approved.pk}_decision": "approve",
        },
        follow=True,
    )

    month = in_review.planned_arrival_date.strftime("%m.%Y")
    assert f"Approving 1 worker would exceed the monthly quota of 1 for {month}: 1 approved already, places left: 0." in (
        response.content.decode()
    )
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_rejecting_from_a_stale_page_is_refused(officer_client, in_review):
    Application.objects.filter(pk=in_review.pk).update(version=in_review.version + 1)

    response = officer_client.post(
        case_url("review-reject", in_review), {"version": in_review.version, "reason": "No housing."}, follow=True
    )

    assert "changed since you opened it" in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW


# Verify the company


@pytest.fixture
def unverified_case(moscow_rules):
    return a_case(employer=EmployerFactory(verified_at=None, name="ООО Новая"))


def test_the_regions_officer_verifies_the_company_and_it_is_recorded(officer_client, officer, unverified_case):
    response = officer_client.post(case_url("review-verify-company", unverified_case), {"company_checked": "on"})

    assert response.status_code == 302
    assert response.url == case_url("review-detail", unverified_case)
    company = Employer.objects.get(pk=unverified_case.employer_id)
    assert company.verified_by == officer
    assert company.verified_at is not None
    assert "ООО Новая is verified: it can now submit applications." in messages_of(response)
    page = officer_client.get(response.url).content.decode()
    assert f"Verified on {date_format(timezone.localtime(company.verified_at), 'SHORT_DATE_FORMAT')} by {officer}" in page


def test_verifying_without_the_confirmation_shows_the_error_at_the_box(officer_client, unverified_case):
    response = officer_client.post(case_url("review-verify-company", unverified_case), {})

    assert response.status_code == 200
    assert response.context["verify_form"].errors == {
        "company_checked": ["Confirm that you have checked the company before verifying it."]
    }
    assert 'id="error_1_id_review-verify-company_company_checked"' in response.content.decode()
    assert not Employer.objects.get(pk=unverified_case.employer_id).is_verified


def test_an_officer_of_another_region_cannot_verify_a_company_of_moscow(client, officer_spb, unverified_case):
    client.force_login(officer_spb)

    response = client.post(case_url("review-verify-company", unverified_case), {"company_checked": "on"})

    assert response.status_code == 404
    assert not Employer.objects.get(pk=unverified_case.employer_id).is_verified


def test_an_officer_who_sees_the_case_but_not_the_companys_region_is_refused_clearly(officer_client, spb, moscow_rules):
    # A Saint Petersburg company filing in Moscow: the Moscow officer reviews the case, but the
    # company is for Saint Petersburg's officers (or an admin) to verify.
    case = a_case(employer=EmployerFactory(verified_at=None, region=spb))

    response = officer_client.post(case_url("review-verify-company", case), {"company_checked": "on"}, follow=True)

    assert "Only an admin or an officer of the company&#x27;s region can verify it." in response.content.decode()
    assert not Employer.objects.get(pk=case.employer_id).is_verified


def test_verifying_a_company_verified_already_keeps_the_first_verification(officer_client, officer, employer, moscow_rules, admin_user):
    Employer.objects.filter(pk=employer.pk).update(verified_by=admin_user)
    case = a_case(employer=employer)

    response = officer_client.post(case_url("review-verify-company", case), {"company_checked": "on"})

    assert any("was already verified on" in text for text in messages_of(response))
    assert Employer.objects.get(pk=employer.pk).verified_by == admin_user


def test_the_employer_may_not_verify_its_own_company(client, employer_user, unverified_case):
    client.force_login(employer_user)

    assert client.post(case_url("review-verify-company", unverified_case), {"company_checked": "on"}).status_code == 403
    assert client.get(case_url("review-verify-company", unverified_case)).status_code == 403


def test_refusing_a_worker_for_other_reasons_needs_the_officers_words(officer_client, in_review):
    refused, approved = in_review.lines.order_by("pk")
    data = {
        "version": in_review.version,
        f"line_{refused.pk}_decision": "refuse",
        f"line_{refused.pk}_reason": RefusalReason.OTHER,
        f"line_{approved.pk}_decision": "approve",
    }

    response = officer_client.post(case_url("review-approve-partially", in_review), data, follow=True)

    assert "Write the grounds for refusing this worker: for “Other” the letter prints your words." in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW
