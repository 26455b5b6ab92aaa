"""Django admin opens for the admin and for nobody else. The models come from the admin registry,
so a newly registered model is covered without touching this file (its change page needs a line
in OBJECT_BUILDERS, and the test says so)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max

from applications import services
from applications.models import (
    ApiKey,
    Application,
    Charter,
    CharterMember,
    Decision,
    Employer,
    RetentionRun,
    Status,
    StatusChange,
    Worker,
)
from applications.services.retention import redact_personal_data
from portal.accounts.models import User
from regions.models import Checkpoint, EligibilityThreshold, Region, RuleSet
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    DecisionFactory,
    DocumentFactory,
    EmployerFactory,
    EmployerMemberFactory,
    StatusChangeFactory,
    WorkerFactory,
)
from tests.portal.factories import UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, checkpoint, region

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODEL_IDS = [model._meta.label_lower for model, _model_admin in REGISTERED]


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _full_case():
    """A decided case with a worker, a document, its history and the decision, so every inline has a row."""
    case = ApplicationFactory(status=Status.APPROVED)
    CaseWorkerFactory(application=case)
    DocumentFactory(application=case)
    StatusChangeFactory(application=case, message="Submitted for review")
    DecisionFactory(
        application=case,
        rule_set=RuleSetFactory(region=case.region),
        checks=[{"code": "pcr.age", "passed": True, "blocking": True, "message": "The PCR tests are recent enough."}],
    )
    return case


def _charter() -> Charter:
    """A charter with its organiser and a case put on it, so both inlines have a row."""
    member = EmployerMemberFactory()
    case = ApplicationFactory(employer=member.employer, status=Status.SUBMITTED)
    charter = services.charter_create(
        employer=member.employer, user=member.user, transport_kind="flight", transport_number="SU 1881", region=case.region,
        checkpoint=case.checkpoint, arrival_date=case.planned_arrival_date,
    )
    services.charter_attach(charter=charter, user=member.user, application_ids=[case.pk])
    return charter


def _api_key():
    import datetime as dt

    from django.utils import timezone

    from applications.services.api_keys import api_key_create

    member = EmployerMemberFactory()
    return api_key_create(employer=member.employer, user=member.user, name="HR", expires_at=timezone.now() + dt.timedelta(days=9)).key


OBJECT_BUILDERS = {
    Charter: _charter,
    CharterMember: lambda: _charter().members.get(),
    Region: lambda: region(77),
    Checkpoint: lambda: checkpoint("SVO"),
    RuleSet: RuleSetFactory,
    EligibilityThreshold: EligibilityThresholdFactory,
    Employer: EmployerFactory,
    Worker: WorkerFactory,
    ApiKey: lambda: _api_key(),
    Application: _full_case,
    StatusChange: StatusChangeFactory,
    Decision: DecisionFactory,
    RetentionRun: redact_personal_data,
    User: lambda: UserFactory(full_name="Anna Smirnova"),
    Group: lambda: Group.objects.create(name="Support"),
    # Third-party models the admin shows: login attempts (django-axes), background task
    # results (django-tasks-db), second-factor devices (django-otp).
    AccessAttempt: lambda: AccessAttempt.objects.create(
        username="clerk@a.example", ip_address="203.0.113.7", user_agent="test", failures_since_start=3
    ),
    AccessLog: lambda: AccessLog.objects.create(username="clerk@a.example", ip_address="203.0.113.7", user_agent="test"),
    AccessFailureLog: lambda: AccessFailureLog.objects.create(
        username="clerk@a.example", ip_address="203.0.113.7", user_agent="test", locked_out=False
    ),
    DBTaskResult: lambda: DBTaskResult.objects.create(
        task_path="applications.tasks.recheck_region",
        args_kwargs={"args": [], "kwargs": {"region_id": 1}},
        backend_name="default",
        run_after=get_date_max(),
    ),
    TOTPDevice: lambda: TOTPDevice.objects.create(user=UserFactory(), name="Phone", confirmed=True),
}


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_admin_opens_the_list_of_every_registered_model(client, admin_user, model, model_admin):
    client.force_login(admin_user)
    assert client.get(_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_admin_opens_the_add_page_of_every_model_that_can_be_added_here(client, admin_user, model, model_admin):
    client.force_login(admin_user)
    request = RequestFactory().get("/")
    request.user = admin_user
    response = client.get(_url(model, "add"))
    # Cases, their history and decisions are made by the services, never in admin.
    assert response.status_code == (200 if model_admin.has_add_permission(request) else 403)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_admin_opens_the_page_of_an_object_of_every_registered_model(client, admin_user, model, model_admin):
    assert model in OBJECT_BUILDERS, f"Add a builder for {model._meta.label} to OBJECT_BUILDERS."
    obj = OBJECT_BUILDERS[model]()
    client.force_login(admin_user)
    response = client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert str(obj) in response.content.decode()


def test_admin_index_opens_for_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.fixture(params=["employer_user", "officer", None], ids=["employer", "officer", "anonymous"])
def non_admin_client(request, client):
    if request.param:
        client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_anyone_but_an_admin_is_sent_to_the_admin_login(non_admin_client, model, model_admin, page):
    url = _url(model, page)
    response = non_admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_anyone_but_an_admin_is_sent_to_the_admin_login_from_an_objects_page(non_admin_client):
    url = _url(RuleSet, "change", RuleSetFactory().pk)
    response = non_admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# The user admin works with e-mail logins


def _new_user_data(**changes):
    return {
        "email": "New.Officer@Region.Example", "usable_password": "true", "password1": "vEry-long-pass-42",
        "password2": "vEry-long-pass-42", "full_name": "Nina Novikova", "role": "officer", **changes,
    }


def test_admin_creates_a_user_with_a_lower_cased_email(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:accounts_user_add"), _new_user_data())

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.officer@region.example")
    assert (user.full_name, user.role) == ("Nina Novikova", "officer")
    assert user.check_password("vEry-long-pass-42")


def test_an_email_taken_in_another_case_is_refused_next_to_the_email(client, admin_user):
    UserFactory(email="new.officer@region.example")
    client.force_login(admin_user)

    response = client.post(reverse("admin:accounts_user_add"), _new_user_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["A user with this e-mail address already exists."]


def test_regions_can_be_given_to_an_officer_but_not_to_an_employer(client, admin_user, officer, employer_user, spb):
    client.force_login(admin_user)

    def save(user, **changes):
        data = {
            "email": user.email, "full_name": user.full_name, "preferred_language": "ru", "role": user.role,
            "is_active": "on", "date_joined_0": "01.02.2021", "date_joined_1": "10:00", **changes,
        }
        return client.post(_url(User, "change", user.pk), data)

    assert save(officer, officer_regions=[officer.officer_regions.get().pk, spb.pk]).status_code == 302
    assert set(officer.officer_regions.values_list("number", flat=True)) == {77, 78}

    refused = save(employer_user, officer_regions=[spb.pk])
    assert refused.status_code == 200
    assert "officer_regions" in refused.context["adminform"].form.errors
    assert not employer_user.officer_regions.exists()


def test_users_are_found_by_name_or_email(client, admin_user, officer):
    client.force_login(admin_user)
    changelist = _url(User, "changelist")

    assert list(client.get(changelist, {"q": "officer@77"}).context["cl"].result_list) == [officer]
    assert list(client.get(changelist, {"q": officer.full_name}).context["cl"].result_list) == [officer]
