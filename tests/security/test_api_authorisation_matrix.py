"""The authorisation matrix of the API (/api/v1/): every endpoint, for every kind of key, against
tenant A's objects (the world of tests/security/test_authorisation_matrix.py).

The keys: none, company A's, company B's, a border key of the region where A's case crosses, a
border key of another region. A key that may use an endpoint gets an answer (2xx, or the 4xx the
empty request earns); any other gets 401 (no key), 403 (a key of the other kind) or 404 (another
company's object), always in JSON; tenant A's data is never in the body of a key that may not see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.services.api_keys import api_key_create, border_key_create
from tests.api.conftest import ApiClient
from tests.helpers.authorisation import PROJECT_URL_NAMES, World, body_text, tenant_a
from tests.regions.factories import region

pytestmark = pytest.mark.django_db


# Tenant A's objects, the same as the web matrix's.
@pytest.fixture
def world(employer, employer_user, officer, moscow_rules, threshold) -> World:
    return tenant_a(employer, employer_user, officer)


NO_KEY, KEY_A, KEY_B, BORDER_A, BORDER_B = (
    "no key",
    "company A's key",
    "company B's key",
    "border key of A's crossing",
    "border key elsewhere",
)
KEYS = (NO_KEY, KEY_A, KEY_B, BORDER_A, BORDER_B)
COMPANIES = frozenset({KEY_A, KEY_B})
ONLY_A = frozenset({KEY_A})
EVERY_KEY = frozenset(KEYS)
NOBODY = frozenset()


@dataclass(frozen=True)
class Endpoint:
    allowed: frozenset[str]
    kwargs: Callable[[World], dict] = lambda world: {}
    methods: tuple[str, ...] = ("get",)
    sees_a: frozenset[str] | None = None
    shows_a: bool = False
    also_fine: frozenset[int] = field(default_factory=frozenset)  # the 4xx an empty request earns the allowed

    @property
    def may_see_a(self) -> frozenset[str]:
        return self.allowed if self.sees_a is None else self.sees_a


def case(world):
    return {"pk": world.case.pk}


EMPTY_BODY = frozenset({400})

API_MATRIX: dict[str, Endpoint] = {
    "api:worker-list": Endpoint(COMPANIES, sees_a=ONLY_A, shows_a=True),
    "api:worker-bulk": Endpoint(COMPANIES, methods=("post",), sees_a=NOBODY, also_fine=EMPTY_BODY),
    "api:worker-detail": Endpoint(ONLY_A, kwargs=lambda world: {"pk": world.worker.pk}, shows_a=True),
    "api:application-list": Endpoint(COMPANIES, sees_a=ONLY_A, shows_a=True),
    "api:application-detail": Endpoint(ONLY_A, kwargs=case, shows_a=True),
    "api:application-workers": Endpoint(ONLY_A, kwargs=case, methods=("post",), also_fine=EMPTY_BODY),
    "api:application-rule-check": Endpoint(ONLY_A, kwargs=case),
    # A's case is decided: submitting it again is a 409 that names it.
    "api:application-submit": Endpoint(ONLY_A, kwargs=case, methods=("post",), also_fine=frozenset({409})),
    # A's documents and arrivals; a body of JSON is no file (415), and no list of arrivals (400).
    "api:application-documents": Endpoint(ONLY_A, kwargs=case, methods=("get", "post"), also_fine=frozenset({415})),
    "api:application-arrivals": Endpoint(ONLY_A, kwargs=case, methods=("get", "post"), also_fine=EMPTY_BODY),
    "api:application-letter": Endpoint(ONLY_A, kwargs=case, shows_a=True),
    "api:border-workers": Endpoint(frozenset({BORDER_A, BORDER_B}), sees_a=frozenset({BORDER_A}), shows_a=True),
    # The schema and its docs are public: they hold no one's data.
    "api:schema": Endpoint(EVERY_KEY, sees_a=NOBODY),
    "api:docs": Endpoint(EVERY_KEY, sees_a=NOBODY),
    "api:not-found": Endpoint(NOBODY),
}
API_URL_NAMES = sorted(name for name in PROJECT_URL_NAMES if name.startswith("api:"))


@pytest.fixture
def keys(world, other_employer_user, admin_user) -> dict[str, ApiClient]:
    until = timezone.now() + dt.timedelta(days=1)
    other = other_employer_user.employer_membership.employer
    crossing_region = world.case.checkpoint.region
    return {
        NO_KEY: ApiClient(None),
        KEY_A: ApiClient(api_key_create(employer=world.employer, user=world.owner, name="A", expires_at=until).plaintext),
        KEY_B: ApiClient(api_key_create(employer=other, user=other_employer_user, name="B", expires_at=until).plaintext),
        BORDER_A: ApiClient(border_key_create(user=admin_user, name="A", expires_at=until, regions=[crossing_region]).plaintext),
        BORDER_B: ApiClient(border_key_create(user=admin_user, name="B", expires_at=until, regions=[region(78)]).plaintext),
    }


def test_every_api_endpoint_is_in_the_matrix():
    assert sorted(API_MATRIX) == API_URL_NAMES


@pytest.mark.parametrize("url_name", API_URL_NAMES)
def test_each_key_gets_the_endpoint_or_a_json_refusal_and_never_another_tenants_data(url_name, world, keys, settings):
    settings.API_REQUESTS_PER_MINUTE = 1000
    endpoint = API_MATRIX[url_name]
    url = reverse(url_name, kwargs=endpoint.kwargs(world)) if url_name != "api:not-found" else "/api/v1/nothing-here/"
    for role, method in ((role, method) for role in KEYS for method in endpoint.methods):
        api = keys[role]
        response = api.post(url, {}) if method == "post" else api.get(url)
        status, where = response.status_code, f"{method.upper()} {url} with {role}"
        if role in endpoint.allowed:
            assert 200 <= status < 300 or status in endpoint.also_fine, f"{where}: {status}, but this key may use it"
        else:
            expected = {401} if role == NO_KEY and url_name != "api:not-found" else {403, 404}
            assert status in expected, f"{where}: {status}, expected one of {expected}"
            assert response["Content-Type"].startswith("application/json"), f"{where}: the refusal is not JSON"
        text = body_text(response)
        if role not in endpoint.may_see_a:
            for marker in world.markers:
                assert marker not in text, f"{where}: tenant A's {marker!r} is in the response"
        elif endpoint.shows_a and status == 200:
            assert any(marker in text for marker in world.markers), f"{where}: expected tenant A's data"
