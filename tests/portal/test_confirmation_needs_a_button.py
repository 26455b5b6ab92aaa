"""Opening the sign-up confirmation link signs nobody in: the page asks for a button press (a
POST with the page's CSRF token), so a link sent by someone else cannot sign a person into an
account that is not theirs (issue 16, item 6)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from tests.helpers.signup import confirmation_path, registration_data
from tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(english, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("accounts:register"), registration_data())
    return User.objects.get(email="anna.petrova@vostok.example")


def test_opening_the_link_neither_confirms_nor_signs_in_and_shows_a_button(english, registered):
    link = confirmation_path(mail.outbox[0])

    response = english.get(link)

    assert response.status_code == 200
    assert SESSION_KEY not in english.session
    registered.refresh_from_db()
    assert not registered.is_active
    page = response.content.decode()
    assert 'method="post"' in page and f'action="{link}"' in page
    assert "Confirm and sign in" in text(response)
    # Who is about to be signed in, so a person sent someone else's link notices.
    assert "anna.petrova@vostok.example" in text(response)
    assert response.headers["Cache-Control"].startswith("max-age=0") or "no-store" in response.headers["Cache-Control"]


def test_pressing_the_button_confirms_signs_in_and_opens_the_employer_home(english, registered):
    response = english.post(confirmation_path(mail.outbox[0]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("applications:employer-home")
    assert "Your e-mail is confirmed and you are signed in." in text(response)
    registered.refresh_from_db()
    assert registered.is_active
    assert int(english.session[SESSION_KEY]) == registered.pk


def test_a_post_from_another_site_without_the_pages_token_is_refused(registered):
    forged = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = forged.post(confirmation_path(mail.outbox[0]))

    assert response.status_code == 403
    assert SESSION_KEY not in forged.session
    registered.refresh_from_db()
    assert not registered.is_active


def test_the_button_page_posts_with_its_token_and_the_press_succeeds(registered):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    link = confirmation_path(mail.outbox[0])
    token = browser.get(link).context["csrf_token"]

    response = browser.post(link, {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert int(browser.session[SESSION_KEY]) == registered.pk


def test_a_spent_link_says_so_on_opening_without_a_button(english, registered):
    link = confirmation_path(mail.outbox[0])
    english.post(link)
    english.post(reverse("accounts:logout"))

    response = english.get(link)

    assert response.status_code == 400
    assert "This confirmation link is not valid" in text(response)
    assert "Confirm and sign in" not in text(response)


def test_a_second_press_on_a_spent_link_signs_nobody_in(english, registered):
    link = confirmation_path(mail.outbox[0])
    english.post(link)
    english.post(reverse("accounts:logout"))

    response = english.post(link)

    assert response.status_code == 400
    assert SESSION_KEY not in english.session


@pytest.mark.parametrize("path", ["/accounts/confirm/Mg/not-a-token/", "/accounts/confirm/%%%/abc-def/"])
def test_a_made_up_link_gives_the_clear_page_on_opening_and_on_pressing(english, registered, path):
    assert english.get(path).status_code == 400
    assert english.post(path).status_code == 400
    registered.refresh_from_db()
    assert not registered.is_active
