"""A rule version not yet in force can already be applied (a case is judged on the version in
force on its planned arrival), and the decision letter prints its legal basis: the admin keeps
it as it is, or editing it would rewrite decided cases' letters. Such a version is published
(a draft applies to nothing), and a published version is kept as it is from its publication."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Decision, Status
from tests.applications.factories import ApplicationFactory
from tests.helpers.rule_set_admin import change_url, form_data
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db

PUBLISHED = "This version has been published and takes effect on"


@pytest.fixture
def decided_draft(moscow, officer, employer):
    draft = RuleSetFactory(
        region=moscow, effective_from=timezone.localdate() + dt.timedelta(days=10), legal_basis_number="65-УМ"
    )
    application = ApplicationFactory(employer=employer, status=Status.APPROVED)
    Decision.objects.create(application=application, outcome=Status.APPROVED, rule_set=draft, decided_by=officer)
    return draft


def test_a_draft_a_decision_applied_is_shown_without_inputs_or_a_save_button(admin_client_, decided_draft):
    page = admin_client_.get(change_url(decided_draft)).content.decode()

    assert 'name="legal_basis_number"' not in page
    assert 'name="_save"' not in page
    assert PUBLISHED in page


def test_posting_a_change_to_a_draft_a_decision_applied_changes_nothing(admin_client_, decided_draft):
    response = admin_client_.post(change_url(decided_draft), form_data(decided_draft, legal_basis_number="99-УМ"))

    assert response.status_code == 302
    decided_draft.refresh_from_db()
    assert decided_draft.legal_basis_number == "65-УМ"
    [message] = messages_of(response)
    assert message.startswith(f"“{decided_draft}” was not changed: {PUBLISHED}")


def test_a_draft_a_decision_applied_cannot_be_deleted(admin_client_, decided_draft):
    response = admin_client_.get(reverse("admin:regions_ruleset_delete", args=[decided_draft.pk]))
    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith(f"“{decided_draft}” was not deleted: {PUBLISHED}")
