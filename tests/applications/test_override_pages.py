"""What the officer and the employer see of a blocking failure at approval: the approve button says
which workers fail and points to the partial form or the override; the partial form pre-selects
their refusal with the matching reason; a justification too short is refused next to its field;
an approval against a failing check shows on both case pages, in both histories, and on the
statistics page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Decision, DecisionOverride, RefusalReason, Status, WorkerOutcome
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.regions.factories import RuleSetFactory, new_version

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The lab confirmed a negative retest on the 10th."


def case_url(name, application):
    return reverse(f"applications:{name}", kwargs={"pk": application.pk})


@pytest.fixture
def case(employer, officer, moscow_rules, threshold):
    """A Moscow case in review: AZIMOV passes, STALETEST's PCR test is five days old, FOREIGN is
    a citizen of a country Moscow refuses."""
    new_version(moscow_rules, citizenship_policy="all_except_listed", citizenships=["AF"])
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    for surname, citizenship, days in (("AZIMOV", "UZ", 1), ("STALETEST", "UZ", 5), ("FOREIGN", "AF", 1)):
        CaseWorkerFactory(
            application=application,
            worker=WorkerFactory(employer=employer, surname_latin=surname, citizenship=citizenship),
            pcr_test_taken_at=timezone.make_aware(
                dt.datetime.combine(application.planned_arrival_date - dt.timedelta(days=days), dt.time(10))
            ),
        )
    return application


def line(application, surname):
    return application.lines.get(worker__surname_latin=surname)


def checked_radio(page, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="(\w+)"[^>]*checked|<input[^>]*checked[^>]*name="{name}"[^>]*value="(\w+)"', page)
    return match and (match.group(1) or match.group(2))


def selected_option(page, name):
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    match = re.search(r'<option value="(\w*)" selected>', select)
    return match and match.group(1)


# Before the decision


def test_the_approve_all_card_names_the_failing_workers_and_points_to_the_partial_form_and_the_override(officer_client, case):
    page = officer_client.get(case_url("review-detail", case)).content.decode()

    notice = re.search(r'<div[^>]*id="approve-failing-workers".*?</div>', page, re.S).group(0)
    assert "STALETEST A." in notice and "FOREIGN A." in notice and "AZIMOV" not in notice
    assert "The PCR test of STALETEST A. was taken" in notice
    assert 'href="#partial-heading"' in notice
    assert f'name="line_{line(case, "STALETEST").pk}_override"' in page
    assert f'name="line_{line(case, "AZIMOV").pk}_override"' not in page


def test_the_partial_form_pre_selects_refusal_with_the_matching_reason_for_each_failing_worker(officer_client, case):
    page = officer_client.get(case_url("review-detail", case)).content.decode()
    form = page[page.index('id="form-review-approve-partially"'):]

    for surname, decision, reason in (
        ("AZIMOV", "approve", None),
        ("STALETEST", "refuse", RefusalReason.PCR_TEST),
        ("FOREIGN", "refuse", RefusalReason.CITIZENSHIP_NOT_ACCEPTED),
    ):
        pk = line(case, surname).pk
        assert checked_radio(form, f"line_{pk}_decision") == decision, surname
        assert selected_option(form, f"line_{pk}_reason") == (reason or ""), surname
    assert f'name="line_{line(case, "STALETEST").pk}_justification"' in form
    assert f'name="line_{line(case, "AZIMOV").pk}_justification"' not in form


def test_approving_all_without_an_override_shows_the_error_next_to_each_failing_worker(officer_client, case):
    response = officer_client.post(case_url("review-approve", case), {"version": case.version, "rule_check_confirmed": "on"})

    assert response.status_code == 200
    errors = response.context["forms"]["approve"].errors
    assert set(errors) == {f"line_{line(case, 'STALETEST').pk}_override", f"line_{line(case, 'FOREIGN').pk}_override"}
    assert "STALETEST A. fails a blocking check" in errors[f"line_{line(case, 'STALETEST').pk}_override"][0]
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_a_too_short_justification_is_refused_with_a_message_next_to_the_field(officer_client, case):
    stale, foreign = line(case, "STALETEST"), line(case, "FOREIGN")

    response = officer_client.post(
        case_url("review-approve", case),
        {
            "version": case.version, "rule_check_confirmed": "on",
            f"line_{stale.pk}_override": "on", f"line_{stale.pk}_justification": "Fine by me",
            f"line_{foreign.pk}_override": "on", f"line_{foreign.pk}_justification": JUSTIFICATION,
        },
    )

    assert response.status_code == 200
    errors = response.context["forms"]["approve"].errors
    assert list(errors) == [f"line_{stale.pk}_justification"]
    assert "at least 20 characters and two words" in errors[f"line_{stale.pk}_justification"][0]
    assert f'id="error_1_id_review-approve_line_{stale.pk}_justification"' in response.content.decode()
    assert not Decision.objects.filter(application=case).exists()


def test_approving_all_with_overrides_for_every_failing_worker_approves_and_keeps_them(officer_client, case):
    stale, foreign = line(case, "STALETEST"), line(case, "FOREIGN")

    response = officer_client.post(
        case_url("review-approve", case),
        {
            "version": case.version, "rule_check_confirmed": "on",
            f"line_{stale.pk}_override": "on", f"line_{stale.pk}_justification": JUSTIFICATION,
            f"line_{foreign.pk}_override": "on", f"line_{foreign.pk}_justification": "Holds a residence permit of Russia.",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert set(DecisionOverride.objects.values_list("worker_name", flat=True)) == {"STALETEST A.", "FOREIGN A."}


def test_refusing_one_failing_worker_and_overriding_the_other_in_the_partial_form(officer_client, case):
    passing, stale, foreign = line(case, "AZIMOV"), line(case, "STALETEST"), line(case, "FOREIGN")

    response = officer_client.post(
        case_url("review-approve-partially", case),
        {
            "version": case.version,
            f"line_{passing.pk}_decision": "approve",
            f"line_{stale.pk}_decision": "refuse", f"line_{stale.pk}_reason": RefusalReason.PCR_TEST,
            f"line_{foreign.pk}_decision": "approve",
            f"line_{foreign.pk}_override": "on", f"line_{foreign.pk}_justification": "Holds a residence permit of Russia.",
        },
    )

    assert response.status_code == 302
    foreign.refresh_from_db()
    stale.refresh_from_db()
    assert (foreign.outcome, stale.outcome) == (WorkerOutcome.APPROVED, WorkerOutcome.REFUSED)
    assert list(DecisionOverride.objects.values_list("line", flat=True)) == [foreign.pk]


def test_the_partial_form_refuses_a_failing_worker_left_approved_without_an_override(officer_client, case):
    passing, stale, foreign = line(case, "AZIMOV"), line(case, "STALETEST"), line(case, "FOREIGN")

    response = officer_client.post(
        case_url("review-approve-partially", case),
        {
            "version": case.version,
            f"line_{passing.pk}_decision": "approve",
            f"line_{stale.pk}_decision": "refuse", f"line_{stale.pk}_reason": RefusalReason.PCR_TEST,
            f"line_{foreign.pk}_decision": "approve",
        },
    )

    assert response.status_code == 200
    assert list(response.context["forms"]["approve_partially"].errors) == [f"line_{foreign.pk}_override"]
    assert f'id="error_1_id_review-approve-partially_line_{foreign.pk}_override"' in response.content.decode()


@pytest.fixture
def suspended_case(employer, officer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    CaseWorkerFactory.create_batch(2, application=application)
    RuleSetFactory(region=moscow_rules.region, effective_from=timezone.localdate(), intake_open=False)
    return application


def test_a_failure_of_the_whole_case_is_shown_with_the_case_override_and_blocks_without_it(officer_client, suspended_case):
    page = officer_client.get(case_url("review-detail", suspended_case)).content.decode()
    assert 'name="case_override"' in page

    response = officer_client.post(
        case_url("review-approve", suspended_case), {"version": suspended_case.version, "rule_check_confirmed": "on"}
    )

    assert response.status_code == 200
    assert list(response.context["forms"]["approve"].errors) == ["case_override"]
    assert "suspended the intake" in response.context["forms"]["approve"].errors["case_override"][0]


def test_a_case_override_with_a_justification_approves_the_case(officer_client, suspended_case):
    response = officer_client.post(
        case_url("review-approve", suspended_case),
        {"version": suspended_case.version, "rule_check_confirmed": "on", "case_override": "on", "case_justification": JUSTIFICATION},
    )

    assert response.status_code == 302
    suspended_case.refresh_from_db()
    assert suspended_case.status == Status.APPROVED
    assert DecisionOverride.objects.get().line is None


# After the decision


@pytest.fixture
def overridden(case, officer):
    stale, foreign = line(case, "STALETEST"), line(case, "FOREIGN")
    return services.application_approve(
        application=case, user=officer,
        overrides={stale.pk: JUSTIFICATION, foreign.pk: "Holds a <b>residence</b> permit of Russia."},
    )


def test_the_officers_case_page_shows_each_override_with_its_check_and_justification(officer_client, overridden):
    page = officer_client.get(case_url("review-detail", overridden)).content.decode()

    section = re.search(r'<section[^>]*id="decision-overrides".*?</section>', page, re.S).group(0)
    assert "Approved against a failing check" in section
    assert "STALETEST A." in section and JUSTIFICATION in section
    assert "The PCR test of STALETEST A. was taken" in section
    assert "&lt;b&gt;residence&lt;/b&gt;" in section


def test_the_officers_history_shows_the_override_on_the_approval(officer_client, overridden):
    page = officer_client.get(case_url("review-detail", overridden)).content.decode()

    history = page[page.index('id="history-heading"'):]
    assert "Approved against a failing check" in history
    assert "STALETEST A.: " + JUSTIFICATION in history


def test_the_employers_case_page_and_history_show_the_approval_against_a_failing_check(client, employer_user, overridden):
    client.force_login(employer_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("applications:application-detail", kwargs={"pk": overridden.pk})).content.decode()

    decision = page[page.index('id="decision-heading"'):page.index('id="details-heading"')]
    assert "approved against a failing check" in decision
    assert "STALETEST A." in decision and JUSTIFICATION in decision
    history = page[page.index('id="history-heading"'):]
    assert "STALETEST A.: " + JUSTIFICATION in history


def test_a_decision_without_override_shows_none(officer_client, employer, officer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=application)
    services.application_approve(application=application, user=officer)

    page = officer_client.get(case_url("review-detail", application)).content.decode()

    assert 'id="decision-overrides"' not in page
    assert "Approved against a failing check" not in page


def test_the_statistics_page_counts_approvals_against_a_failing_check(officer_client, overridden, suspended_case, officer):
    services.application_approve(application=suspended_case, user=officer, case_override=JUSTIFICATION)

    response = officer_client.get(reverse("applications:review-statistics"))

    statistics = response.context["statistics"]
    assert (statistics.overridden_cases, statistics.overridden_workers) == (2, 2)
    page = response.content.decode()
    assert re.search(r'id="figure-overridden">\s*2 cases, 2 workers', page)


def test_the_admin_shows_the_overrides_on_the_decision_read_only(client, admin_user, overridden):
    client.force_login(admin_user)
    decision = Decision.objects.get(application=overridden)

    # The failing check reads in the admin's language (English here), not the officer's of the day.
    page = client.get(reverse("admin:applications_decision_change", args=[decision.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert JUSTIFICATION in page
    assert "The PCR test of STALETEST A. was taken" in page
    assert 'name="overrides-0-justification"' not in page  # shown, never a form field


def test_an_override_ticked_beside_a_refusal_is_pointed_out_rather_than_ignored(officer_client, case):
    passing, stale, foreign = line(case, "AZIMOV"), line(case, "STALETEST"), line(case, "FOREIGN")

    response = officer_client.post(
        case_url("review-approve-partially", case),
        {
            "version": case.version,
            f"line_{passing.pk}_decision": "approve",
            f"line_{stale.pk}_decision": "refuse", f"line_{stale.pk}_reason": RefusalReason.PCR_TEST,
            f"line_{stale.pk}_override": "on", f"line_{stale.pk}_justification": JUSTIFICATION,
            f"line_{foreign.pk}_decision": "refuse", f"line_{foreign.pk}_reason": RefusalReason.CITIZENSHIP_NOT_ACCEPTED,
        },
    )

    assert response.status_code == 200
    errors = response.context["forms"]["approve_partially"].errors
    assert list(errors) == [f"line_{stale.pk}_override"]
    assert "choose “Approve” for them" in errors[f"line_{stale.pk}_override"][0]
    assert not Decision.objects.filter(application=case).exists()
