"""A rule version's legal basis is printed from its parts (type of act, issuing body, date,
number) in the reader's language, and old one-line texts are split into those parts."""

import datetime as dt

import pytest
from django.utils import translation

from regions.legal_basis import format_legal_basis, parse_legal_basis
from regions.models import ActType, RuleSet


def act(**fields) -> RuleSet:
    base = {
        "legal_basis_type": ActType.RESOLUTION, "legal_basis_body": "Губернатора Московской области",
        "legal_basis_number": "108-ПГ", "legal_basis_date": dt.date(2020, 3, 12),
    }
    return RuleSet(**{**base, **fields})


def test_russian_puts_the_date_before_the_number_as_acts_are_cited():
    with translation.override("ru"):
        assert format_legal_basis(act()) == "постановление Губернатора Московской области от 12.03.2020 № 108-ПГ"


def test_english_puts_the_number_before_the_date():
    with translation.override("en"):
        assert format_legal_basis(act()) == "resolution Губернатора Московской области No. 108-ПГ of 12.03.2020"


@pytest.mark.parametrize(
    ("act_type", "russian"), [(ActType.ORDER, "приказ"), (ActType.DECREE, "указ"), (ActType.DIRECTIVE, "распоряжение")]
)
def test_each_type_of_act_reads_in_russian(act_type, russian):
    with translation.override("ru"):
        assert format_legal_basis(act(legal_basis_type=act_type)).startswith(f"{russian} Губернатора")


def test_missing_parts_are_left_out_without_stray_words():
    with translation.override("ru"):
        assert format_legal_basis(act(legal_basis_date=None)) == "постановление Губернатора Московской области № 108-ПГ"
        assert format_legal_basis(act(legal_basis_number="")) == "постановление Губернатора Московской области от 12.03.2020"
        assert format_legal_basis(act(legal_basis_type="", legal_basis_body="")) == "от 12.03.2020 № 108-ПГ"
        assert format_legal_basis(RuleSet()) == ""


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Постановление Губернатора Московской области № 108-ПГ",
         {"type": "resolution", "body": "Губернатора Московской области", "number": "108-ПГ"}),
        ("Указ Мэра Москвы №65-УМ", {"type": "decree", "body": "Мэра Москвы", "number": "65-УМ"}),
        ("распоряжение Губернатора Рязанской области № 70-рг",
         {"type": "directive", "body": "Губернатора Рязанской области", "number": "70-рг"}),
        ("12-УМ", {"type": "", "body": "", "number": "12-УМ"}),
        ("Проект постановления Губернатора Московской области",
         {"type": "", "body": "Проект постановления Губернатора Московской области", "number": ""}),
        ("", {"type": "", "body": "", "number": ""}),
    ],
)
def test_an_old_one_line_basis_is_split_into_its_parts_where_it_can_be(text, parts):
    assert parse_legal_basis(text) == parts


@pytest.mark.django_db
def test_the_migration_splits_the_stored_one_line_bases(moscow):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from tests.regions.factories import RuleSetFactory

    migration = import_module("regions.migrations.0006_i14_company_legal_basis_parts")
    old = RuleSetFactory(region=moscow, legal_basis_number="Постановление Губернатора Московской области № 108-ПГ")
    draft = RuleSetFactory(
        region=moscow, effective_from=dt.date(2030, 1, 1), legal_basis_number="Проект постановления Губернатора Московской области"
    )

    # The migration ran before regions 0009 froze versions in force; so it runs here.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks for ALTER TABLE
        cursor.execute("ALTER TABLE regions_ruleset DISABLE TRIGGER rule_version_frozen")
    migration.split_legal_basis(apps, None)

    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.legal_basis_type, old.legal_basis_body, old.legal_basis_number) == (
        ActType.RESOLUTION, "Губернатора Московской области", "108-ПГ",
    )
    assert (draft.legal_basis_type, draft.legal_basis_body, draft.legal_basis_number) == (
        "", "Проект постановления Губернатора Московской области", "",
    )
    migration.join_legal_basis(apps, None)
    old.refresh_from_db()
    assert old.legal_basis_number == "Постановление Губернатора Московской области № 108-ПГ"
