"""Splitting a draft over its region's cap of workers per application: the draft keeps the first N
workers of its list, new drafts with the same details and documents take the rest in order, and
each is submitted on its own. Submitting over the cap is refused with the way out."""

import random

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from applications import services
from applications.models import Application, Document, Status
from applications.services import DRAFT_FIELDS, TransitionRefused
from applications.services.documents import document_delete
from applications.services.draft_split import application_split
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DocumentFactory,
    EmployerMemberFactory,
    WorkerFactory,
)
from tests.concurrency import run_at_once
from tests.pages import text, url
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(moscow, threshold):
    """Moscow's rules in force capping an application at 100 workers (set when the version is made)."""
    return RuleSetFactory(region=moscow, max_workers_per_application=100)


def draft_with(employer, user, count: int, **fields) -> Application:
    """A draft listing `count` workers named W0000, W0001, ... (the list's order), added in a
    shuffled order so the split cannot lean on the order the lines were made in."""
    application = ApplicationFactory(
        employer=employer, created_by=user, activity_okved="41.20", vaccination_booked=True, **fields
    )
    workers = [WorkerFactory(employer=employer, surname_latin=f"W{index:04d}") for index in range(count)]
    random.Random(17).shuffle(workers)
    for worker in workers:
        CaseWorkerFactory(application=application, worker=worker)
    return application


def surnames(application: Application) -> list[str]:
    return list(
        application.lines.order_by("worker__surname_latin", "worker__given_names_latin", "pk").values_list(
            "worker__surname_latin", flat=True
        )
    )


def test_250_workers_under_a_cap_of_100_make_three_drafts_of_100_100_and_50_in_list_order_with_details_documents_and_history(
    employer_client, employer, employer_user, capped
):
    draft = draft_with(employer, employer_user, 250)
    guarantee = DocumentFactory(application=draft, uploaded_by=employer_user, original_name="guarantee.pdf")
    housing = DocumentFactory(application=draft, uploaded_by=employer_user, original_name="housing.pdf", kind="isolation_housing")

    page = text(employer_client.get(url("application-detail", draft.pk)))
    assert "Split into 3 applications of at most 100 workers" in page

    response = employer_client.post(url("draft-split", draft.pk), {"parts": "3"}, follow=True)

    drafts = list(Application.objects.filter(employer=employer).order_by("pk"))
    assert [d.pk for d in drafts][0] == draft.pk and len(drafts) == 3
    first, second, third = drafts
    assert [first.lines.count(), second.lines.count(), third.lines.count()] == [100, 100, 50]
    assert surnames(first) + surnames(second) + surnames(third) == [f"W{index:04d}" for index in range(250)]
    assert surnames(second)[0] == "W0100" and surnames(third)[0] == "W0200"
    for made in (second, third):
        assert made.status == Status.DRAFT
        assert {name: getattr(made, name) for name in DRAFT_FIELDS} == {name: getattr(first, name) for name in DRAFT_FIELDS}
        assert made.planned_arrival_date == first.planned_arrival_date
        assert made.copied_from == first
        assert made.citizenships.codes == ["UZ"]  # the queue's citizenship filter finds it
        # The same documents, each opened from its own case, on the same stored file.
        assert sorted(made.documents.values_list("original_name", "kind", "file")) == sorted(
            [
                (guarantee.original_name, guarantee.kind, guarantee.file.name),
                (housing.original_name, housing.kind, housing.file.name),
            ]
        )
        split = made.history.get()
        assert (split.transition, split.from_status, split.to_status, split.actor) == ("split", "", Status.DRAFT, employer_user)
        assert first.reference in split.message
    assert first.documents.count() == 2
    kept = first.history.get(transition="split")
    assert (kept.from_status, kept.to_status, kept.actor) == (Status.DRAFT, Status.DRAFT, employer_user)
    assert second.reference in kept.message and third.reference in kept.message
    # What the employer reads: where the workers went, and the original's page no longer offers a split.
    page = text(response)
    assert f"{first.reference} is split into 3 applications: {first.reference}, {second.reference}, {third.reference}." in page
    assert "Split into" not in page
    # Each part opens with its documents downloadable by the company.
    document = second.documents.get(original_name="guarantee.pdf")
    assert employer_client.get(url("document-download", document.pk)).status_code == 200


def test_each_part_of_a_split_is_submitted_on_its_own(employer, employer_user, capped):
    draft = draft_with(employer, employer_user, 101)

    drafts = application_split(application=draft, user=employer_user)

    assert [d.lines.count() for d in drafts] == [100, 1]
    for part in drafts:
        assert services.application_submit(application=part, user=employer_user).status == Status.SUBMITTED


def test_exactly_at_the_cap_no_split_is_offered(employer_client, employer, employer_user, capped):
    draft = draft_with(employer, employer_user, 100)

    page = text(employer_client.get(url("application-detail", draft.pk)))
    assert "Split into" not in page
    with pytest.raises(TransitionRefused, match="within the limit of 100 per application"):
        application_split(application=draft, user=employer_user)
    assert Application.objects.count() == 1


def test_one_over_the_cap_offers_a_split_into_two(employer_client, employer, employer_user, capped):
    draft = draft_with(employer, employer_user, 101)

    page = text(employer_client.get(url("application-detail", draft.pk)))
    assert "Split into 2 applications of at most 100 workers" in page

    drafts = application_split(application=draft, user=employer_user, expected_parts=2)
    assert [d.lines.count() for d in drafts] == [100, 1]
    assert surnames(drafts[1]) == ["W0100"]


def test_without_a_cap_no_split_is_offered_and_none_is_made(employer_client, employer, employer_user, moscow_rules, threshold):
    draft = draft_with(employer, employer_user, 120)

    page = text(employer_client.get(url("application-detail", draft.pk)))
    assert "Split into" not in page
    response = employer_client.post(url("draft-split", draft.pk), {"parts": "2"}, follow=True)
    assert "sets no limit of workers per application" in text(response)
    assert Application.objects.count() == 1 and draft.lines.count() == 120


def test_submitting_over_the_cap_is_refused_with_the_offer_of_a_split(employer_client, employer, employer_user, capped):
    draft = draft_with(employer, employer_user, 250)

    with pytest.raises(TransitionRefused) as refused:
        services.application_submit(application=draft, user=employer_user)
    assert "250 workers listed" in refused.value.message
    assert "Split it into 3 applications of at most 100 workers" in refused.value.message

    response = employer_client.post(url("application-submit", draft.pk), {"version": draft.version, "declaration": "on"}, follow=True)
    assert "Split it into 3 applications of at most 100 workers" in text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_case_no_longer_a_draft_is_refused_clearly(employer_client, employer, employer_user, capped):
    submitted = draft_with(employer, employer_user, 101, status=Status.SUBMITTED)

    response = employer_client.post(url("draft-split", submitted.pk), {"parts": "2"}, follow=True)

    assert "Only a draft can be split; this application is “Submitted”." in text(response)
    assert Application.objects.count() == 1 and submitted.lines.count() == 101


def test_another_companys_draft_is_not_found(client, employer, employer_user, other_employer_user, capped):
    draft = draft_with(employer, employer_user, 101)
    client.force_login(other_employer_user)

    assert client.post(url("draft-split", draft.pk), {"parts": "2"}).status_code == 404
    assert Application.objects.count() == 1


def test_a_split_the_page_did_not_show_is_refused(employer, employer_user, capped):
    draft = draft_with(employer, employer_user, 201)  # 3 parts now; the page offered 2 before a worker was added

    with pytest.raises(TransitionRefused, match="would now make 3 applications"):
        application_split(application=draft, user=employer_user, expected_parts=2)
    assert Application.objects.count() == 1


def test_a_shared_file_stays_until_the_last_draft_naming_it_removes_it(
    employer, employer_user, capped, django_capture_on_commit_callbacks
):
    draft = draft_with(employer, employer_user, 101)
    original = DocumentFactory(application=draft, uploaded_by=employer_user)
    stored = original.file.name
    _, part = application_split(application=draft, user=employer_user)

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=original, user=employer_user)
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=part.documents.get(), user=employer_user)
    assert not default_storage.exists(stored)
    assert not Document.objects.filter(file=stored).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_splits_at_once_split_the_draft_once():
    moscow = region(77)
    RuleSetFactory(region=moscow, max_workers_per_application=100)
    EligibilityThresholdFactory()
    member = EmployerMemberFactory()
    for round_ in range(5):
        draft = draft_with(member.employer, member.user, 150)

        def split(d=draft):
            with translation.override("en"):  # each thread speaks the language of the strings
                return application_split(application=d, user=member.user)

        results = run_at_once([split, split])

        refusals = [r for r in results if isinstance(r, TransitionRefused)]
        splits = [r for r in results if isinstance(r, list)]
        assert len(splits) == 1 and len(refusals) == 1, f"round {round_}: {results}"
        assert "within the limit of 100 per application" in refusals[0].message
        made = Application.objects.filter(copied_from=draft)
        assert made.count() == 1
        assert draft.lines.count() == 100 and made.get().lines.count() == 50
        assert draft.history.filter(transition="split").count() == 1


def test_a_split_takes_as_many_queries_into_two_parts_as_into_five(employer, employer_user, moscow, threshold):
    RuleSetFactory(region=moscow, max_workers_per_application=10)
    counts = []
    for workers in (11, 50):
        draft = draft_with(employer, employer_user, workers)
        DocumentFactory(application=draft, uploaded_by=employer_user)
        with CaptureQueriesContext(connection) as queries:
            drafts = application_split(application=draft, user=employer_user)
        counts.append((len(drafts), len(queries)))

    assert [parts for parts, _ in counts] == [2, 5]
    assert counts[0][1] == counts[1][1]
