"""Signing in with an e-mail, `/` sending each role home, and logout by POST only."""

import pytest

from tests.portal.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_asks_for_an_e_mail_and_a_password(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'type="email"' in page.text
    assert 'name="password"' in page.text


@pytest.mark.parametrize(
    ("persona", "home"),
    [("employer_user", "/employer/"), ("officer", "/review/"), ("admin_user", "/admin/")],
)
def test_each_role_signs_in_with_its_e_mail_and_lands_on_its_home_page(client, request, persona, home):
    user = request.getfixturevalue(persona)
    response = client.post("/accounts/login/", {"username": user.email.upper(), "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_a_wrong_password_shows_an_error_and_does_not_sign_in(client, employer_user):
    response = client.post("/accounts/login/", {"username": employer_user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_the_home_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logout_is_refused_by_get_and_works_by_post(client, employer_user):
    client.force_login(employer_user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_an_employer_account_without_a_company_is_refused_the_employer_pages(client, db):
    from tests.portal.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/employer/").status_code == 403
