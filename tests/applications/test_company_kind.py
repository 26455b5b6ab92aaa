"""A company's kind fixes the lengths of its numbers: a legal entity has a 10-digit INN and a
13-digit OGRN, an individual entrepreneur a 12-digit INN and a 15-digit OGRNIP. A mismatch is
said next to the field at sign-up, and the database refuses it whatever the door."""

import html
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from applications.models import Employer, EmployerFigures, EmployerKind
from portal.accounts.models import User
from tests.applications.factories import EmployerFactory
from tests.helpers.company_numbers import REAL_COMPANY_INNS, REAL_ENTREPRENEUR_INNS, REAL_OGRNIPS, REAL_OGRNS
from tests.helpers.signup import registration_data
from tests.pages import field_error

pytestmark = pytest.mark.django_db


def test_a_legal_entity_with_a_12_digit_inn_is_refused_next_to_the_inn(english):
    response = english.post(
        reverse("accounts:register"),
        registration_data(kind=EmployerKind.LEGAL_ENTITY, inn=REAL_ENTREPRENEUR_INNS[0], ogrn=REAL_OGRNS[0]),
    )

    assert response.status_code == 200
    assert field_error(response, "inn") == "A legal entity has a 10-digit INN; this one has 12 digits, as an entrepreneur's."
    assert not Employer.objects.exists()
    assert not User.objects.exists()


def test_an_entrepreneur_with_a_13_digit_ogrn_is_refused_next_to_the_ogrn(english):
    response = english.post(
        reverse("accounts:register"),
        registration_data(kind=EmployerKind.ENTREPRENEUR, inn=REAL_ENTREPRENEUR_INNS[0], ogrn=REAL_OGRNS[0]),
    )

    assert response.status_code == 200
    assert field_error(response, "ogrn") == (
        "An individual entrepreneur has a 15-digit OGRNIP; this is a 13-digit OGRN, as a legal entity's."
    )
    assert 'id="error_1_id_inn"' not in response.content.decode()
    assert not Employer.objects.exists()


def test_an_entrepreneur_with_a_12_digit_inn_and_a_15_digit_ogrnip_signs_up(english):
    response = english.post(
        reverse("accounts:register"),
        registration_data(kind=EmployerKind.ENTREPRENEUR, inn=REAL_ENTREPRENEUR_INNS[0], ogrn=REAL_OGRNIPS[0]),
    )

    assert response.status_code == 302
    assert Employer.objects.get(inn=REAL_ENTREPRENEUR_INNS[0]).kind == EmployerKind.ENTREPRENEUR


def test_the_company_page_shows_the_kind(client, employer_user, employer):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(employer_user)

    assert "Kind of company Legal entity" in " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", client.get(reverse("applications:company-detail")).content.decode())).split()
    )


@pytest.mark.parametrize(
    ("kind", "inn", "ogrn"),
    [
        (EmployerKind.LEGAL_ENTITY, REAL_ENTREPRENEUR_INNS[1], REAL_OGRNS[1]),
        (EmployerKind.LEGAL_ENTITY, REAL_COMPANY_INNS[1], REAL_OGRNIPS[1]),
        (EmployerKind.ENTREPRENEUR, REAL_COMPANY_INNS[1], REAL_OGRNIPS[1]),
        (EmployerKind.ENTREPRENEUR, REAL_ENTREPRENEUR_INNS[1], REAL_OGRNS[1]),
    ],
)
def test_the_database_refuses_numbers_of_another_kind(kind, inn, ogrn):
    employer = EmployerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.filter(pk=employer.pk).update(kind=kind, inn=inn, ogrn=ogrn)


def test_the_model_check_names_the_field_that_disagrees_with_the_kind():
    employer = EmployerFactory.build(kind=EmployerKind.ENTREPRENEUR, inn=REAL_ENTREPRENEUR_INNS[1], ogrn=REAL_OGRNS[1])

    with pytest.raises(ValidationError) as error:
        employer.clean()

    assert set(error.value.message_dict) == {"ogrn"}


# The data migration


def _migration():
    return import_module("applications.migrations.0012_i14_company_kind_and_figures_data")


def test_the_migration_takes_the_kind_from_the_inn_and_empties_figures_never_given():
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE applications_employer DROP CONSTRAINT employer_numbers_match_kind")
    entrepreneur = EmployerFactory(inn=REAL_ENTREPRENEUR_INNS[0], ogrn=REAL_OGRNIPS[0], kind=EmployerKind.LEGAL_ENTITY)
    company = EmployerFactory(annual_revenue_rub=0, average_headcount=0)

    _migration().infer_kind(apps, None)

    entrepreneur.refresh_from_db()
    company.refresh_from_db()
    assert entrepreneur.kind == EmployerKind.ENTREPRENEUR
    assert (company.kind, company.annual_revenue_rub, company.average_headcount) == (EmployerKind.LEGAL_ENTITY, None, None)


def test_the_migration_stops_and_names_companies_whose_numbers_are_of_different_kinds():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE applications_employer DROP CONSTRAINT employer_numbers_match_kind")
    mixed = EmployerFactory(inn=REAL_ENTREPRENEUR_INNS[1], ogrn=REAL_OGRNS[1])

    with pytest.raises(RuntimeError) as error:
        _migration().infer_kind(apps, None)

    assert f"id {mixed.pk}: INN {mixed.inn}, OGRN {mixed.ogrn}" in str(error.value)
    mixed.refresh_from_db()
    assert mixed.kind == EmployerKind.LEGAL_ENTITY


def test_the_migration_starts_each_companys_history_with_its_stated_figures():
    stated = EmployerFactory(annual_revenue_rub=900_000_000, average_headcount=120)
    EmployerFactory(annual_revenue_rub=None, average_headcount=None)

    _migration().first_figures(apps, None)

    statement = EmployerFigures.objects.get()
    assert statement.employer == stated
    assert (statement.year, statement.annual_revenue_rub, statement.average_headcount) == (
        stated.created_at.year - 1, 900_000_000, 120,
    )
    assert statement.recorded_at == stated.created_at
