"""The employer's reply date and the officer's decision deadline are shown apart, each with its
own countdown in working days; while the employer is asked, the officer's clock shows as paused
and no list or filter counts the case as overdue."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications import services
from applications.models import Application, Status
from regions.production_calendar import add_working_days
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory

pytestmark = pytest.mark.django_db


def short(day):
    return date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def asked(employer, officer, moscow_rules, threshold):
    """A Moscow case whose officer had 4 working days left when asking, giving the employer 3."""
    today = timezone.localdate()
    case = ApplicationFactory(
        employer=employer, status=Status.IN_REVIEW, assigned_officer=officer, deadline=add_working_days(today, 4),
        reference="2021-000301",
    )
    CaseWorkerFactory(application=case)
    return services.application_request_information(application=case, user=officer, message="The lease.", answer_days=3)


def test_the_officer_sees_the_clock_paused_with_the_days_left_and_the_employers_reply_date(english, officer, asked):
    english.force_login(officer)
    reply_due = add_working_days(timezone.localdate(), 3)

    page = english.get(reverse("applications:review-detail", kwargs={"pk": asked.pk})).content.decode()
    assert "Paused while the employer is asked; 4 working days left" in page
    assert f"Reply due by {short(reply_due)}: 3 working days left" in page

    queue = english.get(reverse("applications:review-queue"), {"status": "info_requested"}).content.decode()
    assert "Paused while the employer is asked; 4 working days left" in queue
    assert f"Reply due by {short(reply_due)}: 3 working days left" in queue


def test_the_employer_sees_its_own_reply_date_apart_from_the_decision(english, employer_user, asked):
    english.force_login(employer_user)
    reply_due = add_working_days(timezone.localdate(), 3)

    page = english.get(reverse("applications:application-detail", args=[asked.pk])).content.decode()
    assert f"Your answer: <span>Reply due by {short(reply_due)}: 3 working days left</span>" in page
    assert "Paused while the employer is asked; 4 working days left" in page

    listing = english.get(reverse("applications:employer-home")).content.decode()
    assert f"Reply due by {short(reply_due)}: 3 working days left" in listing


def test_a_paused_case_long_past_its_old_deadline_is_not_in_the_overdue_filter(english, officer, asked):
    english.force_login(officer)
    late = ApplicationFactory(
        employer=asked.employer, status=Status.IN_REVIEW, deadline=add_working_days(timezone.localdate(), -3),
        reference="2021-000302",
    )

    page = english.get(reverse("applications:review-queue") + "?overdue=on").content.decode()
    assert late.reference in page
    assert asked.reference not in page


def test_after_the_answer_the_officer_sees_the_days_that_were_left(english, officer, employer_user, asked):
    services.application_answer_request(application=asked, user=employer_user, message="Attached.")
    english.force_login(officer)

    page = english.get(reverse("applications:review-detail", kwargs={"pk": asked.pk})).content.decode()
    deadline = Application.objects.get(pk=asked.pk).deadline
    assert deadline == add_working_days(timezone.localdate(), 4)
    assert f"{short(deadline)} — <span>4 working days left</span>" in page
    assert "Reply due by" not in page.split("</header>")[0]
