"""The decision letter: a PDF in the company's language for decided cases, for the company and the
officers of the region only; WeasyPrint may load nothing but the portal's static files and data: URLs."""

import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest
from django.urls import reverse

from applications import services
from applications.letters import StaticOnlyURLFetcher, render_decision_letter, render_pdf, verification_url
from applications.models import RefusalReason, Status
from regions.models import ActType
from tests.applications.factories import ApplicationFactory, CaseWorkerFactory, WorkerFactory
from tests.pages import url
from tests.portal.factories import AdminFactory
from tests.regions.factories import checkpoint, new_version

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# What the decision is made with; a test parametrizes them by name. A decision keeps what it was
# made with, so they are set before the case is decided, never changed after.
@pytest.fixture
def act_number():
    return "65-УМ"


@pytest.fixture
def act_date():
    return dt.date(2020, 5, 29)


@pytest.fixture
def letter_language():
    return "en"


@pytest.fixture
def rules(moscow_rules, act_number, act_date):
    return new_version(
        moscow_rules, legal_basis_type=ActType.DECREE, legal_basis_body="Мэра Москвы", legal_basis_number=act_number,
        legal_basis_date=act_date,
    )


@pytest.fixture
def company(employer, letter_language, company_name):
    employer.name = company_name
    employer.language = letter_language
    employer.save()
    return employer


@pytest.fixture
def decided_case(company, rules, threshold, officer):
    """A Moscow case of two workers: KARIMOV approved, RAKHIMOV refused for an old PCR test."""
    application = ApplicationFactory(employer=company, status=Status.IN_REVIEW, checkpoint=checkpoint("SVO"))
    approved = CaseWorkerFactory(
        application=application,
        worker=WorkerFactory(employer=company, surname_latin="KARIMOV", given_names_latin="ALISHER", surname_cyrillic="Каримов",
                             given_names_cyrillic="Алишер"),
    )
    refused = CaseWorkerFactory(
        application=application, worker=WorkerFactory(employer=company, surname_latin="RAKHIMOV", given_names_latin="BOBUR"),
    )
    services.application_approve_partially(
        application=application, user=officer, refusals={refused.pk: (RefusalReason.PCR_TEST, "Test taken 5 days before")},
        message="One worker's test is too old.",
    )
    application.refresh_from_db()
    application.approved_line, application.refused_line = approved, refused
    return application


def test_the_company_downloads_the_letter_with_what_the_decision_says(english, employer_user, decided_case, company):
    english.force_login(employer_user)

    response = english.get(url("decision-letter", decided_case.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f"inline; filename*=UTF-8''decision-{decided_case.reference}.pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Executive authority of Moscow" in text
    assert decided_case.reference in text
    assert "ООО «Ромашка»" in text
    assert company.inn in text and company.ogrn in text
    assert "Partially approved" in text
    assert "1 of 2 workers listed may enter" in text
    assert "One worker's test is too old." in text
    assert "KARIMOV ALISHER" in text and "Каримов Алишер" in text
    assert "Approved" in text and "Sheremetyevo" in text and "airport (SVO)" in text
    assert "RAKHIMOV BOBUR" in text and "Refused" in text
    assert "failure to submit a negative result of a PCR test for COVID-19 taken within the period set by the region's rules (Test taken 5 days before)" in text
    assert "rules in force from June 2, 2020." in text
    assert "Legal basis: decree Мэра Москвы No. 65-УМ of 29.05.2020." in text


@pytest.mark.parametrize("letter_language", ["ru"])
def test_the_letter_is_in_the_company_language_whatever_the_reader_uses(english, officer, decided_case, company):
    english.force_login(officer)

    text = pdf_text(english.get(url("decision-letter", decided_case.pk)).content)

    # Russian catalogues of the portal do not exist yet, but Django's own do: the region's name,
    # the month names and the date format follow the company's language.
    assert "Москва" in text
    assert "2 июня 2020 г." in text
    # (The arrival's time zone is named by its IANA name, "Europe/Moscow", in every language.)
    assert "Moscow" not in text.replace("Europe/Moscow", "")


@pytest.mark.parametrize("letter_language", ["ru"])
def test_the_russian_letter_prints_the_act_from_its_parts_and_never_a_doubled_full_stop(english, officer, decided_case, company):
    english.force_login(officer)

    text = pdf_text(english.get(url("decision-letter", decided_case.pk)).content)

    assert "г.." not in text and ".." not in text
    assert "правилам региона, действующим с 2 июня 2020 г. Правовое основание:" in text
    assert "Правовое основание: указ Мэра Москвы от 29.05.2020 № 65-УМ." in text
    assert "№ Указ" not in text and "приказ №" not in text


@pytest.mark.parametrize(("act_number", "act_date"), [("12-п.", None)])
def test_an_act_number_ending_in_a_full_stop_gets_no_second_one(english, officer, decided_case, rules):
    english.force_login(officer)

    text = pdf_text(english.get(url("decision-letter", decided_case.pk)).content)

    assert "Legal basis: decree Мэра Москвы No. 12-п. " in text or text.endswith("No. 12-п.")
    assert "12-п.." not in text


def test_an_approved_case_letter_lists_every_worker_as_approved(english, employer_user, company, rules, threshold, officer):
    application = ApplicationFactory(employer=company, status=Status.IN_REVIEW)
    lines = CaseWorkerFactory.create_batch(2, application=application)
    services.application_approve(application=application, user=officer)
    english.force_login(employer_user)

    text = pdf_text(english.get(url("decision-letter", application.pk)).content)

    assert "The application is approved: all 2 workers listed may enter." in text
    for line in lines:
        assert line.worker.surname_latin in text


def test_a_rejected_case_letter_gives_the_reason(english, employer_user, company, rules, threshold, officer):
    application = ApplicationFactory(employer=company, status=Status.IN_REVIEW)
    CaseWorkerFactory(application=application)
    services.application_reject(application=application, user=officer, reason="Intake for construction sites is suspended.")
    english.force_login(employer_user)

    text = pdf_text(english.get(url("decision-letter", application.pk)).content)

    assert "Rejected" in text and "Intake for construction sites is suspended." in text


def test_the_region_officer_downloads_the_letter(english, officer, decided_case):
    english.force_login(officer)

    assert english.get(url("decision-letter", decided_case.pk)).status_code == 200


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.WITHDRAWN])
def test_there_is_no_letter_for_an_undecided_case(english, employer_user, employer, moscow_rules, status):
    application = ApplicationFactory(employer=employer, status=status)
    english.force_login(employer_user)

    assert english.get(url("decision-letter", application.pk)).status_code == 404


def test_another_company_gets_404(english, other_employer_user, decided_case):
    english.force_login(other_employer_user)

    assert english.get(url("decision-letter", decided_case.pk)).status_code == 404


def test_an_officer_of_another_region_gets_404(english, officer_spb, decided_case):
    english.force_login(officer_spb)

    assert english.get(url("decision-letter", decided_case.pk)).status_code == 404


def test_staff_download_any_letter(english, decided_case):
    english.force_login(AdminFactory())

    assert english.get(url("decision-letter", decided_case.pk)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(english, decided_case):
    response = english.get(url("decision-letter", decided_case.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The URL fetcher


@pytest.fixture
def listening_server():
    """A local HTTP server that counts the requests it gets: a letter must make none."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b'body::after { content: "FETCHED-FROM-NETWORK"; }')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "refused_url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "https://portal.invalid/etc/passwd",
        "https://portal.invalid/static/../../../../etc/passwd",
        "https://portal.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://portal.invalid/static//etc/passwd",
        "https://portal.invalid/static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(refused_url):
    with pytest.raises(ValueError):
        StaticOnlyURLFetcher()(refused_url)


def test_the_fetcher_serves_a_static_file_and_a_data_url():
    fetcher = StaticOnlyURLFetcher()

    stylesheet = fetcher("https://portal.invalid/static/css/letter.css")
    data = fetcher("data:text/plain;base64,aGVsbG8=")

    assert stylesheet.content_type == "text/css" and b"DejaVu" in stylesheet.read()
    assert (data.content_type, data.read()) == ("text/plain", b"hello")


def test_a_letter_cannot_be_made_to_read_local_files_or_call_the_network(tmp_path, listening_server):
    base, hits = listening_server
    local_css = tmp_path / "leak.css"
    local_css.write_text('body::before { content: "READ-FROM-DISK"; }')
    html = f"""<html><head>
      <link rel="stylesheet" href="file://{local_css}">
      <link rel="stylesheet" href="{base}/evil.css">
      <link rel="stylesheet" href="/static/css/letter.css">
    </head><body>
      <p>Reference 2021-000042</p>
      <img src="file:///etc/passwd" alt=""><img src="{base}/pixel.png" alt="">
      <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" alt="">
    </body></html>"""

    text = pdf_text(render_pdf(html))

    assert "Reference 2021-000042" in text
    assert "READ-FROM-DISK" not in text
    assert "FETCHED-FROM-NETWORK" not in text
    assert hits == []


def test_the_server_itself_would_have_answered(listening_server):
    """Shows the previous test's server is reachable, so its empty hit list means something."""
    import urllib.request

    base, hits = listening_server
    urllib.request.urlopen(f"{base}/probe", timeout=5).read()

    assert hits == ["/probe"]


@pytest.fixture
def company_name(request):
    # The markup test names the company after the listening server, which only it starts.
    if "listening_server" in request.fixturenames:
        base, _hits = request.getfixturevalue("listening_server")
        return f'<img src="{base}/track.png"> ООО Ромашка'
    return "ООО «Ромашка»"


def test_markup_in_a_company_name_is_shown_as_text_not_loaded(decided_case, company, listening_server):
    base, hits = listening_server

    text = pdf_text(render_decision_letter(decided_case.decision))

    assert f'<img src="{base}/track.png"> ООО Ромашка' in text
    assert hits == []


def test_a_decision_without_a_verification_code_gets_a_letter_without_a_check_address(decided_case):
    # A row of before the codes, or one a script wrote without sealing it: the letter is still
    # served (no NoReverseMatch, no 500), it only prints no code and no address to check it at.
    decision = decided_case.decision
    decision.verification_code = ""

    assert verification_url(decision) == ""
    text = pdf_text(render_decision_letter(decision))
    assert decided_case.reference in text
    assert "Verification code" not in text and "/check/" not in text


# The letter of each kind: one page and an annex, signed, with its code, and a rejection that
# never speaks of entry


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def decide(kind, *, company, officer):
    application = ApplicationFactory(employer=company, status=Status.IN_REVIEW, checkpoint=checkpoint("SVO"))
    lines = [
        CaseWorkerFactory(application=application, worker=WorkerFactory(employer=company, surname_latin=name))
        for name in ("KARIMOV", "RAKHIMOV", "YUSUPOV")
    ]
    if kind == Status.APPROVED:
        services.application_approve(application=application, user=officer)
    elif kind == Status.PARTIALLY_APPROVED:
        services.application_approve_partially(
            application=application, user=officer, message="Two workers could not be admitted.",
            refusals={
                lines[1].pk: (RefusalReason.PCR_TEST, ""),
                lines[2].pk: (RefusalReason.OTHER, "The employer withdrew the job offer for this worker."),
            },
        )
    else:
        services.application_reject(
            application=application, user=officer,
            reason="Intake of foreign workers for construction sites is suspended by the region's headquarters.",
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def signing_officer(officer):
    officer.full_name = "Ivanova Maria Petrovna"
    officer.position = "Chief specialist of the labour migration department"
    officer.save()
    return officer


@pytest.mark.parametrize("kind", [Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED])
def test_a_small_case_letter_is_one_signed_page_with_its_code_and_the_workers_in_an_annex(company, rules, threshold, signing_officer, kind):
    application = decide(kind, company=company, officer=signing_officer)

    letter, *annex = pages_text(render_decision_letter(application.decision))

    assert len(annex) == 1  # three workers: the letter on its page, the annex on the next
    assert "Chief specialist of the labour migration department Ivanova Maria Petrovna" in letter
    assert f"Verification code {application.decision.verification_code}" in letter
    assert application.decision.verification_code
    assert "KARIMOV" not in letter and "KARIMOV" in annex[0]
    assert annex[0].startswith(f"Annex: workers of application {application.reference}")


def test_a_rejection_letter_never_says_that_workers_may_enter(company, rules, threshold, signing_officer):
    application = decide(Status.REJECTED, company=company, officer=signing_officer)

    text = pdf_text(render_decision_letter(application.decision))

    assert "The application is rejected in respect of every worker listed in it." in text
    assert "Grounds for refusal: Intake of foreign workers for construction sites is suspended" in text
    for permitting in ("may enter", "enter through", "Approved workers", "arrival date", "Border crossing point"):
        assert permitting not in text
    # Each worker is refused on the grounds the decision states, never for "Other".
    assert text.count("on the grounds stated in the decision") == 3
    assert "Other" not in text


@pytest.mark.parametrize("kind", [Status.APPROVED, Status.PARTIALLY_APPROVED])
def test_an_approval_letter_says_how_approved_workers_enter(company, rules, threshold, signing_officer, kind):
    application = decide(kind, company=company, officer=signing_officer)

    text = pdf_text(render_decision_letter(application.decision))

    assert "Approved workers enter through the border crossing point and on the date stated for them in the annex." in text
    assert "Sheremetyevo" in text


def test_refusals_are_given_in_the_legal_wording_and_other_in_the_officers_words(company, rules, threshold, signing_officer):
    application = decide(Status.PARTIALLY_APPROVED, company=company, officer=signing_officer)

    text = pdf_text(render_decision_letter(application.decision))

    assert (
        "failure to submit a negative result of a PCR test for COVID-19 taken within the period set by the region's rules" in text
    )
    assert "The employer withdrew the job offer for this worker." in text
    assert "Other" not in text and "PCR test missing or too old" not in text


@pytest.mark.parametrize("letter_language", ["ru"])
def test_the_russian_rejection_letter_states_the_refusal_in_official_words(company, rules, threshold, signing_officer):
    application = decide(Status.REJECTED, company=company, officer=signing_officer)

    text = pdf_text(render_decision_letter(application.decision))

    assert "Иное" not in text
    for permitting in ("въезд которых одобрен", "въезжают", "разрешён въезд"):
        assert permitting not in text
