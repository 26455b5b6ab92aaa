"""The officer's and the employer's case pages at the size of a charter: the workers a page at a
time (50), searchable by name or passport, filterable by rule-check result and outcome, with the
counts of every state at the top; the partial approval kept across pages; the same number of
queries and a small page whatever the number of workers."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseWorker, RefusalReason, Status, Worker, WorkerOutcome
from tests.applications.factories import ApplicationFactory
from tests.pages import messages_of

pytestmark = pytest.mark.django_db

# The target: at most 15 queries, the same whatever the number of workers. The officer's
# page: session and user (2; in production the second factor's device is a third), the case (1,
# scoped to the officer's regions by a subquery), the rule versions and the
# company's statements of figures (2, shared by the rule check, the quota meter and the figures
# panel), the threshold (1), the workers' other live cases and the workers with their earlier work
# (2, the rule check of all of them), the counts and the page of lines (2), documents, history,
# corrections and the company's earlier cases (4), and the menu's count of the companies waiting
# for verification (1). The employer's: the same reads of its own.
OFFICER_QUERIES = 15
EMPLOYER_QUERIES = 15
MAX_HTML = 200 * 1024


def big_case(*, employer, workers, failing=(), status=Status.IN_REVIEW, **fields):
    """A case of `workers` workers named W00000, W00001, ... (the page's order); those numbered in
    `failing` have no PCR test, so they fail a blocking check. Bulk-created: 600 workers in a blink."""
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    application = ApplicationFactory(employer=employer, status=status, **fields)
    tested = timezone.make_aware(dt.datetime.combine(application.planned_arrival_date - dt.timedelta(days=1), dt.time(10)))
    people = Worker.objects.bulk_create(
        Worker(
            employer=employer,
            surname_latin=f"W{number:05d}",
            given_names_latin="ALISHER",
            sex="M",
            date_of_birth=dt.date(1990, 5, 17),
            citizenship="UZ",
            passport_number=f"PP{application.pk:04d}{number:05d}",
            passport_expiry=dt.date(2030, 1, 1),
            occupation="Bricklayer",
        )
        for number in range(workers)
    )
    CaseWorker.objects.bulk_create(
        CaseWorker(
            application=application,
            worker=person,
            pcr_test_taken_at=None if number in failing else tested,
            pcr_test_zone="" if number in failing else "Europe/Moscow",
        )
        for number, person in enumerate(people)
    )
    return application


def line_of(application, number):
    return application.lines.get(worker__surname_latin=f"W{number:05d}")


def shown_names(page: str) -> list[str]:
    return re.findall(r'<th scope="row">(W\d{5})', page)


def page_line_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.search(r'name="page_lines" value="([\d,]*)"', page).group(1).split(",") if pk]


def detail(application):
    return reverse("applications:review-detail", kwargs={"pk": application.pk})


def partial(application):
    return reverse("applications:review-approve-partially", kwargs={"pk": application.pk})


def employer_detail(application):
    return reverse("applications:application-detail", kwargs={"pk": application.pk})


@pytest.fixture
def rules(moscow_rules, threshold):
    return moscow_rules


# Pages, search, filters, counts


def test_officer_sees_fifty_workers_a_page_and_the_counts_of_all(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=120, failing={3, 70}, assigned_officer=officer)
    case.lines.filter(worker__surname_latin__in=["W00000", "W00001"]).update(
        outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.OTHER
    )

    first = officer_client.get(detail(case)).content.decode()
    last = officer_client.get(detail(case), {"page": 3}).content.decode()

    assert shown_names(first) == [f"W{number:05d}" for number in range(50)]
    assert shown_names(last) == [f"W{number:05d}" for number in range(100, 120)]
    assert "Workers (120)" in first
    assert "Page 1 of 3" in first
    assert "Refused: 2" in first and "Pending: 118" in first and "Approved: 0" in first
    assert "Fail the rule check: 2" in first and "Pass the rule check: 118" in first


def test_officer_finds_a_worker_by_passport_or_by_name(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=120, assigned_officer=officer)
    passport = line_of(case, 87).worker.passport_number

    by_passport = officer_client.get(detail(case), {"q": passport.lower()}).content.decode()
    by_name = officer_client.get(detail(case), {"q": "w00087"}).content.decode()

    assert shown_names(by_passport) == ["W00087"]
    assert shown_names(by_name) == ["W00087"]
    # The counts at the top stay those of the whole case.
    assert "Workers (120)" in by_passport


def test_officer_filters_by_check_result_and_by_outcome(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=80, failing={5, 60, 61}, assigned_officer=officer)
    case.lines.filter(worker__surname_latin="W00060").update(outcome=WorkerOutcome.REFUSED, refusal_reason=RefusalReason.OTHER)

    failing = officer_client.get(detail(case), {"check": "fails"}).content.decode()
    passing = officer_client.get(detail(case), {"check": "passes", "page": 2}).content.decode()
    refused_failing = officer_client.get(detail(case), {"check": "fails", "outcome": "refused"}).content.decode()

    assert shown_names(failing) == ["W00005", "W00060", "W00061"]
    assert len(shown_names(passing)) == 27  # 77 pass: 50 on the first page
    assert "W00005" not in shown_names(passing)
    assert shown_names(refused_failing) == ["W00060"]


def test_a_filter_matching_nobody_says_so(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=3, assigned_officer=officer)

    page = officer_client.get(detail(case), {"q": "NOBODY-LIKE-THIS"}).content.decode()

    assert shown_names(page) == []
    assert "No worker matches the search and filters." in page


def test_a_nonsense_filter_or_page_shows_the_list_with_a_message_not_an_error(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, assigned_officer=officer)

    response = officer_client.get(detail(case), {"check": "maybe", "outcome": "<b>", "page": "zz", "q": "x" * 500})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert shown_names(page) == [f"W{number:05d}" for number in range(50)]


def test_a_page_past_the_end_shows_the_last_page(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, assigned_officer=officer)

    page = officer_client.get(detail(case), {"page": 99}).content.decode()

    assert shown_names(page) == [f"W{number:05d}" for number in range(50, 60)]


def test_employer_sees_the_workers_a_page_at_a_time_and_finds_one_by_passport(employer_client, employer, rules):
    case = big_case(employer=employer, workers=70, failing={2}, status=Status.SUBMITTED)
    passport = line_of(case, 66).worker.passport_number

    first = employer_client.get(employer_detail(case)).content.decode()
    found = employer_client.get(employer_detail(case), {"q": passport}).content.decode()
    failing = employer_client.get(employer_detail(case), {"check": "fails"}).content.decode()

    assert first.count("W000") >= 50 and "W00050" not in first
    assert "Page 1 of 2" in first
    assert "Fail the rule check: 1" in first and "Pending: 70" in first
    assert "W00066" in found and "W00001" not in found
    assert "W00002" in failing and "W00001" not in failing


# Constant cost


def cost_of(client, url, django_assert_num_queries, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return len(response.content)


def test_officer_case_page_costs_the_same_queries_and_stays_small_whatever_the_size(
    officer_client, employer, officer, rules, django_assert_num_queries
):
    small = big_case(employer=employer, workers=10, failing={0, 7}, assigned_officer=officer)
    large = big_case(employer=employer, workers=5000, failing=set(range(0, 5000, 7)), assigned_officer=officer)

    small_size = cost_of(officer_client, detail(small), django_assert_num_queries, OFFICER_QUERIES)
    large_size = cost_of(officer_client, detail(large), django_assert_num_queries, OFFICER_QUERIES)

    assert small_size <= MAX_HTML and large_size <= MAX_HTML


def test_employer_case_page_costs_the_same_queries_and_stays_small_whatever_the_size(
    employer_client, employer, rules, django_assert_num_queries
):
    small = big_case(employer=employer, workers=10, failing={0, 7}, status=Status.SUBMITTED)
    large = big_case(employer=employer, workers=5000, failing=set(range(0, 5000, 7)), status=Status.SUBMITTED)

    small_size = cost_of(employer_client, employer_detail(small), django_assert_num_queries, EMPLOYER_QUERIES)
    large_size = cost_of(employer_client, employer_detail(large), django_assert_num_queries, EMPLOYER_QUERIES)

    assert small_size <= MAX_HTML and large_size <= MAX_HTML


def test_officer_case_page_in_russian_with_half_the_workers_failing_stays_under_200_kb(officer_client, employer, officer, rules):
    # Russian takes two bytes a letter, and a failing worker's row says why and offers the override.
    case = big_case(employer=employer, workers=5000, failing=set(range(0, 5000, 2)), assigned_officer=officer)
    officer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"

    page = officer_client.get(detail(case)).content

    assert "Не проходит блокирующую проверку".encode() in page
    assert len(shown_names(page.decode())) == 50
    assert len(page) <= MAX_HTML


def test_a_case_page_checks_every_worker_not_only_those_shown(officer_client, employer_user, employer, officer, rules):
    """The counts, the filter by check result and the submit button read the check of all the
    workers, while the page lists 50: a failure on the last page counts on the first."""
    case = big_case(employer=employer, workers=120, failing={119}, assigned_officer=officer)

    first = officer_client.get(detail(case)).content.decode()
    failing = officer_client.get(detail(case), {"check": "fails"}).content.decode()

    assert "Fail the rule check: 1" in first and "Pass the rule check: 119" in first
    assert shown_names(failing) == ["W00119"]
    case.status = Status.DRAFT
    case.save(update_fields=["status"])
    officer_client.force_login(employer_user)  # the same browser, now the employer's
    draft = officer_client.get(employer_detail(case)).content.decode()
    assert "Fail the rule check: 1" in draft
    assert 'id="submit-application" class="btn btn-secondary btn-disabled-why" disabled' in draft


# The partial approval across pages


def page_rows(page: str, application, failing_numbers, changes=None):
    """The partial form's fields for the lines of the page as drawn, at their default (failing:
    refused for the PCR test; others approved), with `changes` (line pk -> fields) on top."""
    failing_ids = {line_of(application, number).pk for number in failing_numbers}
    data = {"page_lines": ",".join(str(pk) for pk in page_line_ids(page))}
    for pk in page_line_ids(page):
        if pk in failing_ids:
            data |= {f"line_{pk}_decision": "refuse", f"line_{pk}_reason": RefusalReason.PCR_TEST}
        else:
            data |= {f"line_{pk}_decision": "approve"}
    for pk, fields in (changes or {}).items():
        data |= {f"line_{pk}_{name}": value for name, value in fields.items()}
    return data


def test_officer_refuses_workers_on_two_pages_and_decides_once(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, failing={10, 55}, assigned_officer=officer)
    on_first, on_second = line_of(case, 3), line_of(case, 57)

    first = officer_client.get(detail(case)).content.decode()
    saved = officer_client.post(
        f"{partial(case)}?page=1",
        {
            "version": case.version,
            "step": "save",
            **page_rows(
                first,
                case,
                {10},
                {
                    on_first.pk: {"decision": "refuse", "reason": RefusalReason.DOCUMENTS, "note": "No contract"},
                },
            ),
        },
    )
    assert saved.status_code == 302 and saved["Location"].endswith("?page=1")
    assert "Your marks on this page are kept until you take the decision." in messages_of(saved)
    # Back on the first page, the mark is where the officer left it.
    again = officer_client.get(detail(case)).content.decode()
    assert re.search(rf'name="line_{on_first.pk}_decision" value="refuse"[^>]*checked', again)
    assert "No contract" in again

    second = officer_client.get(detail(case), {"page": 2}).content.decode()
    assert on_second.pk in page_line_ids(second) and on_first.pk not in page_line_ids(second)
    decided = officer_client.post(
        f"{partial(case)}?page=2",
        {
            "version": case.version,
            "step": "decide",
            **page_rows(
                second,
                case,
                {55},
                {
                    on_second.pk: {"decision": "refuse", "reason": RefusalReason.PASSPORT},
                },
            ),
        },
    )

    assert decided.status_code == 302
    assert f"Application {case.reference} is partially approved." in messages_of(decided)
    case.refresh_from_db()
    assert case.status == Status.PARTIALLY_APPROVED
    refused = dict(case.lines.filter(outcome=WorkerOutcome.REFUSED).values_list("worker__surname_latin", "refusal_reason"))
    assert refused == {
        "W00003": RefusalReason.DOCUMENTS,
        "W00010": RefusalReason.PCR_TEST,
        "W00055": RefusalReason.PCR_TEST,
        "W00057": RefusalReason.PASSPORT,
    }
    assert case.lines.filter(outcome=WorkerOutcome.APPROVED).count() == 56
    assert line_of(case, 3).refusal_note == "No contract"


def test_refuse_all_failing_and_approve_all_passing_undo_the_marks_of_every_page(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, failing={10, 55}, assigned_officer=officer)
    failing_approved, passing_refused = line_of(case, 10), line_of(case, 20)
    justification = "The test was taken abroad and the certificate is in the file."
    first = officer_client.get(detail(case)).content.decode()
    officer_client.post(
        partial(case),
        {
            "version": case.version,
            "step": "save",
            **page_rows(
                first,
                case,
                {10},
                {
                    failing_approved.pk: {"decision": "approve", "reason": "", "override": "on", "justification": justification},
                    passing_refused.pk: {"decision": "refuse", "reason": RefusalReason.OTHER, "note": "The job offer was withdrawn."},
                },
            ),
        },
    )
    assert "2 workers marked differently from the default so far" in officer_client.get(detail(case)).content.decode()

    second = officer_client.get(detail(case), {"page": 2}).content.decode()
    refused_all = officer_client.post(
        f"{partial(case)}?page=2",
        {"version": case.version, "step": "refuse_failing", **page_rows(second, case, {55})},
    )
    approved_all = officer_client.post(
        f"{partial(case)}?page=2",
        {"version": case.version, "step": "approve_passing", **page_rows(second, case, {55})},
    )
    decided = officer_client.post(
        f"{partial(case)}?page=2",
        {"version": case.version, "step": "decide", **page_rows(second, case, {55})},
    )

    assert "Every worker failing a blocking check is marked to be refused, with the reason the check suggests." in messages_of(
        refused_all
    )
    assert "Every worker passing the rule check is marked to be approved." in messages_of(approved_all)
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PARTIALLY_APPROVED
    assert sorted(case.lines.filter(outcome=WorkerOutcome.REFUSED).values_list("worker__surname_latin", flat=True)) == [
        "W00010",
        "W00055",
    ]


def test_a_page_with_a_refusal_without_reason_is_not_kept_and_says_why(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, assigned_officer=officer)
    line = line_of(case, 4)
    first = officer_client.get(detail(case)).content.decode()

    response = officer_client.post(
        partial(case),
        {
            "version": case.version,
            "step": "save",
            **page_rows(
                first,
                case,
                set(),
                {
                    line.pk: {"decision": "refuse", "reason": ""},
                },
            ),
        },
    )

    assert response.status_code == 200
    assert "Choose why this worker is refused." in response.content.decode()
    assert "(0 workers marked differently from the default so far)" in officer_client.get(detail(case)).content.decode()


def test_saving_a_page_of_a_case_moved_on_keeps_nothing(officer_client, employer, officer, rules):
    case = big_case(employer=employer, workers=60, assigned_officer=officer)
    first = officer_client.get(detail(case)).content.decode()
    line = line_of(case, 4)

    response = officer_client.post(
        partial(case),
        {
            "version": case.version - 1 or 99,
            "step": "save",
            **page_rows(
                first,
                case,
                set(),
                {
                    line.pk: {"decision": "refuse", "reason": RefusalReason.OTHER, "note": "The job offer was withdrawn."},
                },
            ),
        },
    )

    assert "This form is out of date. Reload the page and try again." in messages_of(response)
    assert "(0 workers marked differently from the default so far)" in officer_client.get(detail(case)).content.decode()


# Scoping stays as it was


def test_officer_of_another_region_gets_404_with_filters_and_for_a_page_save(client, officer_spb, employer, officer, rules):
    case = big_case(employer=employer, workers=60, assigned_officer=officer)
    client.force_login(officer_spb)

    assert client.get(detail(case), {"q": "W0000", "check": "fails", "page": 2}).status_code == 404
    assert client.post(partial(case), {"version": case.version, "step": "save", "page_lines": ""}).status_code == 404
    assert client.post(partial(case), {"version": case.version, "step": "refuse_failing"}).status_code == 404


def test_another_company_gets_404_on_the_employer_case_page_with_filters(client, other_employer_user, employer, rules):
    case = big_case(employer=employer, workers=60, status=Status.SUBMITTED)
    client.force_login(other_employer_user)

    assert client.get(employer_detail(case), {"q": "W0000", "page": 2}).status_code == 404
