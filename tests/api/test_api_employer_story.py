"""The whole employer story through the API: workers into the registry, a draft, the workers on it,
a document attached, the rule check, the submission; then an officer approves on the web, the
employer reads the decision and its letter and reports the arrivals, and the Moscow border
service's key reads the approved list."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseWorker, Status, StatusChange
from tests.helpers.documents import PDF
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db


def worker(surname: str, passport: str, *, expiry: dt.date) -> dict:
    return {
        "surname_latin": surname,
        "given_names_latin": "BOBUR",
        "sex": "M",
        "date_of_birth": "1988-02-03",
        "citizenship": "TJ",
        "passport_number": passport,
        "passport_expiry": expiry.isoformat(),
        "occupation": "Welder",
    }


def test_an_employer_files_by_api_an_officer_approves_and_the_border_reads_the_list(
    api, border_api, employer_user, officer, moscow, moscow_rules, threshold
):
    arrival = timezone.localdate() + dt.timedelta(days=1)
    expiry = arrival + dt.timedelta(days=900)

    bulk = api.post(
        "/api/v1/workers/bulk/",
        {"workers": [worker("RAHIMOV", "400123456", expiry=expiry), worker("KARIMOV", "400123457", expiry=expiry)]},
    )
    assert bulk.status_code == 201, bulk.json()
    assert bulk.json()["created"] == 2
    listed = api.get("/api/v1/workers/").json()
    assert [row["surname_latin"] for row in listed["results"]] == ["KARIMOV", "RAHIMOV"]

    draft = api.post(
        "/api/v1/applications/",
        {
            "region": moscow.pk,
            "kind": "new",
            "project_name": "Bridge over the Yauza",
            "planned_arrival_date": arrival.isoformat(),
            "planned_arrival_time": "12:00",
            "checkpoint": checkpoint("DME").pk,
            "transport_to_isolation": True,
            "isolation_address": "Moscow, Mostovaya 1",
            "isolation_days": 14,
            "insurance_policy": "RESO-77-000123",
        },
    )
    assert draft.status_code == 201, draft.json()
    case = draft.json()
    assert case["status"] == "draft"
    tested = (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    for row in listed["results"]:
        added = api.post(
            f"/api/v1/applications/{case['id']}/workers/",
            {"worker": row["id"], "pcr_test_taken_at": tested, "pcr_test_zone": "Europe/Moscow"},
        )
        assert added.status_code == 201, added.json()
    letter_of_guarantee = SimpleUploadedFile("guarantee.pdf", PDF, content_type="application/pdf")
    attached = api.upload(
        f"/api/v1/applications/{case['id']}/documents/", {"kind": "guarantee_letter", "file": letter_of_guarantee}
    )
    assert attached.status_code == 201, attached.json()
    assert [d["original_name"] for d in api.get(f"/api/v1/applications/{case['id']}/documents/").json()] == ["guarantee.pdf"]
    check = api.get(f"/api/v1/applications/{case['id']}/rule-check/").json()
    assert check["can_submit"] is True, check

    version = api.get(f"/api/v1/applications/{case['id']}/").json()["version"]
    submitted = api.post(f"/api/v1/applications/{case['id']}/submit/", {"version": version, "declaration": True})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    # The same history as the web's, with the key's maker as the actor.
    assert StatusChange.objects.get(application_id=case["id"], to_status=Status.SUBMITTED).actor == employer_user

    inspector = Client(HTTP_ACCEPT_LANGUAGE="en")
    inspector.force_login(officer)
    version = submitted.json()["version"]
    inspector.post(reverse("applications:review-take", args=[case["id"]]), {"version": version})
    inspector.post(
        reverse("applications:review-approve", args=[case["id"]]), {"version": version + 1, "rule_check_confirmed": "on"}
    )

    decided = api.get(f"/api/v1/applications/{case['id']}/").json()
    assert decided["status"] == "approved"
    letter = api.get(decided["decision"]["letter_url"].removeprefix("http://testserver"))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"

    # They came an hour ago, on Moscow's clocks (Domodedovo's).
    arrived = (timezone.localtime() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    rows = [
        {"worker": row["id"], "arrived_at": arrived.strftime("%Y-%m-%dT%H:%M"), "zone": "Europe/Moscow"}
        for row in listed["results"]
    ]
    reported = api.post(f"/api/v1/applications/{case['id']}/arrivals/", {"arrivals": rows})
    assert reported.status_code == 200, reported.json()
    assert reported.json()["recorded"] == 2
    assert set(CaseWorker.objects.filter(application_id=case["id"]).values_list("arrived_at", flat=True)) == {arrived}

    border = border_api.get("/api/v1/border/approved-workers/", {"checkpoint": "DME", "arrival_from": arrival.isoformat()}).json()
    assert sorted(row["surname_latin"] for row in border["results"]) == ["KARIMOV", "RAHIMOV"]
    assert {row["reference"] for row in border["results"]} == {decided["reference"]}
    assert border["next_cursor"] is None
