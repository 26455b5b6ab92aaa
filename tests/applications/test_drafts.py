"""Drafts: created with a readable reference, changed only while a draft, by its own company."""

import re

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import Status
from tests.applications.factories import ApplicationFactory, WorkerFactory
from tests.helpers.drafts import draft_fields
from tests.regions.factories import region

pytestmark = pytest.mark.django_db


def test_a_new_draft_gets_a_reference_a_person_can_read_out_and_a_history_row(employer, employer_user):
    first = services.application_create_draft(employer=employer, user=employer_user, **draft_fields())
    second = services.application_create_draft(employer=employer, user=employer_user, **draft_fields())

    assert re.fullmatch(r"\d{4}-\d{6}", first.reference)
    assert first.reference != second.reference
    assert first.status == Status.DRAFT
    created = first.history.get()
    assert (created.from_status, created.to_status, created.actor) == ("", Status.DRAFT, employer_user)


def test_nobody_can_create_a_draft_for_another_company(employer, other_employer_user):
    with pytest.raises(services.TransitionRefused):
        services.application_create_draft(employer=employer, user=other_employer_user, **draft_fields())


def test_a_draft_can_be_changed_but_a_submitted_case_cannot(employer, employer_user):
    draft = ApplicationFactory(employer=employer)
    services.application_update_draft(application=draft, user=employer_user, project_name="Changed")
    draft.refresh_from_db()
    assert draft.project_name == "Changed"

    submitted = ApplicationFactory(employer=employer, status=Status.SUBMITTED)
    with pytest.raises(services.TransitionRefused, match="Only a draft can be changed"):
        services.application_update_draft(application=submitted, user=employer_user, project_name="Sneaky")
    submitted.refresh_from_db()
    assert submitted.project_name != "Sneaky"


def test_a_worker_of_another_company_cannot_be_put_on_a_draft(employer, employer_user):
    draft = ApplicationFactory(employer=employer)
    stranger = WorkerFactory()  # another employer's registry
    with pytest.raises(services.TransitionRefused, match="not in your company's registry"):
        services.application_add_worker(application=draft, user=employer_user, worker=stranger)


def test_a_worker_is_on_a_case_at_most_once(employer, employer_user):
    draft = ApplicationFactory(employer=employer)
    worker = WorkerFactory(employer=employer)
    services.application_add_worker(application=draft, user=employer_user, worker=worker)
    with pytest.raises(services.TransitionRefused, match="already on this application"):
        services.application_add_worker(application=draft, user=employer_user, worker=worker)
    assert draft.lines.count() == 1


def test_removing_a_worker_is_allowed_only_on_a_draft(employer, employer_user):
    draft = ApplicationFactory(employer=employer)
    line = services.application_add_worker(application=draft, user=employer_user, worker=WorkerFactory(employer=employer))
    services.application_remove_worker(line=line, user=employer_user)
    assert draft.lines.count() == 0


def test_a_draft_naming_both_a_checkpoint_and_another_crossing_is_refused_with_a_message(employer, employer_user):
    with pytest.raises(ValidationError, match="Choose the border crossing point from the list"):
        services.application_create_draft(
            employer=employer, user=employer_user, **draft_fields(), border_crossing_point="Vnukovo", border_region=region(77)
        )
