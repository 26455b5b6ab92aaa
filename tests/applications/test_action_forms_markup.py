"""The case page's action forms are drawn in Python (applications/forms/plain_forms.py) with the
markup crispy-forms drew: the same fields, labels, ids, help texts, errors beside their fields
with `aria-invalid` and `aria-describedby`, Bootstrap classes and CSRF token, blank and bound."""

import re
from types import SimpleNamespace

import pytest
from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from applications.forms.review import (
    ApproveForm,
    ApprovePartiallyForm,
    RejectForm,
    RequestInformationForm,
    TakeIntoReviewForm,
    VerifyCompanyForm,
)
from applications.models import Status
from applications.overrides import Failures
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory

pytestmark = pytest.mark.django_db

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
PLAIN = engines["django"].from_string("{% load action_forms %}{% action_form form %}")


def markup(html: str) -> str:
    """What a browser reads: the same elements and attributes, whatever the whitespace between tags
    (and whichever mask the CSRF token wears this time)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="TOKEN"', html)
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*/?>", ">", html)


@pytest.fixture
def request_with_token(officer):
    request = RequestFactory().get("/")
    request.user = officer
    get_token(request)
    return request


@pytest.fixture
def case(employer, moscow_rules, threshold):
    application = ApplicationFactory(employer=employer, status=Status.IN_REVIEW)
    for _ in range(2):
        CaseWorkerFactory(application=application)
    return application


def forms_of(case):
    lines = list(case.lines.select_related("worker"))
    failing = Failures(case=[SimpleNamespace(text="The arrival date <b>has passed</b>.")], by_line={lines[0].pk: [SimpleNamespace(text="No test.")]})
    justification = {f"line_{lines[0].pk}_justification": "<b>too short</b>", f"line_{lines[0].pk}_override": "on"}
    return [
        TakeIntoReviewForm(application=case),
        TakeIntoReviewForm({"version": "stale"}, application=case),
        ApproveForm(application=case, lines=lines, failures=failing),
        ApproveForm({"version": "0"}, application=case, lines=lines, failures=failing),
        ApproveForm({"version": str(case.version), "case_override": "on", **justification}, application=case, lines=lines, failures=failing),
        RequestInformationForm(application=case),
        RequestInformationForm(
            {"version": str(case.version), "message": '<script>"&', "requested_documents": ["passport_copy", "nonsense"], "answer_days": "99"},
            application=case,
        ),
        RequestInformationForm({"version": str(case.version), "answer_days": "x"}, application=case),
        RejectForm(application=case),
        RejectForm({"version": "", "reason": "x" * 5001}, application=case),
        VerifyCompanyForm(application=case),
        VerifyCompanyForm({}, application=case),
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_action_form_is_drawn_as_crispy_drew_it_blank_and_with_errors(case, request_with_token, language):
    with translation.override(language):
        for form in forms_of(case):
            if form.is_bound:
                assert not form.is_valid()
            plain = PLAIN.render({"form": form}, request_with_token)
            assert markup(plain) == markup(CRISPY.render({"form": form}, request_with_token)), type(form).__name__
            assert 'name="csrfmiddlewaretoken"' in plain


def test_the_case_page_shows_a_refused_rejection_with_its_error_next_to_the_field(officer_client, case):
    response = officer_client.post(reverse("applications:review-reject", kwargs={"pk": case.pk}), {"version": case.version, "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<textarea name="reason" cols="40" rows="3" maxlength="5000" class="textarea form-control is-invalid" required '
        'aria-invalid="true" aria-describedby="id_review-reject_reason_helptext id_review-reject_reason_error" id="id_review-reject_reason">'
    ) in html
    assert '<div id="id_review-reject_reason_error" class="invalid-feedback"><span id="error_1_id_review-reject_reason"><strong>This field is required.</strong></span></div>' in html
    assert 'id="form-review-reject" method="post"><input type="hidden" name="csrfmiddlewaretoken"' in html


def test_the_partial_approvals_override_of_the_whole_case_is_drawn_as_crispy_drew_it(case, request_with_token):
    lines = list(case.lines.select_related("worker"))
    failing = Failures(case=[SimpleNamespace(text="The arrival date has passed.")])
    crispy = engines["django"].from_string(
        "{% load crispy_forms_filters %}{{ form.version }}{% for field in form.case_override_fields %}{{ field|as_crispy_field }}{% endfor %}"
    )
    plain = engines["django"].from_string(
        "{% load action_forms %}{{ form.version|plain_crispy_field }}{% for field in form.case_override_fields %}{{ field|plain_crispy_field }}{% endfor %}"
    )
    blank = ApprovePartiallyForm(application=case, lines=lines, failures=failing)
    decisions = {f"line_{line.pk}_decision": "approve" for line in lines}
    bound = ApprovePartiallyForm(
        {"version": str(case.version), "case_justification": "<i>no</i>", **decisions}, application=case, lines=lines, failures=failing,
    )
    assert not bound.is_valid() and bound.has_error("case_override")
    for form in (blank, bound):
        drawn = plain.render({"form": form}, request_with_token)
        assert markup(drawn) == markup(crispy.render({"form": form}, request_with_token))
    assert 'aria-describedby="id_review-approve-partially_case_justification_helptext"' in drawn
