"""A decision keeps what it was made on: the letter and the border list say, years later, what was
decided about whom, whatever the registry, the company page or the rules say today."""

import csv
import datetime as dt
import hashlib
import io
import json

import pypdf
import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from applications import services
from applications.decision_record import decision_record, sha256_of, stored_record_matches
from applications.models import (
    Application,
    Decision,
    DecisionLetter,
    DecisionWorker,
    Employer,
    RefusalReason,
    Status,
    StatusChange,
    WorkerOutcome,
)
from regions.models import ActType
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.decision_snapshot import COMPANY_EDITS, WORKER_EDITS, edit_worker_past_the_lock
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory, checkpoint

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def signing_officer(moscow):
    return OfficerFactory(email="ivanova@77.example", full_name="Ivanova Maria Petrovna", position="Chief specialist", regions=[moscow])


@pytest.fixture
def moscow_rules(moscow):
    """Moscow's version made with its legal basis (a version in force is never edited)."""
    return RuleSetFactory(region=moscow, legal_basis_type=ActType.DECREE, legal_basis_body="Мэра Москвы", legal_basis_number="65-УМ")


@pytest.fixture
def decided(employer, moscow_rules, threshold, signing_officer):
    """A Moscow case of two workers, KARIMOV approved and RAKHIMOV refused, decided by Ivanova."""
    employer.language = "en"
    employer.legal_address = "Moscow, Tverskaya 1"
    employer.save()
    application = ApplicationFactory(
        employer=employer, status=Status.IN_REVIEW, checkpoint=checkpoint("SVO"), planned_arrival_date=dt.date(2031, 5, 3)
    )
    approved = CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(
            employer=employer, surname_latin="KARIMOV", given_names_latin="ALISHER", surname_cyrillic="Каримов",
            given_names_cyrillic="Алишер", date_of_birth=dt.date(1990, 4, 12), citizenship="UZ", passport_number="FA1234567",
            passport_expiry=dt.date(2032, 1, 1),
        ),
    )
    refused = CaseWorkerFactory(
        application=application, worker=WorkerFactory(employer=employer, surname_latin="RAKHIMOV", given_names_latin="BOBUR"),
    )
    services.application_approve_partially(
        application=application, user=signing_officer,
        refusals={refused.pk: (RefusalReason.PCR_TEST, "Test taken 5 days before")}, message="One test is too old.",
    )
    application.refresh_from_db()
    application.approved_line, application.refused_line = approved, refused
    return application


@pytest.fixture
def signing_officer_client(client, signing_officer):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(signing_officer)
    return client


def letter_text(client, application) -> str:
    response = client.get(reverse("applications:decision-letter", args=[application.pk]))
    assert response.status_code == 200
    return pdf_text(response.content)


def border_list(client) -> list[list[str]]:
    response = client.get(reverse("applications:review-export-border-list"))
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


# What is kept


def test_the_decision_keeps_the_company_the_officer_the_rules_and_each_worker_as_they_stood(decided, moscow_rules, employer):
    decision = Decision.objects.get(application=decided)

    assert (decision.company_name, decision.company_inn, decision.company_ogrn, decision.company_address) == (
        employer.name, employer.inn, employer.ogrn, "Moscow, Tverskaya 1",
    )
    assert (decision.officer_name, decision.officer_position) == ("Ivanova Maria Petrovna", "Chief specialist")
    assert decision.rule_set_id == moscow_rules.pk
    assert decision.rule_set_content["pcr_max_age_hours"] == moscow_rules.pcr_max_age_hours
    assert decision.rule_set_content["effective_from"] == moscow_rules.effective_from.isoformat()
    assert decision.rule_set_sha256 == sha256_of(decision.rule_set_content)
    assert decision.legal_basis.startswith("decree Мэра Москвы No. 65-УМ")
    assert decision.letter_language == "en"
    assert decision.case_particulars["crossing"]["code"] == "SVO"
    assert decision.case_particulars["reference"] == decided.reference
    karimov, rakhimov = decision.workers.order_by("position")
    assert (karimov.surname_latin, karimov.given_names_latin, karimov.surname_cyrillic, karimov.given_names_cyrillic) == (
        "KARIMOV", "ALISHER", "Каримов", "Алишер",
    )
    assert (karimov.date_of_birth, karimov.citizenship, karimov.passport_number, karimov.passport_expiry) == (
        dt.date(1990, 4, 12), "UZ", "FA1234567", dt.date(2032, 1, 1),
    )
    assert (karimov.outcome, karimov.refusal_reason) == (WorkerOutcome.APPROVED, "")
    assert (rakhimov.outcome, rakhimov.refusal_reason, rakhimov.refusal_note) == (
        WorkerOutcome.REFUSED, RefusalReason.PCR_TEST, "Test taken 5 days before",
    )
    # The checks as structured data, each with its code, result and whether it blocks.
    assert decision.checks and {"code", "passed", "blocking"} <= set(decision.checks[0])


def test_the_stored_digest_is_the_sha256_of_the_canonical_record_and_gives_the_letters_code(decided):
    decision = Decision.objects.get(application=decided)
    record = decision_record(decision, decision.workers.all())
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    assert decision.record_sha256 == hashlib.sha256(canonical).hexdigest()
    assert stored_record_matches(decision)
    assert len(decision.verification_code) == 19 and decision.verification_code.count("-") == 3
    assert record["workers"][0]["passport_number"] == "FA1234567"


def test_a_record_changed_behind_the_portals_back_no_longer_matches_its_digest(decided):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the table may be altered
        cursor.execute("ALTER TABLE applications_decisionworker DISABLE TRIGGER applications_decisionworker_append_only")
        cursor.execute("UPDATE applications_decisionworker SET passport_number = 'FA7654321' WHERE passport_number = 'FA1234567'")
        cursor.execute("ALTER TABLE applications_decisionworker ENABLE TRIGGER applications_decisionworker_append_only")

    assert not stored_record_matches(Decision.objects.get(application=decided))


def test_the_workers_of_a_decision_cannot_be_updated_or_deleted(decided):
    for statement in (
        "UPDATE applications_decisionworker SET surname_latin = 'OTHER'",
        "DELETE FROM applications_decisionworker",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert DecisionWorker.objects.filter(decision__application=decided, surname_latin="KARIMOV").exists()


# Editing afterwards changes nothing of what was decided


@pytest.mark.parametrize(("field", "value"), WORKER_EDITS.items())
def test_correcting_a_worker_afterwards_changes_neither_the_letter_nor_the_border_list(signing_officer_client, decided, field, value):
    letter_before, border_before = letter_text(signing_officer_client, decided), border_list(signing_officer_client)
    edit_worker_past_the_lock(decided.approved_line.worker_id, **{field: value})

    assert letter_text(signing_officer_client, decided) == letter_before
    assert border_list(signing_officer_client) == border_before
    assert "KARIMOV ALISHER" in letter_before and border_before[1][1:6] == ["KARIMOV", "ALISHER", "1990-04-12", "UZB", "FA1234567"]


@pytest.mark.parametrize(("field", "value"), COMPANY_EDITS.items())
def test_renaming_or_renumbering_the_company_afterwards_changes_neither_the_letter_nor_the_border_list(
    signing_officer_client, decided, field, value
):
    letter_before, border_before = letter_text(signing_officer_client, decided), border_list(signing_officer_client)
    Employer.objects.filter(pk=decided.employer_id).update(**{field: value})

    assert letter_text(signing_officer_client, decided) == letter_before
    assert border_list(signing_officer_client) == border_before


def test_a_letter_built_after_the_edits_still_says_what_was_decided(signing_officer_client, decided, employer):
    """Built for the first time only after every edit: the snapshot, not the rows, is printed."""
    edit_worker_past_the_lock(decided.approved_line.worker_id, **WORKER_EDITS)
    Employer.objects.filter(pk=employer.pk).update(**COMPANY_EDITS)
    assert not DecisionLetter.objects.exists()

    text = letter_text(signing_officer_client, decided)

    assert "KARIMOV ALISHER" in text and "Каримов Алишер" in text and "FA1234567" in text and "Uzbekistan" in text
    assert employer.name in text and employer.inn in text and employer.ogrn in text
    for value in ("KARIMOFF", "ZZ0000001", "Tajikistan", "Переименовано", "7707083893"):
        assert value not in text
    assert "Chief specialist Ivanova Maria Petrovna" in text


# The letter: built once, served as built, checkable


def test_the_letter_is_built_once_and_served_as_built(signing_officer_client, decided):
    first = signing_officer_client.get(reverse("applications:decision-letter", args=[decided.pk])).content
    second = signing_officer_client.get(reverse("applications:decision-letter", args=[decided.pk])).content

    kept = DecisionLetter.objects.get(decision__application=decided)
    assert first == second == bytes(kept.pdf)
    assert kept.sha256 == hashlib.sha256(first).hexdigest()
    assert kept.language == "en"


def test_a_kept_letter_cannot_be_rebuilt_replaced_or_deleted(signing_officer_client, decided):
    signing_officer_client.get(reverse("applications:decision-letter", args=[decided.pk]))
    kept = DecisionLetter.objects.get(decision__application=decided)

    for statement in ("UPDATE applications_decisionletter SET pdf = 'x'::bytea", "DELETE FROM applications_decisionletter"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionLetter.objects.create(decision=kept.decision, language="en", pdf=b"%PDF-forged", sha256="0" * 64)
    assert DecisionLetter.objects.get(decision__application=decided).sha256 == kept.sha256


def test_the_letter_prints_its_verification_code_and_the_public_address_to_check_it(signing_officer_client, decided):
    decision = Decision.objects.get(application=decided)

    text = letter_text(signing_officer_client, decided)

    assert f"Verification code {decision.verification_code}" in text
    assert f"/check/{decision.verification_code}/" in text.replace(" ", "")


def test_anyone_with_the_code_sees_the_outcome_date_region_company_and_count_and_no_personal_data(client, decided, employer):
    decision = Decision.objects.get(application=decided)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("applications:decision_check", args=[decision.verification_code]))

    page = response.content.decode()
    assert response.status_code == 200
    for shown in (decided.reference, "Partially approved", "Moscow", employer.name, employer.inn, "1 approved of 2 workers listed"):
        assert shown in page
    for hidden in ("KARIMOV", "RAKHIMOV", "FA1234567", "Каримов", "1990"):
        assert hidden not in page


def test_a_code_typed_in_lower_case_with_spaces_is_found(client, decided):
    code = Decision.objects.get(application=decided).verification_code

    response = client.get(reverse("applications:decision_check_form"), {"code": f" {code.replace('-', ' ').lower()} "}, follow=True)

    assert response.status_code == 200
    assert decided.reference in response.content.decode()


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "not a code", "A" * 40])
def test_an_unknown_or_malformed_code_is_not_found_and_says_so(client, decided, code):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.get(reverse("applications:decision_check_form"), {"code": code}, follow=True)

    assert response.status_code == 404
    assert "No decision has the code" in response.content.decode()
    assert decided.reference not in response.content.decode()


def test_the_public_check_refuses_a_flood_of_guesses_from_one_address(client, decided):
    for attempt in range(30):
        assert client.get(reverse("applications:decision_check", args=[f"AAAA-BBBB-CCCC-{attempt:04d}"])).status_code == 404

    response = client.get(reverse("applications:decision_check", args=[Decision.objects.get().verification_code]))

    assert response.status_code == 429


# No decision without its record


def test_a_decision_whose_record_cannot_be_written_leaves_the_case_as_it_was(employer, moscow_rules, threshold, signing_officer):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    line = CaseWorkerFactory(application=application)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_record BEFORE INSERT ON applications_decisionworker FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse();"
        )

    with pytest.raises(DatabaseError, match="disk full"):
        services.application_approve(application=application, user=signing_officer)

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_record ON applications_decisionworker")
    application.refresh_from_db()
    line.refresh_from_db()
    assert (application.status, application.version, application.decided_at) == (Status.IN_REVIEW, 1, None)
    assert line.outcome == WorkerOutcome.PENDING
    assert not Decision.objects.exists() and not StatusChange.objects.filter(application=application).exists()
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_the_queue_export_names_a_decided_case_s_company_as_the_decision_did(signing_officer_client, decided, employer):
    pending = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=pending)
    old_name = employer.name
    Employer.objects.filter(pk=employer.pk).update(name="ООО «Новое имя»", inn="7707083893")

    response = signing_officer_client.get(reverse("applications:review-export-csv"), {"status": "all"})
    rows = {row[0]: row for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))}

    assert rows[decided.reference][1:3] == [old_name, employer.inn]
    assert rows[pending.reference][1:3] == ["ООО «Новое имя»", "7707083893"]
