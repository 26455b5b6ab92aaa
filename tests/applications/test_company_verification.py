"""Officers verify companies (issue 18, item 1): the queue of companies of their regions waiting
for verification, a company's card, verifying and refusing with a reason (e-mailed to the
members), the append-only company history, and a refused company asking again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.models import EmployerEvent, VerificationState
from tests.applications.factories import EmployerFactory, EmployerMemberFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review-companies")


def card(company):
    return reverse("applications:review-company", kwargs={"pk": company.pk})


@pytest.fixture
def newcomer(moscow):
    """A company registered in Moscow, waiting for verification, with one member."""
    company = EmployerFactory(name="ООО Новичок", region=moscow, verified_at=None, phone="+7 495 000-00-00", language="en")
    EmployerMemberFactory(employer=company, user=UserFactory(email="boss@newcomer.example", full_name="Ivan Petrov"))
    return company


# The queue


def test_officer_sees_the_companies_of_their_region_waiting_for_verification(officer_client, newcomer, spb):
    EmployerFactory(name="ООО Питер", region=spb, verified_at=None)
    EmployerFactory(name="ООО Проверенная", region=newcomer.region)

    page = officer_client.get(QUEUE).content.decode()

    assert "ООО Новичок" in page
    assert "ООО Питер" not in page  # another region's
    assert "ООО Проверенная" not in page  # verified already
    assert "1 company." in page


def test_the_officers_menu_counts_the_companies_waiting(officer_client, newcomer):
    page = officer_client.get(reverse("applications:review-queue")).content.decode()
    menu = page.split('href="/review/companies/"')[1].split("</a>")[0]
    assert "Companies" in menu and ">1<" in menu


def test_refused_companies_are_under_their_own_tab(officer_client, officer, newcomer):
    services.employer_refuse(employer=newcomer, user=officer, reason="The OGRN is of another company.")

    assert "ООО Новичок" not in officer_client.get(QUEUE).content.decode()
    assert "ООО Новичок" in officer_client.get(QUEUE, {"state": "refused"}).content.decode()


def test_an_employer_may_not_open_the_queue(employer_client, newcomer):
    assert employer_client.get(QUEUE).status_code == 403
    assert employer_client.get(card(newcomer)).status_code == 403


# The card


def test_the_card_shows_the_numbers_checked_the_figures_and_the_members(officer_client, newcomer):
    page = officer_client.get(card(newcomer)).content.decode()

    assert f"INN {newcomer.inn}" in page and "Check digit correct" in page
    assert "Figures for eligibility" in page
    assert "boss@newcomer.example" in page and "Ivan Petrov" in page
    assert "Waiting for verification" in page


def test_the_card_says_when_a_number_fails_its_check(officer_client, moscow):
    # A company an admin typed in before the check existed: the database holds digits only.
    company = EmployerFactory(region=moscow, verified_at=None, inn="7707083894")

    page = officer_client.get(card(company)).content.decode()

    assert "wrong check digit" in page and "failed" in page


def test_officer_of_another_region_gets_a_404_for_the_card_and_its_actions(client, officer_spb, newcomer):
    client.force_login(officer_spb)
    assert client.get(card(newcomer)).status_code == 404
    verify = reverse("applications:review-company-verify", kwargs={"pk": newcomer.pk})
    refuse = reverse("applications:review-company-refuse", kwargs={"pk": newcomer.pk})
    assert client.post(verify, {"company_checked": "on"}).status_code == 404
    assert client.post(refuse, {"reason": "No"}).status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.WAITING


# Verifying


def test_officer_verifies_a_company_from_its_card_and_its_members_are_told(
    officer_client, officer, newcomer, django_capture_on_commit_callbacks
):
    url = reverse("applications:review-company-verify", kwargs={"pk": newcomer.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url, {"company_checked": "on"}, follow=True)

    newcomer.refresh_from_db()
    assert newcomer.is_verified and newcomer.verified_by == officer
    assert "ООО Новичок is verified: it can now submit applications." in response.content.decode()
    event = EmployerEvent.objects.get(employer=newcomer)
    assert (event.action, event.from_state, event.to_state, event.actor) == ("verify", "waiting", "verified", officer)
    assert mail.outbox[0].to == ["boss@newcomer.example"]
    assert "verified" in mail.outbox[0].subject


def test_verifying_without_the_confirmation_says_why_next_to_the_box(officer_client, newcomer):
    url = reverse("applications:review-company-verify", kwargs={"pk": newcomer.pk})
    response = officer_client.post(url, {})

    assert response.status_code == 200
    assert "Confirm that you have checked the company before verifying it." in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.is_verified


def test_a_company_can_be_verified_before_it_files_any_case(officer, newcomer):
    assert not newcomer.applications.exists()
    assert services.employer_verify(employer=newcomer, user=officer).is_verified


def test_verifying_twice_records_once(officer, newcomer):
    services.employer_verify(employer=newcomer, user=officer)
    services.employer_verify(employer=newcomer, user=officer)
    assert EmployerEvent.objects.filter(employer=newcomer, action="verify").count() == 1


def test_officer_of_another_region_cannot_verify_through_the_service(officer_spb, newcomer):
    with pytest.raises(services.TransitionRefused):
        services.employer_verify(employer=newcomer, user=officer_spb)


# Refusing


def test_officer_refuses_with_a_reason_that_is_emailed_to_the_members(
    officer_client, officer, newcomer, django_capture_on_commit_callbacks
):
    url = reverse("applications:review-company-refuse", kwargs={"pk": newcomer.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url, {"reason": "The legal address differs from EGRUL."}, follow=True)

    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.REFUSED
    assert newcomer.refusal_reason == "The legal address differs from EGRUL."
    assert "its members are told why by e-mail" in response.content.decode()
    event = EmployerEvent.objects.get(employer=newcomer)
    assert (event.action, event.to_state, event.reason) == ("refuse", "refused", "The legal address differs from EGRUL.")
    assert mail.outbox[0].to == ["boss@newcomer.example"]
    assert "The legal address differs from EGRUL." in mail.outbox[0].body


def test_refusing_without_a_reason_is_refused_next_to_the_field(officer_client, newcomer):
    url = reverse("applications:review-company-refuse", kwargs={"pk": newcomer.pk})
    response = officer_client.post(url, {"reason": "  "})

    assert response.status_code == 200
    assert "Say why, so the company knows what to correct." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.WAITING


def test_the_service_refuses_an_empty_reason(officer, newcomer):
    with pytest.raises(ValidationError):
        services.employer_refuse(employer=newcomer, user=officer, reason="")


def test_a_verified_company_cannot_be_refused(officer, newcomer):
    services.employer_verify(employer=newcomer, user=officer)
    with pytest.raises(services.TransitionRefused):
        services.employer_refuse(employer=newcomer, user=officer, reason="Too late")


# Asking again


def test_a_refused_company_reads_the_reason_and_asks_again(client, officer, newcomer):
    member = newcomer.members.get().user
    services.employer_refuse(employer=newcomer, user=officer, reason="Wrong OGRN on the certificate.")
    client.force_login(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("applications:company-detail")).content.decode()
    assert "Verification refused on" in page and "Wrong OGRN on the certificate." in page

    response = client.post(reverse("applications:company-ask-again"), {"note": "Uploaded the right certificate."}, follow=True)

    assert "back in the queue" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.WAITING and newcomer.refusal_reason == ""
    last = EmployerEvent.objects.filter(employer=newcomer).last()
    assert (last.action, last.from_state, last.to_state, last.actor) == ("ask_again", "refused", "waiting", member)


def test_a_company_that_is_not_refused_cannot_ask_again(employer_user, employer):
    with pytest.raises(services.TransitionRefused):
        services.employer_ask_again(employer=employer, user=employer_user)


def test_another_companys_member_cannot_ask_again_for_it(officer, newcomer, other_employer_user):
    services.employer_refuse(employer=newcomer, user=officer, reason="No")
    with pytest.raises(services.TransitionRefused):
        services.employer_ask_again(employer=newcomer, user=other_employer_user)


# The history is append-only


def test_the_company_history_cannot_be_rewritten_or_deleted(officer, newcomer):
    services.employer_verify(employer=newcomer, user=officer)
    event = EmployerEvent.objects.get(employer=newcomer)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerEvent.objects.filter(pk=event.pk).delete()


def test_a_company_is_never_verified_and_refused_at_once(officer, newcomer):
    services.employer_refuse(employer=newcomer, user=officer, reason="No")
    newcomer.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(newcomer).objects.filter(pk=newcomer.pk).update(verified_at=newcomer.refused_at)


def test_verifying_a_refused_company_clears_the_refusal(officer, newcomer):
    services.employer_refuse(employer=newcomer, user=officer, reason="No")
    verified = services.employer_verify(employer=newcomer, user=officer)
    assert verified.is_verified and verified.refused_at is None and verified.refusal_reason == ""
    assert list(EmployerEvent.objects.filter(employer=newcomer).values_list("from_state", "to_state")) == [
        ("waiting", "refused"),
        ("refused", "verified"),
    ]


def test_the_queue_costs_the_same_queries_for_one_company_or_thirty(officer_client, newcomer, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one:
        officer_client.get(QUEUE)
    for _ in range(29):
        EmployerMemberFactory(employer=EmployerFactory(region=newcomer.region, verified_at=None))
    with django_assert_num_queries(len(one.captured_queries)):
        page = officer_client.get(QUEUE).content.decode()
    assert "30 companies." in page
