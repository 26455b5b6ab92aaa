"""`manage.py seed_scale`: national-scale synthetic data, here at a small size (300 cases)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max
from django.urls import reverse

from applications.decision_record import stored_record_matches
from applications.letters import decision_letter_context
from applications.models import (
    Application,
    CaseWorker,
    Decision,
    DecisionWorker,
    Employer,
    Status,
    StatusChange,
    Worker,
    WorkerOutcome,
)
from applications.models.application import DECIDED_STATUSES
from applications.validators import validate_inn, validate_ogrn
from devdata import scale_data
from portal.accounts.models import User

pytestmark = pytest.mark.django_db

CASES = 300


def run_seed(settings, **options) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_scale", cases=options.pop("cases", CASES), stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(settings):
    return run_seed(settings)


def scale_cases():
    return Application.objects.filter(reference__startswith=scale_data.REFERENCE_PREFIX)


def snapshot() -> list[tuple]:
    """What a person would compare between two loads: each case's reference, company, region,
    status, dates and its workers' passports."""
    passports = {}
    for reference, passport in CaseWorker.objects.filter(application__in=scale_cases()).values_list(
        "application__reference", "worker__passport_number"
    ):
        passports.setdefault(reference, []).append(passport)
    rows = scale_cases().values_list(
        "reference", "employer__inn", "region__number", "status", "created_at", "submitted_at", "deadline"
    )
    return sorted((*row, tuple(sorted(passports.get(row[0], [])))) for row in rows)


def counts() -> dict[str, int]:
    models = [User, Employer, Worker, Application, CaseWorker, StatusChange, Decision]
    return {model.__name__: model.objects.count() for model in models}


def test_the_command_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", cases=CASES, stdout=StringIO())
    assert not scale_cases().exists()
    assert not User.objects.filter(email__endswith="@scale.local").exists()


def test_it_loads_the_cases_and_worker_lines_asked_for_in_every_status(seeded):
    assert scale_cases().count() == CASES
    assert CaseWorker.objects.filter(application__in=scale_cases()).count() == CASES * 3
    assert set(scale_cases().values_list("status", flat=True)) == set(Status.values)
    assert scale_cases().filter(region__number=77).count() == CASES // 4
    assert "Cases: 300 (75 in Moscow)" in seeded


def test_every_region_has_an_officer_and_the_big_company_a_clerk(seeded):
    officer = User.objects.get(email="officer.77@scale.local")
    assert list(officer.officer_regions.values_list("number", flat=True)) == [77]
    assert User.objects.filter(email__startswith="officer.", email__endswith="@scale.local").count() == 85 + 1
    clerk = User.objects.get(email=scale_data.BIG_EMPLOYER_EMAIL)
    assert scale_cases().filter(employer=clerk.employer_membership.employer).exists()


def test_running_it_again_with_the_same_seed_changes_nothing(settings, seeded):
    before, data = counts(), snapshot()
    output = run_seed(settings)
    assert "nothing to do" in output
    assert counts() == before
    assert snapshot() == data


def test_the_same_seed_loads_the_same_data_again(settings, seeded):
    data = snapshot()
    run_seed(settings, replace=True)
    assert snapshot() == data


def test_another_size_is_refused_without_replace_and_loaded_with_it(settings, seeded):
    with pytest.raises(CommandError, match="--replace"):
        run_seed(settings, cases=400)
    assert scale_cases().count() == CASES

    run_seed(settings, cases=400, seed=7, replace=True)
    assert scale_cases().count() == 400
    assert not scale_cases().filter(reference__startswith="S2021-").exists()
    assert User.objects.filter(email="officer.77@scale.local").count() == 1


def test_the_data_satisfies_every_constraint_of_the_database(seeded):
    # The foreign keys are deferred to the commit, which a test never reaches: check them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_the_companies_have_valid_inn_and_ogrn(seeded):
    employers = Employer.objects.filter(members__user__email__endswith="@scale.local")
    assert employers.count() == 10
    for inn, ogrn in employers.values_list("inn", "ogrn"):
        validate_inn(inn)
        validate_ogrn(ogrn)


def test_workers_have_realistic_citizenships_and_unique_passports(seeded):
    workers = Worker.objects.filter(employer__members__user__email__endswith="@scale.local")
    citizenships = set(workers.values_list("citizenship", flat=True))
    assert {"UZ", "TJ", "KG"} <= citizenships <= set(scale_data.CITIZENSHIPS)
    assert workers.values("passport_number").annotate(n=Count("pk")).filter(n__gt=1).count() == 0


def test_every_case_history_ends_in_its_status_and_counts_its_version(seeded):
    for case in scale_cases().exclude(status=Status.DRAFT).annotate(changes=Count("history")):
        last = case.history.order_by("at", "pk").last()
        assert last is not None and last.to_status == case.status, case.reference
        assert case.version == 1 + case.changes, case.reference
        assert case.created_at <= last.at


def test_decided_cases_have_a_decision_and_their_workers_an_outcome(seeded):
    decided = scale_cases().filter(status__in=DECIDED_STATUSES)
    assert Decision.objects.filter(application__in=decided).count() == decided.count()
    assert not Decision.objects.filter(application__in=scale_cases().exclude(status__in=DECIDED_STATUSES)).exists()
    for case in scale_cases().filter(status=Status.PARTIALLY_APPROVED):
        outcomes = set(case.lines.values_list("outcome", flat=True))
        assert outcomes == {WorkerOutcome.APPROVED, WorkerOutcome.REFUSED}, case.reference
    assert not CaseWorker.objects.filter(application__status=Status.REJECTED, outcome=WorkerOutcome.APPROVED).exists()
    assert not CaseWorker.objects.filter(
        application__status__in=[Status.SUBMITTED, Status.IN_REVIEW], outcome__in=[WorkerOutcome.APPROVED, WorkerOutcome.REFUSED]
    ).exists()


def test_cases_waiting_for_a_decision_have_a_deadline_and_dates_within_the_season(seeded):
    waiting = scale_cases().filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED])
    assert waiting.exists()
    assert not waiting.filter(deadline__isnull=True).exists()
    assert not scale_cases().filter(status=Status.WITHDRAWN, deadline__isnull=False).exists()
    latest = scale_cases().aggregate(latest=Max("created_at"))["latest"]
    assert scale_data.FIRST_DAY <= latest <= scale_data.LAST_DAY


def test_the_history_is_still_append_only_after_a_replace(settings, seeded):
    run_seed(settings, replace=True)
    change = StatusChange.objects.filter(application__in=scale_cases()).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk).update(message="rewritten")


def test_the_regional_officer_sees_the_scale_cases_in_the_queue(client, seeded):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(User.objects.get(email="officer.77@scale.local"))
    response = client.get("/review/")
    assert response.status_code == 200
    assert "S2021-" in response.content.decode()


def test_every_scale_case_names_a_checkpoint_and_moscows_mostly_sheremetyevo(seeded):
    assert not Application.objects.filter(checkpoint__isnull=True).exists()
    moscow = Application.objects.filter(region__number=77)
    assert moscow.filter(checkpoint__code="SVO").count() > moscow.count() / 2


# What a decision keeps: a seeded decision is frozen and sealed as a real one is
# (applications/decision_record.py), so its letter, its public check and the border list work.


def test_every_seeded_decision_still_gives_the_digest_stored_with_it(seeded):
    decisions = Decision.objects.filter(application__in=scale_cases()).prefetch_related("workers")
    assert decisions.count() == scale_cases().filter(status__in=DECIDED_STATUSES).count()
    for decision in decisions:
        assert decision.record_sha256 and decision.case_particulars and decision.company_inn, decision.application_id
        assert stored_record_matches(decision), decision.application_id


def test_each_decided_case_keeps_one_worker_per_line_with_the_outcome_of_its_line(seeded):
    decided = scale_cases().filter(status__in=DECIDED_STATUSES)
    lines = CaseWorker.objects.filter(application__in=decided).select_related("worker", "decided__decision")
    assert DecisionWorker.objects.filter(decision__application__in=decided).count() == lines.count()
    for line in lines:
        kept = line.decided
        assert kept.decision.application_id == line.application_id
        assert (kept.outcome, kept.refusal_reason) == (line.outcome, line.refusal_reason), line.pk
        assert (kept.passport_number, kept.surname_latin) == (line.worker.passport_number, line.worker.surname_latin)
    for decision in Decision.objects.filter(application__in=decided).annotate(n=Count("workers"), last=Max("workers__position")):
        assert decision.n == decision.last, decision.application_id  # numbered 1..n


def test_seeded_verification_codes_are_unique_and_the_public_check_finds_them(client, seeded):
    codes = list(Decision.objects.filter(application__in=scale_cases()).values_list("verification_code", flat=True))
    assert all(codes) and len(set(codes)) == len(codes)
    decision = Decision.objects.filter(application__in=scale_cases(), outcome=Status.APPROVED).select_related("application").first()

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(reverse("applications:decision_check", kwargs={"code": decision.verification_code}))

    assert response.status_code == 200
    assert decision.application.reference in response.content.decode()


def test_the_letter_of_a_seeded_decision_names_its_workers_and_its_code(seeded):
    decision = Decision.objects.filter(application__in=scale_cases(), outcome=Status.PARTIALLY_APPROVED).first()

    context = decision_letter_context(decision)

    assert context["reference"] == decision.application.reference
    assert [line.passport_number for line in context["lines"]] == list(
        decision.workers.order_by("position").values_list("passport_number", flat=True)
    )
    assert 0 < context["approved_count"] < len(context["lines"])
    assert context["verification_url"].endswith(f"/check/{decision.verification_code}/")


def test_the_officers_border_list_of_a_seeded_approved_case_lists_its_workers(client, seeded):
    case = scale_cases().filter(region__number=77, status=Status.APPROVED).first()
    day = case.planned_arrival_date.isoformat()
    client.force_login(User.objects.get(email="officer.77@scale.local"))

    response = client.get(reverse("applications:review-export-border-list"), {"arrival_from": day, "arrival_to": day})

    assert response.status_code == 200
    listed = b"".join(response.streaming_content).decode()
    passports = case.lines.values_list("worker__passport_number", flat=True)
    assert passports and all(passport in listed for passport in passports)


def test_data_loaded_before_decisions_were_sealed_is_not_taken_for_current_data(settings):
    # Scale data of an earlier generator: the same seed and size, a decision without its record.
    scale_data.seed_scale(scale_data.ScaleSpec(cases=CASES, lines=CASES * 3, with_history=False))
    case = scale_cases().filter(status=Status.APPROVED).first()
    Decision.objects.create(application=case, outcome=case.status, decided_by=case.assigned_officer, decided_at=case.decided_at)
    assert scale_data.has_unsealed_decisions()

    with pytest.raises(CommandError, match="--replace"):
        run_seed(settings)

    run_seed(settings, replace=True)
    assert not scale_data.has_unsealed_decisions()
