"""One home for each rule of change (issue 15, point 5): a rule a form or the admin used to hold
alone is kept by the service or the model, so every caller (page, admin, command, shell) meets
it, and the database repeats it where it can."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, EmployerFigures, Status, Worker
from applications.services import workers as worker_services
from applications.services.companies import employer_figures_record
from regions.models import CitizenshipPolicy, RuleSet
from regions.services import rule_set_copy_as_draft
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    EmployerMemberFactory,
    WorkerFactory,
)
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
KAMCHATKA = 41  # Asia/Kamchatka, nine hours ahead of Moscow


@pytest.fixture
def clock(monkeypatch):
    """Sets the portal's clock to a moment, Moscow time."""

    def set_to(*moment):
        instant = dt.datetime(*moment, tzinfo=MOSCOW)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return set_to


def in_review(where, officer=None):
    case = ApplicationFactory(region=where, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=case)
    return case, officer or OfficerFactory(regions=[where])


# a. An information request's reply date is after today, in the case's region


def test_a_reply_date_of_today_is_refused_by_the_service_and_nothing_is_kept(clock, moscow):
    clock(2021, 3, 4, 11, 0)
    case, officer = in_review(moscow)

    with pytest.raises(services.TransitionRefused) as refusal:
        services.application_request_information(
            application=case, user=officer, message="The lease, please.", reply_due=dt.date(2021, 3, 4)
        )

    assert "after today" in refusal.value.message
    case.refresh_from_db()
    assert (case.status, case.reply_due, case.version) == (Status.IN_REVIEW, None, 1)
    assert not case.history.exists()


def test_a_reply_date_in_the_past_is_refused(clock, moscow):
    clock(2021, 3, 4, 11, 0)
    case, officer = in_review(moscow)

    with pytest.raises(services.TransitionRefused):
        services.application_request_information(
            application=case, user=officer, message="The lease, please.", reply_due=dt.date(2020, 12, 31)
        )

    assert Application.objects.get(pk=case.pk).status == Status.IN_REVIEW


def test_a_reply_date_of_tomorrow_is_accepted(clock, moscow):
    clock(2021, 3, 4, 11, 0)
    case, officer = in_review(moscow)

    asked = services.application_request_information(
        application=case, user=officer, message="The lease, please.", reply_due=dt.date(2021, 3, 5)
    )

    assert (asked.status, asked.reply_due) == (Status.INFO_REQUESTED, dt.date(2021, 3, 5))


def test_today_is_the_regions_own_day(clock, moscow):
    # 20:00 on Thursday in Moscow is 05:00 on Friday in Kamchatka: Friday is tomorrow in Moscow
    # but already today for the Kamchatka authority and its employer.
    clock(2021, 3, 4, 20, 0)
    far_case, far_officer = in_review(region(KAMCHATKA))
    near_case, near_officer = in_review(moscow)

    with pytest.raises(services.TransitionRefused):
        services.application_request_information(
            application=far_case, user=far_officer, message="The lease, please.", reply_due=dt.date(2021, 3, 5)
        )
    asked = services.application_request_information(
        application=near_case, user=near_officer, message="The lease, please.", reply_due=dt.date(2021, 3, 5)
    )

    assert Application.objects.get(pk=far_case.pk).status == Status.IN_REVIEW
    assert asked.reply_due == dt.date(2021, 3, 5)


def test_the_officers_form_still_says_at_the_field_that_a_day_is_needed(client, moscow):
    case, officer = in_review(moscow)
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(
        reverse("applications:review-request-information", kwargs={"pk": case.pk}),
        {"version": case.version, "message": "The lease, please.", "answer_days": 0},
    )

    assert response.status_code == 200
    assert "Give the employer at least 1 working day." in response.content.decode()
    assert Application.objects.get(pk=case.pk).status == Status.IN_REVIEW


# b. A worker's identity on a case under review or approved: the database is the last guard


def on_case(status, **worker):
    person = WorkerFactory(surname_latin="KARIMOV", passport_number="AA1111111", **worker)
    case = ApplicationFactory(employer=person.employer, status=status)
    CaseWorkerFactory(application=case, worker=person)
    return person, case


def sql_update(worker, column, value):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE applications_worker SET {column} = %s WHERE id = %s", [value, worker.pk])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("surname_latin", "PETROV"),
        ("given_names_latin", "BOBUR"),
        ("date_of_birth", dt.date(1991, 1, 1)),
        ("citizenship", "TJ"),
        ("passport_number", "BB2222222"),
    ],
)
def test_the_database_refuses_to_change_the_identity_of_a_worker_on_an_approved_case(column, value):
    person, case = on_case(Status.APPROVED)

    with pytest.raises(IntegrityError) as refusal:
        sql_update(person, column, value)

    assert "cannot change while application" in str(refusal.value)
    assert case.reference in str(refusal.value)
    assert Worker.objects.filter(pk=person.pk, surname_latin="KARIMOV", passport_number="AA1111111").exists()


def test_the_database_refuses_to_move_a_worker_on_a_case_to_another_companys_registry():
    person, _case = on_case(Status.IN_REVIEW)
    elsewhere = WorkerFactory().employer

    with pytest.raises(IntegrityError):
        sql_update(person, "employer_id", elsewhere.pk)

    assert Worker.objects.get(pk=person.pk).employer_id == person.employer_id


@pytest.mark.parametrize("status", list(Status))
def test_the_database_locks_exactly_where_the_service_does(status):
    person, _case = on_case(status)
    locks = status in worker_services.IDENTITY_LOCKING_STATUSES

    try:
        sql_update(person, "passport_number", "BB2222222")
        refused = False
    except IntegrityError:
        refused = True

    assert refused is locks


def test_contact_data_of_a_worker_on_an_approved_case_still_change_in_the_database():
    person, _case = on_case(Status.APPROVED)

    sql_update(person, "phone", "+7 900 000 00 00")
    sql_update(person, "passport_number", "AA1111111")  # the same value is no change

    assert Worker.objects.get(pk=person.pk).phone == "+7 900 000 00 00"


def test_a_case_submitted_meanwhile_gives_the_registry_a_refusal_not_an_error_page(monkeypatch):
    # The case is submitted between the service's own check and its UPDATE: the trigger refuses,
    # and the service turns that into the same refusal the employer would have got first.
    person, case = on_case(Status.SUBMITTED)
    monkeypatch.setattr(worker_services, "ensure_identity_may_change", lambda worker, fields: None)
    member = EmployerMemberFactory(employer=person.employer).user

    with pytest.raises(worker_services.WorkerIdentityLocked) as refusal:
        services.worker_update(worker=person, user=member, passport_number="BB2222222")

    assert case.reference in refusal.value.message
    assert Worker.objects.get(pk=person.pk).passport_number == "AA1111111"


# c. Valid OKVED codes and ISO 3166-1 countries: the model's clean, and the database's CHECK


def draft_version(**rules):
    return RuleSet(region=region(77), effective_from=timezone.localdate() + dt.timedelta(days=10), **rules)


def test_a_rule_version_cleans_its_codes_to_capitals_without_repeats():
    version = draft_version(
        citizenship_policy=CitizenshipPolicy.ONLY_LISTED,
        citizenships=["uz", "tj", "KG", "UZ"],
        closed_activities=["47.7", "49.3", "47.7"],
    )

    version.full_clean()

    assert version.citizenships == ["UZ", "TJ", "KG"]
    assert version.closed_activities == ["47.7", "49.3"]


def test_an_unknown_country_is_refused_at_the_citizenships():
    version = draft_version(citizenship_policy=CitizenshipPolicy.ALL_EXCEPT_LISTED, citizenships=["UZ", "XX"])

    with pytest.raises(ValidationError) as refusal:
        version.full_clean()

    assert list(refusal.value.message_dict) == ["citizenships"]
    assert "XX" in refusal.value.message_dict["citizenships"][0]


@pytest.mark.parametrize("code", ["4.7", "47.", "47.711", "47.7.1.1", "A7", "47,49"])
def test_a_malformed_okved_code_is_refused_at_the_closed_activities(code):
    version = draft_version(closed_activities=["47.7", code])

    with pytest.raises(ValidationError) as refusal:
        version.full_clean()

    assert list(refusal.value.message_dict) == ["closed_activities"]
    assert code in refusal.value.message_dict["closed_activities"][0]


def test_copying_a_version_with_an_unknown_country_refuses_at_the_field_and_creates_nothing(admin_user, moscow):
    # "XX" has the shape of a code, so the database holds it; only the model knows the countries.
    source = RuleSetFactory(region=moscow, citizenship_policy=CitizenshipPolicy.ONLY_LISTED, citizenships=["UZ", "XX"])

    with pytest.raises(ValidationError) as refusal:
        rule_set_copy_as_draft(rule_set=source, user=admin_user)

    assert "XX" in refusal.value.message_dict["citizenships"][0]
    assert RuleSet.objects.filter(region=moscow).count() == 1


def add_in_admin(client, admin_user, region_, **changes):
    """Posts the admin's "add rule version" form: a valid version starting in three days, with `changes`."""
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {
        "region": region_.pk,
        "effective_from": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "intake_open": "on",
        "kinds_accepted": "both",
        "isolation_days": 14,
        "pcr_test_timing": "before",
        "pcr_max_age_hours": 72,
        "citizenship_policy": "all",
        "days_to_decide": 5,
        "days_to_answer": 5,
    }
    return client.post(reverse("admin:regions_ruleset_add"), {**data, **changes})


def test_the_admin_shows_a_malformed_okved_code_next_to_the_field(client, admin_user, moscow):
    response = add_in_admin(client, admin_user, moscow, closed_activities="47.7,4.7")

    assert response.status_code == 200
    assert "4.7" in response.context["adminform"].form.errors["closed_activities"][0]
    assert not RuleSet.objects.filter(region=moscow).exists()


@pytest.mark.parametrize(
    "rules",
    [
        {"citizenships": ["uz"]},
        {"citizenships": ["U"]},
        {"citizenships": ["UZ", ""]},
        {"closed_activities": ["4.7"]},
        {"closed_activities": ["47,49"]},
        {"closed_activities": ["47.7", ""]},
        {"closed_activities": ["47.7a"]},
    ],
)
def test_the_database_refuses_malformed_codes_whoever_writes_them(moscow, rules):
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSetFactory(region=moscow, effective_from=timezone.localdate() + dt.timedelta(days=10), **rules)


def test_the_database_accepts_well_formed_codes(moscow):
    RuleSetFactory(
        region=moscow,
        effective_from=timezone.localdate() + dt.timedelta(days=10),
        citizenship_policy=CitizenshipPolicy.ONLY_LISTED,
        citizenships=["UZ", "TJ"],
        closed_activities=["47", "47.7", "41.20", "01.11.11"],
    )


# d. One earliest start for a new rule version: tomorrow, in the region's own time


def test_the_admin_refuses_a_new_version_starting_today(client, admin_user, moscow):
    response = add_in_admin(client, admin_user, moscow, effective_from=timezone.localdate().isoformat())

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["effective_from"]
    assert not RuleSet.objects.filter(region=moscow).exists()


def test_the_admin_and_copy_as_draft_refuse_the_same_date_with_the_same_words(admin_user, moscow_rules):
    today = timezone.localdate()
    new = RuleSetFactory.build(region=moscow_rules.region, effective_from=today)

    with pytest.raises(ValidationError) as by_model:
        new.full_clean()
    with pytest.raises(ValidationError) as by_service:
        rule_set_copy_as_draft(rule_set=moscow_rules, user=admin_user, effective_from=today)

    assert by_model.value.message_dict["effective_from"] == by_service.value.message_dict["effective_from"]


def test_a_new_kamchatka_version_starts_on_kamchatkas_tomorrow(clock, admin_user):
    clock(2021, 3, 4, 20, 0)  # already Friday 5 March in Kamchatka
    kamchatka = region(KAMCHATKA)
    source = RuleSetFactory(region=kamchatka)

    with pytest.raises(ValidationError):
        rule_set_copy_as_draft(rule_set=source, user=admin_user, effective_from=dt.date(2021, 3, 5))
    draft = rule_set_copy_as_draft(rule_set=source, user=admin_user)

    assert draft.effective_from == dt.date(2021, 3, 6)


def test_a_new_moscow_version_may_start_on_moscows_tomorrow(clock, admin_user, moscow):
    clock(2021, 3, 4, 20, 0)
    source = RuleSetFactory(region=moscow)

    assert rule_set_copy_as_draft(rule_set=source, user=admin_user).effective_from == dt.date(2021, 3, 5)
    assert rule_set_copy_as_draft(rule_set=source, user=admin_user, effective_from=dt.date(2021, 3, 9))


def test_a_draft_cannot_be_moved_to_today_but_keeps_its_date_when_other_rules_change(moscow):
    draft = RuleSetFactory(region=moscow, effective_from=timezone.localdate() + dt.timedelta(days=1))

    draft.isolation_days = 10
    draft.full_clean()  # its own date, tomorrow, is fine
    draft.effective_from = timezone.localdate()
    with pytest.raises(ValidationError) as refusal:
        draft.full_clean()

    assert list(refusal.value.message_dict) == ["effective_from"]


def test_a_version_in_force_is_not_refused_for_its_own_past_date(moscow_rules):
    moscow_rules.full_clean()  # 01.06.2020, long in force: a date already stored is no new start


# Found alike: a company's figures are for a year that has begun (only the forms said so)


def state_figures(employer, user, year):
    pdf = SimpleUploadedFile("accounts.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return employer_figures_record(
        employer=employer, user=user, year=year, annual_revenue_rub=900_000_000, average_headcount=120, evidence=pdf
    )


def test_stating_figures_for_a_future_year_is_refused_by_the_service_at_the_year(employer, employer_user):
    next_year = timezone.localdate().year + 1

    with pytest.raises(ValidationError) as refusal:
        state_figures(employer, employer_user, next_year)

    assert list(refusal.value.message_dict) == ["year"]
    assert not EmployerFigures.objects.filter(employer=employer, year=next_year).exists()


def test_figures_for_the_current_year_may_be_stated(employer, employer_user):
    this_year = timezone.localdate().year

    state_figures(employer, employer_user, this_year)

    assert EmployerFigures.objects.filter(employer=employer, year=this_year).exists()
