"""A company states its revenue and headcount for a year with the evidence; every statement is
kept with its date, the officer sees the history on the case, and a case is judged on the
figures in force when it was submitted, even after the company states new ones."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.models import EmployerFigures, Status
from applications.services.companies import employer_figures_record
from tests.applications.factories import CaseWorkerFactory, EmployerFactory
from tests.pages import field_error, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(content=PDF, name="accounts-2020.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def state(employer, user, *, year, revenue, headcount):
    return employer_figures_record(
        employer=employer, user=user, year=year, annual_revenue_rub=revenue, average_headcount=headcount, evidence=evidence()
    )


# Stating figures on the company page


def test_a_member_states_new_figures_with_evidence_and_the_history_keeps_both(employer_client, employer, employer_user):
    EmployerFigures.objects.create(employer=employer, year=2019, annual_revenue_rub=900_000_000, average_headcount=120)

    response = employer_client.post(
        reverse("applications:figures-create"),
        {"year": "2020", "annual_revenue_rub": "1500000000", "average_headcount": "420", "evidence": evidence()},
    )

    assert response.status_code == 302
    history = list(EmployerFigures.objects.filter(employer=employer).order_by("recorded_at"))
    assert [(s.year, s.annual_revenue_rub, s.average_headcount) for s in history] == [
        (2019, 900_000_000, 120), (2020, 1_500_000_000, 420),
    ]
    assert history[-1].recorded_by == employer_user and history[-1].evidence_name == "accounts-2020.pdf"
    employer.refresh_from_db()
    assert (employer.annual_revenue_rub, employer.average_headcount) == (1_500_000_000, 420)
    page = text(employer_client.get(reverse("applications:company-detail")))
    assert "The figures for 2020 are recorded." in page
    assert "2020 1500000000 420" in page and "2019 900000000 120" in page
    assert "accounts-2020.pdf" in page


def test_figures_without_evidence_are_refused_next_to_the_file(employer_client, employer):
    response = employer_client.post(
        reverse("applications:figures-create"), {"year": "2020", "annual_revenue_rub": "1500000000", "average_headcount": "420"}
    )

    assert response.status_code == 200
    assert field_error(response, "evidence") == "This field is required."
    assert not EmployerFigures.objects.exists()


def test_evidence_that_is_not_a_pdf_or_an_image_is_refused_next_to_the_file(employer_client, employer):
    response = employer_client.post(
        reverse("applications:figures-create"),
        {"year": "2020", "annual_revenue_rub": "1", "average_headcount": "1",
         "evidence": evidence(b"#!/bin/sh\nrm -rf /\n", "accounts.pdf")},
    )

    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG file" in field_error(response, "evidence")
    assert not EmployerFigures.objects.exists()


def test_the_history_cannot_be_rewritten(employer, employer_user):
    statement = state(employer, employer_user, year=2020, revenue=1, headcount=1)

    with pytest.raises(DatabaseError), transaction.atomic():
        EmployerFigures.objects.filter(pk=statement.pk).update(annual_revenue_rub=2)
    with pytest.raises(DatabaseError), transaction.atomic():
        EmployerFigures.objects.filter(pk=statement.pk).delete()


# The officer's case page and the evidence


@pytest.fixture
def submitted_case(employer, employer_user, moscow_rules, threshold):
    EmployerFigures.objects.create(
        employer=employer, year=2020, annual_revenue_rub=2_000_000_000, average_headcount=500,
        recorded_at=timezone.now() - dt.timedelta(days=30), recorded_by=employer_user,
    )
    application = CaseWorkerFactory(application__employer=employer).application
    services.application_submit(application=application, user=employer_user)
    application.refresh_from_db()
    return application


def test_the_officer_sees_the_figures_history_with_the_statement_in_force_at_submission(
    client, officer, employer, employer_user, submitted_case
):
    state(employer, employer_user, year=2021, revenue=700_000_000, headcount=90)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(officer)

    response = client.get(reverse("applications:review-detail", args=[submitted_case.pk]))

    page = text(response)
    assert "Figures for eligibility" in page
    assert "2021 700000000 90" in page
    assert "2020 in force at submission 2000000000 500" in page
    link = reverse("applications:figures-evidence", args=[EmployerFigures.objects.get(year=2021).pk])
    assert link in response.content.decode()
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_an_officer_of_another_region_cannot_download_the_evidence(client, officer_spb, employer, employer_user, submitted_case):
    statement = state(employer, employer_user, year=2021, revenue=1, headcount=1)
    client.force_login(officer_spb)

    assert client.get(reverse("applications:figures-evidence", args=[statement.pk])).status_code == 404


def test_another_company_cannot_download_the_evidence(client, other_employer_user, employer, employer_user):
    statement = state(employer, employer_user, year=2021, revenue=1, headcount=1)
    client.force_login(other_employer_user)

    assert client.get(reverse("applications:figures-evidence", args=[statement.pk])).status_code == 404


# The rule check


def test_a_submitted_case_is_judged_on_the_figures_in_force_at_submission_even_after_an_update(
    employer, employer_user, submitted_case
):
    state(employer, employer_user, year=2021, revenue=700_000_000, headcount=90)

    _rules, checks = selectors.case_rule_check(submitted_case)

    revenue = next(c for c in checks if c.code == "employer.revenue")
    headcount = next(c for c in checks if c.code == "employer.headcount")
    assert revenue.passed and "2,000,000,000" in revenue.text  # English: the reader's grouping
    assert headcount.passed and "500" in headcount.text


def test_a_draft_is_judged_on_the_latest_figures(employer, employer_user, moscow_rules, threshold):
    EmployerFigures.objects.create(
        employer=employer, year=2020, annual_revenue_rub=2_000_000_000, average_headcount=500,
        recorded_at=timezone.now() - dt.timedelta(days=30),
    )
    draft = CaseWorkerFactory(application__employer=employer).application
    state(employer, employer_user, year=2021, revenue=700_000_000, headcount=90)

    _rules, checks = selectors.case_rule_check(draft)

    assert not next(c for c in checks if c.code == "employer.revenue").passed
    assert not next(c for c in checks if c.code == "employer.headcount").passed


def test_a_group_members_case_is_judged_on_its_heads_figures_in_force_at_submission(
    employer, employer_user, moscow_rules, threshold
):
    head = EmployerFactory(annual_revenue_rub=None, average_headcount=None)
    EmployerFigures.objects.create(
        employer=head, year=2020, annual_revenue_rub=5_000_000_000, average_headcount=3000,
        recorded_at=timezone.now() - dt.timedelta(days=30),
    )
    employer.group_head, employer.annual_revenue_rub, employer.average_headcount = head, 1, 1
    employer.save()
    application = CaseWorkerFactory(application__employer=employer).application
    services.application_submit(application=application, user=employer_user)
    application.refresh_from_db()
    EmployerFigures.objects.create(employer=head, year=2021, annual_revenue_rub=1, average_headcount=1)

    _rules, checks = selectors.case_rule_check(application)

    assert next(c for c in checks if c.code == "employer.revenue").passed
    assert application.status == Status.SUBMITTED


def test_figures_of_a_year_that_ended_more_than_a_year_before_submission_are_flagged_to_the_officer(
    employer, employer_user, moscow_rules, threshold
):
    submitted_year = timezone.localdate().year
    EmployerFigures.objects.create(
        employer=employer, year=submitted_year - 2, annual_revenue_rub=2_000_000_000, average_headcount=500,
        recorded_at=timezone.now() - dt.timedelta(days=1),
    )
    application = CaseWorkerFactory(application__employer=employer).application
    services.application_submit(application=application, user=employer_user)
    application.refresh_from_db()

    _rules, checks = selectors.case_rule_check(application)

    flagged = next(c for c in checks if c.code == "employer.figures_recent")
    assert (flagged.passed, flagged.blocking) == (False, False)
    assert str(submitted_year - 2) in flagged.text and str(submitted_year - 1) in flagged.text
