"""Every transition of a case: allowed from its source states, refused from every other state,
refused to the wrong person, and what each records."""


import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import services
from applications.models import Application, Decision, RefusalReason, Status, StatusChange, WorkerOutcome
from applications.transitions import TRANSITIONS, Actor
from regions.production_calendar import add_working_days
from regions.rules import Check
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerMemberFactory
from tests.regions.factories import new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_in(employer, moscow_rules, threshold):
    """A Moscow case of `employer` with two workers, in the status asked for."""

    def make(status: str) -> Application:
        application = ApplicationFactory(employer=employer, status=status)
        CaseWorkerFactory.create_batch(2, application=application)
        return application

    return make


def perform(name: str, application: Application, *, employer_user, officer):
    """Runs a transition by name, as the person who may make it, with valid data."""
    actor = employer_user if TRANSITIONS[name].actor == Actor.EMPLOYER else officer
    line_ids = list(application.lines.values_list("pk", flat=True))
    calls = {
        "submit": lambda: services.application_submit(application=application, user=actor),
        "withdraw": lambda: services.application_withdraw(application=application, user=actor, reason="Plans changed"),
        "answer_request": lambda: services.application_answer_request(application=application, user=actor, message="Attached."),
        "take_into_review": lambda: services.application_take_into_review(application=application, user=actor),
        "request_information": lambda: services.application_request_information(
            application=application, user=actor, message="Send the housing contract."
        ),
        "approve": lambda: services.application_approve(application=application, user=actor),
        "approve_partially": lambda: services.application_approve_partially(
            application=application, user=actor, refusals={line_ids[0]: (RefusalReason.PCR_TEST, "Test too old")}
        ),
        "reject": lambda: services.application_reject(application=application, user=actor, reason="Intake closed for the site"),
    }
    return calls[name]()


ALLOWED = [(name, source) for name, t in TRANSITIONS.items() for source in sorted(t.sources)]
REFUSED = [(name, status) for name, t in TRANSITIONS.items() for status in Status.values if status not in t.sources]


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_each_transition_moves_the_case_from_its_source_to_its_target_and_records_it(
    name, source, case_in, employer_user, officer
):
    application = case_in(source)
    result = perform(name, application, employer_user=employer_user, officer=officer)

    application.refresh_from_db()
    assert application.status == TRANSITIONS[name].target == result.status
    assert application.version == 2
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.transition) == (source, application.status, name)
    assert change.actor == (employer_user if TRANSITIONS[name].actor == Actor.EMPLOYER else officer)


@pytest.mark.parametrize(("name", "status"), REFUSED)
def test_each_transition_is_refused_from_every_other_state_and_changes_nothing(name, status, case_in, employer_user, officer):
    application = case_in(status)

    with pytest.raises(services.TransitionRefused) as refused:
        perform(name, application, employer_user=employer_user, officer=officer)

    assert "is not possible while the application is" in refused.value.message
    application.refresh_from_db()
    assert (application.status, application.version) == (status, 1)
    assert not StatusChange.objects.filter(application=application).exists()


@pytest.mark.parametrize("name", [n for n, t in TRANSITIONS.items() if t.actor == Actor.OFFICER])
def test_officer_actions_are_refused_to_an_officer_of_another_region_and_to_the_employer(
    name, case_in, employer_user, officer_spb
):
    application = case_in(sorted(TRANSITIONS[name].sources)[0])
    for intruder in (officer_spb, employer_user):
        with pytest.raises(services.TransitionRefused, match="You may not do this"):
            perform(name, application, employer_user=employer_user, officer=intruder)
    application.refresh_from_db()
    assert application.version == 1


@pytest.mark.parametrize("name", [n for n, t in TRANSITIONS.items() if t.actor == Actor.EMPLOYER])
def test_employer_actions_are_refused_to_another_company_and_to_officers(name, case_in, other_employer_user, officer):
    application = case_in(sorted(TRANSITIONS[name].sources)[0])
    for intruder in (other_employer_user, officer):
        with pytest.raises(services.TransitionRefused, match="You may not do this"):
            perform(name, application, employer_user=intruder, officer=officer)


def test_submitting_stamps_the_date_and_a_deadline_from_the_regions_working_days_to_decide(case_in, employer_user, moscow_rules):
    new_version(moscow_rules, days_to_decide=7)
    application = services.application_submit(application=case_in(Status.DRAFT), user=employer_user)
    assert application.submitted_at is not None
    assert application.deadline == add_working_days(timezone.localdate(), 7)


def test_submitting_is_refused_while_a_blocking_check_fails_and_says_which(case_in, employer_user):
    application = case_in(Status.DRAFT)
    Application.objects.filter(pk=application.pk).update(isolation_days=7)

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_submit(application=application, user=employer_user)

    assert "requires 14 days" in refused.value.message
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_an_unverified_company_cannot_submit(case_in, employer_user, employer):
    employer.verified_at = None
    employer.save()
    with pytest.raises(services.TransitionRefused, match="not verified"):
        services.application_submit(application=case_in(Status.DRAFT), user=employer_user)


def test_a_request_for_information_needs_a_message(case_in, officer):
    application = case_in(Status.IN_REVIEW)
    with pytest.raises(services.TransitionRefused, match="write a message"):
        services.application_request_information(application=application, user=officer, message="   ")


def test_a_rejection_needs_a_reason(case_in, officer):
    with pytest.raises(services.TransitionRefused, match="write a message"):
        services.application_reject(application=case_in(Status.IN_REVIEW), user=officer, reason="")


def test_taking_into_review_assigns_the_case_to_the_officer(case_in, officer):
    application = services.application_take_into_review(application=case_in(Status.SUBMITTED), user=officer)
    assert application.assigned_officer == officer


def test_approving_approves_every_worker_and_keeps_the_rules_and_checks_as_they_stood(case_in, officer, moscow_rules):
    application = services.application_approve(application=case_in(Status.IN_REVIEW), user=officer)

    assert set(application.lines.values_list("outcome", flat=True)) == {WorkerOutcome.APPROVED}
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.rule_set, decision.decided_by) == (Status.APPROVED, moscow_rules, officer)
    # Each check as data, no text: it reads in the reader's language when shown.
    assert set(decision.checks[0]) == {"code", "passed", "blocking", "params", "line_id"}
    assert "guarantee.isolation_days" in {check["code"] for check in decision.checks}
    assert application.decided_at is not None


def test_a_partial_approval_refuses_the_chosen_worker_with_the_reason_and_approves_the_rest(case_in, officer):
    application = case_in(Status.IN_REVIEW)
    refused, approved = application.lines.order_by("pk")
    services.application_approve_partially(
        application=application, user=officer, refusals={refused.pk: (RefusalReason.PASSPORT, "Expires in May")}
    )
    refused.refresh_from_db()
    approved.refresh_from_db()
    assert (refused.outcome, refused.refusal_reason, refused.refusal_note) == (WorkerOutcome.REFUSED, "passport", "Expires in May")
    assert approved.outcome == WorkerOutcome.APPROVED


def test_a_partial_approval_that_refuses_everyone_is_refused(case_in, officer):
    application = case_in(Status.IN_REVIEW)
    everyone = {line.pk: (RefusalReason.OTHER, "") for line in application.lines.all()}
    with pytest.raises(services.TransitionRefused, match="reject the application instead"):
        services.application_approve_partially(application=application, user=officer, refusals=everyone)


def test_a_partial_approval_that_refuses_no_one_is_refused(case_in, officer):
    with pytest.raises(services.TransitionRefused, match="at least one worker"):
        services.application_approve_partially(application=case_in(Status.IN_REVIEW), user=officer, refusals={})


def test_rejecting_refuses_every_worker_and_records_the_reason(case_in, officer):
    application = services.application_reject(application=case_in(Status.IN_REVIEW), user=officer, reason="Site not ready")
    assert set(application.lines.values_list("outcome", flat=True)) == {WorkerOutcome.REFUSED}
    assert application.decision.reason == "Site not ready"


def test_an_answer_sends_the_case_back_to_review_with_the_message_in_the_history(case_in, employer_user):
    application = services.application_answer_request(
        application=case_in(Status.INFO_REQUESTED), user=employer_user, message="Contract attached."
    )
    assert application.status == Status.IN_REVIEW
    assert application.history.get().message == "Contract attached."


def test_a_page_loaded_before_someone_else_acted_is_refused_with_a_clear_message(case_in, officer):
    application = case_in(Status.SUBMITTED)
    services.application_take_into_review(application=application, user=officer, expected_version=1)
    with pytest.raises(services.TransitionRefused, match="changed since you opened it"):
        services.application_approve(application=application, user=officer, expected_version=1)


def test_officer_actions_e_mail_the_companys_members_after_commit(case_in, officer, employer, django_capture_on_commit_callbacks):
    colleague = EmployerMemberFactory(employer=employer).user
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_information(application=case_in(Status.IN_REVIEW), user=officer, message="Send the lease.")
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"clerk@a.example", colleague.email}
    assert "Send the lease." in mail.outbox[0].body


def test_submitting_e_mails_the_regions_officers_but_not_other_regions(
    case_in, employer_user, officer, officer_spb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=case_in(Status.DRAFT), user=employer_user)
    assert [message.to for message in mail.outbox] == [[officer.email]]


def test_no_e_mail_leaves_when_the_transition_is_refused(case_in, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.TransitionRefused):
        services.application_approve(application=case_in(Status.SUBMITTED), user=officer)
    assert mail.outbox == []


def test_an_e_mail_that_fails_to_send_does_not_undo_the_decision(
    case_in, officer, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_send(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("applications.notifications.send_mail", broken_send)
    application = case_in(Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, user=officer)
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_the_status_history_cannot_be_rewritten_or_deleted(case_in, officer):
    application = services.application_take_into_review(application=case_in(Status.SUBMITTED), user=officer)
    change = application.history.get()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk).update(message="rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        change.delete()
    assert StatusChange.objects.get(pk=change.pk).message == ""


def test_a_decision_cannot_be_rewritten(case_in, officer):
    services.application_approve(application=case_in(Status.IN_REVIEW), user=officer)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Decision.objects.update(outcome=Status.REJECTED)


def test_withdrawing_a_draft_e_mails_no_officer_but_withdrawing_a_submitted_case_does(
    case_in, employer_user, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=case_in(Status.DRAFT), user=employer_user)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=case_in(Status.SUBMITTED), user=employer_user)
    assert [message.to for message in mail.outbox] == [[officer.email]]


def test_the_decision_keeps_the_quota_as_it_stood_before_this_case_was_approved(case_in, officer, moscow_rules):
    new_version(moscow_rules, monthly_worker_quota=10)
    application = services.application_approve(application=case_in(Status.IN_REVIEW), user=officer)
    quota = next(check for check in application.decision.checks if check["code"] == "quota.monthly")
    assert quota["passed"] is True
    assert "0 approved" in Check.from_dict(quota).text and "10 places left" in Check.from_dict(quota).text


def test_a_withdrawn_case_has_no_deadline_any_more(case_in, employer_user):
    application = case_in(Status.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate())
    application = services.application_withdraw(application=application, user=employer_user)
    application.refresh_from_db()
    assert application.deadline is None
