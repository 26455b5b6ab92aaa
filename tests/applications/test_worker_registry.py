"""The company's worker registry: the list with search and filter, adding and editing a worker."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.forms.workers import WorkerForm
from applications.models import Status, Worker
from applications.services.errors import TransitionRefused
from applications.services.workers import DuplicatePassport, worker_update
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.helpers.workers import worker_form_data
from tests.pages import field_error, text, url

pytestmark = pytest.mark.django_db


# Adding a worker


def test_adding_a_worker_stores_the_latin_names_in_capitals_and_the_passport_without_spaces(employer_client, employer):
    response = employer_client.post(url("worker-create"), worker_form_data(), follow=True)

    assert "KARIMOV A. B. is added to your registry." in text(response)
    worker = Worker.objects.get(employer=employer)
    assert (worker.surname_latin, worker.given_names_latin) == ("KARIMOV", "ALISHER BAKHTIYOROVICH")
    assert (worker.surname_cyrillic, worker.given_names_cyrillic) == ("Каримов", "Алишер")
    assert worker.passport_number == "FA1234567"
    assert worker.phone == "+998 90 123-45-67"


def test_names_with_hyphens_apostrophes_and_letters_of_central_asian_cyrillic_are_accepted(employer_client, employer):
    employer_client.post(
        url("worker-create"),
        worker_form_data(surname_latin="o’neil-smith", given_names_latin="Anna Maria", surname_cyrillic="Ғуломов-Қодиров"),
    )

    worker = Worker.objects.get(employer=employer)
    assert worker.surname_latin == "O'NEIL-SMITH"
    assert worker.given_names_latin == "ANNA MARIA"
    assert worker.surname_cyrillic == "Ғуломов-Қодиров"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("surname_latin", "Каримов", "Use the Latin letters of the passport (A–Z), spaces, hyphens and apostrophes only."),
        ("given_names_latin", "Al1sher", "Use the Latin letters of the passport (A–Z), spaces, hyphens and apostrophes only."),
        ("given_names_latin", "Åsa", "Use the Latin letters of the passport (A–Z), spaces, hyphens and apostrophes only."),
        ("surname_latin", "", "This field is required."),
        ("surname_cyrillic", "Karimov", "Use Cyrillic letters, spaces, hyphens and apostrophes only, or leave it empty."),
        ("given_names_cyrillic", "Алишер2", "Use Cyrillic letters, spaces, hyphens and apostrophes only, or leave it empty."),
        ("sex", "", "This field is required."),
        ("citizenship", "XX", "Choose a country from the list."),
        ("passport_number", "FA-123/45", "Enter the passport number with letters and digits only, as printed in the passport."),
        ("passport_number", "A" * 21, "A passport number has at most 20 letters and digits."),
        ("occupation", "", "This field is required."),
        ("phone", "call me", "Enter the phone number with digits, spaces, brackets and hyphens, and + in front."),
        ("date_of_birth", "17/05/1990x", "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_next_to_its_field(employer_client, employer, field, value, message):
    response = employer_client.post(url("worker-create"), worker_form_data(**{field: value}))

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_date_of_birth_in_the_future_is_refused_next_to_the_field(employer_client, employer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = employer_client.post(url("worker-create"), worker_form_data(date_of_birth=tomorrow.isoformat()))

    assert field_error(response, "date_of_birth") == "The date of birth is in the future."
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_worker_turning_18_tomorrow_is_refused_and_one_18_today_is_accepted(employer_client, employer):
    today = timezone.localdate()
    eighteen_today = today.replace(year=today.year - 18) if (today.month, today.day) != (2, 29) else dt.date(today.year - 18, 3, 1)
    almost_eighteen = eighteen_today + dt.timedelta(days=1)

    refused = employer_client.post(url("worker-create"), worker_form_data(date_of_birth=almost_eighteen.isoformat()))
    assert field_error(refused, "date_of_birth") == "The worker must be at least 18 years old."

    employer_client.post(url("worker-create"), worker_form_data(date_of_birth=eighteen_today.isoformat()))
    assert Worker.objects.filter(employer=employer, date_of_birth=eighteen_today).exists()


def test_a_passport_that_expired_yesterday_is_refused_next_to_the_expiry_date(employer_client, employer):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = employer_client.post(url("worker-create"), worker_form_data(passport_expiry=yesterday.isoformat()))

    assert field_error(response, "passport_expiry").startswith("The passport expired on")
    assert not Worker.objects.filter(employer=employer).exists()


def test_a_passport_of_the_registry_is_refused_next_to_the_passport_number_but_not_for_another_citizenship(
    employer_client, employer
):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")

    refused = employer_client.post(url("worker-create"), worker_form_data(passport_number="fa1234567"))
    assert field_error(refused, "passport_number") == "A worker with this passport number and citizenship is already in your registry."

    employer_client.post(url("worker-create"), worker_form_data(citizenship="TJ"))
    assert Worker.objects.filter(employer=employer, passport_number="FA1234567").count() == 2


def test_a_passport_added_meanwhile_by_someone_else_is_refused_next_to_the_passport_number(
    employer_client, employer, monkeypatch
):
    # The form's check passes (as if the other insert came just after it); the database's
    # constraint then refuses the second worker.
    monkeypatch.setattr(WorkerForm, "_passport_taken", lambda self, citizenship, number: False)
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")

    response = employer_client.post(url("worker-create"), worker_form_data())

    assert response.status_code == 200
    assert field_error(response, "passport_number") == "A worker with this passport number and citizenship is already in your registry."
    assert Worker.objects.filter(employer=employer).count() == 1


def test_the_citizenship_list_names_countries_in_the_users_language_and_carries_the_search_hook(employer_client, client):
    page = employer_client.get(url("worker-create")).content.decode()

    assert re.search(r'<select[^>]*name="citizenship"[^>]*data-country-search', page)
    assert '<option value="UZ">Uzbekistan</option>' in page
    assert "js/country-search.js" in page

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert '<option value="UZ">Узбекистан</option>' in client.get(url("worker-create")).content.decode()


# Editing a worker


def test_editing_a_worker_shows_the_stored_values_and_saves_the_changes(employer_client, employer):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV", passport_number="FA1234567", occupation="Bricklayer")

    form = employer_client.get(url("worker-edit", worker.pk))
    assert 'value="KARIMOV"' in form.content.decode()
    assert 'value="FA1234567"' in form.content.decode()

    response = employer_client.post(
        url("worker-edit", worker.pk), worker_form_data(surname_latin="Karimova", sex="F", occupation="Plasterer"), follow=True
    )

    assert "KARIMOVA A. B. is saved." in text(response)
    worker.refresh_from_db()
    assert (worker.surname_latin, worker.sex, worker.occupation) == ("KARIMOVA", "F", "Plasterer")
    assert Worker.objects.filter(employer=employer).count() == 1


def test_an_edit_keeping_the_workers_own_passport_is_not_a_duplicate(employer_client, employer):
    worker = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")

    employer_client.post(url("worker-edit", worker.pk), worker_form_data(passport_number="FA1234567", occupation="Welder"))

    worker.refresh_from_db()
    assert worker.occupation == "Welder"


def test_an_edit_to_the_passport_of_another_worker_is_refused_next_to_the_passport_number(employer_client, employer):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    worker = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA7654321")

    response = employer_client.post(url("worker-edit", worker.pk), worker_form_data(passport_number="FA1234567"))

    assert field_error(response, "passport_number") == "A worker with this passport number and citizenship is already in your registry."
    worker.refresh_from_db()
    assert worker.passport_number == "FA7654321"


def test_an_invalid_edit_keeps_the_stored_worker_and_shows_the_error(employer_client, employer):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV")

    response = employer_client.post(url("worker-edit", worker.pk), worker_form_data(surname_latin="Каримов"))

    assert field_error(response, "surname_latin").startswith("Use the Latin letters")
    assert "Edit KARIMOV A." in text(response)
    worker.refresh_from_db()
    assert worker.surname_latin == "KARIMOV"


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_company_gets_404_for_a_worker_that_is_not_its_own(english, other_employer_user, employer, method):
    worker = WorkerFactory(employer=employer, occupation="Bricklayer")
    english.force_login(other_employer_user)

    response = getattr(english, method)(url("worker-edit", worker.pk), worker_form_data(occupation="Stolen") if method == "post" else None)

    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.occupation == "Bricklayer"


def test_a_worker_on_a_submitted_case_can_be_edited_and_the_page_says_which_cases_show_the_change(employer_client, employer):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV")
    line = CaseWorkerFactory(application__employer=employer, application__status=Status.SUBMITTED, worker=worker)
    CaseWorkerFactory(application__employer=employer, application__status=Status.DRAFT, worker=worker)

    page = employer_client.get(url("worker-edit", worker.pk))
    assert f"This worker is on application {line.application.reference}, already sent to the authority" in text(page)

    employer_client.post(url("worker-edit", worker.pk), {**edit_data(worker), "occupation": "Welder"})
    worker.refresh_from_db()
    assert worker.occupation == "Welder"


def test_the_update_service_refuses_a_member_of_another_company(employer, other_employer_user):
    worker = WorkerFactory(employer=employer, occupation="Bricklayer")

    with pytest.raises(TransitionRefused):
        worker_update(worker=worker, user=other_employer_user, occupation="Stolen")

    worker.refresh_from_db()
    assert worker.occupation == "Bricklayer"


def test_the_update_service_turns_the_databases_duplicate_refusal_into_a_message(employer, employer_user):
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA1234567")
    worker = WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA7654321")

    with pytest.raises(DuplicatePassport) as refusal:
        worker_update(worker=worker, user=employer_user, passport_number="FA1234567")

    assert refusal.value.message == "A worker with this passport number and citizenship is already in your registry."
    worker.refresh_from_db()
    assert worker.passport_number == "FA7654321"


# Who may


@pytest.mark.parametrize("name", ["worker-list", "worker-create", "worker-import", "worker-import-template"])
def test_an_officer_is_forbidden_on_the_registry_pages(english, officer, name):
    english.force_login(officer)

    assert english.get(url(name)).status_code == 403


def test_an_officer_is_forbidden_to_edit_a_worker(english, officer, employer):
    worker = WorkerFactory(employer=employer)
    english.force_login(officer)

    assert english.get(url("worker-edit", worker.pk)).status_code == 403
    assert english.post(url("worker-edit", worker.pk), worker_form_data()).status_code == 403


# The list


def test_the_list_shows_names_in_both_scripts_country_name_dates_passport_and_an_edit_link(employer_client, employer):
    worker = WorkerFactory(
        employer=employer, surname_latin="KARIMOV", given_names_latin="ALISHER", surname_cyrillic="Каримов",
        given_names_cyrillic="Алишер", citizenship="TJ", date_of_birth=dt.date(1990, 5, 17), passport_number="FA1234567",
        passport_expiry=dt.date(2031, 1, 1), occupation="Bricklayer",
    )
    WorkerFactory(surname_latin="STRANGER")  # another company's

    response = employer_client.get(url("worker-list"))

    page = text(response)
    assert "KARIMOV ALISHER Каримов Алишер" in page
    assert "Tajikistan" in page
    assert "05/17/1990" in page
    assert "FA1234567" in page
    assert "Bricklayer" in page
    assert "STRANGER" not in page
    assert url("worker-edit", worker.pk) in response.content.decode()


def test_the_list_says_in_words_which_passports_are_expired_or_expire_within_6_months(employer_client, employer):
    today = timezone.localdate()
    WorkerFactory(employer=employer, surname_latin="EXPIRED", passport_expiry=today - dt.timedelta(days=1))
    WorkerFactory(employer=employer, surname_latin="SOON", passport_expiry=today + dt.timedelta(days=150))
    WorkerFactory(employer=employer, surname_latin="VALID", passport_expiry=today + dt.timedelta(days=400))

    rows = {
        name: text_of_row
        for name, text_of_row in (
            (re.sub(r"<[^>]+>", " ", row).split()[0], " ".join(re.sub(r"<[^>]+>", " ", row).split()))
            for row in re.findall(r"<tr>(.*?)</tr>", employer_client.get(url("worker-list")).content.decode(), re.S)[1:]
        )
    }

    assert "Expired" in rows["EXPIRED"]
    assert "Expires within 6 months" in rows["SOON"]
    assert "Expired" not in rows["VALID"] and "Expires" not in rows["VALID"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("karimov", {"KARIMOV"}),
        ("KARIM", {"KARIMOV"}),
        ("каримов", {"KARIMOV"}),
        ("АЛИШЕР", {"KARIMOV"}),
        ("karimov alisher", {"KARIMOV"}),
        ("rustam", {"NAZAROV"}),
        ("fa 123 4567", {"KARIMOV"}),
        ("ab765", {"NAZAROV"}),
        ("ov", {"KARIMOV", "NAZAROV"}),
        ("petrov", set()),
    ],
)
def test_the_search_finds_workers_by_either_spelling_of_the_name_or_by_passport_number(employer_client, employer, query, found):
    WorkerFactory(
        employer=employer, surname_latin="KARIMOV", given_names_latin="ALISHER", surname_cyrillic="Каримов",
        given_names_cyrillic="Алишер", passport_number="FA1234567",
    )
    WorkerFactory(employer=employer, surname_latin="NAZAROV", given_names_latin="RUSTAM", passport_number="AB7654321")
    WorkerFactory(surname_latin="KARIMOV", given_names_latin="OTHER COMPANY")

    page = text(employer_client.get(url("worker-list"), {"q": query}))

    assert {name for name in ("KARIMOV", "NAZAROV") if name in page} == found
    assert "OTHER COMPANY" not in page


def test_the_citizenship_filter_offers_the_registrys_countries_and_shows_only_that_citizenship(employer_client, employer):
    WorkerFactory(employer=employer, surname_latin="KARIMOV", citizenship="UZ")
    WorkerFactory(employer=employer, surname_latin="RAHMONOV", citizenship="TJ")

    response = employer_client.get(url("worker-list"), {"citizenship": "TJ"})

    page = text(response)
    assert "RAHMONOV" in page and "KARIMOV" not in page
    assert "1 worker found." in page
    options = re.findall(r'<option value="([A-Z]*)"', response.content.decode())
    assert sorted(options) == ["", "TJ", "UZ"]


def test_search_and_filter_combine(employer_client, employer):
    WorkerFactory(employer=employer, surname_latin="KARIMOV", citizenship="UZ")
    WorkerFactory(employer=employer, surname_latin="KARIMOVA", citizenship="TJ")

    page = text(employer_client.get(url("worker-list"), {"q": "karimov", "citizenship": "TJ"}))

    assert "KARIMOVA" in page
    assert "KARIMOV ALISHER" not in page


def test_a_search_that_matches_nothing_says_so(employer_client, employer):
    WorkerFactory(employer=employer, surname_latin="KARIMOV")

    page = text(employer_client.get(url("worker-list"), {"q": "nobody"}))

    assert "0 workers found." in page
    assert "No worker matches your search." in page


def edit_links(response) -> list[str]:
    return re.findall(r'href="(/employer/workers/\d+/edit/)"', response.content.decode())


def test_the_list_has_25_workers_a_page_and_its_page_links_keep_the_search(employer_client, employer):
    for n in range(30):
        WorkerFactory(employer=employer, surname_latin=f"KARIMOV{n:02d}")
    WorkerFactory(employer=employer, surname_latin="NAZAROV")

    first = employer_client.get(url("worker-list"), {"q": "karimov"})

    assert len(edit_links(first)) == 25
    assert "30 workers found." in text(first)
    next_link = re.search(r'<a class="page-link" href="([^"]+)" rel="next"', first.content.decode()).group(1)
    assert "q=karimov" in html.unescape(next_link) and "page=2" in next_link

    second = employer_client.get(url("worker-list") + html.unescape(next_link))
    assert len(edit_links(second)) == 5
    assert "NAZAROV" not in text(second)


def test_an_empty_registry_invites_to_add_or_import_workers(employer_client, employer):
    page = text(employer_client.get(url("worker-list")))

    assert "Your registry is empty." in page
    assert "Import from a file" in page


def _queries_to_render(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_number_of_queries_with_1_and_50_workers(employer_client, employer):
    WorkerFactory(employer=employer, citizenship="UZ", surname_cyrillic="Каримов")
    search = {"q": "a", "citizenship": "UZ"}
    with_one = (_queries_to_render(employer_client, url("worker-list")), _queries_to_render(employer_client, url("worker-list"), search))

    WorkerFactory.create_batch(49, employer=employer, citizenship="UZ", surname_cyrillic="Каримов")
    with_fifty = (_queries_to_render(employer_client, url("worker-list")), _queries_to_render(employer_client, url("worker-list"), search))

    assert with_one == with_fifty


def test_a_citizenship_no_worker_has_is_refused_next_to_the_filter_and_the_search_still_applies(employer_client, employer):
    WorkerFactory(employer=employer, surname_latin="KARIMOV", citizenship="UZ")
    WorkerFactory(employer=employer, surname_latin="NAZAROV", citizenship="UZ")

    response = employer_client.get(url("worker-list"), {"q": "nazarov", "citizenship": "ZZ"})

    assert field_error(response, "citizenship").startswith("Select a valid choice.")
    assert "NAZAROV" in text(response) and "KARIMOV" not in text(response)


# Identity on cases under review or approved


def edit_data(worker) -> dict:
    """The edit form as the page shows it for `worker`, unchanged."""
    return {
        "surname_latin": worker.surname_latin,
        "given_names_latin": worker.given_names_latin,
        "sex": worker.sex,
        "date_of_birth": worker.date_of_birth.isoformat(),
        "citizenship": worker.citizenship,
        "passport_number": worker.passport_number,
        "passport_expiry": worker.passport_expiry.isoformat(),
        "occupation": worker.occupation,
        "phone": worker.phone,
    }


@pytest.mark.parametrize("status", ["submitted", "in_review", "approved", "partially_approved"])
def test_a_workers_passport_cannot_change_while_a_case_with_them_is_under_review_or_approved(employer_client, employer, status):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV", passport_number="AA1111111")
    case = ApplicationFactory(employer=employer, status=status)
    CaseWorkerFactory(application=case, worker=worker)

    data = {**edit_data(worker), "passport_number": "BB2222222"}
    response = employer_client.post(url("worker-edit", worker.pk), data)

    assert response.status_code == 200
    assert "cannot change while application" in text(response) and case.reference in text(response)
    worker.refresh_from_db()
    assert worker.passport_number == "AA1111111"


@pytest.mark.parametrize("status", ["draft", "info_requested", "rejected", "withdrawn"])
def test_a_workers_passport_can_be_corrected_on_drafts_requests_and_closed_cases(employer_client, employer, status):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV", passport_number="AA1111111")
    CaseWorkerFactory(application=ApplicationFactory(employer=employer, status=status), worker=worker)

    employer_client.post(url("worker-edit", worker.pk), {**edit_data(worker), "passport_number": "BB2222222"})

    worker.refresh_from_db()
    assert worker.passport_number == "BB2222222"


def test_a_workers_phone_can_change_even_on_an_approved_case(employer_client, employer):
    worker = WorkerFactory(employer=employer, surname_latin="KARIMOV")
    CaseWorkerFactory(application=ApplicationFactory(employer=employer, status="approved"), worker=worker)
    employer_client.post(url("worker-edit", worker.pk), {**edit_data(worker), "phone": "+7 900 000 00 00"})
    worker.refresh_from_db()
    assert worker.phone == "+7 900 000 00 00"
