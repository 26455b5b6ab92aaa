"""Look-alike spellings of one e-mail address (dotless ı, long ſ, full-width letters, the Kelvin
sign) are one address: they share the count of failed sign-ins, reach the same account, and
cannot sign up a second account (issue 16, item 3)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from applications.models import Employer
from portal.accounts.admin import UserCreationForm
from portal.accounts.email_address import normalise_email
from portal.accounts.models import User
from tests.applications.factories import EmployerMemberFactory
from tests.helpers.signup import registration_data
from tests.portal.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PLAIN = "kristina@sibir.example"
LOOKALIKES = {
    "dotless i": "kr\u0131stina@sibir.example",
    "long s": "kri\u017ftina@sibir.example",
    "full-width letters": "\uff4b\uff52\uff49\uff53\uff54\uff49\uff4e\uff41@sibir.example",
    "Kelvin sign": "\u212aristina@sibir.example",
}
LOGIN = "/accounts/login/"
ADDRESS = {"REMOTE_ADDR": "203.0.113.5"}


@pytest.fixture
def kristina(db):
    return EmployerMemberFactory(user=UserFactory(email=PLAIN)).user


def sign_in(client, email, password, path=LOGIN):
    return client.post(path, {"username": email, "password": password}, **ADDRESS)


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_each_look_alike_spelling_normalises_to_the_plain_address(spelling):
    assert normalise_email(spelling) == PLAIN


def test_case_and_white_space_and_sharp_s_normalise_too():
    assert normalise_email("  KRISTINA@Sibir.EXAMPLE ") == PLAIN
    assert normalise_email("Stra\u00dfe@x.example") == "strasse@x.example"


def test_failures_under_every_look_alike_spelling_count_against_one_account(client, kristina):
    for spelling in [PLAIN, *LOOKALIKES.values()]:
        sign_in(client, spelling, "not-the-password")

    response = sign_in(client, PLAIN, TEST_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {PLAIN}


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_look_alike_spelling_gets_no_fresh_attempts_after_the_plain_address_is_locked(client, kristina, spelling):
    for _ in range(5):
        sign_in(client, PLAIN, "not-the-password")

    response = sign_in(client, spelling, TEST_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_the_admins_login_page_counts_look_alikes_as_the_same_account(client, kristina, spelling):
    for _ in range(5):
        sign_in(client, spelling, "not-the-password", path="/admin/login/")

    assert sign_in(client, PLAIN, TEST_PASSWORD).status_code == 429


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_look_alike_spelling_with_the_right_password_signs_in_to_the_one_account(client, kristina, spelling):
    response = sign_in(client, spelling, TEST_PASSWORD)

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == kristina.pk


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_signing_up_with_a_look_alike_of_a_known_address_creates_nothing_and_says_only_check_your_e_mail(
    client, kristina, spelling, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_data(email=spelling), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:register-done")
    assert "Check your e-mail" in response.content.decode()
    assert User.objects.count() == 1
    assert not Employer.objects.filter(inn=registration_data()["inn"]).exists()
    # The owner of the address hears of it; the person who typed it learns nothing on the page.
    assert [letter.to for letter in mail.outbox] == [[PLAIN]]


def test_a_new_account_is_stored_under_the_normalised_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration_data(email=LOOKALIKES["full-width letters"].upper()))

    assert list(User.objects.values_list("email", flat=True)) == [PLAIN]
    assert mail.outbox[0].to == [PLAIN]


@pytest.mark.parametrize("spelling", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_the_admin_cannot_add_a_user_under_a_look_alike_of_a_known_address(kristina, spelling):
    form = UserCreationForm(data={"email": spelling, "usable_password": "false"})

    assert not form.is_valid()
    assert form.errors["email"] == ["A user with this e-mail address already exists."]


def test_the_admin_stores_a_new_users_address_normalised(db):
    form = UserCreationForm(data={"email": "\uff2f\uff4c\uff47\uff41@Sibir.example", "usable_password": "false"})

    assert form.is_valid(), form.errors
    assert form.save().email == "olga@sibir.example"


def test_users_created_in_code_are_stored_normalised(db):
    assert User.objects.create_user(email=LOOKALIKES["Kelvin sign"], password=TEST_PASSWORD).email == PLAIN
