"""Personal data kept no longer than needed (Federal Law 152-FZ): the daily job removes what is
due, keeps the decisions checkable, and never touches a person still on a live case."""

import datetime as dt
import hashlib
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from applications.decision_record import IDENTITY_FIELDS, identity_digest, stored_record_matches
from applications.models import (
    CaseCorrection,
    CorrectionKind,
    Decision,
    DecisionLetter,
    DecisionRedaction,
    DecisionWorker,
    Document,
    RetentionRun,
    Status,
    StatusChange,
    Worker,
    WorkerEarlierPermit,
)
from applications.selectors.retention import retention_outlook
from applications.services.decision_letters import decision_letter_pdf
from applications.services.retention import redact_personal_data
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DecisionFactory,
    DocumentFactory,
    WorkerEarlierPermitFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

IDENTITY_DAYS = 1096
DOCUMENT_DAYS = 366


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.PERSONAL_DATA_IDENTITY_DAYS = IDENTITY_DAYS
    settings.PERSONAL_DATA_DOCUMENTS_DAYS = DOCUMENT_DAYS


def closed_case(employer, *, status=Status.APPROVED, arrival=dt.date(2021, 3, 1), worker=None):
    """A case decided (or withdrawn) on 1 February 2021, arriving on `arrival` with 14 days of
    isolation: an approved one closes on `arrival` + 14, a rejected one on 1 February."""
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=arrival, isolation_days=14)
    case.created_at = dt.datetime(2021, 1, 10, 12, tzinfo=dt.UTC)
    case.submitted_at = dt.datetime(2021, 1, 11, 12, tzinfo=dt.UTC)
    CaseWorkerFactory(application=case, **({"worker": worker} if worker else {}))
    case.status = status
    case.decided_at = dt.datetime(2021, 2, 1, 9, tzinfo=dt.UTC) if status != Status.WITHDRAWN else None
    case.save()
    if status == Status.WITHDRAWN:
        StatusChange.objects.create(
            application=case,
            from_status=Status.IN_REVIEW,
            to_status=Status.WITHDRAWN,
            transition="withdraw",
            actor=case.created_by,
            at=dt.datetime(2021, 2, 1, 9, tzinfo=dt.UTC),
        )
    else:
        DecisionFactory(application=case, outcome=status)
    return case


APPROVED_CLOSES = dt.date(2021, 3, 15)  # arrival on 1 March + 14 days of isolation


@pytest.fixture
def approved(employer, moscow_rules, threshold):
    return closed_case(employer)


def run(today, **kwargs):
    return redact_personal_data(today=today, **kwargs)


def test_a_worker_is_kept_until_the_period_after_the_case_closed_and_redacted_the_day_it_ends(approved):
    worker = approved.lines.get().worker
    last_day_kept = APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS - 1)

    assert run(last_day_kept).workers_redacted == 0
    worker.refresh_from_db()
    assert worker.redacted_at is None and worker.surname_latin.startswith("KARIMOV")

    result = run(last_day_kept + dt.timedelta(days=1))
    assert (result.workers_redacted, result.decision_workers_redacted) == (1, 1)
    worker.refresh_from_db()
    assert worker.redacted_at is not None
    assert (worker.surname_latin, worker.given_names_latin, worker.passport_number) == ("***", "", f"~{worker.pk}")
    assert worker.passport_key == f"~{worker.pk}"
    assert str(worker) == "(personal data removed)"
    decided = DecisionWorker.objects.get(decision__application=approved)
    assert decided.passport_number == f"~{decided.pk}" and decided.date_of_birth == dt.date(1900, 1, 1)


def test_the_arrival_window_keeps_an_approved_case_open_after_its_decision(employer, moscow_rules, threshold):
    # Decided on 1 February, arriving on 1 June: the case closes on 15 June, not 1 February.
    case = closed_case(employer, arrival=dt.date(2021, 6, 1))
    assert run(dt.date(2021, 2, 1) + dt.timedelta(days=IDENTITY_DAYS + 10)).workers_redacted == 0
    assert run(dt.date(2021, 6, 15) + dt.timedelta(days=IDENTITY_DAYS - 1)).workers_redacted == 0
    assert run(dt.date(2021, 6, 15) + dt.timedelta(days=IDENTITY_DAYS)).workers_redacted == 1
    assert Worker.objects.get(pk=case.lines.get().worker_id).redacted_at is not None


def test_a_rejected_or_withdrawn_case_closes_on_the_day_of_its_decision_or_withdrawal(employer, moscow_rules, threshold):
    closed_case(employer, status=Status.REJECTED, arrival=dt.date(2021, 9, 1))
    closed_case(employer, status=Status.WITHDRAWN, arrival=dt.date(2021, 9, 1))
    closes = dt.date(2021, 2, 1)
    assert run(closes + dt.timedelta(days=IDENTITY_DAYS - 1)).workers_redacted == 0
    assert run(closes + dt.timedelta(days=IDENTITY_DAYS)).workers_redacted == 2


def test_a_person_on_a_live_case_is_never_redacted_in_any_registry(approved, other_employer_user, moscow_rules):
    worker = approved.lines.get().worker
    # The same person (citizenship and passport) listed by another company on a case in review.
    other = WorkerFactory(
        employer=other_employer_user.employer_membership.employer,
        citizenship=worker.citizenship,
        passport_number=worker.passport_number.lower(),
    )
    CaseWorkerFactory(application=ApplicationFactory(employer=other.employer, status=Status.IN_REVIEW), worker=other)
    assert run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS + 400)).workers_redacted == 0
    worker.refresh_from_db()
    assert worker.redacted_at is None


def test_a_worker_on_a_later_case_waits_for_that_case(approved, moscow_rules, threshold):
    worker = approved.lines.get().worker
    closed_case(approved.employer, arrival=dt.date(2022, 3, 1), worker=worker)
    assert run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS)).workers_redacted == 0
    assert run(dt.date(2022, 3, 15) + dt.timedelta(days=IDENTITY_DAYS)).workers_redacted == 1


def test_the_decision_still_checks_and_keeps_a_digest_of_who_it_named(approved, client):
    decision = Decision.objects.get(application=approved)
    before = DecisionWorker.objects.get(decision=decision)
    identity = {name: getattr(before, name) for name in IDENTITY_FIELDS}
    code = decision.verification_code
    assert stored_record_matches(decision)

    run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))

    decision = Decision.objects.get(pk=decision.pk)
    after = DecisionWorker.objects.get(pk=before.pk)
    assert after.redacted_at is not None and after.identity_salt
    # Whoever holds the letter shows with the salt that the decision named this person.
    assert after.identity_sha256 == identity_digest(after.identity_salt, identity)
    assert stored_record_matches(decision)
    assert decision.verification_code == code and DecisionRedaction.objects.filter(decision=decision).count() == 1
    page = client.get(reverse("applications:decision_check", kwargs={"code": code}), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert approved.reference in page.content.decode()
    assert "Removed for 1 worker when its retention period ended" in page.content.decode()


def test_a_decision_whose_record_was_tampered_with_is_left_as_it_is(approved, caplog):
    decision = Decision.objects.get(application=approved)
    with connection.cursor() as cursor:
        # As a superuser could, past the triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE applications_decisionworker SET surname_latin = 'FORGED' WHERE decision_id = %s", [decision.pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with caplog.at_level(logging.ERROR):
        result = run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    assert (result.workers_redacted, result.decisions_not_verified) == (0, 1)
    assert DecisionWorker.objects.get(decision=decision).surname_latin == "FORGED"
    assert "does not match its digest" in caplog.text


def test_a_rerun_does_nothing_more(approved, django_capture_on_commit_callbacks):
    DocumentFactory(application=approved)
    later = APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS)
    with django_capture_on_commit_callbacks(execute=True):
        first = run(later)
    assert (first.documents_deleted, first.workers_redacted) == (1, 1)
    redactions = DecisionRedaction.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = run(later + dt.timedelta(days=1))
    assert (second.documents_deleted, second.workers_redacted, second.decision_workers_redacted) == (0, 0, 0)
    assert DecisionRedaction.objects.count() == redactions
    assert RetentionRun.objects.count() == 2


def test_documents_go_a_year_after_the_case_closed_with_their_files(approved, django_capture_on_commit_callbacks):
    document = DocumentFactory(application=approved)
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(APPROVED_CLOSES + dt.timedelta(days=DOCUMENT_DAYS - 1)).documents_deleted == 0
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = run(APPROVED_CLOSES + dt.timedelta(days=DOCUMENT_DAYS))
    assert (result.documents_deleted, result.workers_redacted) == (1, 0)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not stored.exists()


def test_documents_of_a_case_waiting_for_the_authority_are_kept(employer, moscow_rules, django_capture_on_commit_callbacks):
    waiting = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=dt.date(2021, 3, 1))
    DocumentFactory(application=waiting)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(dt.date(2030, 1, 1)).documents_deleted == 0
    assert Document.objects.filter(application=waiting).exists()


def test_earlier_permits_and_their_scans_go_with_the_worker(approved, django_capture_on_commit_callbacks):
    worker = approved.lines.get().worker
    permit = WorkerEarlierPermitFactory(worker=worker)
    scan = Path(settings.MEDIA_ROOT) / permit.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        assert run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS)).earlier_permits_deleted == 1
    assert not WorkerEarlierPermit.objects.filter(worker=worker).exists()
    assert not scan.exists()


def test_the_kept_letter_is_emptied_and_not_built_again(approved, employer_client):
    decision = Decision.objects.get(application=approved)
    pdf = decision_letter_pdf(decision)
    digest = hashlib.sha256(pdf).hexdigest()
    result = run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    assert result.letters_removed == 1
    letter = DecisionLetter.objects.get(decision=decision)
    assert bytes(letter.pdf) == b"" and letter.sha256 == digest
    page = employer_client.get(reverse("applications:decision-letter", kwargs={"pk": approved.pk}))
    assert page.status_code == 410
    assert "no longer kept" in page.content.decode()


def test_corrections_naming_the_worker_lose_the_name_and_values(approved):
    worker = approved.lines.get().worker
    correction = CaseCorrection.objects.create(
        application=approved,
        actor=approved.created_by,
        what=CorrectionKind.WORKER_FIELD,
        worker=worker,
        worker_name=worker.display_name,
        field="passport_number",
        before="AA1",
        after="AA2",
    )
    assert run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS)).corrections_redacted == 1
    correction.refresh_from_db()
    assert (correction.worker_name, correction.before, correction.after) == ("***", None, None)


def test_a_redacted_worker_leaves_the_registry_and_never_matches_a_new_one(approved, employer_client):
    worker = approved.lines.get().worker
    passport = worker.passport_number
    run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    listing = employer_client.get(reverse("applications:worker-list"))
    assert "(personal data removed)" not in listing.content.decode()
    assert employer_client.get(reverse("applications:worker-edit", kwargs={"pk": worker.pk})).status_code == 404
    # The same passport may be entered again as a new worker: the placeholder holds no key of it.
    again = WorkerFactory(employer=approved.employer, citizenship=worker.citizenship, passport_number=passport)
    assert again.pk != worker.pk


def test_a_registry_entry_on_no_case_goes_the_period_after_it_was_added(employer):
    worker = WorkerFactory(employer=employer)
    added = worker.created_at.astimezone(dt.timezone(dt.timedelta(hours=3))).date()
    assert run(added + dt.timedelta(days=IDENTITY_DAYS - 1)).workers_redacted == 0
    assert run(added + dt.timedelta(days=IDENTITY_DAYS)).workers_redacted == 1


def test_the_run_is_recorded_and_logged_without_personal_data(approved, caplog):
    worker = approved.lines.get().worker
    name, passport = worker.surname_latin, worker.passport_number
    with caplog.at_level(logging.INFO, logger="applications.services.retention"):
        result = run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    assert "workers_redacted 1" in caplog.text
    assert name not in caplog.text and passport not in caplog.text
    assert RetentionRun.objects.get() == result
    with pytest.raises(DatabaseError), transaction.atomic():
        RetentionRun.objects.filter(pk=result.pk).update(workers_redacted=0)


def test_the_outlook_counts_what_is_due_and_when_more_falls_due(approved, employer, moscow_rules):
    DocumentFactory(application=approved)
    outlook = retention_outlook(APPROVED_CLOSES)
    assert (outlook.documents_due, outlook.workers_due) == (0, 0)
    assert outlook.next_documents_on == APPROVED_CLOSES + dt.timedelta(days=DOCUMENT_DAYS)
    assert outlook.next_workers_on == APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS)
    due = retention_outlook(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    assert (due.documents_due, due.workers_due, due.decision_workers_due) == (1, 1, 1)


def test_the_append_only_tables_let_through_the_redaction_and_nothing_else(approved):
    decided = DecisionWorker.objects.get(decision__application=approved)
    refused = [
        "UPDATE applications_decisionworker SET surname_latin = 'OTHER' WHERE id = %(id)s",
        "UPDATE applications_decisionworker SET surname_latin = '***', redacted_at = now(), outcome = 'refused' WHERE id = %(id)s",
        "UPDATE applications_decisionworker SET surname_latin = 'NOT-A-PLACEHOLDER', given_names_latin = '', surname_cyrillic = '',"
        " given_names_cyrillic = '', date_of_birth = '1900-01-01', passport_expiry = '1900-01-02', passport_number = '~' || id,"
        " redacted_at = now() WHERE id = %(id)s",
        "DELETE FROM applications_decisionworker WHERE id = %(id)s",
    ]
    for statement in refused:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, {"id": decided.pk})
    redaction = (
        "UPDATE applications_decisionworker SET surname_latin = '***', given_names_latin = '', surname_cyrillic = '',"
        " given_names_cyrillic = '', date_of_birth = '1900-01-01', passport_expiry = '1900-01-02', passport_number = '~' || id,"
        " redacted_at = now() WHERE id = %(id)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(redaction, {"id": decided.pk})
    # Once redacted, a row is never changed again.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(redaction, {"id": decided.pk})


def test_the_migration_placeholders_are_the_models():
    import importlib

    from applications.models import retention

    migration = importlib.import_module("applications.migrations.0034_i20_retention")
    placeholders = migration.DECISION_WORKER_PLACEHOLDERS
    assert placeholders["surname_latin"] == retention.REDACTED_NAME
    assert placeholders["passport_number"] == retention.REDACTED_PASSPORT_PREFIX + "{id}"
    assert placeholders["date_of_birth"] == retention.REDACTED_BIRTH_DATE
    assert placeholders["passport_expiry"] == retention.REDACTED_PASSPORT_EXPIRY
    assert set(IDENTITY_FIELDS) <= set(placeholders)


def test_the_admin_page_shows_what_the_next_run_removes_without_naming_anyone(client, admin_user, employer_user, approved):
    DocumentFactory(application=approved)
    worker = approved.lines.get().worker
    url = reverse("admin:applications_retentionrun_changelist")
    client.force_login(employer_user)
    assert client.get(url).status_code == 302  # to the admin's sign-in: staff only
    client.force_login(admin_user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Personal data retention" in text and "What the next run will remove" in text
    outlook = page.context["outlook"]
    assert (outlook.documents_due, outlook.workers_due, outlook.decision_workers_due) == (1, 1, 1)
    assert worker.surname_latin not in text and worker.passport_number not in text


def test_the_public_approval_check_finds_no_redacted_worker(approved):
    from applications.selectors.worker_check import approvals_of_person

    decided = DecisionWorker.objects.get(decision__application=approved)
    asked = {"citizenship": decided.citizenship, "since": dt.date(2021, 1, 1)}
    assert approvals_of_person(passport_number=decided.passport_number, date_of_birth=decided.date_of_birth, **asked)
    run(APPROVED_CLOSES + dt.timedelta(days=IDENTITY_DAYS))
    decided.refresh_from_db()
    # Neither the person's own particulars nor the placeholders find anything.
    assert approvals_of_person(passport_number=decided.passport_number, date_of_birth=decided.date_of_birth, **asked) == []
