"""The decision letter as a PDF, rendered by WeasyPrint from templates/letters/decision.html.

WeasyPrint's own URL fetcher reads local files and fetches any URL, so anything that reaches the
letter's HTML (a stylesheet link, an image, a company name) could make the server read
/etc/passwd or call an internal address. The letter uses a fetcher that serves only `data:` URLs
and the portal's own static files, looked up through the staticfiles finders; everything else is
refused.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist, SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from applications.models import Application, Status, WorkerOutcome
from applications.selectors import application_lines
from regions.countries import country_name
from regions.legal_basis import format_legal_basis

# Relative links in the letter ("/static/css/letter.css") are resolved against this origin. It is
# not a server anyone can reach (.invalid is reserved): the fetcher maps it to files on disk.
LETTER_BASE_URL = "https://portal.invalid/"


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and the portal's static files; refuses every other URL with ValueError,
    which WeasyPrint reports as a warning and renders the letter without the resource."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return self._data(url)
        return self._static_file(url)

    def _data(self, url: str) -> URLFetcherResponse:
        # Decoded in memory by urllib's handler alone, outside any opener (and its proxies).
        response = DataHandler().data_open(Request(url))
        return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers.get("Content-Type", "text/plain")})

    def _static_file(self, url: str) -> URLFetcherResponse:
        base = urlsplit(LETTER_BASE_URL)
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme, base.netloc):
            raise ValueError(f"The letter may not load {url!r}: only the portal's static files and data: URLs.")
        path = unquote(parts.path)
        prefix = _static_prefix()
        if not path.startswith(prefix):
            raise ValueError(f"The letter may not load {url!r}: not a static file.")
        relative = path[len(prefix):]
        if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative or ".." in relative.split("/"):
            raise ValueError(f"The letter may not load {url!r}.")
        relative = posixpath.normpath(relative)
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            found = None
        if not found:
            raise ValueError(f"No static file {relative!r}.")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        with open(found, "rb") as static_file:
            body = static_file.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_pdf(html: str) -> bytes:
    """Any HTML to PDF bytes, with the restricted fetcher: use this, never HTML() directly."""
    return HTML(string=html, base_url=LETTER_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).write_pdf()


# The decision letter


@dataclass(frozen=True)
class LetterLine:
    name: str
    name_cyrillic: str
    citizenship: str
    passport_number: str
    approved: bool
    outcome: str
    refusal: str


def _decision_in_words(application: Application, approved: int, total: int) -> str:
    if application.status == Status.APPROVED:
        return ngettext(
            "The application is approved: the %(total)d worker listed may enter.",
            "The application is approved: all %(total)d workers listed may enter.",
            total,
        ) % {"total": total}
    if application.status == Status.PARTIALLY_APPROVED:
        return ngettext(
            "The application is partially approved: %(approved)d of %(total)d worker listed may enter.",
            "The application is partially approved: %(approved)d of %(total)d workers listed may enter.",
            total,
        ) % {"approved": approved, "total": total}
    return gettext("The application is rejected: none of the workers listed may enter on it.")


def _sentence(text: str) -> str:
    """The text with one full stop at its end: a date that ends in "г." (Russian dates do) or
    an act number ending in a dot does not get a second one."""
    text = text.rstrip()
    return text if text.endswith(".") else f"{text}."


def rules_sentences(rule_set) -> list[str]:
    """What the letter says of the rules it applied: the version's date and its legal basis,
    printed from the act's type, issuing body, date and number."""
    if rule_set is None:
        return [gettext("No rule version of the region was in force for the planned arrival date.")]
    sentences = [
        _sentence(
            gettext("The decision applies the region's rules in force from %(date)s")
            % {"date": date_format(rule_set.effective_from, "DATE_FORMAT")}
        )
    ]
    legal_basis = format_legal_basis(rule_set)
    if legal_basis:
        sentences.append(_sentence(gettext("Legal basis: %(act)s") % {"act": legal_basis}))
    return sentences


def decision_letter_context(application: Application) -> dict:
    """What the letter shows, in the language active when it is called."""
    try:
        decision = application.decision
    except ObjectDoesNotExist:
        decision = None
    lines = []
    for line in application_lines(application):
        worker = line.worker
        refusal = ""
        if line.outcome == WorkerOutcome.REFUSED:
            refusal = str(line.get_refusal_reason_display())
            if line.refusal_note:
                refusal = f"{refusal} ({line.refusal_note})"
        lines.append(
            LetterLine(
                name=f"{worker.surname_latin} {worker.given_names_latin}",
                name_cyrillic=f"{worker.surname_cyrillic} {worker.given_names_cyrillic}".strip(),
                citizenship=country_name(worker.citizenship),
                passport_number=worker.passport_number,
                approved=line.outcome == WorkerOutcome.APPROVED,
                outcome=str(line.get_outcome_display()),
                refusal=refusal,
            )
        )
    approved = sum(1 for line in lines if line.approved)
    decided_at = (decision.decided_at if decision else None) or application.decided_at
    # The deciding authority's own date, as its deadlines are counted: not Moscow's.
    decided_on: dt.date | None = timezone.localdate(decided_at, application.region.zone) if decided_at else None
    return {
        "application": application,
        "authority": application.region.name,
        "reference": application.reference,
        "decided_on": decided_on,
        "employer": application.employer,
        "outcome": application.get_status_display(),
        "decision_in_words": _decision_in_words(application, approved, len(lines)),
        "reason": decision.reason if decision else "",
        "lines": lines,
        "approved_count": approved,
        "refused_count": len(lines) - approved,
        "rule_set": decision.rule_set if decision else None,
        "rules_sentences": rules_sentences(decision.rule_set if decision else None),
    }


def decision_letter_language(application: Application) -> str:
    return application.employer.language or settings.LANGUAGE_CODE


def render_decision_letter(application: Application) -> bytes:
    """The letter in the company's language, whatever the language of the person asking."""
    with translation.override(decision_letter_language(application)):
        context = decision_letter_context(application)
        html = render_to_string("letters/decision.html", context)
    return render_pdf(html)


def decision_letter_filename(application: Application) -> str:
    return f"decision-{application.reference}.pdf"
