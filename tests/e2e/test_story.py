"""The whole story in a real browser, as the people who use the portal walk it.

A company registers and confirms its e-mail; an admin verifies it; its clerk adds workers (one by
hand, two from a CSV file), files an application, meets a blocking rule check, fixes it, attaches
a document and submits; an officer of Moscow filters the queue, opens the case and asks for
information; the clerk answers; the officer approves two workers and refuses one with a reason;
the clerk downloads the decision letter, whose PDF carries the reference number; an admin adds and publishes a
rule version that suspends Moscow's intake, and the clerk's next submission there is refused.

Everything is done through pages, found by role and label; the database and the outbox are read
only to check what a person would be told or sent. A failure leaves a screenshot of every step
(tests/e2e/artifacts/).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from stdnum.ru import inn as inn_number

from applications.models import Application, Employer, Status
from regions.models import RuleSet
from tests.e2e.i18n import tr
from tests.e2e.scene import (
    PASSWORD,
    moscow_rules_and_threshold,
    region,
    regions_are_loaded,
    small_pdf,
)
from tests.e2e.ui import button, check_and_submit, field, message, sign_in
from tests.portal.factories import AdminFactory, OfficerFactory
from tests.regions.factories import RuleSetFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLERK_EMAIL = "hr@severstroy.example"
CLERK_PASSWORD = "Correct-Horse-42-battery"
COMPANY_INN = "770812345" + inn_number.calc_company_check_digit("770812345")
COMPANY_OGRN = "102770812345" + str(int("102770812345") % 11 % 10)

IMPORT_CSV = (
    "surname_latin,given_names_latin,surname_cyrillic,given_names_cyrillic,sex,date_of_birth,citizenship,"
    "passport_number,passport_expiry,occupation,phone\n"
    "KARIMOV,ALISHER,Каримов,Алишер,M,1990-05-17,UZ,AA1234567,2031-01-01,Bricklayer,+998 90 123-45-67\n"
    "TOKTOGULOV,AIBEK,Токтогулов,Айбек,M,1985-11-02,Kyrgyzstan,ID7654321,2030-06-30,Crane operator,\n"
).encode()


def iso_minutes(moment: dt.datetime) -> str:
    """The value an <input type=datetime-local> takes."""
    return moment.strftime("%Y-%m-%dT%H:%M")


# The clerk's steps


def register_company(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Register your company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your company")
    field(page, "Your work e-mail").fill(CLERK_EMAIL)
    field(page, "Your full name").fill("Olga Smirnova")
    field(page, "Password").fill(CLERK_PASSWORD)
    field(page, "Password again").fill(CLERK_PASSWORD)
    field(page, "Company name").fill("ООО Северстрой")
    page.get_by_label("Legal entity", exact=True).check()
    field(page, "INN").fill(COMPANY_INN)
    field(page, "OGRN / OGRNIP").fill(COMPANY_OGRN)
    field(page, "Legal address").fill("Москва, ул. Тверская, 7")
    field(page, "Region of registration").select_option(label="77 — Moscow")
    field(page, "Phone").fill("+7 495 123-45-67")
    field(page, "Year the figures are for").fill("2020")
    field(page, "Yearly revenue, roubles").fill("2000000000")
    field(page, "Average headcount").fill("500")
    field(page, "Language of letters").select_option(value="en")
    button(page, "Register the company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")


def confirm_email(page: Page) -> None:
    letters = [letter for letter in mail.outbox if CLERK_EMAIL in letter.to]
    assert len(letters) == 1, [letter.subject for letter in mail.outbox]
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", letters[0].body)
    assert link, letters[0].body
    page.goto(link.group(0))
    # Opening the link signs nobody in; the button does (issue 16, item 6).
    expect(page.get_by_text(CLERK_EMAIL)).to_be_visible()
    button(page, "Confirm and sign in").click()
    expect(message(page, "Your e-mail is confirmed and you are signed in.")).to_be_visible()
    expect(page.get_by_text("Your company is not verified yet.")).to_be_visible()


def add_worker_by_hand(page: Page) -> None:
    page.get_by_role("link", name="Workers", exact=True).click()
    page.get_by_role("link", name="Add a worker").click()
    field(page, "Surname (Latin, as in the passport)").fill("Rahimov")
    field(page, "Given names (Latin, as in the passport)").fill("Bobur")
    field(page, "Surname (Cyrillic)").fill("Рахимов")
    field(page, "Given names (Cyrillic)").fill("Бобур")
    field(page, "Sex").select_option(label="Male")
    field(page, "Date of birth").fill("1988-02-03")
    field(page, "Citizenship").select_option(value="TJ")
    field(page, "Passport number").fill("400 123 456")
    field(page, "Passport valid until").fill("2031-03-01")
    field(page, "Occupation").fill("Welder")
    button(page, "Add the worker").click()
    expect(message(page, "RAHIMOV B. is added to your registry.")).to_be_visible()


def import_workers(page: Page) -> None:
    page.get_by_role("link", name="Import from a file").click()
    field(page, "File of workers (CSV or XLSX)").set_input_files(
        {"name": "workers.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}
    )
    button(page, "Check and import").click()
    expect(message(page, "2 workers are added to your registry.")).to_be_visible()
    registry = page.get_by_role("table", name="Foreign workers in your company's registry")
    for name in ("RAHIMOV BOBUR", "KARIMOV ALISHER", "TOKTOGULOV AIBEK"):
        expect(registry.get_by_role("row").filter(has_text=name)).to_have_count(1)


def file_draft(
    page: Page, *, arrival: dt.date, isolation_days: int, project: str, region_label: str = "77 — Moscow",
    arrival_time: str = "14:30", checkpoint_code: str = "SVO",
) -> str:
    """Fills and saves a new application; returns its reference number. The arrival time is
    local time at the point of arrival."""
    page.get_by_role("link", name="My applications").click()
    page.get_by_role("link", name="New application").click()
    field(page, "Region of work").select_option(label=region_label)
    # The workers were just added to the registry: they come for the first time.
    field(page, "Kind").select_option(label="Invite new workers")
    field(page, "Project or site").fill(project)
    field(page, "Activity (OKVED)").fill("41.20")
    field(page, "Planned arrival date").fill(arrival.isoformat())
    field(page, "Planned arrival time").fill(arrival_time)
    # The list of crossing points is searched by its code and chosen (static/js/country-search.js).
    page.get_by_label("Find a crossing point").fill(checkpoint_code)
    expect(field(page, "Border crossing point")).to_have_value(re.compile(r"^\d+$"))
    field(page, "Transport from the border to the isolation site").check()
    field(page, "Isolation address").fill("Moscow, Stroiteley 5")
    field(page, "Isolation days guaranteed").fill(str(isolation_days))
    field(page, "Medical insurance policy").fill("INGO-123456")
    button(page, "Save the draft").click()
    expect(message(page, "is saved. Add the workers, then submit it.")).to_be_visible()
    heading = page.get_by_role("heading", level=1).inner_text()
    return re.search(r"Application (\S+)", heading).group(1)


def put_on_case(page: Page, surname: str, pcr_taken: dt.datetime, zone: str | None = None) -> None:
    """Adds a worker with the PCR test time as printed on the certificate; without `zone`, in
    the usual zone of the worker's citizenship (the form's default)."""
    workers = field(page, "Worker from your registry")
    workers.select_option(label=workers.locator("option").filter(has_text=f"{surname} ").inner_text())
    field(page, "PCR test taken at").fill(iso_minutes(pcr_taken))
    if zone:
        field(page, "Time zone of the PCR test").select_option(value=zone)
    button(page, "Add to the application").click()
    expect(message(page, "is added to the application.")).to_be_visible()


def rule_check(page: Page):
    return page.get_by_role("region", name="Check against the region's rules")


# The officer's and the admin's steps


def verify_company_in_admin(page: Page) -> None:
    page.goto(f"/admin/applications/employer/?q={COMPANY_INN}")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Verify selected companies")
    page.get_by_role("button", name=re.compile(r"^(Go|Run)$")).click()
    expect(page.get_by_text("1 company is verified.")).to_be_visible()


def suspend_moscow_intake_in_admin(page: Page, starting: dt.date) -> None:
    """A new version of Moscow's rules from `starting`, with the intake suspended, added and published."""
    page.goto("/admin/")
    page.get_by_role("link", name="Regions", exact=True).click()
    page.get_by_role("textbox", name=re.compile("Search")).fill("77")
    page.get_by_role("textbox", name=re.compile("Search")).press("Enter")
    page.get_by_role("row").filter(has_text="Москва").get_by_role("link", name="add a version").click()
    field(page, "In force from:").fill(starting.isoformat())
    field(page, "Intake open").uncheck()
    field(page, "Type of the act:").select_option(label="decree")
    field(page, "Issued by:").fill("Мэра Москвы")
    field(page, "Number of the act:").fill("15-УМ")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    # Saved, the version is a draft and applies to nothing: it is published on purpose.
    page.locator("ul.messagelist").get_by_role("link").first.click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator(".publish-summary")).to_contain_text("The rules of Moscow in this version take effect on")
    page.get_by_role("button", name="Yes, publish it").click()
    expect(page.get_by_text("Published: the rules of Moscow")).to_be_visible()


def test_a_company_files_and_an_officer_decides_in_a_real_browser(browsing):
    assert regions_are_loaded(), "the regions of the data migration are missing from the live server's database"
    moscow_rules_and_threshold()
    officer = OfficerFactory(email="officer@77.example", full_name="Ivan Sidorov", regions=[region(77)], preferred_language="en")
    admin = AdminFactory(email="admin@portal.example", preferred_language="en")
    today = timezone.localdate()
    # Tests are entered once taken (a test in the future is refused), so the workers arrive
    # tomorrow, tested a few hours ago: the time typed is read in each worker's usual zone
    # (Tashkent, Bishkek), east of Moscow, so it is in the past there too.
    arrival = today + dt.timedelta(days=1)
    pcr_taken = (timezone.localtime() - dt.timedelta(hours=3)).replace(tzinfo=None, second=0, microsecond=0)
    RuleSetFactory(region=region(25), pcr_max_age_hours=72)

    clerk = browsing.new_page(language="en")
    register_company(clerk)
    browsing.step("registered", clerk)
    confirm_email(clerk)
    browsing.step("e-mail confirmed", clerk)

    administrator = browsing.new_page(language="en")
    sign_in(administrator, admin.email, PASSWORD)
    verify_company_in_admin(administrator)
    browsing.step("company verified by the admin", administrator)
    assert Employer.objects.get(inn=COMPANY_INN).verified_by == admin

    add_worker_by_hand(clerk)
    browsing.step("worker added by hand", clerk)
    import_workers(clerk)
    browsing.step("workers imported", clerk)

    reference = file_draft(clerk, arrival=arrival, isolation_days=10, project="Bridge over the Yauza")
    for surname in ("RAHIMOV", "KARIMOV", "TOKTOGULOV"):
        put_on_case(clerk, surname, pcr_taken)
    checks = rule_check(clerk)
    expect(checks.get_by_role("listitem").filter(has_text="Failed:")).to_have_text(
        re.compile(r"Failed:\s+Isolation of 10 days guaranteed; Moscow requires 14 days.")
    )
    expect(button(clerk, "Check and submit")).to_be_disabled()
    expect(clerk.locator("#submit-blocked")).to_contain_text("You cannot submit yet")
    browsing.step("blocking rule check", clerk)

    clerk.get_by_role("link", name="Edit the draft").click()
    field(clerk, "Isolation days guaranteed").fill("14")
    button(clerk, "Save the draft").click()
    expect(message(clerk, f"Draft {reference} is saved.")).to_be_visible()
    expect(rule_check(clerk).get_by_text("Failed:")).to_have_count(0)
    field(clerk, "Kind of document").select_option(label="Guarantee letter")
    field(clerk, "File").set_input_files({"name": "guarantee-letter.pdf", "mimeType": "application/pdf", "buffer": small_pdf()})
    button(clerk, "Attach the document").click()
    expect(message(clerk, "“guarantee-letter.pdf” is attached to the application.")).to_be_visible()
    browsing.step("fixed and document attached", clerk)
    check_and_submit(clerk)
    expect(message(clerk, f"Application {reference} is submitted to Moscow.")).to_be_visible()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Submitted")
    browsing.step("submitted", clerk)

    inspector = browsing.new_page(language="en")
    sign_in(inspector, officer.email, PASSWORD)
    queue_filter = inspector.get_by_role("search", name="Filter the queue")
    field(queue_filter, "Reference number").fill(reference)
    queue_filter.get_by_role("checkbox", name="Submitted").check()
    button(queue_filter, "Show").click()
    expect(inspector.get_by_text("1 application found.")).to_be_visible()
    browsing.step("queue filtered", inspector)
    inspector.get_by_role("link", name=reference, exact=True).click()
    button(inspector, "Take into review").click()
    expect(message(inspector, f"Application {reference} is in review and assigned to you.")).to_be_visible()
    field(inspector, "What the employer must provide or explain").fill("Send the insurance policy covering all three workers.")
    inspector.get_by_role("group", name="Documents the employer must send").get_by_label("Insurance policy").check()
    button(inspector, "Send the request").click()
    expect(message(inspector, f"The request for information on {reference} is sent to the employer.")).to_be_visible()
    browsing.step("information requested", inspector)
    assert any(CLERK_EMAIL in letter.to and reference in letter.subject + letter.body for letter in mail.outbox[1:])

    clerk.reload()
    request_box = clerk.get_by_role("region", name="The authority asks for information")
    expect(request_box).to_contain_text("Send the insurance policy covering all three workers.")
    request_box.get_by_role("link", name="Answer the request").click()
    field(clerk, "Your answer to the authority").fill("The policy INGO-123456 covers all three workers; attached.")
    field(clerk, "Document 1: what it is").select_option(label="Insurance policy")
    field(clerk, "Document 1: file").set_input_files({"name": "policy.pdf", "mimeType": "application/pdf", "buffer": small_pdf()})
    button(clerk, "Send the answer").click()
    expect(message(clerk, "Your answer is sent; the application is back in review.")).to_be_visible()
    browsing.step("answered", clerk)

    inspector.reload()
    refused = inspector.get_by_role("group", name=re.compile(r"^TOKTOGULOV A\."))
    refused.get_by_role("radio", name="Refuse").check()
    # The worker's fieldset names them; the labels inside it need not repeat the name.
    field(refused, "Refusal reason").select_option(label="PCR test missing or too old")
    field(refused, "Details for the employer (optional)").fill("The PCR certificate is unreadable.")
    button(inspector, "Approve the workers not refused").click()
    expect(message(inspector, f"Application {reference} is partially approved.")).to_be_visible()
    browsing.step("partially approved", inspector)
    case = Application.objects.get(reference=reference)
    assert case.status == Status.PARTIALLY_APPROVED
    assert sorted(case.lines.values_list("worker__surname_latin", "outcome")) == [
        ("KARIMOV", "approved"), ("RAHIMOV", "approved"), ("TOKTOGULOV", "refused"),
    ]

    clerk.reload()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Partially approved")
    expect(clerk.get_by_role("row").filter(has_text="TOKTOGULOV A.")).to_contain_text("PCR test missing or too old")
    clerk.get_by_role("link", name="Download the decision letter (PDF)").click()
    expect(clerk).to_have_url(re.compile(r"/decision-letter\.pdf$"))
    browsing.step("decision letter", clerk)
    # Chromium shows the letter in its PDF viewer, whose page is not the file: read the same
    # address with the clerk's cookies to get the bytes the browser received.
    response = clerk.request.get(clerk.url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    letter_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    assert reference in letter_text
    clerk.go_back()

    # Prepared before the rules change, submitted after it.
    second = file_draft(clerk, arrival=arrival, isolation_days=14, project="Depot in Khimki")
    # Refused on the first case, so free for the same arrival (KARIMOV, approved, is not).
    put_on_case(clerk, "TOKTOGULOV", pcr_taken)
    expect(button(clerk, "Check and submit")).to_be_enabled()

    # From tomorrow, the earliest a new version may start: the day the second case arrives.
    suspend_moscow_intake_in_admin(administrator, arrival)
    browsing.step("intake suspended by the admin", administrator)
    assert RuleSet.objects.filter(region=region(77), effective_from=arrival, intake_open=False).exists()

    # The case page was loaded before the change; the check page reads the rules afresh.
    button(clerk, "Check and submit").click()
    expect(clerk.locator("#submit-blocked")).to_contain_text("suspended the intake")
    expect(button(clerk, "Submit to the authority")).to_have_count(0)
    browsing.step("check page refuses", clerk)
    clerk.get_by_role("link", name=f"Back to application {second}").click()
    expect(rule_check(clerk).get_by_role("listitem").filter(has_text="Failed:")).to_contain_text("suspended the intake")
    expect(button(clerk, "Check and submit")).to_be_disabled()
    browsing.step("submission refused", clerk)
    assert Application.objects.get(reference=second).status == Status.DRAFT

    # A flight from Tashkent to Vladivostok: arrival at 14:30 Vladivostok time, the test at the
    # time printed on its Tashkent certificate; the age is exact, in hours and minutes.
    far_east = file_draft(
        clerk, arrival=arrival, isolation_days=14, project="Port crane works", region_label="25 — Primorsky Krai",
        arrival_time="14:30", checkpoint_code="VVO",
    )
    tashkent_test = (timezone.now().astimezone(ZoneInfo("Asia/Tashkent")) - dt.timedelta(hours=5)).replace(
        tzinfo=None, second=0, microsecond=0
    )
    put_on_case(clerk, "TOKTOGULOV", tashkent_test, zone="Asia/Tashkent")
    arrival_at = dt.datetime.combine(arrival, dt.time(14, 30), tzinfo=ZoneInfo("Asia/Vladivostok"))
    minutes = int((arrival_at - tashkent_test.replace(tzinfo=ZoneInfo("Asia/Tashkent"))).total_seconds()) // 60
    age = f"{minutes // 60} h {minutes % 60:02d} min"
    expect(clerk.get_by_text(f"{arrival:%m/%d/%Y} 14:30 (Asia/Vladivostok, UTC+10)")).to_be_visible()
    expect(clerk.get_by_role("row").filter(has_text="TOKTOGULOV A.")).to_contain_text(
        f"{tashkent_test:%m/%d/%Y %H:%M} (Asia/Tashkent, UTC+5)"
    )
    # The passes are folded into "N checks passed": unfolded to read one.
    rule_check(clerk).locator("details.rule-check-passes > summary").click()
    expect(rule_check(clerk).get_by_role("listitem").filter(has_text="TOKTOGULOV A.: the PCR test")).to_contain_text(
        f"TOKTOGULOV A.: the PCR test was taken {age} before arrival (at most 72 hours)."
    )
    browsing.step("far-eastern arrival with the PCR age in hours and minutes", clerk)
    assert Application.objects.get(reference=far_east).planned_arrival_at == arrival_at


def test_a_russian_speaking_clerk_signs_in_and_sees_the_home_page_in_russian(browsing):
    """A short smoke path in Russian: the sign-in form and the clerk's home page, by their Russian labels."""
    from tests.applications.factories import EmployerMemberFactory
    from tests.portal.factories import UserFactory

    clerk = EmployerMemberFactory(user=UserFactory(email="clerk@stroyka.example", preferred_language="ru")).user
    page = browsing.new_page(language="ru")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    field(page, tr("ru", "E-mail")).fill(clerk.email)
    field(page, tr("ru", "Password")).fill(PASSWORD)
    button(page, tr("ru", "Sign in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("ru", "My applications"))
    expect(page.get_by_role("link", name=tr("ru", "New application"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    browsing.step("home in Russian", page)
