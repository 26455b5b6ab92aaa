"""Sign-up and password reset answer the same page whether or not the address or the company is
already known; what differs is said by e-mail, to the address's owner (issue 16, item 4)."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from applications.models import Employer, EmployerMember
from applications.services.companies import company_register
from portal.accounts.models import User
from tests.applications.factories import EmployerFactory, EmployerMemberFactory
from tests.helpers.signup import INN, OGRN, OTHER_INN, OTHER_OGRN, PASSWORD, registration_data
from tests.pages import text
from tests.portal.factories import TEST_PASSWORD, UserFactory
from tests.regions.factories import region

pytestmark = pytest.mark.django_db

FRESH = "anna.petrova@vostok.example"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("accounts:register"), registration_data(**overrides), follow=True)


def page(response) -> str:
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def fresh_answer(django_capture_on_commit_callbacks):
    """The page a sign-up with nothing known gets, taken from a separate client and database
    state so the comparisons below compare like with like."""
    from django.test import Client

    response = sign_up(
        Client(HTTP_ACCEPT_LANGUAGE="en"),
        django_capture_on_commit_callbacks,
        email="someone.else@zapad.example",
        inn=OTHER_INN,
        ogrn=OTHER_OGRN,
    )
    mail.outbox.clear()
    return response


# Sign-up


def test_a_known_address_gets_the_same_page_as_a_fresh_sign_up_and_its_owner_an_e_mail(
    english, fresh_answer, django_capture_on_commit_callbacks
):
    UserFactory(email=FRESH, full_name="Anna Petrova", preferred_language="en")  # the letter speaks her language

    response = sign_up(english, django_capture_on_commit_callbacks, email="Anna.Petrova@VOSTOK.example")

    assert response.redirect_chain == fresh_answer.redirect_chain
    assert page(response) == page(fresh_answer)
    assert "Check your e-mail" in text(response)
    assert not Employer.objects.filter(inn=INN).exists()
    assert User.objects.filter(email=FRESH).count() == 1
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [FRESH]
    assert letter.subject == "Someone tried to register on the entry portal with your e-mail"
    assert "already has an account" in letter.body
    assert f"http://testserver{reverse('accounts:password-reset')}" in letter.body
    # Nothing the stranger typed (the company name) goes into the owner's mailbox.
    assert "Восток" not in letter.body


def test_the_known_addresss_owner_keeps_the_password_they_had(english, django_capture_on_commit_callbacks):
    owner = EmployerMemberFactory(user=UserFactory(email=FRESH)).user

    sign_up(english, django_capture_on_commit_callbacks, email=FRESH)

    owner.refresh_from_db()
    assert owner.check_password(TEST_PASSWORD) and not owner.check_password(PASSWORD)
    assert owner.is_active


@pytest.mark.parametrize("known", ["inn", "ogrn"])
def test_a_known_company_gets_the_same_page_and_the_address_typed_an_e_mail_saying_to_ask_for_an_invitation(
    english, fresh_answer, django_capture_on_commit_callbacks, known
):
    EmployerFactory(**{known: {"inn": INN, "ogrn": OGRN}[known]})

    response = sign_up(english, django_capture_on_commit_callbacks)

    assert response.redirect_chain == fresh_answer.redirect_chain
    assert page(response) == page(fresh_answer)
    assert not User.objects.filter(email=FRESH).exists()
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [FRESH]
    assert letter.subject == "Your company is already on the entry portal"
    assert "ask a colleague there to invite you" in letter.body


def test_the_fresh_sign_up_page_says_to_check_the_e_mail_without_saying_an_account_was_made(english, fresh_answer):
    assert "Check your e-mail" in text(fresh_answer)
    assert "registered" not in text(fresh_answer).split("Check your e-mail", 1)[1].split("No e-mail")[0]


def test_an_inn_registered_between_the_check_and_the_save_gets_the_same_page_and_an_e_mail(
    english, monkeypatch, django_capture_on_commit_callbacks
):
    from portal.accounts import views

    real_register = views.company_register

    def someone_else_registers_first(**kwargs):
        EmployerFactory(inn=kwargs["inn"])
        return real_register(**kwargs)

    monkeypatch.setattr(views, "company_register", someone_else_registers_first)

    response = sign_up(english, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == reverse("accounts:register-done")
    assert not User.objects.filter(email=FRESH).exists()
    assert [letter.subject for letter in mail.outbox] == ["Your company is already on the entry portal"]


def test_the_service_called_with_a_taken_inn_creates_nothing_and_raises_nothing(django_capture_on_commit_callbacks):
    EmployerFactory(inn=INN)

    with django_capture_on_commit_callbacks(execute=True):
        result = company_register(
            email=FRESH,
            password=PASSWORD,
            full_name="Anna",
            name="ООО «Восток»",
            inn=INN,
            ogrn=OGRN,
            legal_address="Балашиха",
            region=region(50),
            site_url="http://testserver/",
            annual_revenue_rub=1,
            average_headcount=1,
            figures_year=2020,
        )

    assert result is None
    assert not User.objects.filter(email=FRESH).exists()
    assert EmployerMember.objects.count() == 0
    assert len(mail.outbox) == 1


def test_invalid_values_are_still_shown_next_to_their_fields(english):
    response = english.post(reverse("accounts:register"), registration_data(inn="5001007320"))

    assert response.status_code == 200
    assert "This INN has a wrong check digit" in text(response)


# Password reset


def test_the_login_page_links_to_the_password_reset(english):
    assert f'href="{reverse("accounts:password-reset")}"' in english.get(reverse("accounts:login")).content.decode()


def test_a_password_reset_answers_the_same_for_known_and_unknown_addresses_and_mails_only_the_owner(english, employer_user):
    unknown = english.post(reverse("accounts:password-reset"), {"email": "nobody@nowhere.example"}, follow=True)
    assert mail.outbox == []
    known = english.post(reverse("accounts:password-reset"), {"email": "CLERK@a.example"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(reverse("accounts:password-reset-done"), 302)]
    assert page(unknown) == page(known)
    assert "If an account uses this e-mail, we have sent it a link" in text(known)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employer_user.email]


def test_a_look_alike_spelling_reaches_the_account_and_the_link_sets_a_new_password(english, employer_user):
    english.post(reverse("accounts:password-reset"), {"email": "c\uff4cER\u212a@A.example"})
    assert len(mail.outbox) == 1, "the normalised lookup should find clerk@a.example"
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = english.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = english.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "larch-meadow-2031-south", "new_password2": "larch-meadow-2031-south"},
        follow=True,
    )

    assert "Your password is changed" in text(done)
    employer_user.refresh_from_db()
    assert employer_user.check_password("larch-meadow-2031-south")
    assert SESSION_KEY not in english.session


def test_an_account_waiting_for_confirmation_gets_a_new_confirmation_link_instead(english, django_capture_on_commit_callbacks):
    sign_up(english, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    english.post(reverse("accounts:password-reset"), {"email": FRESH})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirm your e-mail for the entry portal"


def test_a_nonsense_address_is_refused_next_to_the_field(english):
    response = english.post(reverse("accounts:password-reset"), {"email": "not an address\x00"})

    assert response.status_code == 200
    assert "Enter a valid email address." in text(response) or "Null characters are not allowed." in text(response)
    assert mail.outbox == []
