"""A person is a citizenship and a normalised passport number, whatever company's registry holds
them: the key is computed by the database from the number as typed, so every writer (the form,
the import, the admin, the demo and scale data) gets the same one."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from applications.forms.workers import WorkerForm
from applications.models import Worker
from tests.applications.factories import EmployerFactory, WorkerFactory
from tests.helpers.workers import worker_form_data

pytestmark = pytest.mark.django_db


def key_of(number: str, citizenship: str = "UZ") -> str:
    worker = WorkerFactory(passport_number=number, citizenship=citizenship)
    worker.refresh_from_db()
    return worker.passport_key


@pytest.mark.parametrize(
    "typed",
    [
        "AA 123-4567",
        "aa1234567",
        "AA\u00a0123\u20104567",  # a no-break space and a Unicode hyphen, as pasted from a PDF
        "AA–123—4567",  # en and em dashes
        "ＡＡ１２３４５６７",  # full-width letters and digits (NFKC)
        "Aa\t123 45 67",
    ],
)
def test_a_passport_number_typed_with_spaces_dashes_small_or_wide_letters_has_one_key(typed):
    assert key_of(typed) == "AA1234567"


def test_the_kelvin_sign_and_the_long_s_are_keyed_as_the_letters_they_stand_for():
    # Python's upper() and PostgreSQL's UPPER() disagree on such letters; NFKC maps them first.
    assert key_of("\u212a\u017f123") == "KS123"


def test_passports_written_differently_by_two_companies_are_one_person():
    first = WorkerFactory(passport_number="AA 123-4567", citizenship="UZ")
    second = WorkerFactory(passport_number="aa1234567", citizenship="UZ")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.employer_id != second.employer_id
    assert (first.citizenship, first.passport_key) == (second.citizenship, second.passport_key)


def test_the_same_number_with_another_citizenship_is_another_person():
    employer = EmployerFactory()
    WorkerFactory(employer=employer, passport_number="AA1234567", citizenship="UZ")
    WorkerFactory(employer=employer, passport_number="AA1234567", citizenship="TJ")

    assert Worker.objects.filter(employer=employer, passport_key="AA1234567").count() == 2


def test_one_registry_cannot_hold_the_same_person_twice_even_written_differently():
    employer = EmployerFactory()
    WorkerFactory(employer=employer, passport_number="aa1234567", citizenship="UZ")

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerFactory(employer=employer, passport_number="AA 123-4567", citizenship="UZ")


@translation.override("en")
def test_the_form_takes_dashes_out_of_the_number_and_refuses_a_person_already_in_the_registry():
    employer = EmployerFactory()
    form = WorkerForm(data=worker_form_data(passport_number="fa 123-4567"), employer=employer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["passport_number"] == "FA1234567"

    WorkerFactory(employer=employer, citizenship="UZ", passport_number="FA 123 4567")
    again = WorkerForm(data=worker_form_data(passport_number="fa–1234567"), employer=employer)
    assert not again.is_valid()
    assert again.errors["passport_number"] == ["A worker with this passport number and citizenship is already in your registry."]


def test_the_admin_refuses_a_second_entry_of_a_person_in_a_registry_with_a_message(client, admin_user):
    employer = EmployerFactory()
    WorkerFactory(employer=employer, citizenship="UZ", passport_number="AA1234567")
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(reverse("admin:applications_worker_add"), {
        "employer": employer.pk, "surname_latin": "KARIMOV", "given_names_latin": "ALISHER", "sex": "M",
        "date_of_birth": "1990-05-17", "citizenship": "UZ", "passport_number": "aa 123-4567",
        "passport_expiry": "2030-01-01", "occupation": "Bricklayer",
    })

    assert response.status_code == 200
    assert "A worker with this passport number and citizenship is already in your registry." in response.content.decode()
    assert Worker.objects.filter(employer=employer).count() == 1
