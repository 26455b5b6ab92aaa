"""The border service's list by API: only approved people crossing in the key's regions, each
once, paged by a cursor that names the last row read."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import Status
from tests.api.conftest import ApiClient, in_days
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, decide
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db


def approved_case(*, workers: int, days_ahead: int, crossing: str = "SVO", status=Status.APPROVED, **fields):
    case = ApplicationFactory(
        status=status,
        checkpoint=checkpoint(crossing),
        region=fields.pop("region", None) or region(77),
        planned_arrival_date=timezone.localdate() + dt.timedelta(days=days_ahead),
        **fields,
    )
    for _ in range(workers):
        CaseWorkerFactory(application=case)
    if status in (Status.APPROVED, Status.REJECTED):
        decide(case)
    return case


def test_the_list_pages_by_cursor_without_repeating_or_losing_a_row(border_api, moscow_rules, monkeypatch):
    monkeypatch.setattr("applications.api.border.PAGE_SIZE", 2)
    approved_case(workers=3, days_ahead=5)
    approved_case(workers=2, days_ahead=3)

    seen, cursor, pages = [], None, 0
    while True:
        page = border_api.get("/api/v1/border/approved-workers/", {"cursor": cursor} if cursor else {}).json()
        seen += [(row["planned_arrival_date"], row["passport_number"]) for row in page["results"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, key=lambda row: row[0])


def test_only_approved_people_crossing_in_the_keys_regions_and_period_are_listed(border_api, moscow_rules, admin_user):
    listed = approved_case(workers=1, days_ahead=5)
    approved_case(workers=1, days_ahead=40)  # after the period asked for
    approved_case(workers=1, days_ahead=5, status=Status.REJECTED)
    approved_case(workers=1, days_ahead=5, status=Status.IN_REVIEW)
    approved_case(workers=1, days_ahead=5, crossing="LED")  # Pulkovo: another region's crossing

    until = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    rows = border_api.get("/api/v1/border/approved-workers/", {"arrival_to": until}).json()["results"]

    assert [row["reference"] for row in rows] == [listed.reference]
    assert rows[0]["checkpoint"] == "SVO"


def test_a_nationwide_key_reads_every_region(moscow_rules, admin_user):
    from applications.services.api_keys import border_key_create

    approved_case(workers=1, days_ahead=5)
    approved_case(workers=1, days_ahead=5, crossing="LED")
    key = border_key_create(user=admin_user, name="FSB", expires_at=in_days(5), nationwide=True).plaintext

    rows = ApiClient(key).get("/api/v1/border/approved-workers/").json()["results"]

    assert {row["checkpoint"] for row in rows} == {"SVO", "LED"}


def test_a_bad_cursor_or_date_is_a_400_in_json(border_api):
    for params in ({"cursor": "not-a-cursor"}, {"arrival_from": "2021-13-45"}):
        response = border_api.get("/api/v1/border/approved-workers/", params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert list(response.json()["errors"]) == list(params)
