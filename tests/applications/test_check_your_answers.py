"""Filing that states what it needs (issue 18, item 5): the draft form says which fields saving
demands, a failed form lists its errors at the top, and submitting goes through a "check your
answers" page whose declaration of the employer's guarantees is kept with the submission."""

import datetime as dt
import html
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import Status, StatusChange
from tests.applications.factories import CaseWorkerFactory
from tests.pages import draft_form_data, field_error, text, url

pytestmark = pytest.mark.django_db


def declare(client, case, **extra):
    return client.post(url("application-submit", case.pk), {"version": case.version, "declaration": "on", **extra}, follow=True)


def test_the_check_page_shows_every_section_and_the_declaration_of_the_guarantees(employer_client, employer, draft_with_worker):
    draft_with_worker.isolation_address = "Moscow, Stroiteley 5"
    draft_with_worker.isolation_days = 14
    draft_with_worker.save()
    worker = draft_with_worker.lines.get().worker

    page = text(employer_client.get(url("application-submit", draft_with_worker.pk)))

    assert f"Check your answers before submitting {draft_with_worker.reference}" in page
    assert draft_with_worker.project_name in page and "Moscow, Stroiteley 5" in page
    assert "1 worker" in page and worker.display_name in page
    assert (
        f"On behalf of {employer.name} (INN {employer.inn}) I declare that the information in application "
        f"{draft_with_worker.reference} is true, and that the company guarantees, at its own expense, for its 1 worker "
        "on this application: a negative PCR test for COVID-19 taken within the time the rules of Moscow require before "
        "arrival; transport from the border crossing to the place of isolation; isolation on arrival for 14 days at "
        "Moscow, Stroiteley 5; housing for the time of the work; and medical insurance."
    ) in page


def test_the_case_page_leads_to_the_check_page_not_straight_to_submission(employer_client, draft_with_worker):
    page = employer_client.get(url("application-detail", draft_with_worker.pk)).content.decode()

    form = re.search(r'<form method="get" action="([^"]+)"[^>]*>\s*<button[^>]*id="submit-application"', page)
    assert form and form.group(1) == url("application-submit", draft_with_worker.pk)


def test_submitting_without_ticking_the_declaration_keeps_the_draft_and_says_why_next_to_the_box(employer_client, draft_with_worker):
    response = employer_client.post(url("application-submit", draft_with_worker.pk), {"version": draft_with_worker.version})

    assert response.status_code == 200
    message = "Tick the declaration to submit: the authority accepts an application only with the employer's guarantees."
    assert field_error(response, "declaration") == message
    summary = html.unescape(re.search(r'id="error-summary".*?</div>', response.content.decode(), re.S).group(0))
    assert 'href="#id_declaration"' in summary and message in summary
    draft_with_worker.refresh_from_db()
    assert draft_with_worker.status == Status.DRAFT


def test_the_ticked_declaration_is_kept_with_the_submission_in_the_words_shown(employer_client, draft_with_worker):
    shown = re.search(r'<label[^>]*for="id_declaration"[^>]*>(.*?)</label>', employer_client.get(
        url("application-submit", draft_with_worker.pk)).content.decode(), re.S).group(1)

    page = text(declare(employer_client, draft_with_worker))

    assert f"Application {draft_with_worker.reference} is submitted to Moscow." in page
    submission = StatusChange.objects.get(application=draft_with_worker, transition="submit")
    shown = re.sub(r'<span class="asteriskField">\*</span>', "", shown)  # the "required" mark is not declared
    assert submission.declaration == html.unescape(" ".join(re.sub(r"<[^>]+>", "", shown).split()))


def test_a_russian_reader_declares_in_russian(client, employer_user, draft_with_worker):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    client.force_login(employer_user)

    declare(client, draft_with_worker)

    declaration = StatusChange.objects.get(application=draft_with_worker, transition="submit").declaration
    assert declaration.startswith("От имени ") and "за свой счёт" in declaration


def test_a_case_that_fails_a_blocking_rule_shows_why_and_offers_no_submit_button(employer_client, employer, moscow, moscow_rules, threshold):
    case = CaseWorkerFactory(application__employer=employer, application__region=moscow, application__isolation_days=7).application

    response = employer_client.get(url("application-submit", case.pk))

    assert "You cannot submit yet: the application fails these of the region's rules." in text(response)
    assert 'id="submit-application"' not in response.content.decode()
    assert "Isolation of 7 days guaranteed; Moscow requires 14 days." in text(declare(employer_client, case))
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_a_submitted_case_is_not_offered_the_check_page_again(employer_client, draft_with_worker):
    declare(employer_client, draft_with_worker)
    draft_with_worker.refresh_from_db()

    response = employer_client.get(url("application-submit", draft_with_worker.pk), follow=True)

    assert f"Application {draft_with_worker.reference} is “Submitted”: it cannot be submitted." in text(response)
    assert StatusChange.objects.filter(application=draft_with_worker, transition="submit").count() == 1


def test_the_database_keeps_a_declaration_only_with_a_submission(draft_with_worker, employer_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            application=draft_with_worker, from_status=Status.DRAFT, to_status=Status.WITHDRAWN, transition="withdraw",
            actor=employer_user, declaration="I declare…",
        )


# The draft form


def test_the_draft_form_says_which_fields_saving_needs_the_checkpoint_among_them(employer_client, moscow):
    page = text(employer_client.get(url("application-create")))

    note = re.search(r"Saving needs the fields marked \*: (.*?)\. The rule check", page).group(1)
    assert {label.strip() for label in note.split(",")} == {
        "Region of work", "Kind", "Project or site", "Planned arrival date", "Planned arrival time", "Border crossing point",
        "Isolation days guaranteed",
    }


def test_a_failed_save_lists_each_error_at_the_top_linked_to_its_field(employer_client, moscow):
    data = draft_form_data(moscow, timezone.localdate() + dt.timedelta(days=20), checkpoint="", project_name="")

    response = employer_client.post(url("application-create"), data)

    summary = re.search(r'id="error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert 'href="#id_checkpoint"' in summary and 'href="#id_project_name"' in summary
    assert "Choose the border crossing point, or “Other crossing” at the end of the list." in text(response)
