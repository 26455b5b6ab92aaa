"""The employer's path through the web pages: registry, draft, rule check, submit, withdraw, answer."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application, Status, Worker
from regions.production_calendar import add_working_days, is_working_day
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import draft_form_data, field_error, text, url
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db


def submit_button(response) -> str:
    match = re.search(r'<button[^>]*id="submit-application"[^>]*>', response.content.decode())
    assert match, "the page has no submit button"
    return match.group(0)


@pytest.fixture
def arrival():
    return timezone.localdate() + dt.timedelta(days=20)


def worker_form_data(**overrides):
    data = {
        "surname_latin": "KARIMOV",
        "given_names_latin": "ALISHER",
        "sex": "M",
        "date_of_birth": "1990-05-17",
        "citizenship": "UZ",
        "passport_number": "FA1234567",
        "passport_expiry": (timezone.localdate() + dt.timedelta(days=3 * 365)).isoformat(),
        "occupation": "Bricklayer",
    }
    return {**data, **overrides}


# The happy path


def test_employer_registers_a_worker_drafts_a_case_adds_the_worker_and_submits_it(
    employer_client, employer, moscow, moscow_rules, threshold, arrival
):
    response = employer_client.post(url("worker-create"), worker_form_data(), follow=True)
    assert "KARIMOV A. is added to your registry." in text(response)
    worker = Worker.objects.get(employer=employer, passport_number="FA1234567")

    # Tests are entered once taken, so this one arrives tomorrow at 12:00 Moscow time.
    arrival = timezone.localdate() + dt.timedelta(days=1)
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival), follow=True)
    application = Application.objects.get(employer=employer)
    assert f"Draft {application.reference} is saved." in text(response)
    assert application.status == Status.DRAFT
    assert application.project_name == "Residential block 4"

    # As printed on a certificate from Tashkent (the usual zone of an Uzbek citizen), 3 hours ago.
    pcr_time = (timezone.now().astimezone(ZoneInfo("Asia/Tashkent")) - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    response = employer_client.post(
        url("application-add-worker", application.pk),
        {"worker": worker.pk, "pcr_test_taken_at": pcr_time.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    page = text(response)
    assert "KARIMOV A. is added to the application." in page
    age = int((dt.datetime.combine(arrival, dt.time(12), tzinfo=ZoneInfo("Europe/Moscow")) - pcr_time).total_seconds()) // 60
    assert f"Passed: KARIMOV A.: the PCR test was taken {age // 60} h {age % 60:02d} min before arrival (at most 72 hours)." in page
    assert "Failed:" not in page
    assert "disabled" not in submit_button(response)

    application.refresh_from_db()
    response = employer_client.post(url("application-submit", application.pk), {"version": application.version, "declaration": "on"}, follow=True)
    page = text(response)
    assert f"Application {application.reference} is submitted to Moscow." in page
    assert "Submitted" in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.deadline == add_working_days(timezone.localdate(), moscow_rules.days_to_decide)
    last_change = application.history.order_by("at", "pk").last()
    assert (last_change.from_status, last_change.to_status, last_change.actor) == (
        Status.DRAFT, Status.SUBMITTED, employer.members.get().user,
    )


def test_a_worker_can_be_removed_from_a_draft(employer_client, draft_with_worker):
    line = draft_with_worker.lines.get()

    response = employer_client.post(url("application-remove-worker", draft_with_worker.pk, line.pk), follow=True)

    assert f"{line.worker.display_name} is removed from the application." in text(response)
    assert not draft_with_worker.lines.exists()


# The rule check


def test_a_blocking_failure_is_listed_and_the_submit_button_is_disabled(employer_client, employer, moscow, moscow_rules, threshold):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__isolation_days=7
    ).application

    response = employer_client.get(url("application-detail", application.pk))

    page = text(response)
    assert "Failed: Isolation of 7 days guaranteed; Moscow requires 14 days." in page
    assert "You cannot submit yet: the application fails these of the region's rules." in page
    assert "disabled" in submit_button(response)


def test_submitting_past_a_blocking_failure_is_refused_and_the_case_stays_a_draft(
    employer_client, employer, moscow, moscow_rules, threshold
):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__isolation_days=7
    ).application

    response = employer_client.post(url("application-submit", application.pk), {"version": application.version, "declaration": "on"}, follow=True)

    assert "The application fails the region's rules: Isolation of 7 days guaranteed; Moscow requires 14 days." in text(response)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not application.history.filter(to_status=Status.SUBMITTED).exists()


def test_a_page_opened_before_the_case_changed_cannot_submit_it(employer_client, draft_with_worker):
    stale_version = draft_with_worker.version - 1 if draft_with_worker.version > 1 else draft_with_worker.version + 1

    response = employer_client.post(url("application-submit", draft_with_worker.pk), {"version": stale_version, "declaration": "on"}, follow=True)

    assert "The application changed since you opened it" in text(response)
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.status == Status.DRAFT


def test_an_unverified_company_is_told_it_can_draft_but_not_submit(employer_client, employer, draft_with_worker):
    employer.verified_at = None
    employer.save()

    home = employer_client.get(url("employer-home"))
    detail = employer_client.get(url("application-detail", draft_with_worker.pk))

    assert "You can prepare drafts, but you can submit them only after" in text(home)
    assert "your company is not verified" in text(detail)
    assert "disabled" in submit_button(detail)


# Validation next to the field


def test_a_draft_without_a_project_name_shows_the_error_next_to_the_field(employer_client, employer, moscow, arrival):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, project_name=""))

    assert response.status_code == 200
    assert field_error(response, "project_name") == "This field is required."
    assert not Application.objects.filter(employer=employer).exists()


def test_an_expired_passport_is_refused_next_to_the_field(employer_client, employer):
    expired = timezone.localdate() - dt.timedelta(days=1)

    response = employer_client.post(url("worker-create"), worker_form_data(passport_expiry=expired.isoformat()))

    assert field_error(response, "passport_expiry").startswith("The passport expired on")
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_worker_under_18_is_refused_next_to_the_date_of_birth(employer_client, employer):
    born = timezone.localdate() - dt.timedelta(days=17 * 365)

    response = employer_client.post(url("worker-create"), worker_form_data(date_of_birth=born.isoformat()))

    assert field_error(response, "date_of_birth") == "The worker must be at least 18 years old."
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_passport_already_in_the_registry_is_refused_next_to_the_passport_number(employer_client, employer):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")

    response = employer_client.post(url("worker-create"), worker_form_data(passport_number="fa 1234567"))

    assert field_error(response, "passport_number") == (
        "A worker with this passport number and citizenship is already in your registry."
    )
    assert Worker.objects.filter(employer=employer).count() == 1


def test_the_same_passport_in_another_company_is_accepted(employer_client, employer, other_employer_user):
    WorkerFactory(employer=other_employer_user.employer_membership.employer, citizenship="UZ", passport_number="FA1234567")

    employer_client.post(url("worker-create"), worker_form_data())

    assert Worker.objects.filter(employer=employer, passport_number="FA1234567").exists()


# Who may see what


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "application-detail"),
        ("get", "application-edit"),
        ("get", "application-submit"),
        ("post", "application-submit"),
        ("get", "application-withdraw"),
        ("post", "application-withdraw"),
        ("get", "application-answer"),
        ("post", "application-answer"),
        ("post", "application-edit"),
        ("post", "application-add-worker"),
        ("get", "application-rule-check"),
        ("post", "application-copy"),
    ],
)
def test_another_company_gets_404_for_a_case_that_is_not_its_own(english, other_employer_user, draft_with_worker, method, name):
    english.force_login(other_employer_user)

    response = getattr(english, method)(url(name, draft_with_worker.pk), {"version": draft_with_worker.version} if method == "post" else None)

    assert response.status_code == 404
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.status == Status.DRAFT
    assert Application.objects.count() == 1


def test_another_company_gets_404_when_removing_a_worker_of_a_case_that_is_not_its_own(english, other_employer_user, draft_with_worker):
    english.force_login(other_employer_user)
    line = draft_with_worker.lines.get()

    assert english.post(url("application-remove-worker", draft_with_worker.pk, line.pk)).status_code == 404
    assert draft_with_worker.lines.filter(pk=line.pk).exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "application-detail"),
        ("get", "application-edit"),
        ("get", "application-rule-check"),
        ("post", "application-copy"),
        ("get", "application-submit"),
        ("post", "application-submit"),
        ("get", "application-answer"),
        ("post", "application-answer"),
        ("get", "application-withdraw"),
    ],
)
def test_an_officer_is_forbidden_on_the_employers_case_pages(english, officer, draft_with_worker, method, name):
    english.force_login(officer)

    assert getattr(english, method)(url(name, draft_with_worker.pk)).status_code == 403


@pytest.mark.parametrize("name", ["employer-home", "worker-list", "worker-create", "application-create"])
def test_an_officer_is_forbidden_on_employer_pages(english, officer, name):
    english.force_login(officer)

    assert english.get(url(name)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(english, draft_with_worker):
    response = english.get(url("application-detail", draft_with_worker.pk))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# Withdraw and answer


def test_withdrawing_asks_for_confirmation_then_withdraws(employer_client, draft_with_worker):
    confirm = employer_client.get(url("application-withdraw", draft_with_worker.pk))

    assert f"Withdraw application {draft_with_worker.reference}?" in text(confirm)
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.status == Status.DRAFT

    response = employer_client.post(
        url("application-withdraw", draft_with_worker.pk),
        {"version": draft_with_worker.version, "reason": "The project is postponed."},
        follow=True,
    )

    assert f"Application {draft_with_worker.reference} is withdrawn." in text(response)
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.status == Status.WITHDRAWN
    last_change = draft_with_worker.history.order_by("at", "pk").last()
    assert (last_change.to_status, last_change.message) == (Status.WITHDRAWN, "The project is postponed.")


@pytest.fixture
def case_with_information_requested(employer, officer, moscow, moscow_rules):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED
    ).application
    application = services.application_take_into_review(application=application, user=officer)
    return services.application_request_information(
        application=application, user=officer, message="Send the scan of the insurance policy."
    )


def test_answering_a_request_puts_the_case_back_in_review_with_the_answer_in_the_history(
    employer_client, case_with_information_requested
):
    application = case_with_information_requested
    detail = employer_client.get(url("application-detail", application.pk))
    assert "Send the scan of the insurance policy." in text(detail)
    assert url("application-answer", application.pk) in detail.content.decode()

    response = employer_client.post(
        url("application-answer", application.pk),
        {"version": application.version, "message": "The scan is attached; policy INGO-123456."},
        follow=True,
    )

    page = text(response)
    assert "Your answer is sent; the application is back in review." in page
    assert "The scan is attached; policy INGO-123456." in page
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    last_change = application.history.order_by("at", "pk").last()
    assert (last_change.from_status, last_change.to_status, last_change.message) == (
        Status.INFO_REQUESTED, Status.IN_REVIEW, "The scan is attached; policy INGO-123456.",
    )


def test_an_empty_answer_is_refused_next_to_the_message(employer_client, case_with_information_requested):
    application = case_with_information_requested

    response = employer_client.post(url("application-answer", application.pk), {"version": application.version, "message": ""})

    assert field_error(response, "message") == "This field is required."
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


# Query counts


def _queries_to_render(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_case_list_costs_the_same_number_of_queries_with_1_and_20_cases(employer_client, employer, moscow):
    CaseWorkerFactory(application__employer=employer)
    with_one = _queries_to_render(employer_client, url("employer-home"))

    for _ in range(19):
        CaseWorkerFactory(application__employer=employer)
    with_twenty = _queries_to_render(employer_client, url("employer-home"))

    assert with_one == with_twenty


def test_the_worker_registry_costs_the_same_number_of_queries_with_1_and_20_workers(employer_client, employer):
    WorkerFactory(employer=employer)
    with_one = _queries_to_render(employer_client, url("worker-list"))

    WorkerFactory.create_batch(19, employer=employer)
    with_twenty = _queries_to_render(employer_client, url("worker-list"))

    assert with_one == with_twenty


def test_the_case_list_shows_newest_first_with_status_and_worker_count(employer_client, employer, moscow):
    older = ApplicationFactory(employer=employer, created_at=timezone.now() - dt.timedelta(days=5))
    newer = CaseWorkerFactory(application__employer=employer).application
    ApplicationFactory(reference="T-NOT-MINE")

    page = text(employer_client.get(url("employer-home")))
    # The list below "What needs your action" (which names the drafts too).
    listing = page.split("applications found")[1]

    assert listing.index(newer.reference) < listing.index(older.reference)
    assert "T-NOT-MINE" not in page
    assert "Draft" in page



def test_the_case_page_renders_in_russian_by_default(client, employer_user, draft_with_worker):
    client.force_login(employer_user)

    response = client.get(url("application-detail", draft_with_worker.pk))

    assert response.status_code == 200
    assert draft_with_worker.reference in text(response)
    assert 'lang="ru"' in response.content.decode()


# The filing form


def test_the_filing_form_groups_its_fields_in_three_sections_with_plain_help(employer_client):
    response = employer_client.get(url("application-create"))

    page = response.content.decode()
    legends = re.findall(r"<legend>\s*(.*?)\s*</legend>", page)
    assert [html.unescape(legend) for legend in legends] == ["The work", "Arrival", "Guarantees at the employer's expense"]
    assert page.index('name="project_name"') < page.index("<legend>Arrival") < page.index('name="planned_arrival_date"')
    assert page.index("<legend>Guarantees") < page.index('name="isolation_days"')
    assert "The day the workers cross the border. Passports are checked against this day." in text(response)
    assert "PCR tests are checked against this moment." in text(response)


def test_the_region_list_shows_the_number_and_the_russian_name(client, employer_user):
    client.force_login(employer_user)

    response = client.get(url("application-create"))

    assert re.search(r'<option value="\d+">77 — Москва</option>', response.content.decode())


@pytest.mark.parametrize("days_from_today", [0, -1, -400])
def test_an_arrival_date_not_in_the_future_is_refused_next_to_the_field(employer_client, employer, moscow, days_from_today):
    arrival = timezone.localdate() + dt.timedelta(days=days_from_today)

    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival))

    assert field_error(response, "planned_arrival_date") == "The planned arrival must be a day in the future."
    assert not Application.objects.filter(employer=employer).exists()


@pytest.mark.parametrize(
    ("days", "message"),
    [("61", "Ensure this value is less than or equal to 60."), ("-1", "Ensure this value is greater than or equal to 0."),
     ("two weeks", "Enter a whole number.")],
)
def test_isolation_days_outside_0_to_60_are_refused_next_to_the_field(employer_client, employer, moscow, arrival, days, message):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, isolation_days=days))

    assert field_error(response, "isolation_days") == message
    assert not Application.objects.filter(employer=employer).exists()


def test_a_draft_is_saved_with_only_the_region_the_project_the_arrival_and_the_crossing(employer_client, employer, moscow, arrival):
    response = employer_client.post(
        url("application-create"),
        {
            "region": moscow.pk, "kind": "new", "project_name": "Warehouse", "planned_arrival_date": arrival.isoformat(),
            "planned_arrival_time": "12:00", "checkpoint": checkpoint("VKO").pk, "isolation_days": "14",
        },
        follow=True,
    )

    application = Application.objects.get(employer=employer)
    assert f"Draft {application.reference} is saved." in text(response)
    assert (application.project_name, application.insurance_policy, application.transport_to_isolation) == ("Warehouse", "", False)


def test_an_invalid_edit_keeps_the_stored_values_and_the_rule_check_beside_the_form(employer_client, draft_with_worker):
    response = employer_client.post(
        url("application-edit", draft_with_worker.pk),
        draft_form_data(draft_with_worker.region, draft_with_worker.planned_arrival_date, project_name=""),
    )

    assert field_error(response, "project_name") == "This field is required."
    assert 'id="rule-check-panel"' in response.content.decode()
    assert "Passed: KARIMOV" in text(response)
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.project_name == "Residential block 4"


# Follow-up on the case page


def test_a_case_in_review_shows_the_working_days_left_until_the_decision(employer_client, employer):
    application = ApplicationFactory(
        employer=employer, status=Status.IN_REVIEW, deadline=add_working_days(timezone.localdate(), 1)
    )

    page = text(employer_client.get(url("application-detail", application.pk)))

    assert "Decision due by: " in page
    assert "— 1 working day left" in page


def test_an_overdue_case_says_so_in_words(employer_client, employer):
    # Three working days back: three working days lost, today included when it is one.
    today = timezone.localdate()
    application = ApplicationFactory(employer=employer, status=Status.SUBMITTED, deadline=add_working_days(today, -3))

    page = text(employer_client.get(url("application-detail", application.pk)))
    assert ("Overdue by 3 working days" if is_working_day(today) else "Overdue by 2 working days") in page


def test_a_partly_approved_case_shows_each_workers_outcome_the_letter_and_the_arrival_report(employer_client, employer, officer, moscow, moscow_rules, threshold):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED,
        worker__surname_latin="ALIYEV",
    ).application
    refused = CaseWorkerFactory(application=application, worker__surname_latin="BOBOYEV")
    application = services.application_take_into_review(application=application, user=officer)
    services.application_approve_partially(
        application=application, user=officer, refusals={refused.pk: ("pcr_test", "The test is from 2020.")}
    )

    response = employer_client.get(url("application-detail", application.pk))

    page = text(response)
    assert "ALIYEV A. 05/17/1990 Uzbekistan" in page  # name, date of birth, citizenship, as decided
    assert "Refused Reason: PCR test missing or too old The test is from 2020." in page
    assert url("decision-letter", application.pk) in response.content.decode()
    assert url("arrival-report", application.pk) in response.content.decode()
    assert "Attach the document" not in page  # a decided case takes no more documents


def test_the_case_page_shows_the_history_with_the_officers_request_and_the_documents_asked_for(
    employer_client, employer, officer, moscow, moscow_rules
):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED
    ).application
    application = services.application_take_into_review(application=application, user=officer)
    services.application_request_information(
        application=application, user=officer, message="Send the guarantee letter.",
        reply_due=dt.date(2031, 3, 15), requested_documents=["guarantee_letter", "passport_copy"],
    )

    response = employer_client.get(url("application-detail", application.pk))

    history = text(response).split("History", 1)[1]
    assert "In review → Information requested" in history
    assert "Send the guarantee letter. Documents asked for: Guarantee letter Passport copy Reply due by 03/15/2031" in history
    assert "Attach the document" in text(response)


def test_the_case_page_costs_the_same_number_of_queries_with_1_and_10_history_rows_with_documents(
    employer_client, employer, employer_user, moscow, moscow_rules
):
    from tests.applications.factories import DocumentFactory, StatusChangeFactory

    application = CaseWorkerFactory(application__employer=employer, application__status=Status.IN_REVIEW).application
    change = StatusChangeFactory(application=application, from_status=Status.INFO_REQUESTED, to_status=Status.IN_REVIEW,
                                 transition="answer_request", actor=employer_user)
    DocumentFactory(application=application, status_change=change, uploaded_by=employer_user)
    with_one = _queries_to_render(employer_client, url("application-detail", application.pk))

    for _ in range(9):
        change = StatusChangeFactory(application=application, from_status=Status.INFO_REQUESTED, to_status=Status.IN_REVIEW,
                                     transition="answer_request", actor=employer_user)
        DocumentFactory.create_batch(2, application=application, status_change=change, uploaded_by=employer_user)
    with_ten = _queries_to_render(employer_client, url("application-detail", application.pk))

    assert with_one == with_ten
