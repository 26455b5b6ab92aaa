"""Russian reads as Russian everywhere: every page a demo role reaches by following links from its
home, every e-mail the portal sends and the decision letter of each kind, all in Russian, are free
of the slips a Russian reader notices: a doubled "г.." after a date, an act's kind after "№"
("приказ № Постановление"), a date in words without its "г.", a large number grouped by a plain or
full no-break space instead of a narrow no-break space (U+202F), an English month name."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.template import Context as TemplateContext
from django.template import Template
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from applications import notifications
from applications.letters import decision_letter_context
from applications.models import Decision, Employer, EmployerInvitation, Status, StatusChange
from applications.services import companies
from devdata import demo
from portal.accounts.models import User
from portal.date_formats import date_format as portal_date_format

pytestmark = pytest.mark.django_db

MONTHS_GENITIVE = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
MONTHS_NOMINATIVE = "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь"
ENGLISH_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

# What a Russian reader must never meet, each with the name the failure gives it.
SLIPS = {
    "a doubled full stop after «г.»": re.compile(r"г\.\s*\."),
    "an act's kind after «№»": re.compile(r"№\s*(?:постановлени|приказ|распоряжени|указ)", re.IGNORECASE),
    "a date in words without «г.»": re.compile(rf"\b\d{{1,2}}\s(?:{MONTHS_GENITIVE})\s\d{{4}}(?!\s*г\.)"),
    "a month and year without «г.»": re.compile(rf"\b(?:{MONTHS_NOMINATIVE})\s\d{{4}}(?!\s*г\.)", re.IGNORECASE),
    "a number grouped by a space that is not U+202F": re.compile(r"(?<![\d+\-])\b\d{1,3}(?:[ \xa0]\d{3})+(?![\d\-])"),
    "an English month name": re.compile(rf"\b(?:{ENGLISH_MONTHS})\b"),
}

# Links the crawl does not follow: signing out, switching language, downloads (spreadsheets,
# uploaded scans and documents), which hold data, not the portal's sentences, and the same list
# sorted otherwise. The letter's PDF is followed and read.
SKIPPED = re.compile(
    r"logout|/i18n/|/static/|/media/|\.csv|\.xlsx|/export|/download/|/documents/\d+/$|/scan/|/evidence/|/jsi18n/"
    r"|/admin/r/|/history/|[?&]o=|\?$"
)
# How many pages of one shape (the path with its numbers as N, and the names of its query's
# parameters) the crawl opens: every demo case of a company (a case page reads differently in each
# state), but only two objects of each kind in the admin, whose pages differ only by their data.
PAGES_PER_SHAPE = 8
PAGES_PER_SHAPE_IN_ADMIN = 1
PAGES_PER_ROLE = 150


def slips_in(text: str) -> list[str]:
    return [f"{name}: …{text[max(0, m.start() - 30):m.end() + 10]}…" for name, pattern in SLIPS.items() for m in pattern.finditer(text)]


class PageText(HTMLParser):
    """The text a reader sees (each text node on its own, so that two numbers in two cells never
    read as one grouped number) and the page's links."""

    ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.texts.extend(attrs[name] for name in self.ATTRIBUTES if attrs.get(name))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(re.sub(r"[\t\r\n]+", " ", data))


def read_html(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    return parser


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    keys = tuple(sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}))
    return re.sub(r"\d+", "N", parts.path), keys


def crawl(client: Client, start: str) -> dict[str, list[str]]:
    """Every page reachable by links from `start`, bounded; the slips found on each."""
    found: dict[str, list[str]] = {}
    queue, seen, shapes = [start], {start}, Counter()
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url = queue.pop(0)
        response = client.get(url)
        visited += 1
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            location = response["Location"]
            if location.startswith("/") and location not in seen and not SKIPPED.search(location):
                seen.add(location)
                queue.append(location)
            continue
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf"):
            slips = slips_in(pdf_text(response.content))
        elif content_type.startswith("text/html"):
            page = read_html(response.content.decode())
            slips = [slip for text in page.texts for slip in slips_in(text)]
            for href in page.links:
                link = href.split("#", 1)[0]
                if link.startswith("?"):  # a tab or a filter of the same page
                    link = urlsplit(url).path + link
                if not link.startswith("/") or link.startswith("//") or link in seen or SKIPPED.search(link):
                    continue
                seen.add(link)
                limit = PAGES_PER_SHAPE_IN_ADMIN if link.startswith("/admin/") else PAGES_PER_SHAPE
                if shapes[shape(link)] < limit:
                    shapes[shape(link)] += 1
                    queue.append(link)
        else:
            continue
        if slips:
            found[url] = slips
    return found


def seed_demo_in_russian(settings) -> None:
    settings.DEBUG = True  # seed_demo runs only in development
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    User.objects.filter(email__endswith="@demo.local").update(preferred_language="ru")
    Employer.objects.filter(inn__in=[demo.MOSCOW_COMPANY_INN, demo.SPB_COMPANY_INN]).update(language="ru")


def pages_slips() -> dict[str, list[str]]:
    """Each demo role, signed in with Russian as its language, crawls from its home."""
    found = {}
    for email in (demo.EMPLOYER_EMAIL, demo.EMPLOYER_SPB_EMAIL, demo.OFFICER_EMAIL, demo.OFFICER_SPB_EMAIL, demo.ADMIN_EMAIL):
        client = Client(HTTP_ACCEPT_LANGUAGE="ru")
        client.force_login(User.objects.get(email=email))
        found.update({f"{email} {url}": slips for url, slips in crawl(client, "/").items()})
    return found


def emails_slips() -> dict[str, list[str]]:
    """Every e-mail template (templates/emails/), rendered by the function that sends it."""
    site = "http://portal.example"
    employer = User.objects.get(email=demo.EMPLOYER_EMAIL)
    company = Employer.objects.get(inn=demo.MOSCOW_COMPANY_INN)
    mail.outbox.clear()
    for change in StatusChange.objects.filter(application__employer__in=Employer.objects.all()):
        notifications.send_transition_email(change_id=change.pk)
    for request in StatusChange.objects.filter(application__status=Status.INFO_REQUESTED, to_status=Status.INFO_REQUESTED):
        notifications.send_reply_reminder_email(request_id=request.pk)
    companies.send_confirmation_email(user_id=employer.pk, site_url=site)
    companies.send_sign_up_attempt_email(user_id=employer.pk, site_url=site)
    companies.send_company_known_email(email="someone@example.org", language="ru", site_url=site)
    companies.send_password_reset_email(user_id=employer.pk, site_url=site)
    invitation = EmployerInvitation.objects.create(
        employer=company, email="colleague@example.org", invited_by=employer, token="typography-test-token"
    )
    companies.send_invitation_email(invitation_id=invitation.pk, site_url=site)
    # One e-mail at least of each of the seven templates, and of each change of a case.
    assert len(mail.outbox) >= 7 + 6
    found = {f"e-mail «{message.subject}»": slips_in(f"{message.subject}\n{message.body}") for message in mail.outbox}
    return {subject: slips for subject, slips in found.items() if slips}


def letters_slips() -> dict[str, list[str]]:
    """The decision letter's HTML (before it is laid out as a PDF) for each kind of decision."""
    found = {}
    for outcome in (Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED):
        decision = Decision.objects.get(outcome=outcome, application__employer__inn=demo.MOSCOW_COMPANY_INN)
        with translation.override("ru"):
            page = read_html(render_to_string("letters/decision.html", decision_letter_context(decision)))
        # The date of the decision is written in words, with its "г.".
        assert any(re.search(rf"\d{{1,2}} (?:{MONTHS_GENITIVE}) \d{{4}} г\.", text) for text in page.texts), outcome
        if slips := [slip for text in page.texts for slip in slips_in(text)]:
            found[f"letter {outcome}"] = slips
    return found


def test_russian_numbers_are_grouped_by_narrow_spaces_and_dates_carry_their_year_mark():
    with translation.override("ru"):
        text = Template('{{ n|floatformat:"g" }}; {{ d|date:"DATE_FORMAT" }}; {{ d|date:"SHORT_DATE_FORMAT" }}').render(
            TemplateContext({"n": 1234567, "d": dt.date(2021, 4, 5)})
        )
        short = portal_date_format(dt.date(2021, 4, 5), "SHORT_DATE_FORMAT")

    assert text == "1\u202f234\u202f567; 5 апреля 2021 г.; 05.04.2021"
    assert short == "05.04.2021"  # the queue's fast path writes what Django's format says
    assert slips_in(text) == []
    assert slips_in("1 234 567 ₽; 1\xa0234 ₽; 5 апреля 2021; 5 апреля 2021 г..; приказ № Постановление; 5 April; Апрель 2021:") != []


def test_every_page_email_and_letter_reads_as_russian(settings):
    # One seeding for all (it is the slow part): the pages of each role, the e-mails, the letters.
    seed_demo_in_russian(settings)

    found = {**pages_slips(), **emails_slips(), **letters_slips()}

    assert not found, "\n".join(f"{where}: {slip}" for where, slips in found.items() for slip in slips)
