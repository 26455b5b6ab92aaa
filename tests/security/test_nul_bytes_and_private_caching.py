"""Issue 16, items 8 and 9: a NUL byte in a query string never reaches PostgreSQL (which refuses
it, a 500 in production), and pages and files that show people's passports are never kept by a
browser's or a proxy's cache."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, decide


def _filter_name(list_filter) -> str | None:
    if isinstance(list_filter, str):
        return list_filter
    if isinstance(list_filter, tuple):
        return list_filter[0]
    return getattr(list_filter, "parameter_name", None)


# Every admin list with each of its filters, and its search and ordering: where a NUL once gave
# a 500 (a choice filter such as ?status__exact=%00 reached PostgreSQL).
ADMIN_QUERIES = sorted(
    (f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", query)
    for model, model_admin in admin.site._registry.items()
    for query in ["q=ab%00cd", "o=%00", "p=%00"]
    + [f"{name}{suffix}=%00" for name in filter(None, map(_filter_name, model_admin.list_filter)) for suffix in ("", "__exact")]
)


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize(("changelist", "query"), ADMIN_QUERIES)
def test_a_nul_byte_in_an_admin_list_s_search_or_filter_gives_a_400_page_not_a_server_error(changelist, query, admin_user):
    response = signed_in(admin_user).get(f"{reverse(changelist)}?{query}")
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_byte_in_a_portal_filter_gives_a_400_page_and_a_clean_query_still_works(officer):
    client = signed_in(officer)
    assert client.get(reverse("applications:review-queue") + "?q=%00").status_code == 400
    assert client.get(reverse("applications:review-queue") + "?q=KARIMOV").status_code == 200


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    application = ApplicationFactory(employer=employer, status=Status.APPROVED)
    CaseWorkerFactory(application=application, worker__employer=employer)
    decide(application)
    return application


def test_pages_and_files_with_passport_data_are_not_stored_by_any_cache(approved_case, employer_user, officer):
    employer_pages = [
        reverse("applications:application-detail", args=[approved_case.pk]),
        reverse("applications:worker-list"),
        reverse("applications:decision-letter", args=[approved_case.pk]),
    ]
    officer_pages = [
        reverse("applications:review-detail", args=[approved_case.pk]),
        reverse("applications:review-export-border-list"),
    ]
    for client, urls in ((signed_in(employer_user), employer_pages), (signed_in(officer), officer_pages)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response.get("Cache-Control", ""), f"{url}: {response.get('Cache-Control')!r}"


def test_the_public_pages_may_still_be_cached(client):
    response = client.get(reverse("applications:decision_check_form"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
