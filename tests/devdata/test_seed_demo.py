"""`manage.py seed_demo`: demo accounts, the rules of every region and cases in every state."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from applications.models import (
    Application,
    ApplicationKind,
    CaseWorker,
    Decision,
    Employer,
    EmployerMember,
    Status,
    StatusChange,
    Worker,
    WorkerEarlierPermit,
)
from applications.models.application import DECIDED_STATUSES
from applications.selectors import application_list_for_officer, case_rule_check
from applications.selectors.company_review import companies_waiting_count
from devdata import demo
from portal.accounts.models import User
from regions.models import CitizenshipPolicy, EligibilityThreshold, KindsAccepted, PcrTestTiming, Region, RuleSet
from regions.rules import blocking_failures
from regions.selectors import rule_set_in_force
from tests.helpers.seed import run_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    return run_seed(settings)


def user(email: str) -> User:
    return User.objects.get(email=email)


def demo_employer() -> Employer:
    return Employer.objects.get(inn=demo.MOSCOW_COMPANY_INN)


def rules_today(number: int) -> RuleSet:
    return rule_set_in_force(region_id=Region.objects.get(number=number).pk, on=timezone.localdate())


def counts() -> dict[str, int]:
    models = [
        User, Employer, EmployerMember, Worker, Application, CaseWorker, StatusChange, Decision, RuleSet,
        EligibilityThreshold, WorkerEarlierPermit,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_the_command_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email__endswith="@demo.local").exists()


def test_after_seeding_every_region_has_a_base_rule_version_of_1_june_2020(seeded):
    regions_without_rules = Region.objects.exclude(rule_sets__effective_from="2020-06-01")
    assert list(regions_without_rules) == []
    assert Region.objects.filter(rule_sets__isnull=True).count() == 0


def test_running_the_seed_twice_leaves_the_same_data(settings):
    run_seed(settings)
    first = counts()
    output = run_seed(settings)
    assert counts() == first
    assert "0 new" in output


def test_a_forgotten_demo_password_is_reset_by_the_next_run(settings, client):
    run_seed(settings)
    employer_user = user(demo.EMPLOYER_EMAIL)
    employer_user.set_password("something-else")
    employer_user.save()
    run_seed(settings)
    assert client.login(username=demo.EMPLOYER_EMAIL, password=demo.DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("email", "home"),
    [
        (demo.EMPLOYER_EMAIL, "/employer/"),
        (demo.EMPLOYER_SPB_EMAIL, "/employer/"),
        (demo.OFFICER_EMAIL, "/review/"),
        (demo.OFFICER_SPB_EMAIL, "/review/"),
        (demo.ADMIN_EMAIL, "/admin/"),
    ],
)
def test_every_demo_account_logs_in_with_the_demo_password_and_lands_on_its_home(seeded, client, email, home):
    assert client.login(username=email, password=demo.DEMO_PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == home


def test_the_demo_admin_is_staff_and_superuser(seeded):
    admin = user(demo.ADMIN_EMAIL)
    assert admin.is_admin and admin.is_superuser
    assert admin.full_name


def test_the_demo_officers_decide_for_moscow_and_saint_petersburg(seeded):
    assert list(user(demo.OFFICER_EMAIL).officer_regions.values_list("number", flat=True)) == [77]
    assert list(user(demo.OFFICER_SPB_EMAIL).officer_regions.values_list("number", flat=True)) == [78]


def test_the_demo_company_is_verified_valid_and_above_the_eligibility_threshold(seeded):
    employer = demo_employer()
    employer.full_clean()  # INN and OGRN check digits
    threshold = EligibilityThreshold.objects.get(effective_from="2021-01-01")
    assert (threshold.min_annual_revenue_rub, threshold.min_average_headcount) == (800_000_000, 100)
    assert employer.is_verified
    assert employer.region.number == 77
    assert employer.annual_revenue_rub >= threshold.min_annual_revenue_rub
    assert employer.average_headcount >= threshold.min_average_headcount
    assert employer.members.get().user.email == demo.EMPLOYER_EMAIL
    assert employer.workers.count() >= 8


def test_the_demo_employer_has_a_case_in_every_status(seeded):
    statuses = set(demo_employer().applications.values_list("status", flat=True))
    assert statuses == set(Status.values)


def test_every_decided_demo_case_has_a_decision_with_the_rule_version_applied(seeded):
    decided = demo_employer().applications.filter(status__in=DECIDED_STATUSES)
    assert decided.count() == 3
    for application in decided:
        assert application.decision.outcome == application.status
        assert application.decision.rule_set == rules_today(77)
        assert application.decision.checks


def test_the_partially_approved_demo_case_refuses_one_worker_with_a_reason(seeded):
    application = demo_employer().applications.get(status=Status.PARTIALLY_APPROVED)
    outcomes = sorted(application.lines.values_list("outcome", "refusal_reason"))
    assert outcomes == [("approved", ""), ("approved", ""), ("refused", "pcr_test")]


def test_every_demo_case_has_its_history_from_creation_to_its_status(seeded):
    for application in Application.objects.all():
        history = list(application.history.order_by("at", "pk"))
        assert history[0].transition == "create"
        assert history[-1].to_status == application.status


def test_the_demo_draft_can_be_submitted_as_it_stands_and_the_other_one_shows_what_fails(seeded):
    passing, failing = demo_employer().applications.filter(status=Status.DRAFT).order_by("pk")
    assert blocking_failures(case_rule_check(passing)[1]) == []
    codes = {check.code for check in blocking_failures(case_rule_check(failing)[1])}
    assert codes == {"guarantee.vaccination", "worker.pcr_test"}


def test_no_demo_case_lists_a_person_on_another_live_case_for_the_same_time(seeded):
    for application in Application.objects.all():
        _rules, checks = case_rule_check(application)
        assert [c.message for c in checks if c.code == "worker.overlap"] == [], application.project_name


def test_the_moscow_officer_has_a_queue_and_the_spb_officer_sees_none_of_moscows_cases(seeded):
    moscow_queue = application_list_for_officer(user=user(demo.OFFICER_EMAIL))
    spb_queue = application_list_for_officer(user=user(demo.OFFICER_SPB_EMAIL))
    assert moscow_queue.exists()
    assert spb_queue.filter(status=Status.SUBMITTED).count() >= 2
    assert not spb_queue.filter(region__number=77).exists()
    assert not spb_queue.filter(employer=demo_employer()).exists()


def test_the_regions_rules_in_force_today_show_the_real_variety(seeded):
    moscow = rules_today(77)
    assert moscow.vaccination_required and moscow.pcr_max_age_hours == 48
    assert moscow.monthly_worker_quota == 2000  # the demo officer's queue shows the quota meter
    assert rules_today(78).pcr_max_age_hours == 48
    assert rules_today(62).pcr_test_timing == PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL
    tyumen = rules_today(72)
    assert tyumen.isolation_until_test_result and tyumen.monthly_worker_quota
    assert rules_today(38).monthly_worker_quota >= 3415
    assert rules_today(86).charter_transport_required
    assert rules_today(54).closed_activities == ["47.7", "49.3"]
    suspended = [number for number in (5, 41, 87) if not rules_today(number).intake_open]
    assert suspended == [5, 41, 87]
    assert rules_today(23).citizenship_policy == CitizenshipPolicy.ONLY_LISTED
    assert rules_today(89).kinds_accepted == KindsAccepted.RETURNING_ONLY


def test_every_rule_version_names_its_legal_basis(seeded):
    # Every act has its type and issuing body; only the draft act lacks a number and a date.
    assert not RuleSet.objects.filter(legal_basis_type="").exists()
    assert not RuleSet.objects.filter(legal_basis_body="").exists()
    assert RuleSet.objects.filter(legal_basis_number="").count() == 1
    with translation.override("ru"):
        moscow = RuleSet.objects.get(region__number=77, effective_from=dt.date(2020, 6, 1))
        assert moscow.legal_basis_display == "указ Мэра Москвы от 29.05.2020 № 65-УМ"


def test_one_rule_version_is_not_yet_in_force_so_admins_can_edit_it(seeded):
    pending = RuleSet.objects.filter(effective_from__gt=timezone.localdate())
    assert pending.count() == 1
    assert pending.get().is_editable()


def test_the_command_prints_a_short_summary(seeded):
    lines = seeded.strip().splitlines()
    assert len(lines) <= 10
    assert demo.DEMO_PASSWORD in lines[0]
    for email in (demo.ADMIN_EMAIL, demo.EMPLOYER_EMAIL, demo.OFFICER_EMAIL, demo.OFFICER_SPB_EMAIL):
        assert email in seeded


def test_every_worker_brought_back_on_a_demo_case_has_evidence_of_earlier_work_with_a_scan(seeded):
    returning = Application.objects.filter(kind=ApplicationKind.RETURNING_WORKERS)
    assert returning.exists()
    for application in returning:
        evidence = [check for check in case_rule_check(application)[1] if check.code == "worker.earlier_work"]
        assert len(evidence) == application.lines.count()
        assert all(check.passed for check in evidence), [check.message for check in evidence]
    assert all(permit.has_scan for permit in WorkerEarlierPermit.objects.all())


def test_every_demo_case_names_a_checkpoint_of_the_list(seeded):
    assert not Application.objects.filter(checkpoint__isnull=True).exists()
    assert set(Application.objects.values_list("checkpoint__code", flat=True)) >= {"SVO", "VKO", "DME", "LED"}


def test_the_moscow_officer_has_a_company_waiting_for_verification(seeded):
    officer = user("officer@demo.local")
    waiting = Employer.objects.get(inn="7719382055")
    assert not waiting.is_verified and waiting.region.number == 77
    assert companies_waiting_count(officer) == 1
