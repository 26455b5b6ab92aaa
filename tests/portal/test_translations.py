"""Russian by default and English on request: a complete, compiled Russian catalogue, pages and
errors in Russian without any language header, a language switch that remembers the choice (in
the browser and in the account), e-mails and the decision letter in the company's language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from applications import services, worker_import
from applications.letters import decision_letter_context
from applications.models import Status
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import field_error, text
from tests.portal.factories import TEST_PASSWORD

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")
MARKUP = re.compile(r"<[^>]+>")
LANGUAGE_MIDDLEWARE = "portal.accounts.language.PreferredLanguageMiddleware"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def url(name, *args):
    return reverse(name, args=args)


def page_language(response) -> str:
    match = re.search(r'<html lang="([\w-]+)"', response.content.decode())
    assert match, "the page names no language"
    return match.group(1)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE / "django.po"))


@pytest.fixture
def remembering(settings):
    """The account-language middleware, wherever settings.MIDDLEWARE stands (see the test below
    that checks the portal's own settings)."""
    if LANGUAGE_MIDDLEWARE not in settings.MIDDLEWARE:
        position = settings.MIDDLEWARE.index(AUTHENTICATION_MIDDLEWARE) + 1
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[:position], LANGUAGE_MIDDLEWARE, *settings.MIDDLEWARE[position:]]


# The catalogue


def test_every_message_of_the_russian_catalogue_is_translated_and_none_is_fuzzy(catalogue):
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert len(catalogue) > 800
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert not catalogue.metadata_is_fuzzy


def test_the_compiled_catalogue_holds_exactly_the_translations_of_the_po_file(catalogue):
    def translations(entries):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural or ""): (
                tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)) if entry.msgid_plural else (entry.msgstr,)
            )
            for entry in entries
            if entry.msgid
        }

    expected = translations(catalogue.translated_entries())
    compiled = translations(polib.mofile(str(CATALOGUE / "django.mo")))
    assert compiled.keys() - expected.keys() == set(), "django.mo holds messages django.po no longer has"
    assert expected.keys() - compiled.keys() == set(), "django.mo misses messages: run scripts/update-translations.sh"
    assert [key[1] for key in expected if expected[key] != compiled[key]] == []


def test_every_placeholder_and_tag_of_a_message_is_kept_in_each_of_its_translations(catalogue):
    broken = []
    for entry in catalogue.translated_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or "")))
        tags = sorted(MARKUP.findall(entry.msgid))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            if sorted(set(PLACEHOLDER.findall(form))) != wanted or sorted(MARKUP.findall(form)) != tags:
                broken.append((entry.msgid, form))
    assert broken == []


def test_the_catalogue_has_the_three_russian_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "ru"
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert all(len(entry.msgstr_plural) == 3 for entry in catalogue if entry.msgid_plural)
    with translation.override("ru"):
        said = {
            count: translation.ngettext("%(count)d worker listed.", "%(count)d workers listed.", count) % {"count": count}
            for count in (1, 3, 5, 11, 21, 22)
        }
    assert said == {
        1: "Указан 1 работник.", 3: "Указано 3 работника.", 5: "Указано 5 работников.",
        11: "Указано 11 работников.", 21: "Указан 21 работник.", 22: "Указано 22 работника.",
    }


def test_english_needs_no_catalogue_the_source_strings_are_english():
    with translation.override("en"):
        assert translation.gettext("Reference number") == "Reference number"
        assert translation.ngettext("%(count)d worker listed.", "%(count)d workers listed.", 2) == "%(count)d workers listed."


# Pages in Russian by default


@pytest.mark.django_db
def test_the_login_page_is_in_russian_without_any_language_header(client):
    response = client.get(url("accounts:login"))
    assert page_language(response) == "ru"
    assert "Войти" in text(response)
    assert "Зарегистрировать организацию" in text(response)
    assert "Sign in" not in text(response)


@pytest.mark.django_db
def test_the_employer_home_is_in_russian(client, employer_user):
    ApplicationFactory(employer=employer_user.employer_membership.employer, reference="M-000777")
    client.force_login(employer_user)
    page = text(client.get(url("applications:employer-home")))
    assert "Мои заявления" in page and "Заявления вашей организации" in page
    assert "Москва" in page  # the region's name in Russian
    assert "Черновик" in page  # the status


@pytest.mark.django_db
def test_the_review_queue_is_in_russian(client, officer, moscow_rules):
    ApplicationFactory(region=officer.officer_regions.get(), status=Status.SUBMITTED)
    client.force_login(officer)
    page = text(client.get(url("applications:review-queue")))
    assert "Очередь заявлений" in page and "Заявления в ваших регионах" in page
    assert "Подано" in page
    assert "Review queue" not in page


@pytest.mark.django_db
def test_a_case_page_is_in_russian_with_russian_dates(client, officer, moscow_rules, threshold):
    arrival = timezone.localdate() + dt.timedelta(days=20)
    case = CaseWorkerFactory(
        application__region=officer.officer_regions.get(), application__status=Status.SUBMITTED,
        application__planned_arrival_date=arrival, worker__citizenship="UZ",
    ).application
    client.force_login(officer)
    page = text(client.get(url("applications:review-detail", case.pk)))
    assert f"Заявление {case.reference}" in page
    assert "Проверка по правилам" in page and "Принять к рассмотрению" in page
    assert "Пункт пропуска через государственную границу" in page
    assert arrival.strftime("%d.%m.%Y") in page  # the Russian short date format
    assert "Узбекистан" in page  # the country's name in Russian


@pytest.mark.django_db
def test_an_error_next_to_a_field_is_in_russian(client, employer_user):
    client.force_login(employer_user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        url("applications:worker-create"),
        {
            "surname_latin": "Karimov", "given_names_latin": "Alisher", "sex": "M", "date_of_birth": tomorrow.isoformat(),
            "citizenship": "UZ", "passport_number": "FA1234567", "passport_expiry": "2031-01-01", "occupation": "Каменщик",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "date_of_birth") == "Дата рождения в будущем."


@pytest.mark.django_db
def test_large_numbers_in_messages_are_grouped_the_russian_way(client, employer_user, monkeypatch):
    monkeypatch.setattr(worker_import, "MAX_ROWS", 1234)
    header = "surname_latin,given_names_latin,sex,date_of_birth,citizenship,passport_number,passport_expiry,occupation"
    rows = [f"KARIMOV,ALISHER,M,1990-05-17,UZ,FA{n:07d},2031-01-01,Bricklayer" for n in range(1235)]
    client.force_login(employer_user)

    response = client.post(
        url("applications:worker-import"), {"file": SimpleUploadedFile("workers.csv", "\n".join([header, *rows]).encode())}
    )

    assert field_error(response, "file") == (
        "В файле больше 1\u202f234 работников. Разделите его на несколько файлов; в одном файле — не более 1\u202f234 строк."
    )


@pytest.mark.django_db
def test_a_page_asked_for_in_english_is_in_english(client, employer_user):
    client.force_login(employer_user)
    response = client.get(url("applications:employer-home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page_language(response) == "en"
    assert "My applications" in text(response) and "Мои заявления" not in text(response)


# The language switch


@pytest.mark.django_db
def test_the_navbar_has_a_labelled_language_switch_that_posts_to_set_language_without_a_script(client):
    content = client.get(url("accounts:login") + "?next=/employer/").content.decode()
    form = re.search(r'<form method="post" action="/i18n/setlang/"[^>]*>(.*?)</form>', content, re.S)
    assert form, "no language switch on the login page"
    switch = form.group(1)
    assert 'name="csrfmiddlewaretoken"' in switch
    assert '<input type="hidden" name="next" value="/accounts/login/?next=/employer/">' in switch
    assert '<label for="language-switch-select"' in switch and ">Язык</label>" in switch
    assert re.search(r'<select id="language-switch-select" name="language"', switch)
    assert '<option value="ru" lang="ru" selected>Русский</option>' in switch
    assert '<option value="en" lang="en">English</option>' in switch
    assert re.search(r'<button type="submit"[^>]*>Сменить</button>', switch)
    assert "<script>" not in content and " onchange=" not in switch


@pytest.mark.django_db
def test_choosing_english_shows_the_portal_in_english_from_then_on(client):
    response = client.post(url("set_language"), {"language": "en", "next": url("accounts:login")})
    assert response.status_code == 302 and response.url == url("accounts:login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(url("accounts:login"))
    assert page_language(page) == "en"
    assert "Sign in" in text(page) and "Войти" not in text(page)
    assert '<option value="en" lang="en" selected>English</option>' in page.content.decode()


@pytest.mark.django_db
def test_a_switch_to_an_unknown_language_changes_nothing(client, remembering, employer_user):
    client.force_login(employer_user)
    response = client.post(url("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    employer_user.refresh_from_db()
    assert employer_user.preferred_language == "ru"
    assert page_language(client.get(url("applications:employer-home"))) == "ru"


@pytest.mark.django_db
def test_a_signed_in_persons_choice_is_saved_to_their_account(client, remembering, employer_user):
    client.force_login(employer_user)
    client.post(url("set_language"), {"language": "en", "next": url("applications:employer-home")})
    employer_user.refresh_from_db()
    assert employer_user.preferred_language == "en"
    assert "My applications" in text(client.get(url("applications:employer-home")))


@pytest.mark.django_db
def test_an_anonymous_choice_changes_no_account(client, remembering, employer_user):
    client.post(url("set_language"), {"language": "en", "next": "/"})
    employer_user.refresh_from_db()
    assert employer_user.preferred_language == "ru"


@pytest.mark.django_db
def test_the_saved_language_is_applied_at_the_next_sign_in_in_another_browser(client, remembering, employer_user, django_user_model):
    django_user_model.objects.filter(pk=employer_user.pk).update(preferred_language="en")

    # A browser that never chose a language, reading Russian.
    login = client.post(url("accounts:login"), {"username": employer_user.email, "password": TEST_PASSWORD})
    assert login.status_code == 302
    assert login.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    home = client.get(url("applications:employer-home"))
    assert page_language(home) == "en" and "My applications" in text(home)


@pytest.mark.django_db
def test_an_english_account_wins_over_the_browsers_russian_at_sign_in(client, remembering, employer_user, django_user_model):
    django_user_model.objects.filter(pk=employer_user.pk).update(preferred_language="en")
    client.post(url("set_language"), {"language": "ru", "next": "/"})  # chosen on the login page
    login = client.post(url("accounts:login"), {"username": employer_user.email, "password": TEST_PASSWORD})
    assert login.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My applications" in text(client.get(url("applications:employer-home")))


@pytest.mark.django_db
def test_an_account_in_the_default_russian_does_not_override_a_browser_asking_for_english(client, remembering, employer_user):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login = client.post(url("accounts:login"), {"username": employer_user.email, "password": TEST_PASSWORD})
    assert login.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in login.cookies
    assert "My applications" in text(client.get(url("applications:employer-home")))


@pytest.mark.django_db
def test_a_colleague_joining_by_invitation_keeps_the_language_they_read_and_it_is_saved(
    client, remembering, employer_user, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(employer_user)  # of a company writing in Russian
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("applications:invitation-create"), {"email": "colleague@a.example"})
    client.logout()
    path = re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    password = "vEry-long-pass-42"
    joined = client.post(path, {"full_name": "Boris Sidorov", "password1": password, "password2": password})

    assert joined.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in joined.cookies
    assert django_user_model.objects.get(email="colleague@a.example").preferred_language == "en"
    assert "My applications" in text(client.get(url("applications:employer-home")))


@pytest.mark.django_db
def test_a_failed_sign_in_leaves_the_language_alone(client, remembering, employer_user, django_user_model):
    django_user_model.objects.filter(pk=employer_user.pk).update(preferred_language="en")
    response = client.post(url("accounts:login"), {"username": employer_user.email, "password": "wrong"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_language(response) == "ru"


@pytest.mark.django_db
def test_signing_out_leaves_the_language_alone(client, remembering, employer_user):
    client.force_login(employer_user)
    client.post(url("set_language"), {"language": "en", "next": "/"})
    response = client.post(url("accounts:logout"))
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Sign in" in text(client.get(url("accounts:login")))


@pytest.mark.django_db
def test_remembering_the_language_costs_no_query_on_an_ordinary_page(client, settings, employer_user):
    def queries_for_the_home_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("applications:employer-home")).status_code == 200
        return len(queries)

    client.force_login(employer_user)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != LANGUAGE_MIDDLEWARE]
    without = queries_for_the_home_page()
    position = settings.MIDDLEWARE.index(AUTHENTICATION_MIDDLEWARE) + 1
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:position], LANGUAGE_MIDDLEWARE, *settings.MIDDLEWARE[position:]]
    assert queries_for_the_home_page() == without


def test_the_portal_installs_the_account_language_middleware_after_authentication():
    assert LANGUAGE_MIDDLEWARE in settings.MIDDLEWARE, f"add {LANGUAGE_MIDDLEWARE!r} to settings.MIDDLEWARE"
    assert settings.MIDDLEWARE.index(LANGUAGE_MIDDLEWARE) > settings.MIDDLEWARE.index(AUTHENTICATION_MIDDLEWARE)


# E-mails and the decision letter in the company's language


@pytest.fixture
def submitted_case(employer, moscow, moscow_rules):
    return CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__status=Status.SUBMITTED
    ).application


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("ru", "Заявление {reference}: На рассмотрении", "новый статус — «На рассмотрении»"),
        ("en", "Application {reference}: In review", "is now: In review."),
    ],
)
def test_the_status_e_mail_is_in_the_companys_language(
    employer, submitted_case, officer, django_capture_on_commit_callbacks, language, subject, phrase
):
    employer.language = language
    employer.save()
    other = "en" if language == "ru" else "ru"

    with translation.override(other), django_capture_on_commit_callbacks(execute=True):
        services.application_take_into_review(application=submitted_case, user=officer)

    (email,) = mail.outbox
    assert email.subject == subject.format(reference=submitted_case.reference)
    assert phrase in email.body


@pytest.mark.django_db
def test_the_officers_e_mail_is_in_russian(employer, officer, moscow, moscow_rules, threshold, django_capture_on_commit_callbacks):
    employer.language = "en"
    employer.save()
    draft = CaseWorkerFactory(application__employer=employer, application__region=moscow).application

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=draft, user=employer.members.get().user)

    (email,) = mail.outbox
    assert email.to == [officer.email]
    assert email.subject == f"Заявление {draft.reference}: Подано"


@pytest.fixture
def approved_case(employer, moscow_rules, threshold, officer):
    case = ApplicationFactory(employer=employer, region=officer.officer_regions.get(), status=Status.IN_REVIEW)
    CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin="KARIMOV", citizenship="UZ"),
    )
    return services.application_approve(application=case, user=officer)


@pytest.mark.django_db
def test_the_decision_letter_in_russian_has_russian_labels(approved_case):
    with translation.override("ru"):
        context = decision_letter_context(approved_case.decision)
        markup = render_to_string("letters/decision.html", context)
    letter = " ".join(re.sub(r"<[^>]+>", " ", markup).split())

    assert context["outcome"] == "Одобрено"
    assert context["decision_in_words"] == "Заявление одобрено: разрешён въезд 1 работника, указанного в заявлении."
    assert f"Решение по заявлению {approved_case.reference}" in letter
    for label in ("Регистрационный номер", "Дата решения", "Работодатель", "ИНН", "ОГРН / ОГРНИП", "Гражданство", "Узбекистан"):
        assert label in letter
    assert '<html lang="ru">' in markup
    assert "Decision" not in letter


@pytest.mark.django_db
def test_the_decision_letter_in_english_has_english_labels(approved_case):
    with translation.override("en"):
        context = decision_letter_context(approved_case.decision)
        letter = " ".join(re.sub(r"<[^>]+>", " ", render_to_string("letters/decision.html", context)).split())

    assert f"Decision on application {approved_case.reference}" in letter
    assert "The application is approved: the 1 worker listed may enter." in letter
    assert "Uzbekistan" in letter and "Решение" not in letter
