"""Keys and a JSON client for the API's tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from applications.services.api_keys import api_key_create, border_key_create
from tests.regions.factories import checkpoint

# The committed OpenAPI schema (docs/api.md, "Keeping the schema current").
COMMITTED_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


class ApiClient:
    """The Django test client speaking JSON with `Authorization: Bearer <key>`."""

    def __init__(self, key: str | None):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path, body=None, *, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(path, data, content_type="application/json", **self.headers)

    def upload(self, path, fields: dict):
        """A multipart/form-data POST, as a file is sent."""
        return self.client.post(path, fields, **self.headers)

    def patch(self, path, body):
        return self.client.patch(path, json.dumps(body), content_type="application/json", **self.headers)


def in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def company_key(employer, employer_user) -> str:
    return api_key_create(employer=employer, user=employer_user, name="HR system", expires_at=in_days(30)).plaintext


@pytest.fixture
def other_company_key(other_employer_user) -> str:
    employer = other_employer_user.employer_membership.employer
    return api_key_create(employer=employer, user=other_employer_user, name="Theirs", expires_at=in_days(30)).plaintext


@pytest.fixture
def api(company_key) -> ApiClient:
    return ApiClient(company_key)


@pytest.fixture
def airports_border_key(admin_user) -> str:
    """The border service of the Moscow region (oblast), where Domodedovo and Sheremetyevo are."""
    region = checkpoint("DME").region
    return border_key_create(user=admin_user, name="Moscow airports", expires_at=in_days(30), regions=[region]).plaintext


@pytest.fixture
def border_api(airports_border_key) -> ApiClient:
    return ApiClient(airports_border_key)
