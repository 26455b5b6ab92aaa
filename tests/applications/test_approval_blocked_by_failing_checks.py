"""A blocking failure of the rule check blocks the approval: the officer refuses the failing
worker, or approves them against the check with an override and a written justification, which
the decision keeps (append-only) with the failing checks. A failure of the whole case (no
guarantee, intake suspended) blocks the whole approval unless overridden for the case."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from applications import services
from applications.models import Application, Decision, DecisionOverride, RefusalReason, Status, StatusChange, WorkerOutcome
from applications.overrides import justification_problem, refusal_reason_for
from regions.rules import Check
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The lab confirmed a negative retest on the 10th."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(employer, officer, moscow_rules, threshold):
    """A Moscow case in review with two workers; the second one's PCR test is five days old."""
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    CaseWorkerFactory(application=application, worker=WorkerFactory(employer=employer, surname_latin="AZIMOV"))
    CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(employer=employer, surname_latin="STALETEST"),
        pcr_test_taken_at=timezone.make_aware(
            dt.datetime.combine(application.planned_arrival_date - dt.timedelta(days=5), dt.time(10))
        ),
    )
    return application


def lines_of(application):
    passing = application.lines.get(worker__surname_latin="AZIMOV")
    failing = application.lines.get(worker__surname_latin="STALETEST")
    return passing, failing


def nothing_kept(application):
    application.refresh_from_db()
    return (
        application.status == Status.IN_REVIEW
        and application.version == 1
        and not Decision.objects.filter(application=application).exists()
        and not StatusChange.objects.filter(application=application).exists()
        and set(application.lines.values_list("outcome", flat=True)) == {WorkerOutcome.PENDING}
    )


# Refused


def test_approving_a_case_with_a_worker_whose_pcr_test_is_too_old_is_refused_naming_the_worker_and_the_check(case, officer):
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_approve(application=case, user=officer)

    message = refused.value.message
    assert "STALETEST A." in message
    assert "The PCR test of STALETEST A. was taken" in message and "accepts at most 72" in message
    assert "AZIMOV" not in message
    assert nothing_kept(case)


def test_approving_some_workers_is_refused_while_a_failing_worker_is_left_approved(case, officer):
    passing, failing = lines_of(case)
    extra = CaseWorkerFactory(application=case)

    with pytest.raises(services.TransitionRefused, match="STALETEST A."):
        services.application_approve_partially(
            application=case, user=officer, refusals={extra.pk: (RefusalReason.DOCUMENTS, "")}
        )

    assert nothing_kept(case)


def test_refusing_the_failing_worker_approves_the_others_and_records_no_override(case, officer):
    passing, failing = lines_of(case)

    services.application_approve_partially(application=case, user=officer, refusals={failing.pk: (RefusalReason.PCR_TEST, "")})

    case.refresh_from_db()
    assert case.status == Status.PARTIALLY_APPROVED
    assert not DecisionOverride.objects.exists()


def test_the_check_is_run_afresh_at_approval_so_rules_tightened_meanwhile_count(employer, officer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=application)  # tested the day before the arrival, at 10:00
    RuleSetFactory(region=moscow_rules.region, effective_from=timezone.localdate(), pcr_max_age_hours=12)

    with pytest.raises(services.TransitionRefused, match="accepts at most 12"):
        services.application_approve(application=application, user=officer)

    assert nothing_kept(application)


# Overridden


def test_approving_with_an_override_and_a_justification_keeps_the_override_the_failing_check_and_the_text(case, officer):
    passing, failing = lines_of(case)

    approved = services.application_approve(application=case, user=officer, overrides={failing.pk: f"  {JUSTIFICATION}  "})

    assert approved.status == Status.APPROVED
    assert set(approved.lines.values_list("outcome", flat=True)) == {WorkerOutcome.APPROVED}
    override = DecisionOverride.objects.get()
    assert override.decision == Decision.objects.get(application=case)
    assert (override.line, override.worker_name, override.justification) == (failing, "STALETEST A.", JUSTIFICATION)
    assert [check["code"] for check in override.failed_checks] == ["worker.pcr_test"]
    assert "The PCR test of STALETEST A." in Check.from_dict(override.failed_checks[0]).text
    assert override.failed_checks[0]["line_id"] == failing.pk


def test_an_override_given_for_a_worker_who_passes_is_not_recorded(case, officer):
    passing, failing = lines_of(case)

    services.application_approve(
        application=case, user=officer, overrides={failing.pk: JUSTIFICATION, passing.pk: JUSTIFICATION}
    )

    assert list(DecisionOverride.objects.values_list("line", flat=True)) == [failing.pk]


def test_a_justification_shorter_than_a_sentence_is_refused_and_nothing_is_kept(case, officer):
    passing, failing = lines_of(case)

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_approve(application=case, user=officer, overrides={failing.pk: "Retest negative ok"})

    assert "STALETEST A." in refused.value.message
    assert "at least 20 characters and two words" in refused.value.message
    assert nothing_kept(case)


def test_an_empty_justification_is_no_override(case, officer):
    passing, failing = lines_of(case)

    with pytest.raises(services.TransitionRefused, match="fails a blocking check"):
        services.application_approve(application=case, user=officer, overrides={failing.pk: "   "})

    assert nothing_kept(case)


def test_a_justification_of_exactly_20_characters_and_two_words_is_enough(case, officer):
    passing, failing = lines_of(case)
    text = "Negative retest seen"
    assert len(text) == 20

    services.application_approve(application=case, user=officer, overrides={failing.pk: text})

    assert DecisionOverride.objects.get().justification == text


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("Negative retest seen", True),  # 20 characters, three words
        ("Negative retest see", False),  # 19 characters
        ("Negativeretestseenbythelab", False),  # one word, long enough
        ("12345 67890 12345 67890", False),  # no words, only numbers
        ("   Negative retest see   ", False),  # the spaces around do not count
        ("Отрицательный повторный тест", True),  # Russian counts as words too
    ],
)
def test_a_justification_is_at_least_20_characters_and_two_words(text, accepted):
    assert (justification_problem(text) is None) is accepted


def test_the_database_refuses_an_override_without_a_sentence_of_justification(case, officer):
    passing, failing = lines_of(case)
    services.application_approve(application=case, user=officer, overrides={failing.pk: JUSTIFICATION})
    decision = Decision.objects.get(application=case)

    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionOverride.objects.create(decision=decision, line=passing, worker_name="AZIMOV A.", justification="ok")


def test_a_kept_override_can_be_neither_rewritten_nor_deleted(case, officer):
    passing, failing = lines_of(case)
    services.application_approve(application=case, user=officer, overrides={failing.pk: JUSTIFICATION})

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        DecisionOverride.objects.update(justification="Rewritten afterwards, quietly.")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DecisionOverride._meta.db_table}")
    assert DecisionOverride.objects.get().justification == JUSTIFICATION


# The whole case


@pytest.fixture
def suspended_case(employer, officer, moscow_rules, threshold):
    """A passing case whose region suspended its intake after it was submitted."""
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    CaseWorkerFactory.create_batch(2, application=application)
    RuleSetFactory(region=moscow_rules.region, effective_from=timezone.localdate(), intake_open=False)
    return application


def test_a_failure_of_the_whole_case_blocks_the_whole_approval(suspended_case, officer):
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_approve(application=suspended_case, user=officer)

    assert "whole application" in refused.value.message
    assert "suspended the intake" in refused.value.message
    assert nothing_kept(suspended_case)


def test_a_failure_of_the_whole_case_blocks_a_partial_approval_too(suspended_case, officer):
    first, _second = suspended_case.lines.order_by("pk")

    with pytest.raises(services.TransitionRefused, match="suspended the intake"):
        services.application_approve_partially(
            application=suspended_case, user=officer, refusals={first.pk: (RefusalReason.OTHER, "")}
        )

    assert nothing_kept(suspended_case)


def test_overriding_each_worker_does_not_override_a_failure_of_the_whole_case(suspended_case, officer):
    overrides = {line.pk: JUSTIFICATION for line in suspended_case.lines.all()}

    with pytest.raises(services.TransitionRefused, match="suspended the intake"):
        services.application_approve(application=suspended_case, user=officer, overrides=overrides)

    assert nothing_kept(suspended_case)


def test_a_case_override_with_a_justification_approves_and_keeps_the_case_checks_it_overrode(suspended_case, officer):
    approved = services.application_approve(application=suspended_case, user=officer, case_override=JUSTIFICATION)

    assert approved.status == Status.APPROVED
    override = DecisionOverride.objects.get()
    assert (override.line, override.worker_name, override.justification) == (None, "", JUSTIFICATION)
    assert [check["code"] for check in override.failed_checks] == ["intake.open"]


def test_a_case_override_with_too_short_a_justification_is_refused(suspended_case, officer):
    with pytest.raises(services.TransitionRefused, match="at least 20 characters"):
        services.application_approve(application=suspended_case, user=officer, case_override="Because.")

    assert nothing_kept(suspended_case)


def test_a_rejection_needs_no_override(case, officer):
    services.application_reject(application=case, user=officer, reason="The test is too old.")

    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert not DecisionOverride.objects.exists()


# The refusal reason a failing check suggests


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("worker.citizenship", RefusalReason.CITIZENSHIP_NOT_ACCEPTED),
        ("worker.pcr_test", RefusalReason.PCR_TEST),
        ("worker.passport", RefusalReason.PASSPORT),
        ("worker.some_check_added_later", RefusalReason.OTHER),
    ],
)
def test_a_failing_check_suggests_its_refusal_reason_and_any_other_check_suggests_other(code, reason):
    assert refusal_reason_for([Check(code, False, True, line_id=1)]) == reason


def test_a_worker_failing_several_checks_is_refused_for_the_first_one_with_a_reason_of_its_own():
    failures = [Check("worker.unknown", False, True, line_id=1), Check("worker.passport", False, True, line_id=1)]
    assert refusal_reason_for(failures) == RefusalReason.PASSPORT


def test_application_model_is_untouched_by_a_refused_approval(case, officer):
    before = Application.objects.values().get(pk=case.pk)
    with pytest.raises(services.TransitionRefused):
        services.application_approve(application=case, user=officer, overrides={lines_of(case)[1].pk: "too short"})
    assert Application.objects.values().get(pk=case.pk) == before
