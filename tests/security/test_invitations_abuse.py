"""Invitations cannot be used as a phishing or spam channel (issue 16, item 4): only a verified
company invites, a sender and a company send a bounded number an hour, a link expires and can be
revoked, the company sees each invitation's state, and the company's name arrives in the e-mail
as one short clean line."""

import datetime as dt
import re
import unicodedata

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Employer, EmployerInvitation, InvitationState
from applications.services.companies import (
    INVITATIONS_PER_COMPANY_PER_HOUR,
    INVITATIONS_PER_SENDER_PER_HOUR,
    invitation_send,
    send_invitation_email,
)
from portal.accounts.models import User
from portal.email_text import LINE_LENGTH, render_email
from tests.applications.factories import EmployerMemberFactory
from tests.concurrency import run_at_once
from tests.pages import field_error, text

pytestmark = pytest.mark.django_db

PASSWORD = "taiga-river-1987-north"
SITE = "http://testserver/"
INVITE = reverse("applications:invitation-create")
COMPANY_PAGE = reverse("applications:company-detail")


def accept_url(invitation) -> str:
    return reverse("accounts:accept-invitation", kwargs={"token": invitation.token})


def sent_before(invitations, minutes: int) -> None:
    EmployerInvitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


# Only a verified company


def test_an_unverified_company_is_refused_with_a_clear_message_and_nothing_is_sent(
    employer_client, employer, django_capture_on_commit_callbacks
):
    Employer.objects.filter(pk=employer.pk).update(verified_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post(INVITE, {"email": "colleague@a.example"}, follow=True)

    assert "Your company can invite colleagues once the officers of its region have verified it." in text(response)
    assert not EmployerInvitation.objects.exists()
    assert mail.outbox == []
    # The page does not offer the form it would refuse.
    assert 'action="/employer/company/invitations/"' not in response.content.decode()


# Hourly limits


def test_the_21st_invitation_of_one_person_in_an_hour_is_refused_next_to_the_field(employer_client, employer_user):
    for n in range(INVITATIONS_PER_SENDER_PER_HOUR):
        response = employer_client.post(INVITE, {"email": f"hire{n}@a.example"})
        assert response.status_code == 302, n

    response = employer_client.post(INVITE, {"email": "one.too.many@a.example"})

    assert response.status_code == 200
    assert field_error(response, "email") == (
        "You have sent 20 invitations in the last hour, as many as one person may. Please try again later."
    )
    assert EmployerInvitation.objects.count() == 20
    assert not EmployerInvitation.objects.filter(email="one.too.many@a.example").exists()

    # An hour later the person may invite again.
    sent_before(EmployerInvitation.objects.all(), minutes=61)
    assert employer_client.post(INVITE, {"email": "one.too.many@a.example"}).status_code == 302


def test_revoking_does_not_give_back_an_invitation_of_the_hourly_limit(employer_client, employer_user):
    for n in range(INVITATIONS_PER_SENDER_PER_HOUR):
        invitation = invitation_send(
            employer=employer_user.employer_membership.employer, user=employer_user, email=f"h{n}@a.example", site_url=SITE
        )
        employer_client.post(reverse("applications:invitation-revoke", args=[invitation.pk]))

    response = employer_client.post(INVITE, {"email": "again@a.example"})

    assert "as many as one person may" in field_error(response, "email")


def test_the_51st_invitation_of_a_company_in_an_hour_is_refused_next_to_the_field(employer_client, employer, employer_user):
    colleagues = [EmployerMemberFactory(employer=employer).user for _ in range(3)]
    for n in range(INVITATIONS_PER_COMPANY_PER_HOUR):
        EmployerInvitation.objects.create(
            employer=employer, email=f"hire{n}@a.example", token=f"rate-{n}", invited_by=colleagues[n % 3]
        )

    response = employer_client.post(INVITE, {"email": "one.too.many@a.example"})

    assert field_error(response, "email") == (
        "Your company has sent 50 invitations in the last hour, as many as a company may. Please try again later."
    )
    assert EmployerInvitation.objects.count() == 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_invitations_at_once_cannot_both_take_the_last_place_of_the_hour():
    employer = EmployerMemberFactory().employer
    senders = [EmployerMemberFactory(employer=employer).user for _ in range(4)]
    for n in range(INVITATIONS_PER_COMPANY_PER_HOUR - 1):
        EmployerInvitation.objects.create(
            employer=employer, email=f"h{n}@a.example", token=f"race-{n}", invited_by=senders[n % 2]
        )

    results = run_at_once(
        [
            lambda user=user, n=n: invitation_send(employer=employer, user=user, email=f"last{n}@a.example", site_url=SITE)
            for n, user in enumerate(senders[2:])
        ]
    )

    assert sum(isinstance(result, EmployerInvitation) for result in results) == 1, results
    assert EmployerInvitation.objects.filter(employer=employer).count() == INVITATIONS_PER_COMPANY_PER_HOUR


# Expiry and revocation


@pytest.fixture
def invitation(employer, employer_user):
    return invitation_send(employer=employer, user=employer_user, email="colleague@a.example", site_url=SITE)


def test_an_expired_invitation_shows_a_clear_page_and_cannot_be_accepted(client, invitation):
    EmployerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(accept_url(invitation))
    assert "This invitation has expired: an invitation link works for 7 days." in text(page)
    assert 'name="password1"' not in page.content.decode()

    response = client.post(accept_url(invitation), {"full_name": "Boris", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert "This invitation has expired" in text(response)
    assert not User.objects.filter(email="colleague@a.example").exists()


def test_an_invitation_is_valid_for_seven_days(invitation):
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)


def test_a_revoked_invitation_shows_a_clear_page_and_cannot_be_accepted(client, employer_user, invitation):
    client.force_login(employer_user)
    response = client.post(reverse("applications:invitation-revoke", args=[invitation.pk]), follow=True)
    assert "The invitation to colleague@a.example is revoked: its link no longer works." in text(response)
    client.logout()

    page = client.get(accept_url(invitation))
    assert "This invitation has been revoked by the company." in text(page)
    assert 'name="password1"' not in page.content.decode()
    response = client.post(accept_url(invitation), {"full_name": "Boris", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert not User.objects.filter(email="colleague@a.example").exists()
    invitation.refresh_from_db()
    assert invitation.revoked_by == employer_user


def test_a_revoked_invitation_is_not_sent_by_a_worker_that_comes_late(employer_user, invitation):
    invitation.revoked_at, invitation.revoked_by = timezone.now(), employer_user
    invitation.save()

    assert send_invitation_email(invitation_id=invitation.pk, site_url=SITE) == 0
    assert mail.outbox == []


def test_another_companys_invitation_cannot_be_revoked(client, other_employer_user, invitation):
    client.force_login(other_employer_user)

    response = client.post(reverse("applications:invitation-revoke", args=[invitation.pk]))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_accepted_invitation_cannot_be_revoked(employer_client, invitation):
    EmployerInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())

    response = employer_client.post(reverse("applications:invitation-revoke", args=[invitation.pk]), follow=True)

    assert "This invitation has been accepted already: there is nothing to revoke." in text(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_company_page_lists_each_invitation_with_its_state(employer_client, employer, employer_user):
    now = timezone.now()
    rows = {
        "pending": {},
        "accepted": {"accepted_at": now},
        "expired": {"expires_at": now - dt.timedelta(hours=1)},
        "revoked": {"revoked_at": now, "revoked_by": employer_user},
    }
    for state, fields in rows.items():
        EmployerInvitation.objects.create(
            employer=employer, email=f"{state}@a.example", token=f"list-{state}", invited_by=employer_user, **fields
        )

    content = employer_client.get(COMPANY_PAGE).content.decode()

    for state in rows:
        row = re.search(rf"<tr>\s*<td>{state}@a\.example</td>.*?</tr>", content, re.S)
        assert row, f"{state} invitation not listed"
        assert f'data-state="{state}">{InvitationState(state).label}' in row.group(0)
        assert ("<form" in row.group(0)) == (state == "pending"), state


def test_an_address_whose_invitation_expired_can_be_invited_again(employer_client, employer, invitation):
    EmployerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = employer_client.post(INVITE, {"email": "colleague@a.example"})

    assert response.status_code == 302
    old, new = EmployerInvitation.objects.order_by("pk")
    assert old.state == "expired" and new.state == "pending"


# The e-mail


HOSTILE_NAME = "ООО Ромашка\r\nYour account is blocked. Call +7 900 000-00-00\u202egnp.exe\u2028" + "x" * 4900


def _assert_one_short_clean_line(value: str) -> None:
    assert "\n" not in value and "\r" not in value
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in value), repr(value)
    assert len(value) <= LINE_LENGTH


def test_a_hostile_company_name_arrives_in_the_invitation_as_one_short_clean_line(employer, employer_user, invitation):
    stored = HOSTILE_NAME[:300]  # as long as the database keeps
    Employer.objects.filter(pk=employer.pk).update(name=stored, language="en")

    send_invitation_email(invitation_id=invitation.pk, site_url=SITE)

    (message,) = mail.outbox
    assert "\u202e" not in message.subject and "\u202e" not in message.body
    line = next(line for line in message.body.splitlines() if "invites you to work for" in line)
    name = line.split("invites you to work for ", 1)[1].removesuffix(" on the labour migrant entry portal.")
    _assert_one_short_clean_line(name)
    assert name.startswith("ООО Ромашка Your account is blocked. Call +7 900 000-00-00gnp.exe x")
    assert name.endswith("…")
    assert not any(line.startswith("Your account is blocked") for line in message.body.splitlines())
    assert message.subject.startswith("You are invited to work for ООО Ромашка Your account")


def test_a_company_name_of_5000_characters_is_cut_in_the_subject_and_the_body(employer, employer_user):
    employer.name = HOSTILE_NAME  # longer than the database keeps: the e-mail must not rely on that
    invitation = EmployerInvitation(employer=employer, email="x@y.example", token="t", invited_by=employer_user)

    subject, body = render_email(
        "invitation",
        {"invitation": invitation, "employer": employer, "invited_by": employer_user, "link": "http://x/", "valid_days": 7},
        language="en",
    )

    assert len(subject) < 200 and "x" * 200 not in body
    assert len(body) < 1000
