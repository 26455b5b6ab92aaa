"""The regional officer's pages: the queue of their region and the case page with its actions."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.models import Application, CaseWorker, Decision, RefusalReason, Status, StatusChange
from regions.production_calendar import add_working_days, is_working_day
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

ACTION_URLS = ["review-take", "review-request-information", "review-approve", "review-approve-partially", "review-reject"]


def url(name, application=None, **query):
    path = reverse(f"applications:{name}", kwargs={"pk": application.pk} if application else None)
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def a_case(*, employer, status=Status.SUBMITTED, workers=1, **fields):
    """A Moscow case with `workers` lines, each passing Moscow's default rules."""
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for _ in range(workers):
        CaseWorkerFactory(application=application)
    return application


@pytest.fixture
def submitted(employer, moscow_rules, threshold):
    return a_case(employer=employer, workers=2, reference="2021-000101")


@pytest.fixture
def in_review(employer, officer, moscow_rules, threshold):
    return a_case(employer=employer, status=Status.IN_REVIEW, workers=2, assigned_officer=officer, reference="2021-000102")


def reloaded(application):
    return Application.objects.get(pk=application.pk)


# Who sees what


def test_queue_shows_the_submitted_cases_of_the_officers_region_but_no_drafts_and_no_other_region(
    officer_client, employer, spb, moscow_rules
):
    a_case(employer=employer, reference="2021-000001")
    a_case(employer=employer, status=Status.DRAFT, reference="2021-000002")
    a_case(employer=employer, region=spb, reference="2021-000003")

    response = officer_client.get(url("review-queue"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2021-000001" in page
    assert "2021-000002" not in page
    assert "2021-000003" not in page


def test_queue_shows_the_working_days_left_and_marks_an_overdue_case_in_words(officer_client, employer, moscow_rules):
    today = timezone.localdate()
    a_case(employer=employer, deadline=add_working_days(today, 4))
    a_case(employer=employer, deadline=add_working_days(today, -2))

    page = officer_client.get(url("review-queue")).content.decode()

    assert "4 working days left" in page
    assert "Overdue by 2 working days" in page or (
        not is_working_day(today) and "Overdue by 1 working day" in page  # today itself is no working day lost
    )


def test_officer_of_another_region_cannot_open_a_moscow_case(client, officer_spb, submitted):
    client.force_login(officer_spb)

    assert client.get(url("review-detail", submitted)).status_code == 404


@pytest.mark.parametrize("action", ACTION_URLS)
def test_officer_of_another_region_cannot_act_on_a_moscow_case(client, officer_spb, submitted, action):
    client.force_login(officer_spb)

    response = client.post(url(action, submitted), {"version": submitted.version, "message": "x", "reason": "x"})

    assert response.status_code == 404
    assert reloaded(submitted).status == Status.SUBMITTED


def test_employer_is_forbidden_the_review_pages(client, employer_user, submitted):
    client.force_login(employer_user)

    assert client.get(url("review-queue")).status_code == 403
    assert client.get(url("review-detail", submitted)).status_code == 403
    assert client.post(url("review-take", submitted), {"version": submitted.version}).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login_page(client, submitted):
    response = client.get(url("review-queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.post(url("review-take", submitted)).url.startswith(reverse("accounts:login"))


# The queue


def test_filtering_by_status_narrows_the_queue(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000011")
    a_case(employer=employer, status=Status.IN_REVIEW, reference="2021-000012")
    a_case(employer=employer, status=Status.REJECTED, reference="2021-000013")

    page = officer_client.get(url("review-queue", status=["in_review", "rejected"])).content.decode()

    assert "2021-000011" not in page
    assert "2021-000012" in page
    assert "2021-000013" in page


def test_filtering_by_reference_narrows_the_queue(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000021")
    a_case(employer=employer, reference="2021-000555")

    page = officer_client.get(url("review-queue", reference="555")).content.decode()

    assert "2021-000555" in page
    assert "2021-000021" not in page


def test_filtering_by_employer_matches_a_part_of_the_name_or_the_whole_inn(officer_client, moscow_rules):
    builder = EmployerFactory(name="ООО Северный Мост")
    a_case(employer=builder, reference="2021-000031")
    a_case(employer=EmployerFactory(name="АО Южный Путь"), reference="2021-000032")

    by_name = officer_client.get(url("review-queue", employer="северный")).content.decode()
    by_inn = officer_client.get(url("review-queue", employer=builder.inn)).content.decode()
    by_part_of_inn = officer_client.get(url("review-queue", employer=builder.inn[:5])).content.decode()

    assert "2021-000031" in by_name and "2021-000032" not in by_name
    assert "2021-000031" in by_inn and "2021-000032" not in by_inn
    assert "2021-000031" not in by_part_of_inn


def test_queue_sorts_by_reference_and_page_links_keep_the_filters(officer_client, employer, moscow_rules):
    for number in range(30):
        a_case(employer=employer, reference=f"2021-{number:06d}")

    page = officer_client.get(url("review-queue", o="-reference", kind="new")).content.decode()

    assert page.index("2021-000029") < page.index("2021-000028")
    assert "2021-000000" not in page  # on page 2
    assert "?o=-reference&amp;kind=new&amp;page=2" in page


def test_a_page_number_past_the_end_shows_the_last_page(officer_client, employer, moscow_rules):
    a_case(employer=employer, reference="2021-000041")

    response = officer_client.get(url("review-queue", page=99))

    assert response.status_code == 200
    assert "2021-000041" in response.content.decode()


def test_queue_runs_the_same_number_of_queries_for_1_and_for_30_cases(
    officer_client, employer, officer, moscow_rules, django_assert_num_queries
):
    a_case(employer=employer, assigned_officer=officer)
    with CaptureQueriesContext(connection) as one_case:
        assert officer_client.get(url("review-queue")).status_code == 200

    for _ in range(29):
        a_case(employer=EmployerFactory(), workers=2, assigned_officer=officer)
    cache.clear()  # the tab counts are kept a little: count them again, as the first request did
    with django_assert_num_queries(len(one_case)):
        response = officer_client.get(url("review-queue"))
    assert response.content.decode().count('href="/review/applications/') == 25


# The case page


def test_case_page_shows_company_workers_rule_version_and_history(officer_client, submitted, moscow_rules):
    line = submitted.lines.select_related("worker").first()

    page = officer_client.get(url("review-detail", submitted)).content.decode()

    assert submitted.employer.inn in page
    assert submitted.employer.ogrn in page
    assert line.worker.display_name in page
    assert line.worker.passport_number in page
    assert "Uzbekistan" in page
    with translation.override("en"):
        assert f"Rules of Moscow in force from {date_format(moscow_rules.effective_from, 'SHORT_DATE_FORMAT')}" in page
    assert "Take into review" in page
    assert "Approve all workers" not in page  # only once the case is in review


# Actions


def test_taking_a_case_into_review_assigns_it_to_the_officer(officer_client, officer, submitted):
    response = officer_client.post(url("review-take", submitted), {"version": submitted.version})

    assert response.status_code == 302
    assert response.url == url("review-detail", submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    assert submitted.assigned_officer == officer
    assert StatusChange.objects.filter(application=submitted, transition="take_into_review", actor=officer).exists()
    page = officer_client.get(response.url).content.decode()
    assert "is in review and assigned to you" in page
    assert str(officer) in page


def test_requesting_information_without_a_message_shows_the_error_at_the_field_and_changes_nothing(
    officer_client, in_review
):
    response = officer_client.post(url("review-request-information", in_review), {"version": in_review.version, "message": " "})

    assert response.status_code == 200
    form = response.context["forms"]["request_information"]
    assert form.errors["message"] == ["This field is required."]
    assert 'id="error_1_id_review-request-information_message"' in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW
    assert not StatusChange.objects.filter(application=in_review).exists()


def test_requesting_information_e_mails_the_employer(
    officer_client, in_review, employer_user, django_capture_on_commit_callbacks
):
    due = add_working_days(timezone.localdate(), 5)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            url("review-request-information", in_review),
            {"version": in_review.version, "message": "Send the isolation lease.", "answer_days": 5},
        )

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.INFO_REQUESTED
    change = StatusChange.objects.get(application=in_review, transition="request_information")
    assert (change.message, change.reply_due) == ("Send the isolation lease.", due)
    assert [message.to for message in mail.outbox] == [[employer_user.email]]
    assert "Send the isolation lease." in mail.outbox[0].body
    assert any("request for information" in text for text in messages_of(response))


def test_approving_needs_the_rule_check_confirmed(officer_client, in_review):
    response = officer_client.post(url("review-approve", in_review), {"version": in_review.version})

    assert response.status_code == 200
    assert "Confirm that you have checked the rule check" in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_approving_all_approves_every_worker_and_records_the_rule_version(officer_client, officer, in_review, moscow_rules):
    response = officer_client.post(
        url("review-approve", in_review), {"version": in_review.version, "rule_check_confirmed": "on"}
    )

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.APPROVED
    assert set(in_review.lines.values_list("outcome", flat=True)) == {"approved"}
    decision = Decision.objects.get(application=in_review)
    assert (decision.outcome, decision.rule_set, decision.decided_by) == (Status.APPROVED, moscow_rules, officer)
    assert decision.checks
    page = officer_client.get(response.url).content.decode()
    assert "approved for every worker" in page
    assert "No action is open to you" in page


def test_approving_some_refuses_the_chosen_worker_with_its_reason(officer_client, in_review):
    refused, approved = in_review.lines.order_by("pk")
    response = officer_client.post(
        url("review-approve-partially", in_review),
        {
            "version": in_review.version,
            f"line_{refused.pk}_decision": "refuse",
            f"line_{refused.pk}_reason": RefusalReason.PCR_TEST,
            f"line_{refused.pk}_note": "Test result unreadable",
            f"line_{approved.pk}_decision": "approve",
        },
    )

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.PARTIALLY_APPROVED
    refused.refresh_from_db()
    approved.refresh_from_db()
    assert (refused.outcome, refused.refusal_reason, refused.refusal_note) == ("refused", "pcr_test", "Test result unreadable")
    assert approved.outcome == "approved"
    page = officer_client.get(response.url).content.decode()
    assert "PCR test missing or too old: Test result unreadable" in page


def test_refusing_a_worker_without_a_reason_shows_the_error_at_that_worker(officer_client, in_review):
    refused, approved = in_review.lines.order_by("pk")
    response = officer_client.post(
        url("review-approve-partially", in_review),
        {"version": in_review.version, f"line_{refused.pk}_decision": "refuse", f"line_{approved.pk}_decision": "approve"},
    )

    assert response.status_code == 200
    assert response.context["forms"]["approve_partially"].errors == {f"line_{refused.pk}_reason": ["Choose why this worker is refused."]}
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_rejecting_without_a_reason_shows_an_error_and_changes_nothing(officer_client, in_review):
    response = officer_client.post(url("review-reject", in_review), {"version": in_review.version, "reason": ""})

    assert response.status_code == 200
    assert response.context["forms"]["reject"].errors["reason"] == ["This field is required."]
    assert reloaded(in_review).status == Status.IN_REVIEW
    assert not Decision.objects.filter(application=in_review).exists()


def test_rejecting_with_a_reason_rejects_the_case_and_keeps_the_reason(
    officer_client, in_review, employer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            url("review-reject", in_review), {"version": in_review.version, "reason": "The isolation site is not approved."}
        )

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.REJECTED
    assert Decision.objects.get(application=in_review).reason == "The isolation site is not approved."
    assert set(in_review.lines.values_list("outcome", flat=True)) == {"refused"}
    assert mail.outbox[0].to == [employer_user.email]
    assert "The isolation site is not approved." in officer_client.get(response.url).content.decode()


def test_acting_on_a_stale_page_is_refused_and_changes_nothing(officer_client, in_review):
    stale_version = in_review.version
    Application.objects.filter(pk=in_review.pk).update(version=stale_version + 1)  # another officer acted meanwhile

    response = officer_client.post(
        url("review-approve", in_review), {"version": stale_version, "rule_check_confirmed": "on"}, follow=True
    )

    assert "changed since you opened it" in response.content.decode()
    assert reloaded(in_review).status == Status.IN_REVIEW
    assert not CaseWorker.objects.filter(application=in_review).exclude(outcome="pending").exists()


def test_approving_beyond_the_monthly_quota_is_refused_with_the_numbers(officer_client, employer, in_review, moscow_rules):
    # A newer version of Moscow's rules, in force on the arrival date, caps the month at 3 workers.
    RuleSetFactory(region=moscow_rules.region, effective_from=timezone.localdate(), monthly_worker_quota=3)
    other = a_case(employer=employer, status=Status.APPROVED, workers=2, planned_arrival_date=in_review.planned_arrival_date)
    other.lines.update(outcome="approved")

    response = officer_client.post(
        url("review-approve", in_review), {"version": in_review.version, "rule_check_confirmed": "on"}, follow=True
    )

    page = response.content.decode()
    month = in_review.planned_arrival_date.strftime("%m.%Y")
    assert f"Approving 2 workers would exceed the monthly quota of 3 for {month}: 2 approved already, places left: 1." in page
    assert reloaded(in_review).status == Status.IN_REVIEW


def test_an_action_no_longer_open_is_refused_with_a_message(officer_client, submitted):
    response = officer_client.post(url("review-reject", submitted), {"version": submitted.version, "reason": ""}, follow=True)

    assert "is not possible while the application is “Submitted”" in response.content.decode()
    assert reloaded(submitted).status == Status.SUBMITTED


def test_case_page_warns_before_approving_a_case_that_fails_a_blocking_rule(officer_client, employer, officer, moscow_rules, threshold):
    case = a_case(employer=employer, status=Status.IN_REVIEW, assigned_officer=officer)
    line = case.lines.get()
    line.pcr_test_taken_at = line.pcr_test_taken_at - dt.timedelta(days=5)
    line.save()

    page = officer_client.get(url("review-detail", case)).content.decode()

    assert "The rule check shows 1 blocking failure" in page
    assert f"The PCR test of {line.worker.display_name} was taken" in page
    assert "Approve some workers" not in page  # one worker: approve or reject


def test_decided_case_shows_the_decision_with_its_rule_version_and_no_actions(officer_client, in_review, moscow_rules):
    officer_client.post(url("review-reject", in_review), {"version": in_review.version, "reason": "Housing not approved."})

    response = officer_client.get(url("review-detail", in_review))

    page = response.content.decode()
    assert "Decision" in page and "Rule version applied" in page
    assert "Housing not approved." in page
    assert response.context["decision"].rule_set == moscow_rules
    assert response.context["forms"] == {}
