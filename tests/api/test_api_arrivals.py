"""Arrivals through the API: each approved worker's arrival as a clock's reading in a zone, the
isolation dates and, where the region's rules ask, the test after arrival; the web form's
messages per row, all rows or none, and the same service as the web's report."""

import datetime as dt

import pytest

from applications import services
from applications.models import CaseWorker, Status
from regions.models import PcrTestTiming
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.arrivals import TODAY, approved_three_weeks_ago, moscow_time
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db


def arrivals_of(case) -> str:
    return f"/api/v1/applications/{case.pk}/arrivals/"


def clock(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    return approved_three_weeks_ago(employer, officer)


def test_an_employer_reports_arrivals_and_reads_them_back(api, approved_case):
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    rows = [
        {
            "worker": approved_case.karimov.worker_id,
            "arrived_at": clock(arrived),
            "isolation_started_on": arrived.date().isoformat(),
            "isolation_ended_on": (arrived.date() + dt.timedelta(days=14)).isoformat(),
        },
        {"worker": approved_case.nazarov.worker_id, "arrived_at": clock(arrived + dt.timedelta(days=1))},
    ]

    response = api.post(arrivals_of(approved_case), {"arrivals": rows})

    assert response.status_code == 200, response.json()
    assert response.json()["recorded"] == 2 and response.json()["warnings"] == []
    karimov = CaseWorker.objects.get(pk=approved_case.karimov.pk)
    assert (karimov.arrived_at, karimov.isolation_ended_on) == (arrived, arrived.date() + dt.timedelta(days=14))
    listed = {row["worker"]: row for row in api.get(arrivals_of(approved_case)).json()}
    assert set(listed) == {approved_case.karimov.worker_id, approved_case.nazarov.worker_id}
    assert listed[approved_case.nazarov.worker_id]["arrived_on"] == (arrived.date() + dt.timedelta(days=1)).isoformat()


def test_an_arrival_given_in_another_zone_is_stored_as_the_same_instant(api, approved_case):
    # 06:15 in Dushanbe (UTC+5) is 04:15 in Moscow (UTC+3).
    arrived = moscow_time(TODAY - dt.timedelta(days=18), dt.time(4, 15))

    response = api.post(
        arrivals_of(approved_case),
        {
            "arrivals": [
                {
                    "worker": approved_case.karimov.worker_id,
                    "arrived_at": clock(arrived + dt.timedelta(hours=2)),
                    "zone": "Asia/Dushanbe",
                }
            ]
        },
    )

    assert response.status_code == 200, response.json()
    assert CaseWorker.objects.get(pk=approved_case.karimov.pk).arrived_at == arrived


def test_a_later_row_keeps_what_it_leaves_out_and_null_clears(api, approved_case):
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    worker = approved_case.karimov.worker_id
    api.post(arrivals_of(approved_case), {"arrivals": [{"worker": worker, "arrived_at": clock(arrived)}]})

    ended = (arrived.date() + dt.timedelta(days=14)).isoformat()
    kept = api.post(
        arrivals_of(approved_case),
        {"arrivals": [{"worker": worker, "isolation_started_on": arrived.date().isoformat(), "isolation_ended_on": ended}]},
    )
    assert kept.status_code == 200, kept.json()
    assert CaseWorker.objects.get(pk=approved_case.karimov.pk).arrived_at == arrived

    cleared = api.post(
        arrivals_of(approved_case),
        {"arrivals": [{"worker": worker, "isolation_ended_on": None}]},
    )
    assert cleared.status_code == 200
    line = CaseWorker.objects.get(pk=approved_case.karimov.pk)
    assert (line.arrived_at, line.isolation_started_on, line.isolation_ended_on) == (arrived, arrived.date(), None)


def test_a_short_isolation_is_recorded_with_the_web_reports_warning(api, approved_case):
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    row = {
        "worker": approved_case.karimov.worker_id,
        "arrived_at": clock(arrived),
        "isolation_started_on": arrived.date().isoformat(),
        "isolation_ended_on": (arrived.date() + dt.timedelta(days=10)).isoformat(),
    }

    response = api.post(arrivals_of(approved_case), {"arrivals": [row]})

    assert response.status_code == 200
    assert response.json()["warnings"] == ["KARIMOV A.: the isolation lasted 4 days less than the 14 days guaranteed."]


def test_refused_rows_are_reported_each_with_its_field_and_nothing_is_recorded(api, approved_case):
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    rows = [
        {"worker": approved_case.karimov.worker_id, "arrived_at": clock(arrived)},
        {"worker": approved_case.nazarov.worker_id, "arrived_at": clock(arrived), "isolation_started_on": "2020-01-01"},
        {"worker": approved_case.rakhimov.worker_id, "arrived_at": clock(arrived)},
        {"worker": approved_case.karimov.worker_id, "arrived_at": clock(arrived)},
        {"worker": approved_case.nazarov.worker_id, "arrived_at": "yesterday", "colour": "red", "zone": "Mars/Olympus"},
        "not a row",
    ]

    response = api.post(arrivals_of(approved_case), {"arrivals": rows})

    assert response.status_code == 400
    report = response.json()
    assert report["recorded"] == 0
    found = {(error["row"], error["field"]): error["message"] for error in report["errors"]}
    assert found[(2, "isolation_started_on")] == "The isolation cannot begin before the worker arrived."
    assert found[(3, "worker")] == "A reported worker is not on this application."
    assert found[(4, "worker")] == "This worker is also on row 1."
    assert found[(5, "colour")] == "There is no such field."
    assert (6, "") in found
    assert not CaseWorker.objects.filter(arrived_at__isnull=False).exists()


def test_a_time_the_clocks_skipped_in_the_zone_given_is_refused_next_to_it(api, approved_case):
    # Berlin's clocks went from 02:00 to 03:00 on 28 March 2021.
    row = {"worker": approved_case.karimov.worker_id, "arrived_at": "2021-03-28T02:30", "zone": "Europe/Berlin"}

    report = api.post(arrivals_of(approved_case), {"arrivals": [row]}).json()

    assert report["errors"] == [
        {
            "row": 1,
            "field": "arrived_at",
            "message": "02:30 did not exist in Europe/Berlin on that day: the clocks were moved forward. Check the time.",
        }
    ]


@pytest.fixture
def tested_after_arrival(employer, moscow, threshold, officer):
    RuleSetFactory(region=moscow, pcr_test_timing=PcrTestTiming.AFTER_ARRIVAL, pcr_max_age_hours=72)
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, isolation_days=14)
    application.karimov = CaseWorkerFactory(
        application=application, worker=WorkerFactory(employer=employer, surname_latin="KARIMOV")
    )
    services.application_approve(application=application, user=officer)
    application.refresh_from_db()
    application.set_planned_arrival(moscow_time(TODAY - dt.timedelta(days=20), dt.time(12)))
    application.save(update_fields=["planned_arrival_at", "planned_arrival_date"])
    return application


def test_the_test_after_arrival_is_taken_where_the_rules_ask_with_the_web_reports_warning(api, tested_after_arrival):
    arrived = moscow_time(TODAY - dt.timedelta(days=18))
    row = {"worker": tested_after_arrival.karimov.worker_id, "arrived_at": clock(arrived)}
    taken = arrived + dt.timedelta(hours=73)

    late = api.post(arrivals_of(tested_after_arrival), {"arrivals": [{**row, "arrival_test_taken_at": clock(taken)}]})
    assert late.status_code == 200, late.json()
    assert CaseWorker.objects.get(pk=tested_after_arrival.karimov.pk).arrival_test_taken_at == taken
    assert late.json()["warnings"] == [
        "KARIMOV A.: the PCR test was taken 73 h 00 min after the arrival; Moscow requires one within 72 hours."
    ]

    before = api.post(
        arrivals_of(tested_after_arrival),
        {"arrivals": [{**row, "arrival_test_taken_at": clock(arrived - dt.timedelta(hours=1))}]},
    )
    assert before.json()["errors"][0]["message"] == "The test after arrival cannot be before the arrival."


def test_a_test_after_arrival_is_refused_where_the_rules_ask_for_one_before(api, approved_case):
    row = {"worker": approved_case.karimov.worker_id, "arrival_test_taken_at": clock(moscow_time(TODAY))}

    report = api.post(arrivals_of(approved_case), {"arrivals": [row]}).json()

    assert report["errors"] == [
        {"row": 1, "field": "arrival_test_taken_at", "message": "The region's rules ask for no PCR test after arrival."}
    ]


def test_a_case_not_approved_refuses_arrivals_with_a_409(api, employer, moscow_rules):
    draft = ApplicationFactory(employer=employer)

    for response in (api.get(arrivals_of(draft)), api.post(arrivals_of(draft), {"arrivals": [{"worker": 1}]})):
        assert response.status_code == 409
        assert response.json()["detail"] == "Arrivals can be reported only once the application is approved; it is “Draft”."


def test_a_body_without_a_list_of_arrivals_is_a_400(api, approved_case):
    for body in ({}, {"arrivals": []}, {"arrivals": "x"}, {"arrivals": [{}], "more": 1}):
        response = api.post(arrivals_of(approved_case), body)
        assert response.status_code == 400
        assert response.json()["errors"] == {"arrivals": ["Send a list of arrivals, from 1 to 500."]}


def test_another_companys_case_is_a_404_for_its_arrivals(api, other_employer_user, officer, moscow_rules, threshold):
    theirs = approved_three_weeks_ago(other_employer_user.employer_membership.employer, officer)

    assert api.get(arrivals_of(theirs)).status_code == 404
    assert api.post(arrivals_of(theirs), {"arrivals": [{"worker": theirs.karimov.worker_id}]}).status_code == 404


def test_an_arrival_that_is_no_date_and_time_gets_the_web_forms_message_under_arrived_at(api, approved_case):
    row = {"worker": approved_case.karimov.worker_id, "arrived_at": "yesterday at noon"}

    report = api.post(arrivals_of(approved_case), {"arrivals": [row]}).json()

    assert report["errors"] == [{"row": 1, "field": "arrived_at", "message": "Enter a valid date."}]


@pytest.mark.parametrize("zone", ["", "Asia/Dushanbe"])
def test_the_first_day_of_the_calendar_in_any_zone_is_refused_next_to_the_arrival_never_a_500(api, approved_case, zone):
    row = {"worker": approved_case.karimov.worker_id, "arrived_at": "0001-01-01T00:00", **({"zone": zone} if zone else {})}

    report = api.post(arrivals_of(approved_case), {"arrivals": [row]}).json()

    assert report["errors"] == [{"row": 1, "field": "arrived_at", "message": "Give a date from 2020 on."}]
