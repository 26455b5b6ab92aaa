"""The live rule check: the panel is drawn with the case page and beside the edit form (complete
without JavaScript), and a fragment URL gives it again for the case as saved, which
static/js/rule-check.js fetches when the user comes back to the page."""

import datetime as dt
import re

import pytest

from applications import services
from applications.models import ApplicationKind
from tests.applications.factories import CaseWorkerFactory, WorkerEarlierPermitFactory
from tests.pages import text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_isolation(employer, moscow, moscow_rules, threshold):
    """A draft that fails Moscow's rules: 7 days of isolation where 14 are required."""
    return CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__isolation_days=7
    ).application


def test_the_fragment_gives_the_check_of_the_case_as_saved_and_follows_a_saved_change(
    employer_client, employer_user, short_isolation
):
    before = employer_client.get(url("application-rule-check", short_isolation.pk))

    assert before.status_code == 200
    assert "<html" not in before.content.decode()
    assert "Failed: Isolation of 7 days guaranteed; Moscow requires 14 days." in text(before)
    assert "no-cache" in before["Cache-Control"]

    services.application_update_draft(application=short_isolation, user=employer_user, isolation_days=14)
    after = employer_client.get(url("application-rule-check", short_isolation.pk))

    assert "Failed:" not in text(after)
    assert "Isolation of 14 days guaranteed" in text(after)


def test_the_fragment_follows_a_worker_removed(employer_client, employer_user, short_isolation):
    line = short_isolation.lines.get()
    assert line.worker.display_name in text(employer_client.get(url("application-rule-check", short_isolation.pk)))

    services.application_remove_worker(line=line, user=employer_user)

    assert line.worker.display_name not in text(employer_client.get(url("application-rule-check", short_isolation.pk)))


@pytest.mark.parametrize("name", ["application-detail", "application-edit"])
def test_the_case_page_and_the_edit_form_show_the_panel_and_load_the_script_without_inline_code(
    employer_client, short_isolation, name
):
    response = employer_client.get(url(name, short_isolation.pk))

    page = response.content.decode()
    assert f'data-rule-check-url="{url("application-rule-check", short_isolation.pk)}"' in page
    assert "Failed: Isolation of 7 days guaranteed; Moscow requires 14 days." in text(response)
    assert re.search(r'<script src="/static/js/rule-check\.js" defer></script>', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "no inline script"
    assert " style=" not in page


def test_the_submit_button_says_why_it_is_disabled(employer_client, short_isolation):
    page = employer_client.get(url("application-detail", short_isolation.pk)).content.decode()

    button = re.search(r'<button[^>]*id="submit-application"[^>]*>', page).group(0)
    assert "disabled" in button and 'aria-describedby="submit-why submit-blocked"' in button
    assert 'id="submit-blocked"' in page


def test_another_company_gets_404_for_the_fragment(client, other_employer_user, short_isolation):
    client.force_login(other_employer_user)

    assert client.get(url("application-rule-check", short_isolation.pk)).status_code == 404


def test_an_officer_is_forbidden_the_fragment(client, officer, short_isolation):
    client.force_login(officer)

    assert client.get(url("application-rule-check", short_isolation.pk)).status_code == 403


def test_the_fragment_needs_a_signed_in_user_and_a_get(employer_client, short_isolation):
    assert employer_client.post(url("application-rule-check", short_isolation.pk)).status_code == 405
    employer_client.logout()
    response = employer_client.get(url("application-rule-check", short_isolation.pk))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_panel_asks_for_evidence_of_a_returning_worker_and_shows_it_once_declared(
    employer_client, employer, moscow, moscow_rules, threshold
):
    application = CaseWorkerFactory(
        application__employer=employer, application__region=moscow, application__kind=ApplicationKind.RETURNING_WORKERS,
        worker__surname_latin="SAIDOV", worker__given_names_latin="SHERZOD",
    ).application
    before = text(employer_client.get(url("application-rule-check", application.pk)))
    assert "Failed: SAIDOV S.: no earlier work for your company is on record" in before

    WorkerEarlierPermitFactory(worker=application.lines.get().worker, number="77 № 1904518", issued_on=dt.date(2019, 4, 12))
    after = text(employer_client.get(url("application-rule-check", application.pk)))

    assert "Passed: SAIDOV S.: work patent 77 № 1904518 of 04/12/2019, Moscow." in after
