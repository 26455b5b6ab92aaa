"""Migration accounts 0004 stores every e-mail address in its normalised form. Where two
accounts turn out to be one address, the older keeps it and signs in as before; the newer is
switched off under a reserved, undeliverable address that still shows the original, and the
operator is told (issue 16, item 3)."""

import datetime as dt
import importlib
import logging

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from portal.accounts.models import User
from tests.portal.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("portal.accounts.migrations.0004_i16_email_normalised")


def run_migration():
    migration.normalise_stored_emails(apps, None)


def joined(days_ago: int):
    return timezone.now() - dt.timedelta(days=days_ago)


def test_the_migration_is_in_the_graph_of_the_accounts_app():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert ("accounts", "0004_i16_email_normalised") in loader.graph.nodes


def test_stored_addresses_are_rewritten_in_their_normalised_form():
    user = UserFactory(email="\uff2f\uff2c\uff27\uff21@Sibir.Example")
    plain = UserFactory(email="ivan@sibir.example")

    run_migration()

    user.refresh_from_db(), plain.refresh_from_db()
    assert (user.email, plain.email) == ("olga@sibir.example", "ivan@sibir.example")
    assert user.is_active


def test_a_rewritten_account_signs_in_with_its_plain_address(client):
    UserFactory(email="\u212aristina@sibir.example")
    run_migration()

    client.post("/accounts/login/", {"username": "kristina@sibir.example", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.5")

    assert SESSION_KEY in client.session


def test_on_a_collision_the_older_account_keeps_the_address_and_the_newer_is_switched_off_and_reported(caplog):
    older = UserFactory(email="kr\u0131stina@sibir.example", date_joined=joined(30))
    newer = UserFactory(email="kristina@sibir.example", date_joined=joined(2))
    newest = UserFactory(email="kri\u017ftina@sibir.example", date_joined=joined(1))

    with caplog.at_level(logging.WARNING, logger="portal.accounts"):
        run_migration()

    older.refresh_from_db(), newer.refresh_from_db(), newest.refresh_from_db()
    assert older.email == "kristina@sibir.example" and older.is_active
    for duplicate in (newer, newest):
        assert not duplicate.is_active
        assert duplicate.email.endswith(f".duplicate-{duplicate.pk}.invalid")
    assert newer.email.startswith("kristina@sibir.example")
    assert newest.email.startswith("kri\u017ftina@sibir.example")
    report = caplog.text
    assert f"user {newer.pk}" in report and f"user {newest.pk}" in report and f"user {older.pk}" in report


def test_running_it_twice_changes_nothing_more():
    UserFactory(email="kr\u0131stina@sibir.example", date_joined=joined(30))
    UserFactory(email="kristina@sibir.example", date_joined=joined(2))
    run_migration()
    before = sorted(User.objects.values_list("pk", "email", "is_active"))

    run_migration()

    assert sorted(User.objects.values_list("pk", "email", "is_active")) == before


def test_a_very_long_duplicate_address_still_fits_the_column():
    UserFactory(email=f"{'i' * 64}@{'d' * 180}.example", date_joined=joined(30))
    newer = UserFactory(email=f"{chr(0x131) * 64}@{'d' * 180}.example", date_joined=joined(1))

    run_migration()

    newer.refresh_from_db()
    assert len(newer.email) <= 254 and newer.email.endswith(".invalid")
