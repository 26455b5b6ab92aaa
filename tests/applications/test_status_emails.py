"""E-mails about a change of status: the company's go to every active member, in the company's
language of letters, naming the case by its reference with the path of its page; the region's
go to its officers with the path of the officer's case page."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from applications import services
from applications.models import Status
from tests.applications.factories import CaseWorkerFactory, EmployerMemberFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

REPLY_DUE = dt.date(2031, 3, 15)


@pytest.fixture
def submitted_case(employer, moscow, moscow_rules):
    return CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED
    ).application


@pytest.fixture
def colleagues(employer):
    """A second active member and a former one, whose account is switched off."""
    active = EmployerMemberFactory(employer=employer, user=UserFactory(email="boss@a.example")).user
    EmployerMemberFactory(employer=employer, user=UserFactory(email="gone@a.example", is_active=False))
    return active


def ask_for_information(application, officer, capture):
    with capture(execute=True):
        application = services.application_take_into_review(application=application, user=officer)
    mail.outbox.clear()
    with capture(execute=True):
        services.application_request_information(
            application=application, user=officer, message="Send the policy, it's missing.", reply_due=REPLY_DUE,
            requested_documents=["insurance_policy"],
        )
    (email,) = mail.outbox
    return email


def test_the_company_e_mail_goes_to_every_active_member_with_the_reference_and_the_case_path(
    submitted_case, officer, colleagues, other_employer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_take_into_review(application=submitted_case, user=officer)

    (email,) = mail.outbox
    assert sorted(email.to) == ["boss@a.example", "clerk@a.example"]
    assert submitted_case.reference in email.subject
    assert f"/employer/applications/{submitted_case.pk}/" in email.body
    assert submitted_case.reference in email.body


def test_a_company_writing_in_english_gets_english_labels_and_dates(
    employer, submitted_case, officer, django_capture_on_commit_callbacks
):
    employer.language = "en"
    employer.save()

    with translation.override("ru"):  # whatever language the officer's request ran in
        email = ask_for_information(submitted_case, officer, django_capture_on_commit_callbacks)

    assert email.subject == f"Application {submitted_case.reference}: Information requested"
    assert "Please reply by 03/15/2031." in email.body
    assert "Documents asked for:\n- Insurance policy" in email.body
    assert "it's missing" in email.body  # plain text: nothing HTML-escaped


def test_a_company_writing_in_russian_gets_russian_dates_whatever_language_the_officer_used(
    employer, submitted_case, officer, django_capture_on_commit_callbacks
):
    employer.language = "ru"
    employer.save()

    with translation.override("en"):
        email = ask_for_information(submitted_case, officer, django_capture_on_commit_callbacks)

    # No Russian catalogue exists yet, so the words stay English; Django's own Russian formats
    # show that the e-mail was written in Russian: 15.03.2031, not 03/15/2031.
    assert "15.03.2031" in email.body
    assert "03/15/2031" not in email.body
    assert submitted_case.reference in email.subject
    assert f"/employer/applications/{submitted_case.pk}/" in email.body


def test_the_answer_e_mails_the_regions_officers_with_the_officers_case_path(
    employer_user, submitted_case, officer, officer_spb, django_capture_on_commit_callbacks
):
    ask_for_information(submitted_case, officer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    submitted_case.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_answer_request(application=submitted_case, user=employer_user, message="Attached.")

    (email,) = mail.outbox
    assert email.to == ["officer@77.example"]
    assert f"/review/applications/{submitted_case.pk}/" in email.body
    assert "/employer/" not in email.body
    assert submitted_case.reference in email.subject


def test_a_refused_answer_sends_no_e_mail(employer_user, submitted_case, officer, django_capture_on_commit_callbacks):
    ask_for_information(submitted_case, officer, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.TransitionRefused):
        services.application_answer_request(application=submitted_case, user=employer_user, message="   ")

    assert mail.outbox == []
