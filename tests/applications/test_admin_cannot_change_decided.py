"""Django admin cannot change what a decision rests on (issue 15, point 5e): for each admin page
that shows a submitted or decided case, its people or its rules, a superuser's POST of a change
leaves the row as it was and gets a refusal (403, or the page again with a message), never an
error page."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from applications.models import Application, CaseWorker, Decision, Status, StatusChange, Worker, WorkerOutcome
from regions.models import RuleSet
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DecisionFactory,
    EmployerFactory,
    StatusChangeFactory,
    WorkerFactory,
)
from tests.pages import messages_of

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def as_shown(response) -> dict:
    """What the admin's change form posts when nothing on it is touched."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value.isoformat() if isinstance(value, dt.date) else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return data


def not_an_error_page(response):
    assert response.status_code in (200, 302, 403), response.status_code


# Workers: the identity of a person on a case under review or approved


def worker_on(status, **worker):
    person = WorkerFactory(surname_latin="KARIMOV", given_names_latin="ALISHER", passport_number="AA1111111", **worker)
    case = ApplicationFactory(employer=person.employer, status=status)
    CaseWorkerFactory(
        application=case, worker=person, outcome=WorkerOutcome.APPROVED if status == Status.APPROVED else WorkerOutcome.PENDING
    )
    return person, case


IDENTITY = ("surname_latin", "given_names_latin", "date_of_birth", "citizenship", "passport_number", "employer_id")


def identity_of(worker):
    return model_to_dict(Worker.objects.get(pk=worker.pk), fields=[name.removesuffix("_id") for name in IDENTITY])


def test_the_identity_of_a_worker_on_an_approved_case_is_shown_read_only_and_says_why(admin_client_):
    person, case = worker_on(Status.APPROVED)

    page = admin_client_.get(change_url(person)).content.decode()

    for name in ("surname_latin", "given_names_latin", "date_of_birth", "citizenship", "passport_number", "employer"):
        assert f'name="{name}"' not in page
    assert 'name="phone"' in page  # contact data may always change
    assert case.reference in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("passport_number", "BB2222222"), ("surname_latin", "PETROV"), ("date_of_birth", "1991-01-01"), ("citizenship", "TJ")],
)
def test_posting_a_new_identity_for_a_worker_on_an_approved_case_is_refused_with_a_message(admin_client_, field, value):
    person, case = worker_on(Status.APPROVED)
    before = identity_of(person)
    data = as_shown(admin_client_.get(change_url(person)))

    response = admin_client_.post(change_url(person), {**data, field: value, "phone": "+7 900 000 00 00"})

    not_an_error_page(response)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot change while application" in page and case.reference in page
    assert identity_of(person) == before
    assert Worker.objects.get(pk=person.pk).phone == ""  # nothing of the refused POST is kept


def test_moving_a_worker_on_an_approved_case_to_another_company_is_refused(admin_client_):
    person, case = worker_on(Status.APPROVED)
    data = as_shown(admin_client_.get(change_url(person)))

    response = admin_client_.post(change_url(person), {**data, "employer": EmployerFactory().pk})

    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert Worker.objects.get(pk=person.pk).employer_id == person.employer_id


def test_the_phone_of_a_worker_on_an_approved_case_can_still_be_changed_in_the_admin(admin_client_):
    person, _case = worker_on(Status.APPROVED)
    before = identity_of(person)
    data = as_shown(admin_client_.get(change_url(person)))

    response = admin_client_.post(change_url(person), {**data, "phone": "+7 900 000 00 00"})

    assert response.status_code == 302
    assert Worker.objects.get(pk=person.pk).phone == "+7 900 000 00 00"
    assert identity_of(person) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.INFO_REQUESTED, Status.REJECTED])
def test_the_admin_may_correct_the_passport_where_the_registry_may(admin_client_, status):
    person, _case = worker_on(status)
    data = as_shown(admin_client_.get(change_url(person)))

    response = admin_client_.post(change_url(person), {**data, "passport_number": "BB2222222"})

    assert response.status_code == 302
    assert Worker.objects.get(pk=person.pk).passport_number == "BB2222222"


def test_a_worker_on_an_approved_case_cannot_be_deleted_in_the_admin(admin_client_):
    person, _case = worker_on(Status.APPROVED)

    response = admin_client_.post(reverse("admin:applications_worker_delete", args=[person.pk]), {"post": "yes"})

    not_an_error_page(response)
    assert Worker.objects.filter(pk=person.pk).exists()


# Cases, their workers' lines, decisions and history


@pytest.fixture
def decided_case(moscow_rules):
    case = ApplicationFactory(status=Status.APPROVED, region=moscow_rules.region, project_name="Metro depot")
    CaseWorkerFactory(application=case, outcome=WorkerOutcome.APPROVED)
    StatusChangeFactory(application=case, message="Please take our case")
    DecisionFactory(application=case, rule_set=moscow_rules, reason="All in order")
    return case


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_posting_a_change_to_a_case_changes_nothing(admin_client_, moscow_rules, status):
    case = ApplicationFactory(status=status, region=moscow_rules.region, project_name="Metro depot")
    line = CaseWorkerFactory(application=case)

    response = admin_client_.post(
        change_url(case),
        {
            "project_name": "Changed",
            "status": Status.REJECTED,
            "isolation_days": 1,
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-id": line.pk,
            "lines-0-application": case.pk,
            "lines-0-outcome": WorkerOutcome.REFUSED,
            "lines-0-refusal_reason": "other",
        },
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.status, case.project_name, case.isolation_days) == (status, "Metro depot", 14)
    assert CaseWorker.objects.get(pk=line.pk).outcome == WorkerOutcome.PENDING


def test_posting_a_change_to_a_decision_changes_nothing(admin_client_, decided_case):
    decision = Decision.objects.get(application=decided_case)

    response = admin_client_.post(change_url(decision), {"outcome": Status.REJECTED, "reason": "Changed"})

    assert response.status_code == 403
    assert Decision.objects.values_list("outcome", "reason").get(pk=decision.pk) == (Status.APPROVED, "All in order")


def test_posting_a_change_to_a_history_row_changes_nothing(admin_client_, decided_case):
    change = StatusChange.objects.get(application=decided_case)

    response = admin_client_.post(change_url(change), {"message": "Changed", "to_status": Status.REJECTED})

    assert response.status_code == 403
    assert StatusChange.objects.values_list("message", "to_status").get(pk=change.pk) == (
        "Please take our case",
        Status.SUBMITTED,
    )


def test_posting_a_change_to_the_rule_version_in_force_changes_nothing(admin_client_, decided_case, moscow_rules):
    data = as_shown(admin_client_.get(change_url(moscow_rules)))

    response = admin_client_.post(change_url(moscow_rules), {**data, "isolation_days": 7, "intake_open": ""})

    not_an_error_page(response)
    assert response.status_code != 200 or response.context["adminform"].form.errors
    assert messages_of(response) or response.status_code == 403
    assert RuleSet.objects.values_list("isolation_days", "intake_open").get(pk=moscow_rules.pk) == (14, True)
    assert Application.objects.get(pk=decided_case.pk).status == Status.APPROVED
