"""The Russian admin reads as Russian (issue 18, item 10): every app has a name of its own (no
"Axes", "Otp_Totp", "Tasks Database Backend"), and Django's titles put each model's name in the
case the sentence needs ("Выберите версию правил для изменения", not "… редакция правил …")."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import Promise

from portal import admin_site
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_the_admin_site_is_the_portals():
    assert isinstance(admin.site, admin_site.PortalAdminSite)


@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_model_in_the_admin_has_its_name_as_the_object_of_a_verb(model):
    assert model._meta.label_lower in admin_site.ACCUSATIVE


@pytest.mark.parametrize("app_label", sorted({model._meta.app_label for model in REGISTERED}))
def test_every_app_in_the_admin_has_a_translatable_name(app_label):
    config = apps.get_app_config(app_label)
    assert isinstance(config.verbose_name, Promise), f"{app_label}: {config.verbose_name!r} is not translated"


@pytest.fixture
def russian_admin(client, admin_user):
    """The admin reading the admin in Russian, the portal's default language."""
    client.force_login(admin_user)
    return client


def test_the_titles_read_the_name_in_the_accusative(russian_admin, moscow_rules, monkeypatch):
    # Django's own catalogue has "Выберите %s для изменения" and "Добавить %s"; the word put in
    # them is the portal's, stood in for here so that the test needs no catalogue of ours.
    monkeypatch.setitem(admin_site.ACCUSATIVE, "regions.ruleset", "версию правил")
    russian_admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    draft = RuleSetFactory(
        region=moscow_rules.region, effective_from=moscow_rules.effective_from.replace(year=2099), published_at=None
    )

    changelist = russian_admin.get(reverse("admin:regions_ruleset_changelist")).content.decode()
    add = russian_admin.get(reverse("admin:regions_ruleset_add")).content.decode()
    change = russian_admin.get(reverse("admin:regions_ruleset_change", args=[draft.pk])).content.decode()
    delete = russian_admin.get(reverse("admin:regions_ruleset_delete", args=[draft.pk])).content.decode()

    assert "<h1>Выберите версию правил для изменения</h1>" in changelist
    assert "Добавить версию правил" in changelist  # the button over the list
    assert "<h1>Добавить версию правил</h1>" in add
    assert "<h1>Изменить версию правил</h1>" in change
    assert "удалить версию правил" in delete
    assert "&rsaquo; Добавить версию правил" in add  # the last breadcrumb


def test_in_english_the_titles_keep_the_verbose_name(russian_admin):
    russian_admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = russian_admin.get(reverse("admin:regions_ruleset_changelist")).content.decode()

    assert "<h1>Select rule version to change</h1>" in page
