"""The company page: data, verification state, members, invitations and their state; inviting a colleague,
who joins through the e-mailed link once and then works on the company's cases."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import EmployerInvitation, EmployerMember
from applications.services.companies import invitation_accept, invitation_send
from portal.accounts.models import Role, User
from tests.applications.factories import ApplicationFactory, EmployerMemberFactory
from tests.concurrency import run_at_once
from tests.pages import field_error, text
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "taiga-river-1987-north"
COMPANY_PAGE = "/employer/company/"


def invitation_path(message) -> str:
    match = re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", message.body)
    assert match, f"no invitation link in: {message.body}"
    return match.group(1)


@pytest.fixture
def invited(employer_client, django_capture_on_commit_callbacks):
    """An invitation sent from the company page; its e-mail is in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        employer_client.post(reverse("applications:invitation-create"), {"email": "Colleague@A.example"})
    employer_client.logout()
    return EmployerInvitation.objects.get(email="colleague@a.example")


# The page


def test_the_company_page_shows_its_data_members_and_verification_date(employer_client, employer, employer_user):
    page = employer_client.get(reverse("applications:company-detail"))

    assert page.status_code == 200
    content = text(page)
    assert employer.name in content and employer.inn in content and employer.ogrn in content
    assert "77 — Moscow" in content
    assert f"Verified on {timezone.localtime(employer.verified_at):%m/%d/%Y}" in content
    assert employer_user.email in content
    assert "No invitations sent yet." in content


def test_an_unverified_company_reads_that_it_waits_for_its_regions_officers(employer_client, employer):
    employer.verified_at = None
    employer.save()

    page = employer_client.get(reverse("applications:company-detail"))

    assert "Waiting for verification by the officers of Moscow" in text(page)
    assert "Verified on" not in text(page)


def test_another_companys_members_and_invitations_are_never_listed(employer_client, other_employer_user):
    other_employer = other_employer_user.employer_membership.employer
    EmployerInvitation.objects.create(employer=other_employer, email="their.hire@b.example", token="t" * 43, invited_by=other_employer_user)

    page = text(employer_client.get(reverse("applications:company-detail")))

    assert other_employer_user.email not in page
    assert "their.hire@b.example" not in page
    assert other_employer.name not in page


def test_an_officer_is_refused_the_company_page_and_the_invite_form(english, officer):
    english.force_login(officer)

    assert english.get(reverse("applications:company-detail")).status_code == 403
    assert english.post(reverse("applications:invitation-create"), {"email": "x@y.example"}).status_code == 403
    assert not EmployerInvitation.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(english):
    response = english.get(reverse("applications:company-detail"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_page_costs_the_same_queries_for_one_member_and_for_many(employer_client, employer, employer_user):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert employer_client.get(reverse("applications:company-detail")).status_code == 200
        return len(queries)

    EmployerInvitation.objects.create(employer=employer, email="one@a.example", token="a" * 43, invited_by=employer_user)
    one = count_queries()
    for n in range(20):
        inviter = EmployerMemberFactory(employer=employer).user
        EmployerInvitation.objects.create(employer=employer, email=f"hire{n}@a.example", token=f"{n:043d}", invited_by=inviter)

    assert count_queries() == one


# Inviting and joining


def test_a_member_invites_a_colleague_who_joins_by_the_link_and_sees_the_companys_cases(
    english, employer, employer_user, invited
):
    case = ApplicationFactory(employer=employer)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["colleague@a.example"]
    assert employer.name in message.subject
    assert employer_user.full_name in message.body

    form = english.get(invitation_path(message))
    assert form.status_code == 200
    assert f"You are invited to work for {employer.name}" in text(form)

    response = english.post(
        invitation_path(message), {"full_name": "Boris Sidorov", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("applications:employer-home")
    assert f"Welcome to {employer.name}: you are signed in." in text(response)
    assert case.reference in text(response)
    colleague = User.objects.get(email="colleague@a.example")
    assert colleague.is_active and colleague.role == Role.EMPLOYER and colleague.full_name == "Boris Sidorov"
    assert colleague.employer_membership.employer == employer
    invited.refresh_from_db()
    assert invited.accepted_at is not None
    assert "colleague@a.example" in text(english.get(reverse("applications:company-detail")))


def test_an_open_invitation_is_listed_on_the_company_page(employer_client, employer, employer_user):
    employer_client.post(reverse("applications:invitation-create"), {"email": "colleague@a.example"})

    page = text(employer_client.get(reverse("applications:company-detail")))

    assert "An invitation is sent to colleague@a.example." in page
    listed = page.split("Invitations", 1)[1]
    assert "colleague@a.example" in listed and "Waiting for an answer the link works until" in listed


def test_inviting_the_same_person_twice_gives_a_friendly_message(employer_client, invited, employer_user):
    employer_client.force_login(employer_user)

    response = employer_client.post(reverse("applications:invitation-create"), {"email": "COLLEAGUE@a.example"})

    assert response.status_code == 200
    assert field_error(response, "email") == "This person has already been invited and has not answered yet."
    assert EmployerInvitation.objects.count() == 1


def test_inviting_someone_who_has_an_account_is_refused(employer_client, other_employer_user):
    response = employer_client.post(reverse("applications:invitation-create"), {"email": other_employer_user.email.upper()})

    assert field_error(response, "email") == (
        "This person already has an account on the portal; ask an admin to move them to your company."
    )
    assert not EmployerInvitation.objects.exists()
    assert mail.outbox == []


def test_an_invalid_e_mail_is_refused_next_to_the_field(employer_client):
    response = employer_client.post(reverse("applications:invitation-create"), {"email": "not an address"})

    assert field_error(response, "email") == "Enter a valid email address."


def test_an_invitation_link_works_once(english, invited):
    path = invitation_path(mail.outbox[0])
    english.post(path, {"full_name": "Boris Sidorov", "password1": PASSWORD, "password2": PASSWORD})
    english.post(reverse("accounts:logout"))

    again = english.get(path)
    reuse = english.post(path, {"full_name": "Mallory", "password1": PASSWORD, "password2": PASSWORD})

    for response in (again, reuse):
        assert response.status_code == 400
        assert "This invitation link is not valid" in text(response)
    assert User.objects.get(email="colleague@a.example").full_name == "Boris Sidorov"
    assert "_auth_user_id" not in english.session


def test_an_unknown_invitation_token_gives_a_clear_page(english):
    response = english.get(reverse("accounts:accept-invitation", args=["no-such-token"]))

    assert response.status_code == 400
    assert "This invitation link is not valid" in text(response)


def test_a_weak_password_on_the_invitation_form_is_refused_next_to_the_field(english, invited):
    response = english.post(
        invitation_path(mail.outbox[0]), {"full_name": "Boris Sidorov", "password1": "colleague", "password2": "colleague"}
    )

    assert response.status_code == 200
    assert "too similar to the" in field_error(response, "password1")
    assert not User.objects.filter(email="colleague@a.example").exists()


def test_an_invitation_whose_e_mail_got_an_account_meanwhile_is_refused_clearly(english, invited):
    UserFactory(email="COLLEAGUE@a.example".lower())

    response = english.post(invitation_path(mail.outbox[0]), {"full_name": "Boris", "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 400
    assert "An account with this e-mail already exists: sign in with it instead." in text(response)
    invited.refresh_from_db()
    assert invited.accepted_at is None


def test_a_member_of_another_company_cannot_invite_for_this_one(employer, other_employer_user):
    from applications.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        invitation_send(employer=employer, user=other_employer_user, email="x@y.example", site_url="http://testserver/")
    assert not EmployerInvitation.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_accepted_twice_at_once_makes_one_account():
    member = EmployerMemberFactory()
    invitation = invitation_send(employer=member.employer, user=member.user, email="colleague@a.example", site_url="http://x/")

    results = run_at_once(
        [lambda name=name: invitation_accept(token=invitation.token, full_name=name, password=PASSWORD) for name in ("First", "Second")]
    )

    assert sum(isinstance(result, User) for result in results) == 1, results
    assert User.objects.filter(email="colleague@a.example").count() == 1
    assert EmployerMember.objects.filter(employer=member.employer).count() == 2
