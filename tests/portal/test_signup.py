"""A company signs up, confirms its e-mail with a one-use link, and stays unverified (drafts yes,
submitting no) until an officer or an admin verifies it."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications.models import Application, Employer, EmployerFigures, EmployerKind, EmployerMember, Status
from applications.services.companies import company_register
from portal.accounts.models import Role, User
from tests.applications.factories import EmployerFactory
from tests.concurrency import run_at_once
from tests.helpers.signup import INN, OGRN, OTHER_INN, OTHER_OGRN, PASSWORD, confirmation_path, registration_data
from tests.pages import field_error, text
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(english, django_capture_on_commit_callbacks):
    """A company just signed up through the page; its confirmation e-mail is in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(reverse("accounts:register"), registration_data())
    assert response.status_code == 302, text(response)
    return User.objects.get(email="anna.petrova@vostok.example")


# The happy path


def test_the_login_page_links_to_the_company_sign_up(english):
    page = english.get(reverse("accounts:login"))
    assert f'href="{reverse("accounts:register")}"' in page.content.decode()
    assert "Register your company" in text(page)


def test_the_sign_up_page_offers_the_85_regions_as_number_and_name(english):
    page = english.get(reverse("accounts:register"))
    assert page.status_code == 200
    # + the two languages of letters and the two of the navbar's language switch, - the empty choice
    assert page.content.decode().count("<option value=") - 1 == 85 + 2 + 2
    assert "50 — Moscow Oblast" in text(page)


def test_signing_up_creates_an_inactive_user_an_unverified_company_and_its_membership_and_mails_a_link(
    english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(reverse("accounts:register"), registration_data(), follow=True)

    assert "Check your e-mail" in text(response)
    user = User.objects.get(email="anna.petrova@vostok.example")
    assert user.role == Role.EMPLOYER and not user.is_active and user.full_name == "Anna Petrova"
    assert user.check_password(PASSWORD)
    employer = user.employer_membership.employer
    assert (employer.inn, employer.ogrn, employer.region.number) == (INN, OGRN, 50)
    assert employer.verified_at is None
    assert (employer.annual_revenue_rub, employer.average_headcount, employer.language) == (1_200_000_000, 350, "en")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.petrova@vostok.example"]
    assert mail.outbox[0].subject == "Confirm your e-mail for the entry portal"
    assert 'ООО "Восток & Строй"' in mail.outbox[0].body


@pytest.mark.parametrize("field", ["annual_revenue_rub", "average_headcount", "figures_year", "kind"])
def test_signing_up_without_the_figures_their_year_or_the_kind_is_refused_next_to_the_field(english, field):
    response = english.post(reverse("accounts:register"), registration_data(**{field: ""}))

    assert response.status_code == 200
    assert field_error(response, field) == "This field is required."
    assert not Employer.objects.filter(inn=INN).exists()


def test_the_figures_given_at_sign_up_start_the_companys_figures_history(english):
    english.post(reverse("accounts:register"), registration_data())

    employer = Employer.objects.get(inn=INN)
    statement = EmployerFigures.objects.get(employer=employer)
    assert (statement.year, statement.annual_revenue_rub, statement.average_headcount) == (2020, 1_200_000_000, 350)
    assert statement.recorded_by == User.objects.get(email="anna.petrova@vostok.example")
    assert employer.kind == EmployerKind.LEGAL_ENTITY


def test_figures_for_a_year_not_yet_begun_are_refused_next_to_the_year(english):
    next_year = timezone.localdate().year + 1

    response = english.post(reverse("accounts:register"), registration_data(figures_year=str(next_year)))

    assert field_error(response, "figures_year") == f"The figures must be for a year that has begun: {next_year - 1} at the latest."
    assert not Employer.objects.filter(inn=INN).exists()


def test_the_confirmation_links_button_activates_the_account_signs_in_and_opens_the_employer_home(english, registered):
    response = english.post(confirmation_path(mail.outbox[0]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("applications:employer-home")
    assert "Your e-mail is confirmed and you are signed in." in text(response)
    assert "Your company is not verified yet." in text(response)
    registered.refresh_from_db()
    assert registered.is_active
    assert int(english.session["_auth_user_id"]) == registered.pk


def test_the_confirmation_link_works_once(english, registered):
    link = confirmation_path(mail.outbox[0])
    english.post(link)
    english.post(reverse("accounts:logout"))

    second = english.post(link)

    assert second.status_code == 400
    assert "This confirmation link is not valid" in text(second)
    assert f'href="{reverse("accounts:resend-confirmation")}"' in second.content.decode()
    assert "_auth_user_id" not in english.session


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/confirm/Mg/not-a-token/",
        "/accounts/confirm/%%%/abc-def/",
        "/accounts/confirm/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
    ],
)
def test_a_made_up_confirmation_link_gives_a_clear_page_not_an_error(english, registered, path):
    response = english.get(path)

    assert response.status_code == 400
    assert "This confirmation link is not valid" in text(response)
    registered.refresh_from_db()
    assert not registered.is_active


def test_a_link_for_one_account_does_not_confirm_another(english, registered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        english.post(
            reverse("accounts:register"), registration_data(email="second@vostok.example", inn=OTHER_INN, ogrn=OTHER_OGRN)
        )
    second = User.objects.get(email="second@vostok.example")
    first_token = confirmation_path(mail.outbox[0]).strip("/").split("/")[3]

    response = english.get(reverse("accounts:confirm-email", args=[urlsafe_base64_encode(force_bytes(second.pk)), first_token]))

    assert response.status_code == 400
    second.refresh_from_db()
    assert not second.is_active


def test_an_account_an_admin_switched_off_cannot_be_switched_back_on_by_a_new_link(english, registered):
    english.post(confirmation_path(mail.outbox[0]))
    english.post(reverse("accounts:logout"))
    registered.refresh_from_db()
    registered.is_active = False
    registered.save()
    mail.outbox.clear()

    english.post(reverse("accounts:resend-confirmation"), {"email": registered.email})

    assert mail.outbox == []


# Signing in before confirming


def test_signing_in_before_confirming_says_to_confirm_the_e_mail_first(english, registered):
    response = english.post(reverse("accounts:login"), {"username": "ANNA.PETROVA@vostok.example", "password": PASSWORD})

    assert response.status_code == 200
    assert "Confirm your e-mail first: we sent you a link." in text(response)
    assert "_auth_user_id" not in english.session


def test_a_wrong_password_on_an_unconfirmed_account_gets_the_usual_error(english, registered):
    response = english.post(reverse("accounts:login"), {"username": registered.email, "password": "wrong-password"})

    assert "Confirm your e-mail first" not in text(response)
    assert "Please enter a correct" in text(response)


# Asking for a new link


def test_asking_for_a_new_link_answers_the_same_for_unknown_and_real_addresses_and_mails_only_the_real_one(english, registered):
    mail.outbox.clear()

    unknown = english.post(reverse("accounts:resend-confirmation"), {"email": "nobody@nowhere.example"}, follow=True)
    assert mail.outbox == []
    real = english.post(reverse("accounts:resend-confirmation"), {"email": "Anna.Petrova@VOSTOK.example"}, follow=True)

    answer = "If an account with this e-mail is waiting for confirmation, we have sent a new link to it."
    assert answer in text(unknown) and answer in text(real)
    assert unknown.redirect_chain == real.redirect_chain
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [registered.email]
    english.post(confirmation_path(mail.outbox[0]))
    registered.refresh_from_db()
    assert registered.is_active


def test_an_active_account_gets_no_confirmation_link(english, employer_user):
    response = english.post(reverse("accounts:resend-confirmation"), {"email": employer_user.email}, follow=True)

    assert "If an account with this e-mail is waiting for confirmation" in text(response)
    assert mail.outbox == []


# Validation next to the field


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "5001007320", "This INN has a wrong check digit: please check it for a typo."),
        ("inn", "50010", "An INN has 10 digits (a company) or 12 digits (an entrepreneur)."),
        ("ogrn", "1025001234566", "This OGRN has a wrong check digit: please check it for a typo."),
        ("phone", "call me", "Write the phone number with digits, e.g. +7 495 123-45-67."),
        ("average_headcount", "-3", "Ensure this value is greater than or equal to 0."),
        ("annual_revenue_rub", "99999999999999999999", "Ensure this value is less than or equal to 9223372036854775807."),
    ],
)
def test_an_invalid_value_is_refused_next_to_its_field(english, field, value, message):
    response = english.post(reverse("accounts:register"), registration_data(**{field: value}))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert not User.objects.filter(email__iexact="anna.petrova@vostok.example").exists()
    assert not Employer.objects.filter(inn=INN).exists()


def test_an_inn_typed_with_spaces_is_stored_as_digits(english):
    english.post(reverse("accounts:register"), registration_data(inn="5001 007 329"))

    assert Employer.objects.filter(inn=INN).exists()


# A registered INN, OGRN or e-mail is not refused on the page (that would let anyone probe the
# portal for companies and accounts): see test_signup_no_enumeration.py.


def test_two_different_passwords_are_refused_next_to_the_second(english):
    response = english.post(reverse("accounts:register"), registration_data(password2=PASSWORD + "x"))

    assert field_error(response, "password2") == "The two passwords differ."


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("qwerty123", "This password is too common."),
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("anna.petrova", "The password is too similar to the"),
    ],
)
def test_a_weak_password_is_refused_next_to_the_password(english, password, message):
    response = english.post(reverse("accounts:register"), registration_data(password1=password, password2=password))

    assert field_error(response, "password1").startswith(message)
    assert not User.objects.exists()


# Two people registering the same company at once


def _register_directly(email: str, inn: str = INN, ogrn: str = OGRN):
    return company_register(
        email=email, password=PASSWORD, full_name="Anna Petrova", name="ООО «Восток-Строй»", inn=inn, ogrn=ogrn,
        legal_address="Балашиха", region=region(50), phone="+7 495 123-45-67", site_url="http://testserver/",
        annual_revenue_rub=1_200_000_000, average_headcount=350, figures_year=2020,
    )


def test_the_service_creates_nothing_for_a_taken_ogrn():
    EmployerFactory(ogrn=OGRN)

    assert _register_directly("a@vostok.example") is None
    assert not User.objects.filter(email="a@vostok.example").exists()


def test_the_service_refuses_a_wrong_check_digit_whoever_calls_it():
    with pytest.raises(ValidationError) as error:
        _register_directly("a@vostok.example", inn="5001007320")

    assert "inn" in error.value.error_dict
    assert not Employer.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sign_ups_of_one_inn_at_once_give_one_company_and_nothing_for_the_other():
    results = run_at_once([lambda: _register_directly("first@vostok.example"), lambda: _register_directly("second@vostok.example")])

    assert sorted(isinstance(result, User) for result in results) == [False, True], results
    assert [result for result in results if not isinstance(result, User)] == [None]
    assert Employer.objects.filter(inn=INN).count() == 1
    assert User.objects.filter(email__endswith="@vostok.example").count() == 1
    assert EmployerMember.objects.filter(employer__inn=INN).count() == 1


# Unverified: drafts yes, submitting no


def test_a_new_company_can_draft_but_submitting_is_refused_as_not_verified(english, registered, moscow, moscow_rules, threshold):
    english.post(confirmation_path(mail.outbox[0]))
    arrival = timezone.localdate() + dt.timedelta(days=20)
    draft = {
        "region": moscow.pk, "kind": "new", "project_name": "Residential block 4", "activity_okved": "41.20",
        "planned_arrival_date": arrival.isoformat(), "planned_arrival_time": "12:00", "checkpoint": checkpoint("SVO").pk,
        "transport_to_isolation": "on", "isolation_address": "Moscow, Stroiteley 5", "isolation_days": "14",
        "insurance_policy": "INGO-123456",
    }

    response = english.post(reverse("applications:application-create"), draft, follow=True)
    application = Application.objects.get(employer__inn=INN)
    assert f"Draft {application.reference} is saved." in text(response)

    response = english.post(
        reverse("applications:application-submit", args=[application.pk]), {"version": application.version, "declaration": "on"}, follow=True
    )

    assert "Your company is not verified yet: an officer of its region or an admin must verify it before you can submit." in text(
        response
    )
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_signed_in_person_opening_the_sign_up_page_goes_home(english, employer_user):
    english.force_login(employer_user)

    response = english.get(reverse("accounts:register"))

    assert response.status_code == 302 and response.url == reverse("home")
