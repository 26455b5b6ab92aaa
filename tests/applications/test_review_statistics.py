"""The statistics of an officer's region: cases by status, decisions per week, median days to a
decision, overdue cases, approved workers against the quota, top citizenships; drawn as SVG on
the server with the numbers in tables, for the officer's own regions only."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.charts import Bar, bar_chart
from applications.models import Status, WorkerOutcome
from applications.selectors.quota import add_months
from applications.selectors.statistics import region_statistics
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, EmployerFactory, WorkerFactory
from tests.portal.factories import OfficerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

STATISTICS = reverse("applications:review-statistics")


def today():
    return timezone.localdate()


def this_monday():
    return today() - dt.timedelta(days=today().weekday())


def local_noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def month_label(month):
    with translation.override("en"):
        return date_format(month, "YEAR_MONTH_FORMAT")


def decided_case(*, days_to_decide, decided_on, outcome=Status.APPROVED, **fields):
    decided_at = local_noon(decided_on)
    submitted_at = decided_at - dt.timedelta(days=days_to_decide)
    return ApplicationFactory(
        status=outcome, created_at=submitted_at - dt.timedelta(hours=1), submitted_at=submitted_at, decided_at=decided_at,
        **fields,
    )


def table_row(page, heading):
    """The numbers of the table row headed `heading`, as text."""
    match = re.search(rf'<th scope="row">{re.escape(heading)}</th>(.*?)</tr>', page, re.S)
    assert match, f"no row {heading!r}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).split()


# The figures


def test_the_median_days_to_a_decision_of_three_cases_decided_in_2_4_and_6_days_is_4(officer_client, moscow_rules):
    decided_on = this_monday() - dt.timedelta(weeks=1)
    decided_case(days_to_decide=2, decided_on=decided_on)
    decided_case(days_to_decide=4, decided_on=decided_on, outcome=Status.REJECTED)
    decided_case(days_to_decide=6, decided_on=decided_on, outcome=Status.PARTIALLY_APPROVED)
    # Decided before the 12 weeks shown: not in the median.
    decided_case(days_to_decide=40, decided_on=this_monday() - dt.timedelta(weeks=13))

    response = officer_client.get(STATISTICS)

    assert response.context["statistics"].median_days_to_decision == pytest.approx(4)
    assert "4 days (3 decisions)" in response.content.decode()


def test_the_median_of_an_even_number_of_decisions_is_the_mean_of_the_middle_two(moscow_rules, moscow):
    for days in (1, 2, 5, 9):
        decided_case(days_to_decide=days, decided_on=this_monday())

    statistics = region_statistics(region=moscow, today=today())

    assert statistics.median_days_to_decision == pytest.approx(3.5)


def test_without_decisions_the_median_says_so(officer_client, moscow_rules):
    ApplicationFactory(status=Status.SUBMITTED)

    assert "No decisions in this period" in officer_client.get(STATISTICS).content.decode()


def test_cases_are_counted_by_status_without_drafts(officer_client, moscow_rules):
    for status, count in ((Status.SUBMITTED, 3), (Status.IN_REVIEW, 2), (Status.DRAFT, 4), (Status.WITHDRAWN, 1)):
        for _ in range(count):
            ApplicationFactory(status=status)

    page = officer_client.get(STATISTICS).content.decode()

    assert table_row(page, "Submitted") == ["3"]
    assert table_row(page, "In review") == ["2"]
    assert table_row(page, "Withdrawn") == ["1"]
    assert table_row(page, "Approved") == ["0"]
    assert "Draft" not in re.search(r'id="table-by-status".*?</table>', page, re.S).group(0)
    assert re.search(r'id="figure-total">\s*6\s*<', page)


def test_decisions_are_counted_per_iso_week_for_the_last_12_weeks(officer_client, moscow_rules):
    week_before = this_monday() - dt.timedelta(weeks=1)
    decided_case(days_to_decide=1, decided_on=this_monday())
    decided_case(days_to_decide=1, decided_on=week_before)
    decided_case(days_to_decide=1, decided_on=week_before + dt.timedelta(days=6), outcome=Status.REJECTED)
    decided_case(days_to_decide=1, decided_on=this_monday() - dt.timedelta(weeks=12))  # too old to show
    ApplicationFactory(status=Status.WITHDRAWN)  # not a decision

    response = officer_client.get(STATISTICS)

    weeks = response.context["statistics"].weekly_decisions
    assert len(weeks) == 12
    assert weeks[-1].monday == this_monday()
    assert [week.decisions for week in weeks[-2:]] == [2, 1]
    assert sum(week.decisions for week in weeks) == 3
    with translation.override("en"):
        assert table_row(response.content.decode(), f"from {date_format(week_before, 'DATE_FORMAT')}")[-1] == "2"


def test_overdue_cases_are_those_still_waiting_past_their_deadline(officer_client, moscow_rules):
    yesterday = today() - dt.timedelta(days=1)
    ApplicationFactory(status=Status.SUBMITTED, deadline=yesterday)
    ApplicationFactory(status=Status.INFO_REQUESTED, deadline=yesterday)
    ApplicationFactory(status=Status.IN_REVIEW, deadline=today())  # due today: not yet overdue
    decided_case(days_to_decide=20, decided_on=today(), deadline=yesterday)  # decided late, but decided

    page = officer_client.get(STATISTICS).content.decode()

    assert re.search(r'id="figure-overdue">\s*2\s*<', page)


def test_approved_workers_are_shown_by_arrival_month_against_the_quota(officer_client, moscow):
    this_month = today().replace(day=1)
    RuleSetFactory(region=moscow, effective_from=dt.date(2020, 6, 1), monthly_worker_quota=500)
    RuleSetFactory(region=moscow, effective_from=add_months(this_month, 1), monthly_worker_quota=2)
    for arrival, approved in ((this_month, 3), (add_months(this_month, -2), 2), (add_months(this_month, 1), 3)):
        application = ApplicationFactory(status=Status.APPROVED, planned_arrival_date=arrival)
        for _ in range(approved):
            CaseWorkerFactory(application=application, outcome=WorkerOutcome.APPROVED)
        CaseWorkerFactory(application=application, outcome=WorkerOutcome.REFUSED, refusal_reason="other")
    CaseWorkerFactory(
        application=ApplicationFactory(status=Status.APPROVED, planned_arrival_date=add_months(this_month, 3)),
        outcome=WorkerOutcome.APPROVED,
    )  # beyond the months shown

    response = officer_client.get(STATISTICS)

    months = response.context["statistics"].monthly_approved
    assert [month.month for month in months] == [add_months(this_month, offset) for offset in range(-5, 3)]
    page = response.content.decode()
    assert table_row(page, month_label(this_month)) == ["3", "500"]
    assert table_row(page, month_label(add_months(this_month, -2))) == ["2", "500"]
    assert table_row(page, month_label(add_months(this_month, 1))) == ["3", "(over", "the", "quota)", "2"]
    assert table_row(page, month_label(add_months(this_month, 2))) == ["0", "2"]


def test_a_month_without_a_quota_says_there_is_no_cap(officer_client, moscow_rules):
    page = officer_client.get(STATISTICS).content.decode()

    assert table_row(page, month_label(today().replace(day=1))) == ["0", "no", "cap"]


def test_the_top_citizenships_count_a_person_in_two_companies_registries_once(officer_client, moscow_rules):
    for number in ("AA 123-4567", "aa1234567"):
        application = ApplicationFactory(status=Status.SUBMITTED)
        CaseWorkerFactory(
            application=application, worker=WorkerFactory(employer=application.employer, citizenship="UZ", passport_number=number)
        )

    response = officer_client.get(STATISTICS)

    assert [(row.code, row.workers) for row in response.context["statistics"].top_citizenships] == [("UZ", 1)]


def test_the_top_citizenships_count_each_worker_once_and_show_ten_at_most(officer_client, moscow_rules):
    employer = EmployerFactory()
    cases = [ApplicationFactory(employer=employer, status=Status.SUBMITTED) for _ in range(2)]
    returning = WorkerFactory(employer=employer, citizenship="UZ")
    for application in cases:  # one person on two cases
        CaseWorkerFactory(application=application, worker=returning)
    for code, count in (("UZ", 2), ("TJ", 2), ("KG", 1)):
        for _ in range(count):
            CaseWorkerFactory(application=cases[0], worker=WorkerFactory(employer=employer, citizenship=code))
    for code in ("AM", "AZ", "BY", "CN", "GE", "IN", "KZ", "MD", "TR", "VN"):
        CaseWorkerFactory(application=cases[1], worker=WorkerFactory(employer=employer, citizenship=code))
    CaseWorkerFactory(
        application=ApplicationFactory(employer=employer, status=Status.DRAFT),
        worker=WorkerFactory(employer=employer, citizenship="KG"),
    )  # a draft's worker is not counted

    response = officer_client.get(STATISTICS)

    rows = [(row.code, row.workers) for row in response.context["statistics"].top_citizenships]
    assert rows[:3] == [("UZ", 3), ("TJ", 2), ("AM", 1)]
    assert len(rows) == 10
    page = response.content.decode()
    assert table_row(page, "Uzbekistan") == ["3"]
    assert table_row(page, "Tajikistan") == ["2"]


# Scope


def test_officer_of_another_region_sees_none_of_moscows_numbers(client, officer_spb, moscow_rules):
    decided_case(days_to_decide=3, decided_on=this_monday())
    CaseWorkerFactory(application=ApplicationFactory(status=Status.SUBMITTED, deadline=today() - dt.timedelta(days=2)))
    client.force_login(officer_spb)

    response = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en")

    statistics = response.context["statistics"]
    assert statistics.region.number == 78
    assert statistics.total_cases == statistics.overdue == statistics.decided_in_weeks == 0
    assert statistics.top_citizenships == []
    assert "Statistics of Saint Petersburg" in response.content.decode()


def test_asking_for_another_regions_statistics_is_refused_at_the_field(client, officer_spb, moscow, moscow_rules):
    ApplicationFactory(status=Status.SUBMITTED)
    client.force_login(officer_spb)

    response = client.get(STATISTICS, {"region": moscow.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["statistics"].region.number == 78
    assert response.context["statistics"].total_cases == 0
    assert "Select a valid choice." in response.content.decode()


def test_an_officer_of_two_regions_chooses_the_region(client, moscow, spb, moscow_rules):
    both = OfficerFactory(regions=[moscow, spb])
    ApplicationFactory(status=Status.SUBMITTED)
    ApplicationFactory(status=Status.SUBMITTED, region=spb)
    ApplicationFactory(status=Status.IN_REVIEW, region=spb)
    client.force_login(both)

    first = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en")
    chosen = client.get(STATISTICS, {"region": spb.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert 'name="region"' in first.content.decode()
    assert (first.context["statistics"].region, first.context["statistics"].total_cases) == (moscow, 1)
    assert (chosen.context["statistics"].region, chosen.context["statistics"].total_cases) == (spb, 2)


def test_an_officer_of_one_region_is_not_offered_a_choice(officer_client, moscow_rules):
    assert 'name="region"' not in officer_client.get(STATISTICS).content.decode()


def test_employers_may_not_see_the_statistics(client, employer_user):
    client.force_login(employer_user)

    assert client.get(STATISTICS).status_code == 403


# Rendering


def test_each_chart_is_inline_svg_with_its_numbers_in_a_table(officer_client, moscow_rules):
    CaseWorkerFactory(application=decided_case(days_to_decide=3, decided_on=this_monday()))

    page = officer_client.get(STATISTICS).content.decode()

    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart"') == 4
    for table in ("table-by-status", "table-weekly-decisions", "table-monthly-approved", "table-citizenships"):
        assert f'id="{table}"' in page
    assert "<title>Approved: 1</title>" in page
    assert "style=" not in page


def test_chart_labels_and_titles_are_escaped():
    svg = bar_chart(
        [Bar("<script>alert(1)</script>", 3, limit=2), Bar('Tom & "Jerry"', 1)],
        chart_id="chart-x", title="<b>Employers</b>",
    )

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Tom &amp; &quot;Jerry&quot;" in svg
    assert "&lt;b&gt;Employers&lt;/b&gt;" in svg
    assert "3 / 2, over" in svg  # a bar over its limit says so in words


def test_a_long_label_is_shortened_on_the_chart_but_whole_in_its_tooltip():
    label = "Democratic People's Republic of Korea"

    svg = bar_chart([Bar(label, 1)], chart_id="chart-y", title="Citizenships")

    assert "Democratic People&#x27;s Rep…</text>" in svg
    assert "<title>Democratic People&#x27;s Republic of Korea: 1</title>" in svg


def test_an_employer_named_script_never_reaches_the_statistics_page_unescaped(officer_client, moscow_rules):
    hostile = EmployerFactory(name="<script>alert(1)</script>")
    CaseWorkerFactory(application=ApplicationFactory(employer=hostile, status=Status.SUBMITTED))

    page = officer_client.get(STATISTICS).content.decode()

    assert "<script>alert(1)</script>" not in page


def test_the_page_costs_the_same_number_of_queries_for_1_and_for_60_cases(
    officer_client, moscow, django_assert_num_queries
):
    RuleSetFactory(region=moscow, monthly_worker_quota=100)

    def some_case(index):
        application = decided_case(days_to_decide=1 + index % 5, decided_on=this_monday() - dt.timedelta(weeks=index % 12))
        CaseWorkerFactory(
            application=application, outcome=WorkerOutcome.APPROVED,
            worker=WorkerFactory(employer=application.employer, citizenship=("UZ", "TJ", "KG", "AM")[index % 4]),
        )

    some_case(0)
    with CaptureQueriesContext(connection) as one_case:
        assert officer_client.get(STATISTICS).status_code == 200

    for index in range(1, 60):
        some_case(index)
    with django_assert_num_queries(len(one_case)):
        response = officer_client.get(STATISTICS)
    assert response.context["statistics"].decided_in_weeks == 60


# Statistics people can read (issue 18, item 4)


def test_chart_text_is_drawn_at_its_size_never_shrunk_below_12_px():
    svg = bar_chart([Bar("Uzbekistan", 3)], chart_id="chart-z", title="Citizenships")
    view_box_width = re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)

    # Drawn one CSS pixel per unit: the 12 px of the stylesheet are 12 px on the screen.
    assert re.search(r'<svg[^>]* width="(\d+)"', svg).group(1) == view_box_width
    css = (settings_root() / "static" / "css" / "portal.css").read_text()
    sizes = re.findall(r"\.bar-chart-label, \.bar-chart-value \{[^}]*font-size: (\d+)px", css)
    assert sizes and int(sizes[0]) >= 12


def settings_root():
    from django.conf import settings

    return settings.BASE_DIR


def test_weeks_are_named_by_the_day_they_start(officer_client, client, officer, moscow_rules):
    monday = this_monday() - dt.timedelta(weeks=1)
    decided_case(days_to_decide=3, decided_on=monday + dt.timedelta(days=2))

    page = officer_client.get(STATISTICS).content.decode()

    with translation.override("en"):
        chart_label = f"from {date_format(monday, 'j F')}"
        table_label = f"from {date_format(monday, 'DATE_FORMAT')}"
    assert f">{chart_label}</text>" in page
    assert table_row(page, table_label) == ["1"]
    assert "-W" not in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    with translation.override("ru"):
        assert f">с {date_format(monday, 'j E')}</text>" in client.get(STATISTICS).content.decode()


@pytest.mark.parametrize(("language", "grouped"), [("en", "1,234"), ("ru", None)])
def test_numbers_are_grouped_as_the_reader_writes_them(language, grouped):
    from django.utils.formats import number_format

    with translation.override(language):
        svg = bar_chart([Bar("Uzbekistan", 1234, 2000)], chart_id="chart-n", title="Workers")
        expected = grouped or number_format(1234, force_grouping=True)
    assert expected != "1234"
    assert f">{expected} / " in svg and "1234" not in svg


def test_partial_approvals_have_a_colour_of_their_own(officer_client, moscow_rules):
    decided_case(days_to_decide=3, decided_on=this_monday(), outcome=Status.PARTIALLY_APPROVED)
    decided_case(days_to_decide=3, decided_on=this_monday(), outcome=Status.APPROVED)

    page = officer_client.get(STATISTICS).content.decode()
    chart = re.search(r'<svg[^>]*id="chart-by-status".*?</svg>', page, re.S).group(0)

    classes = dict(re.findall(r'<title>([^<:]+): \d+</title>.*?<rect class="([^"]+)"', chart, re.S))
    assert classes["Partially approved"] != classes["Approved"]
    css = (settings_root() / "static" / "css" / "portal.css").read_text()
    fills = {name: re.search(rf"\.{name} \{{ fill: ([^;]+);", css).group(1) for name in classes["Partially approved"].split()[1:] + classes["Approved"].split()[1:]}
    assert len(set(fills.values())) == 2


def test_each_chart_is_described_by_its_table(officer_client, moscow_rules):
    decided_case(days_to_decide=3, decided_on=this_monday())

    page = officer_client.get(STATISTICS).content.decode()

    for chart, table in (
        ("chart-by-status", "table-by-status"), ("chart-weekly-decisions", "table-weekly-decisions"),
        ("chart-monthly-approved", "table-monthly-approved"),
    ):
        assert re.search(rf'<figure[^>]*aria-describedby="{table}"[^>]*>\s*<svg[^>]*id="{chart}"', page), chart
