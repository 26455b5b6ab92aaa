"""API keys: made on the company page and shown once, kept only as a digest, revoked there;
a revoked, expired or unknown key, or none, gets a 401 in JSON."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApiKey
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

KEYS_PAGE = reverse("applications:api-keys")


def made_key(employer_client, name="HR system") -> str:
    expires_on = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page = employer_client.post(KEYS_PAGE, {"name": name, "expires_on": expires_on}).content.decode()
    return re.search(r'value="(mep_[^"]+)"', page).group(1)


def test_a_member_makes_a_key_that_is_shown_once_and_stored_as_a_digest(employer_client, employer):
    plaintext = made_key(employer_client)

    key = ApiKey.objects.get(employer=employer)
    assert key.secret_sha256 == hashlib.sha256(plaintext.split("_", 2)[2].encode()).hexdigest()
    assert plaintext not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    again = employer_client.get(KEYS_PAGE).content.decode()
    assert plaintext not in again
    assert "HR system" in again and f"mep_{key.prefix}" in again
    assert "never" in again


def test_the_key_works_and_its_last_use_is_shown(employer_client):
    plaintext = made_key(employer_client)

    assert ApiClient(plaintext).get("/api/v1/workers/").status_code == 200
    assert "never" not in employer_client.get(KEYS_PAGE).content.decode()
    assert ApiKey.objects.get().last_used_at is not None


def test_a_revoked_key_gets_401_in_json(employer_client):
    plaintext = made_key(employer_client)
    key = ApiKey.objects.get()

    employer_client.post(reverse("applications:api-key-revoke", args=[key.pk]))

    response = ApiClient(plaintext).get("/api/v1/workers/")
    assert response.status_code == 401
    assert response.json() == {"detail": "The API key is unknown, revoked or expired."}
    assert "revoked on" in employer_client.get(KEYS_PAGE).content.decode()


def test_an_expired_a_wrong_or_no_key_gets_401(company_key):
    ApiKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(company_key).get("/api/v1/workers/").status_code == 401
    ApiKey.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert ApiClient(company_key[:-2] + "xx").get("/api/v1/workers/").status_code == 401
    missing = ApiClient(None).get("/api/v1/workers/")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in missing.json()


def test_a_key_stops_working_when_its_maker_leaves_the_company(company_key, employer_user):
    employer_user.employer_membership.delete()

    assert ApiClient(company_key).get("/api/v1/workers/").status_code == 401


def test_another_company_cannot_revoke_a_key(company_key, other_employer_user, client):
    client.force_login(other_employer_user)

    response = client.post(reverse("applications:api-key-revoke", args=[ApiKey.objects.get().pk]))

    assert response.status_code == 404
    assert ApiClient(company_key).get("/api/v1/workers/").status_code == 200


def test_a_key_valid_for_more_than_a_year_is_refused_next_to_its_field(employer_client):
    too_far = (timezone.localdate() + dt.timedelta(days=400)).isoformat()

    page = employer_client.post(KEYS_PAGE, {"name": "HR", "expires_on": too_far}).content.decode()

    assert "A key may be valid for a year at most." in page
    assert not ApiKey.objects.exists()


def test_a_company_key_cannot_read_the_border_list_nor_a_border_key_the_registry(api, border_api):
    assert api.get("/api/v1/border/approved-workers/").status_code == 403
    assert border_api.get("/api/v1/workers/").status_code == 403


def test_an_admin_makes_a_border_key_in_django_admin_and_sees_it_once(client, admin_user, moscow):
    client.force_login(admin_user)
    admin_client = client
    expires = timezone.localtime() + dt.timedelta(days=30)
    response = admin_client.post(
        reverse("admin:applications_apikey_add"),
        {"name": "Moscow border", "regions": [moscow.pk], "expires_at_0": expires.date().isoformat(), "expires_at_1": "12:00"},
        follow=True,
    )

    key = ApiKey.objects.get()
    assert key.kind == "border" and list(key.regions.all()) == [moscow]
    plaintext = re.search(r"(mep_[A-Za-z0-9_-]+)", response.content.decode()).group(1)
    assert ApiClient(plaintext).get("/api/v1/border/approved-workers/").status_code == 200
