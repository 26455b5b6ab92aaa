"""A charter in the browser (issue 17): a company organises a flight, invites a second company,
which accepts and puts its own case on it; the officer approves both companies' cases together
and downloads the charter's border list, one row per passport."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, Charter, Status
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    EmployerFactory,
    EmployerMemberFactory,
    WorkerFactory,
)
from tests.e2e.scene import moscow_rules_and_threshold, region, regions_are_loaded, url
from tests.e2e.ui import button, field, message
from tests.portal.factories import OfficerFactory, UserFactory
from tests.regions.factories import checkpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARRIVAL = timezone.localdate() + dt.timedelta(days=20)


def clerk_with_case(*, email: str, company: str, surname: str, passport: str):
    clerk = EmployerMemberFactory(
        user=UserFactory(email=email, preferred_language="en"), employer=EmployerFactory(name=company)
    ).user
    employer = clerk.employer_membership.employer
    case = ApplicationFactory(employer=employer, status=Status.IN_REVIEW, planned_arrival_date=ARRIVAL, checkpoint=checkpoint("SVO"))
    CaseWorkerFactory(
        application=case, worker=WorkerFactory(employer=employer, surname_latin=surname, citizenship="UZ", passport_number=passport)
    )
    return clerk, case


def test_two_companies_share_a_flight_and_the_officer_approves_it_and_downloads_its_border_list(browsing):
    assert regions_are_loaded()
    moscow_rules_and_threshold()
    organiser, own_case = clerk_with_case(email="clerk@stroyka.example", company="ООО Стройка", surname="STROYEV", passport="AA1000001")
    guest, guest_case = clerk_with_case(email="clerk@most.example", company="ООО Мост", surname="MOSTOV", passport="BB2000002")
    officer = OfficerFactory(email="officer@77.example", regions=[region(77)], preferred_language="en")

    # The organiser creates the charter, invites the other company and puts its own case on it.
    page = browsing.new_page(user=organiser)
    page.goto(url("charter-list"))
    page.get_by_role("link", name="Organise a charter").click()
    field(page, "Transport").select_option("flight")
    field(page, "Flight or train number").fill("su 1881")
    field(page, "Region of work").select_option(str(region(77).pk))
    field(page, "Border crossing point").select_option(str(checkpoint("SVO").pk))
    field(page, "Arrival date").fill(ARRIVAL.isoformat())
    button(page, "Create the charter").click()
    charter = Charter.objects.get()
    expect(message(page, f"Charter {charter.reference} is created.")).to_be_visible()
    field(page, "INN of the company").fill(guest_case.employer.inn)
    button(page, "Invite").click()
    expect(message(page, "ООО Мост is invited")).to_be_visible()
    page.get_by_label(own_case.reference).check()
    button(page, "Put the ticked applications on the charter").click()
    expect(message(page, f"1 application is on the charter: {own_case.reference}.")).to_be_visible()
    browsing.step("organiser created, invited, attached", page)

    # The invited company consents and puts its own case on the charter; it sees the organiser's
    # company only as a name and counts.
    other = browsing.new_page(user=guest)
    other.goto(url("charter-list"))
    other.get_by_role("link", name=charter.reference).click()
    button(other, "Accept").click()
    expect(message(other, f"Your company is on charter {charter.reference}.")).to_be_visible()
    other.get_by_label(guest_case.reference).check()
    button(other, "Put the ticked applications on the charter").click()
    expect(message(other, f"1 application is on the charter: {guest_case.reference}.")).to_be_visible()
    expect(other.get_by_text("STROYEV")).to_have_count(0)
    expect(other.get_by_text(own_case.reference)).to_have_count(0)
    browsing.step("guest accepted and attached", other)

    # The officer decides both together and downloads one border list for the flight.
    inspector = browsing.new_page(user=officer)
    inspector.goto(url("review-queue"))
    inspector.get_by_role("link", name="Charters").click()
    inspector.get_by_role("link", name=charter.reference).click()
    inspector.get_by_label(own_case.reference).check()
    inspector.get_by_label(guest_case.reference).check()
    button(inspector, "Decide the ticked applications").click()
    first, second = sorted([own_case.reference, guest_case.reference])
    expect(message(inspector, f"2 approved: {first}, {second}.")).to_be_visible()
    browsing.step("officer approved both", inspector)
    assert set(Application.objects.filter(charter=charter).values_list("status", flat=True)) == {Status.APPROVED}

    with inspector.expect_download() as download_info:
        inspector.get_by_role("link", name="Border list of the charter (CSV)").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert sorted(row[5] for row in rows[1:]) == ["AA1000001", "BB2000002"]
