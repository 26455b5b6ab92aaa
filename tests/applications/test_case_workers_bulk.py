"""Filling a draft with many workers (issue 17): adding from the registry in bulk ("all N
matching" included), importing a file onto the draft, removing many and moving them to another
draft of the company."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseWorker, Status, Worker, WorkerImport, WorkerImportState
from applications.services.case_workers import case_workers_move
from applications.services.errors import TransitionRefused
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

HEADER = "surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation"


@pytest.fixture
def draft(employer):
    return ApplicationFactory(employer=employer)


def url(name: str, application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def many_workers(employer, count: int, *, citizenship: str = "UZ", prefix: str = "BULK") -> list[Worker]:
    return Worker.objects.bulk_create(
        WorkerFactory.build(
            employer=employer, citizenship=citizenship, surname_latin=f"{prefix}{n:05d}", passport_number=f"{prefix[:2]}{n:07d}"
        )
        for n in range(count)
    )


def on_case(application) -> set[int]:
    return set(CaseWorker.objects.filter(application=application).values_list("worker_id", flat=True))


# Adding from the registry


def test_all_matching_adds_3000_workers_in_one_request_with_as_many_queries_as_for_3(
    employer_client, employer, draft, django_assert_num_queries
):
    small_draft = ApplicationFactory(employer=employer)
    many_workers(employer, 3, citizenship="KG", prefix="FEW")
    with CaptureQueriesContext(connection) as few:
        employer_client.post(f"{url('application-workers-bulk-add', small_draft)}?citizenship=KG", {"all_matching": "1"})
    assert len(on_case(small_draft)) == 3
    workers = many_workers(employer, 3000)
    many_workers(employer, 5, citizenship="TJ", prefix="OTHER")  # filtered out by citizenship

    with django_assert_num_queries(len(few)):
        response = employer_client.post(f"{url('application-workers-bulk-add', draft)}?citizenship=UZ", {"all_matching": "1"})

    assert response.status_code == 302
    assert on_case(draft) == {worker.pk for worker in workers}
    assert "3000 workers are added to the application." in shown_messages(response)
    # In the order of the list: the registry's order by name.
    lines = CaseWorker.objects.filter(application=draft).order_by("pk").values_list("worker__surname_latin", flat=True)
    assert list(lines) == sorted(lines)


def test_the_filter_page_counts_the_matching_workers_and_offers_all_of_them(employer_client, employer, draft):
    many_workers(employer, 120)
    response = employer_client.get(url("application-workers-bulk-add", draft))
    assert response.status_code == 200
    assert "120 workers of your registry match and are not on this draft." in text(response)
    assert "Add all 120 matching workers" in text(response)


def test_ticked_workers_are_added_and_those_already_on_the_draft_are_skipped_with_a_count(employer_client, employer, draft):
    already = CaseWorkerFactory(application=draft).worker
    first, second = WorkerFactory(employer=employer), WorkerFactory(employer=employer)
    stranger = WorkerFactory()  # another company's worker: never added

    response = employer_client.post(
        url("application-workers-bulk-add", draft), {"worker": [first.pk, second.pk, already.pk, first.pk, stranger.pk]}
    )

    assert on_case(draft) == {already.pk, first.pk, second.pk}, shown_messages(response)
    assert shown_messages(response) == [
        "2 workers are added to the application.",
        "2 workers were already on the application and are skipped.",
    ]


def test_the_filter_not_on_a_live_case_leaves_out_workers_under_review(employer_client, employer, draft):
    busy = WorkerFactory(employer=employer, surname_latin="BUSYOV")
    CaseWorkerFactory(application=ApplicationFactory(employer=employer, status=Status.IN_REVIEW), worker=busy)
    on_a_draft = WorkerFactory(employer=employer, surname_latin="DRAFTOV")
    CaseWorkerFactory(application=ApplicationFactory(employer=employer), worker=on_a_draft)
    free = WorkerFactory(employer=employer, surname_latin="FREEOV")

    everyone = text(employer_client.get(url("application-workers-bulk-add", draft)))
    filtered = text(employer_client.get(url("application-workers-bulk-add", draft), {"not_on_live_case": "on"}))

    assert all(name in everyone for name in ("BUSYOV", "DRAFTOV", "FREEOV"))
    assert "BUSYOV" not in filtered
    assert "DRAFTOV" in filtered and "FREEOV" in filtered

    employer_client.post(f"{url('application-workers-bulk-add', draft)}?not_on_live_case=on", {"all_matching": "1"})
    assert on_case(draft) == {on_a_draft.pk, free.pk}


def test_the_filter_finds_workers_by_name_and_passport(employer_client, employer, draft):
    WorkerFactory(employer=employer, surname_latin="ALIEV", passport_number="FA1111111")
    WorkerFactory(employer=employer, surname_latin="RAHIMOV", passport_number="FB2222222")
    by_name = text(employer_client.get(url("application-workers-bulk-add", draft), {"name": "aliev"}))
    by_passport = text(employer_client.get(url("application-workers-bulk-add", draft), {"passport": "fb 222"}))
    assert "ALIEV" in by_name and "RAHIMOV" not in by_name
    assert "RAHIMOV" in by_passport and "ALIEV" not in by_passport


def test_nothing_ticked_says_so_and_adds_nothing(employer_client, employer, draft):
    WorkerFactory(employer=employer)
    response = employer_client.post(url("application-workers-bulk-add", draft), {})
    assert response.status_code == 200
    assert "Tick the workers to add" in text(response)
    assert not on_case(draft)


def test_a_submitted_case_cannot_be_filled_in_bulk(employer_client, employer):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    worker = WorkerFactory(employer=employer)
    response = employer_client.post(url("application-workers-bulk-add", submitted), {"worker": [worker.pk]})
    assert response.status_code == 302
    assert not on_case(submitted)
    assert shown_messages(response) == [
        "Workers can be added, removed or moved in bulk only on a draft; this application is “Submitted”."
    ]


def test_another_companys_draft_is_not_found(employer_client, other_employer_user):
    theirs = ApplicationFactory(employer=other_employer_user.employer_membership.employer)
    for name in ("application-workers-bulk-add", "application-workers-import", "application-workers-manage"):
        assert employer_client.get(url(name, theirs)).status_code == 404
        assert employer_client.post(url(name, theirs), {"all_matching": "1"}).status_code == 404


# Importing a file onto the draft


def file_of(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("workers.csv", "\n".join([HEADER, *rows]).encode())


def row(surname: str, passport: str, citizenship: str = "UZ") -> str:
    expiry = (timezone.localdate() + dt.timedelta(days=3 * 365)).isoformat()
    return f"{surname},ALISHER,M,1990-05-17,{citizenship},{passport},{expiry},Bricklayer"


def test_an_import_onto_the_draft_matches_people_already_in_the_registry(employer_client, employer, draft):
    known = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    CaseWorkerFactory(application=draft, worker=known)  # already on the draft: skipped
    elsewhere = WorkerFactory(employer=employer, citizenship="TJ", passport_number="TJ7654321")

    response = employer_client.post(
        url("application-workers-import", draft),
        {"file": file_of(row("KNOWNOV", "fa 1234567"), row("TAJIKOV", "TJ7654321", "TJ"), row("NEWOV", "FN0000001"))},
    )

    assert response.status_code == 302, text(response)
    new = Worker.objects.get(employer=employer, passport_number="FN0000001")
    assert Worker.objects.filter(employer=employer).count() == 3  # one new person, none duplicated
    assert on_case(draft) == {known.pk, elsewhere.pk, new.pk}
    assert shown_messages(response) == [
        "2 workers are added to the application (new in your registry: 1; already there: 2).",
        "1 worker was already on the application and is skipped.",
    ]


def test_an_import_onto_the_draft_names_the_columns_it_left_out(employer_client, employer, draft):
    notes = SimpleUploadedFile("workers.csv", f"{HEADER},Notes\n{row('NEWOV', 'FN0000001')},brings tools".encode())

    response = employer_client.post(url("application-workers-import", draft), {"file": notes})

    assert response.status_code == 302, text(response)
    assert "These columns of the file were not recognised and were left out: “Notes”." in shown_messages(response)


def test_an_import_with_a_person_on_a_live_case_reports_the_row_and_imports_nothing(employer_client, employer, draft):
    busy = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    live = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, reference="LIVE-0001")
    CaseWorkerFactory(application=live, worker=busy)

    response = employer_client.post(
        url("application-workers-import", draft), {"file": file_of(row("NEWOV", "FN0000001"), row("BUSYOV", "FA1234567"))}
    )

    assert response.status_code == 200
    assert "Nothing was imported: 1 of 2 rows have errors." in text(response)
    assert "3 passport_number This person is already on application LIVE-0001, which is under review or approved." in text(
        response
    )
    assert not on_case(draft)
    assert not Worker.objects.filter(passport_number="FN0000001").exists()


def test_an_import_with_the_same_passport_twice_reports_it_and_imports_nothing(employer_client, employer, draft):
    response = employer_client.post(
        url("application-workers-import", draft), {"file": file_of(row("ONEOV", "FN0000001"), row("TWOOV", "FN0000001"))}
    )
    assert response.status_code == 200
    assert "The same passport number and citizenship are on row 2 of the file too." in text(response)
    assert not on_case(draft) and not Worker.objects.filter(employer=employer).exists()


def test_a_large_file_is_imported_onto_the_draft_in_the_background(
    employer_client, employer, draft, django_capture_on_commit_callbacks
):
    known = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA0000000")
    rows = [row("BIGOV", f"FA{n:07d}") for n in range(501)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = employer_client.post(url("application-workers-import", draft), {"file": file_of(*rows)})
    worker_import = WorkerImport.objects.get(employer=employer)
    assert response["Location"] == reverse("applications:worker-import-status", args=[worker_import.pk])
    assert not on_case(draft)

    for callback in callbacks:
        callback()

    worker_import.refresh_from_db()
    assert (worker_import.state, worker_import.created_count) == (WorkerImportState.DONE, 500)
    assert len(on_case(draft)) == 501 and known.pk in on_case(draft)
    assert Worker.objects.filter(employer=employer).count() == 501


# Removing and moving


def test_many_workers_are_removed_from_the_draft_at_once(employer_client, draft):
    lines = [CaseWorkerFactory(application=draft) for _ in range(4)]
    other_case_line = CaseWorkerFactory()  # a line of another case: never touched

    response = employer_client.post(
        url("application-workers-manage", draft),
        {"action": "remove", "line": [lines[0].pk, lines[1].pk, lines[2].pk, other_case_line.pk]},
    )

    assert on_case(draft) == {lines[3].worker_id}
    assert CaseWorker.objects.filter(pk=other_case_line.pk).exists()
    assert shown_messages(response) == ["3 workers are removed from the application."]


def test_selected_workers_move_to_another_draft_of_the_company(employer_client, employer, draft):
    target = ApplicationFactory(employer=employer)
    lines = [CaseWorkerFactory(application=draft) for _ in range(3)]
    CaseWorkerFactory(application=target, worker=lines[2].worker)  # already there: stays

    page = text(employer_client.get(url("application-workers-manage", draft)))
    assert target.reference in page

    response = employer_client.post(
        url("application-workers-manage", draft), {"action": "move", "target": target.pk, "line": [line.pk for line in lines]}
    )

    assert on_case(draft) == {lines[2].worker_id}
    assert on_case(target) == {line.worker_id for line in lines}
    assert shown_messages(response) == [
        f"2 workers are moved to {target.reference}.",
        f"1 worker was already on {target.reference} and stays on this application.",
    ]


def test_workers_cannot_move_to_another_companys_draft(employer_client, employer_user, other_employer_user, draft):
    theirs = ApplicationFactory(employer=other_employer_user.employer_membership.employer)
    line = CaseWorkerFactory(application=draft)

    response = employer_client.post(
        url("application-workers-manage", draft), {"action": "move", "target": theirs.pk, "line": [line.pk]}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert on_case(draft) == {line.worker_id} and not on_case(theirs)
    with pytest.raises(TransitionRefused):
        case_workers_move(application=draft, target=theirs, user=employer_user, line_ids=[line.pk])
    assert on_case(draft) == {line.worker_id}


def test_workers_cannot_move_to_a_submitted_case(employer_client, employer, draft):
    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    line = CaseWorkerFactory(application=draft)
    response = employer_client.post(
        url("application-workers-manage", draft), {"action": "move", "target": submitted.pk, "line": [line.pk]}
    )
    assert "Select a valid choice" in text(response)
    assert on_case(draft) == {line.worker_id}
