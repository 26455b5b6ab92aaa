"""Corrections made while the authority asks for information leave a diff: the officer sees on the
case's history what the employer changed (the worker, the field, before → after) before
answering. Drafts are not logged, nor saves that change nothing; the log cannot be rewritten."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import CaseCorrection, Status
from applications.services.earlier_permits import earlier_permit_attach_scan, earlier_permit_declare
from applications.services.workers import WORKER_FIELDS
from regions.time_zones import local_instant
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import draft_form_data, text, url
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def worker_form(worker, **changes) -> dict:
    """The registry's worker form as the page fills it for `worker`, with `changes` typed in."""
    data = {}
    for name in WORKER_FIELDS:
        value = getattr(worker, name)
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return {**data, **changes}


def case_form(application, **changes) -> dict:
    """The case's form as the page fills it for the case below, with `changes` typed in."""
    return draft_form_data(application.region, application.planned_arrival_date, **changes)


def a_case(employer, *, status=Status.SUBMITTED, **fields):
    """A case filled as `case_form` posts it, with KARIMOV A. and TOSHEV B. on it."""
    application = ApplicationFactory(
        employer=employer, status=status, activity_okved="41.20", isolation_address="Moscow, Stroiteley 5", **fields
    )
    CaseWorkerFactory(
        application=application,
        worker__surname_latin="KARIMOV",
        worker__given_names_latin="ALISHER",
        worker__passport_number="FA1234567",
    )
    CaseWorkerFactory(application=application, worker__surname_latin="TOSHEV", worker__given_names_latin="BOBUR")
    return application


def ask(application, officer, message="Check KARIMOV's passport and the isolation address."):
    if application.status == Status.SUBMITTED:
        application = services.application_take_into_review(application=application, user=officer)
    return services.application_request_information(application=application, user=officer, message=message, answer_days=5)


def answer(client, application, message="Corrected as asked.") -> None:
    application.refresh_from_db()
    response = client.post(url("application-answer", application.pk), {"version": application.version, "message": message})
    assert response.status_code == 302


def worker_named(application, surname):
    return application.lines.select_related("worker").get(worker__surname_latin=surname).worker


def browser(user, language="en") -> Client:
    """A browser of its own, logged in as `user`: the officer's, beside the employer's."""
    own = Client(HTTP_ACCEPT_LANGUAGE=language)
    own.force_login(user)
    return own


@pytest.fixture
def officer_browser(officer):
    return browser(officer)


@pytest.fixture
def asked_case(employer, officer, moscow_rules, threshold):
    return ask(a_case(employer), officer)


def correct_everything(employer_client, application) -> None:
    """The corrections of the story: KARIMOV's passport and surname in the registry, the
    isolation address, a new insurance policy, TOSHEV off the case."""
    karimov = worker_named(application, "KARIMOV")
    toshev_line = application.lines.get(worker__surname_latin="TOSHEV")
    responses = [
        employer_client.post(
            url("worker-edit", karimov.pk), worker_form(karimov, surname_latin="KARIMOVA", passport_number="FA7654321")
        ),
        employer_client.post(
            url("application-edit", application.pk), case_form(application, isolation_address="Moscow, Lenina 1")
        ),
        employer_client.post(url("document-upload", application.pk), {"kind": "insurance_policy", "file": pdf("policy.pdf")}),
        employer_client.post(url("application-remove-worker", application.pk, toshev_line.pk)),
    ]
    assert [response.status_code for response in responses] == [302] * 4


# The story


def test_the_officer_sees_each_correction_with_before_and_after_under_the_answer(
    employer_client, officer_browser, employer_user, asked_case
):
    correct_everything(employer_client, asked_case)
    answer(employer_client, asked_case, "Passport and address corrected, policy attached, TOSHEV stays home.")

    page = text(officer_browser.get(url("review-detail", asked_case.pk)))

    by = f"Correction by {employer_user}:"
    lines = [
        f"{by} KARIMOV A. — surname (Latin, as in the passport): KARIMOV → KARIMOVA",
        f"{by} KARIMOV A. — passport number: FA1234567 → FA7654321",
        f"{by} Isolation address: Moscow, Stroiteley 5 → Moscow, Lenina 1",
        f"{by} Document added: policy.pdf (Insurance policy)",
        f"{by} Worker removed: TOSHEV B.",
    ]
    for line in lines:
        assert line in page
    # In time order, under the answer they were sent with, after the request they answer.
    positions = [page.index(line) for line in lines]
    assert positions == sorted(positions)
    request = page.index("Check KARIMOV's passport and the isolation address.")
    answered = page.index("Passport and address corrected, policy attached, TOSHEV stays home.")
    heading = page.index("Corrected before this answer:")
    assert request < answered < heading < positions[0]


def test_only_the_fields_that_changed_are_logged_each_once(employer_client, asked_case):
    correct_everything(employer_client, asked_case)

    rows = list(CaseCorrection.objects.filter(application=asked_case).order_by("at", "pk").values_list("what", "field"))

    assert sorted(rows) == sorted(
        [
            ("worker_field", "surname_latin"),
            ("worker_field", "passport_number"),
            ("case_field", "isolation_address"),
            ("document_added", ""),
            ("worker_removed", "pcr_test_taken_at"),  # with the test the line had
        ]
    )


def test_the_employer_sees_the_corrections_on_its_own_case_page_too(employer_client, employer_user, asked_case):
    correct_everything(employer_client, asked_case)

    page = text(employer_client.get(url("application-detail", asked_case.pk)))

    # Not answered yet: the corrections so far, at the end of the history.
    assert "Corrected since the request, not yet sent with an answer:" in page
    assert f"Correction by {employer_user}: KARIMOV A. — passport number: FA1234567 → FA7654321" in page
    assert page.index("Check KARIMOV's passport") < page.index("Corrected since the request")


def test_the_diff_reads_in_the_readers_language(employer_client, officer, asked_case):
    karimov = worker_named(asked_case, "KARIMOV")
    employer_client.post(
        url("worker-edit", karimov.pk),
        worker_form(karimov, passport_number="FA7654321", passport_expiry="2031-03-04", citizenship="TJ"),
    )
    employer_client.post(url("application-edit", asked_case.pk), case_form(asked_case, vaccination_booked="on"))

    in_english = text(browser(officer, "en").get(url("review-detail", asked_case.pk)))
    in_russian = text(browser(officer, "ru").get(url("review-detail", asked_case.pk)))

    assert "KARIMOV A. — passport valid until: 01/01/2030 → 03/04/2031" in in_english
    assert "KARIMOV A. — citizenship: Uzbekistan → Tajikistan" in in_english
    assert "Vaccination booked for the list: No → Yes" in in_english
    assert "KARIMOV A. — номер паспорта: FA1234567 → FA7654321" in in_russian
    assert "KARIMOV A. — паспорт действителен до: 01.01.2030 → 04.03.2031" in in_russian
    assert "KARIMOV A. — гражданство: Узбекистан → Таджикистан" in in_russian
    assert ": Нет → Да" in in_russian


def test_a_new_crossing_and_arrival_time_read_as_the_checkpoints_and_the_local_times(employer_user, officer_browser, asked_case):
    arrival_day = asked_case.planned_arrival_date
    services.application_update_draft(
        application=asked_case,
        user=employer_user,
        checkpoint=checkpoint("VKO"),
        planned_arrival_at=local_instant(arrival_day, dt.time(15, 30), checkpoint("VKO").zone),
    )

    page = text(officer_browser.get(url("review-detail", asked_case.pk)))

    day = arrival_day.strftime("%m/%d/%Y")
    assert "Border crossing point: Sheremetyevo — airport (SVO), Moscow Oblast → Vnukovo — airport (VKO), Moscow" in page
    assert f"Planned arrival: {day} 12:00 (Europe/Moscow, UTC+3) → {day} 15:30 (Europe/Moscow, UTC+3)" in page
    # The arrival's local date follows the instant: it is no correction of its own.
    assert not CaseCorrection.objects.filter(field="planned_arrival_date").exists()


def test_a_worker_added_while_asked_is_listed_with_the_pcr_test_as_printed(employer, employer_user, officer_browser, asked_case):
    newcomer = WorkerFactory(employer=employer, surname_latin="YUSUPOV", given_names_latin="DAVRON")
    tested = local_instant(asked_case.planned_arrival_date - dt.timedelta(days=1), dt.time(9, 15), ZoneInfo("Asia/Tashkent"))

    services.application_add_worker(
        application=asked_case, user=employer_user, worker=newcomer, pcr_test_taken_at=tested, pcr_test_zone="Asia/Tashkent"
    )

    page = text(officer_browser.get(url("review-detail", asked_case.pk)))
    day = (asked_case.planned_arrival_date - dt.timedelta(days=1)).strftime("%m/%d/%Y")
    assert f"Worker added: YUSUPOV D., PCR test taken at {day} 09:15 (Asia/Tashkent, UTC+5)" in page


def test_an_earlier_permit_declared_while_asked_is_listed_on_the_workers_case(employer_user, officer_browser, asked_case, moscow):
    karimov = worker_named(asked_case, "KARIMOV")

    earlier_permit_declare(
        worker=karimov,
        user=employer_user,
        kind="patent",
        number="77 № 1234567",
        issued_on=dt.date(2020, 2, 1),
        region=moscow,
        scan=pdf("patent.pdf"),
    )

    later = earlier_permit_declare(
        worker=karimov,
        user=employer_user,
        kind="permit",
        number="77 № 7654321",
        issued_on=dt.date(2019, 3, 4),
        region=moscow,
    )
    earlier_permit_attach_scan(permit=later, user=employer_user, scan=pdf("permit.pdf"))

    page = text(officer_browser.get(url("review-detail", asked_case.pk)))
    assert "Earlier permit declared: KARIMOV A. — Work patent 77 № 1234567 of 02/01/2020, Moscow (with its scan)" in page
    assert "Earlier permit declared: KARIMOV A. — Work permit 77 № 7654321 of 03/04/2019, Moscow (without a scan)" in page
    assert "Scan of an earlier permit added: KARIMOV A. — Work permit 77 № 7654321 of 03/04/2019, Moscow (with its scan)" in page


def test_a_file_sent_with_the_answer_is_listed_with_the_answer_not_as_a_correction(employer_client, officer_browser, asked_case):
    employer_client.post(
        url("application-answer", asked_case.pk),
        {
            "version": asked_case.version,
            "message": "Policy attached.",
            "document_1_kind": "insurance_policy",
            "document_1_file": pdf("policy.pdf"),
        },
    )

    page = text(officer_browser.get(url("review-detail", asked_case.pk)))
    assert "Documents sent with it: policy.pdf (Insurance policy)" in page
    assert "Correction by" not in page
    assert not CaseCorrection.objects.exists()


def test_corrections_go_under_the_answer_they_were_sent_with(employer_client, officer, asked_case):
    employer_client.post(url("application-edit", asked_case.pk), case_form(asked_case, isolation_address="First fix"))
    answer(employer_client, asked_case, "First answer.")
    asked_case.refresh_from_db()
    ask(asked_case, officer, "Second question.")
    employer_client.post(url("application-edit", asked_case.pk), case_form(asked_case, isolation_address="Second fix"))
    answer(employer_client, asked_case, "Second answer.")

    page = text(browser(officer).get(url("review-detail", asked_case.pk)))

    first, second = page.index("Moscow, Stroiteley 5 → First fix"), page.index("First fix → Second fix")
    assert page.index("First answer.") < first < page.index("Second question.") < page.index("Second answer.") < second


def test_the_case_page_costs_the_same_queries_for_one_correction_and_for_many(
    employer, employer_user, officer_browser, asked_case, django_assert_num_queries
):
    karimov = worker_named(asked_case, "KARIMOV")
    services.worker_update(worker=karimov, user=employer_user, phone="+998 90 000 00 01")
    with CaptureQueriesContext(connection) as one:
        assert officer_browser.get(url("review-detail", asked_case.pk)).status_code == 200

    for number in range(2, 12):
        services.worker_update(worker=karimov, user=employer_user, phone=f"+998 90 000 00 {number:02d}")
        services.application_update_draft(application=asked_case, user=employer_user, isolation_address=f"Moscow, house {number}")
    services.application_add_worker(application=asked_case, user=employer_user, worker=WorkerFactory(employer=employer))

    with django_assert_num_queries(len(one)):
        page = text(officer_browser.get(url("review-detail", asked_case.pk)))
    assert page.count("Correction by") == 22


# What is not logged


def test_nothing_is_logged_for_the_same_edits_on_a_draft(employer_client, employer, moscow_rules, threshold):
    draft = a_case(employer, status=Status.DRAFT)

    correct_everything(employer_client, draft)
    employer_client.post(url("application-add-worker", draft.pk), {"worker": WorkerFactory(employer=employer).pk})

    assert draft.lines.count() == 2
    assert worker_named(draft, "KARIMOVA").passport_number == "FA7654321"
    assert not CaseCorrection.objects.exists()


def test_a_save_that_changes_nothing_logs_nothing(employer_client, asked_case):
    karimov = worker_named(asked_case, "KARIMOV")

    responses = [
        employer_client.post(url("worker-edit", karimov.pk), worker_form(karimov)),
        employer_client.post(url("application-edit", asked_case.pk), case_form(asked_case)),
    ]

    assert [response.status_code for response in responses] == [302, 302]
    assert not CaseCorrection.objects.exists()


def test_a_registry_edit_is_logged_on_every_case_of_the_worker_that_is_asked_and_only_there(
    employer, employer_user, officer, asked_case
):
    karimov = worker_named(asked_case, "KARIMOV")
    also_asked = ask(ApplicationFactory(employer=employer, status=Status.SUBMITTED), officer)
    CaseWorkerFactory(application=also_asked, worker=karimov)
    in_review = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=in_review, worker=karimov)
    draft = ApplicationFactory(employer=employer)
    CaseWorkerFactory(application=draft, worker=karimov)

    services.worker_update(worker=karimov, user=employer_user, occupation="Welder")

    logged = CaseCorrection.objects.values_list("application", "field", "before", "after")
    assert sorted(logged) == sorted(
        [
            (asked_case.pk, "occupation", "Bricklayer", "Welder"),
            (also_asked.pk, "occupation", "Bricklayer", "Welder"),
        ]
    )


def test_a_refused_correction_leaves_no_row(employer_client, employer, asked_case):
    karimov = worker_named(asked_case, "KARIMOV")
    WorkerFactory(employer=employer, passport_number="FA7654321", citizenship=karimov.citizenship)

    response = employer_client.post(url("worker-edit", karimov.pk), worker_form(karimov, passport_number="FA7654321"))

    assert response.status_code == 200  # the duplicate passport is said next to the field
    assert not CaseCorrection.objects.exists()


# The log is append-only and kept to the case's readers


@pytest.mark.parametrize("statement", ["UPDATE {table} SET after = '\"forged\"'", "DELETE FROM {table}"])
def test_plain_sql_cannot_rewrite_the_corrections(employer_client, asked_case, statement):
    correct_everything(employer_client, asked_case)
    before = list(CaseCorrection.objects.order_by("pk").values_list("pk", "after"))

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=CaseCorrection._meta.db_table))

    assert list(CaseCorrection.objects.order_by("pk").values_list("pk", "after")) == before
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        CaseCorrection.objects.filter(application=asked_case).delete()


def test_another_company_and_an_officer_of_another_region_cannot_see_them(
    client, employer_client, asked_case, other_employer_user, officer_spb
):
    correct_everything(employer_client, asked_case)
    employer_client.logout()

    client.force_login(other_employer_user)
    assert client.get(url("application-detail", asked_case.pk)).status_code == 404
    client.force_login(officer_spb)
    assert client.get(url("review-detail", asked_case.pk)).status_code == 404


def test_the_stored_values_are_raw_so_any_language_can_render_them(employer_client, asked_case):
    karimov = worker_named(asked_case, "KARIMOV")
    employer_client.post(url("worker-edit", karimov.pk), worker_form(karimov, passport_expiry="2031-03-04", sex="F"))

    rows = dict(CaseCorrection.objects.values_list("field", "after"))

    assert rows == {"passport_expiry": "2031-03-04", "sex": "F"}
    assert re.fullmatch(r"KARIMOV A\.", CaseCorrection.objects.first().worker_name)
    assert CaseCorrection.objects.first().at <= timezone.now()


def test_markup_typed_into_a_field_is_shown_as_text(employer_client, officer_browser, asked_case):
    employer_client.post(
        url("application-edit", asked_case.pk), case_form(asked_case, isolation_address='<script>alert("x")</script>')
    )

    page = officer_browser.get(url("review-detail", asked_case.pk)).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")</script>' not in page
