"""The decision letter as a PDF, rendered by WeasyPrint from templates/letters/decision.html.

WeasyPrint's own URL fetcher reads local files and fetches any URL, so anything that reaches the
letter's HTML (a stylesheet link, an image, a company name) could make the server read
/etc/passwd or call an internal address. The letter uses a fetcher that serves only `data:` URLs
and the portal's own static files, looked up through the staticfiles finders; everything else is
refused.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import mimetypes
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from applications.models import Application, RefusalReason, Status, WorkerOutcome
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


def render_document(html: str, *, css: str = "") -> Document:
    """Any HTML laid out in pages, with the restricted fetcher: use this (or render_pdf), never
    HTML() directly. `css` is added as a stylesheet of its own, so templates keep no <style>
    element (the CSP rule)."""
    stylesheets = [CSS(string=css, url_fetcher=StaticOnlyURLFetcher())] if css else None
    return HTML(string=html, base_url=LETTER_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render(stylesheets=stylesheets)


def render_pdf(html: str, *, css: str = "") -> bytes:
    """Any HTML to PDF bytes, through render_document."""
    return render_document(html, css=css).write_pdf()


# The decision letter


@dataclass(frozen=True)
class LetterLine:
    number: int  # in the annex, from 1
    name: str
    name_cyrillic: str
    citizenship: str
    passport_number: str
    approved: bool
    outcome: str
    refusal: str


def _decision_in_words(outcome: str, approved: int, total: int) -> str:
    if outcome == Status.APPROVED:
        return ngettext(
            "The application is approved: the %(total)d worker listed may enter.",
            "The application is approved: all %(total)d workers listed may enter.",
            total,
        ) % {"total": total}
    if outcome == Status.PARTIALLY_APPROVED:
        return ngettext(
            "The application is partially approved: %(approved)d of %(total)d worker listed may enter.",
            "The application is partially approved: %(approved)d of %(total)d workers listed may enter.",
            total,
        ) % {"approved": approved, "total": total}
    # A rejection says what is refused, and nothing a border guard could read as leave to enter.
    return gettext("The application is rejected in respect of every worker listed in it.")


def _sentence(text: str) -> str:
    """The text with one full stop at its end: a date that ends in "г." (Russian dates do) or
    an act number ending in a dot does not get a second one."""
    text = text.rstrip()
    return text if text.endswith(".") else f"{text}."


def rules_sentences(effective_from: dt.date | None, legal_basis: str) -> list[str]:
    """What the letter says of the rules it applied: the version's date and its legal basis as
    printed when the decision was made."""
    if effective_from is None:
        return [gettext("No rule version of the region was in force for the planned arrival date.")]
    sentences = [
        _sentence(
            gettext("The decision applies the region's rules in force from %(date)s")
            % {"date": date_format(effective_from, "DATE_FORMAT")}
        )
    ]
    if legal_basis:
        sentences.append(_sentence(gettext("Legal basis: %(act)s") % {"act": legal_basis}))
    return sentences


# The grounds of a refusal as the letter states them: the legal wording of each reason the
# officer picks from the list. "Other" has none of its own: the officer's written reason is printed.
REFUSAL_GROUNDS = {
    RefusalReason.CITIZENSHIP_NOT_ACCEPTED: gettext_lazy(
        "the worker's citizenship is not among those whose citizens the region admits under the decision "
        "of its coronavirus response headquarters"
    ),
    RefusalReason.PCR_TEST: gettext_lazy(
        "failure to submit a negative result of a PCR test for COVID-19 taken within the period set by the "
        "region's rules"
    ),
    RefusalReason.PASSPORT: gettext_lazy(
        "the identity document is invalid or expires before the end of the intended stay"
    ),
    RefusalReason.QUOTA: gettext_lazy(
        "the monthly quota of foreign workers set for the region is exhausted"
    ),
    RefusalReason.DOCUMENTS: gettext_lazy(
        "failure to submit the documents required by the procedure, or inconsistency of the information submitted"
    ),
}


def refusal_grounds(reason: str, note: str, *, decision_reason: str = "") -> str:
    """Why a worker is refused, as the letter says it: the legal wording of the reason, with the
    officer's note after it; for "other", the officer's own words. An "other" with no note (every
    worker of a rejected application) points to the reason the decision gives, or, a decision
    without one, to the region's rules in general: never the bare word "Other"."""
    note = note.strip()
    grounds = REFUSAL_GROUNDS.get(reason)
    if grounds is not None:
        return f"{grounds} ({note})" if note else str(grounds)
    if note:
        return note
    if decision_reason.strip():
        return gettext("on the grounds stated in the decision")
    return gettext("the application does not meet the requirements set by the region's rules")


def _refusal(worker, decision_reason: str) -> str:
    if worker.outcome != WorkerOutcome.REFUSED:
        return ""
    return refusal_grounds(worker.refusal_reason, worker.refusal_note, decision_reason=decision_reason)


def verification_url(decision) -> str:
    """Where the letter's code is checked; empty for a decision without a code (one written before
    codes existed, or by a script that did not seal it): no code, no address, and no error."""
    if not decision.verification_code:
        return ""
    return settings.PORTAL_BASE_URL + reverse("applications:decision_check", kwargs={"code": decision.verification_code})


def _css_string(text: str) -> str:
    # Inside <style>: no quote, backslash or "<" of a translation can end the string or the element.
    escaped = text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")
    return f'"{escaped}"'


_COUNTER_MARKERS = {"\x00page\x00": "counter(page)", "\x00pages\x00": "counter(pages)"}


def page_counter_css() -> str:
    """The CSS `content` of the letter's page footer, "page 1 of 12" in the active language: the
    translated words as CSS strings around WeasyPrint's page counters."""
    words = gettext("page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    pieces = re.split("(\x00pages?\x00)", words)
    return " ".join(_COUNTER_MARKERS.get(piece) or _css_string(piece) for piece in pieces if piece)


def decision_letter_context(decision) -> dict:
    """What the letter shows, in the language active when it is called: only what the decision
    kept (applications/decision_record.py), never today's rows of the company or the workers."""
    case = decision.case_particulars
    language = "ru" if (translation.get_language() or "ru").startswith("ru") else "en"
    lines = [
        LetterLine(
            number=number,
            name=worker.name_latin,
            name_cyrillic=worker.name_cyrillic,
            citizenship=country_name(worker.citizenship),
            passport_number=worker.passport_number,
            approved=worker.outcome == WorkerOutcome.APPROVED,
            outcome=str(worker.get_outcome_display()),
            refusal=_refusal(worker, decision.reason),
        )
        for number, worker in enumerate(decision.workers.order_by("position"), start=1)
    ]
    approved = sum(1 for line in lines if line.approved)
    region_zone = ZoneInfo(case["region"]["time_zone"])
    arrival_zone = ZoneInfo(case["arrival_zone"])
    rules = decision.rule_set_content
    return {
        "authority": case["region"][f"name_{language}"],
        "reference": case["reference"],
        "project_name": case["project_name"],
        # The deciding authority's own date, as its deadlines are counted: not Moscow's.
        "decided_on": timezone.localdate(decision.decided_at, region_zone),
        "company": {"name": decision.company_name, "inn": decision.company_inn, "ogrn": decision.company_ogrn},
        "outcome": decision.get_outcome_display(),
        # The letter's wording follows the kind of decision: a rejection never speaks of entry.
        "kind": {Status.APPROVED: "approved", Status.PARTIALLY_APPROVED: "partial"}.get(decision.outcome, "rejected"),
        "decision_in_words": _decision_in_words(decision.outcome, approved, len(lines)),
        "reason": decision.reason,
        "lines": lines,
        # The whole letter in one document; render_decision_letter narrows these for each part.
        "annex_lines": lines,
        "with_letter": True,
        "in_parts": False,
        "approved_count": approved,
        "refused_count": len(lines) - approved,
        "crossing_point": case["crossing"][f"label_{language}"],
        "arrival_at": dt.datetime.fromisoformat(case["planned_arrival_at"]),
        "arrival_zone": arrival_zone,
        "rules_sentences": rules_sentences(dt.date.fromisoformat(rules["effective_from"]) if rules else None, decision.legal_basis),
        "officer_name": decision.officer_name,
        "officer_position": decision.officer_position,
        "verification_code": decision.verification_code,
        "verification_url": verification_url(decision),
    }


# Rows of the annex laid out in one WeasyPrint document. WeasyPrint keeps a document's whole
# layout until its PDF is written: the annex of 5,000 workers (456 pages) held some 690 MB. A large
# letter is laid out in parts of this many rows, one at a time (about 40 MB whatever the size),
# and the parts' pages are joined into one PDF. 150 and 600 rows a part were no faster.
LETTER_ROWS_PER_PART = 300


def render_decision_letter(decision) -> bytes:
    """The letter in the language the decision was made for (the company's), whatever the
    language of the person asking. Build it once: applications/services/decision_letters.py."""
    with translation.override(decision.letter_language or settings.LANGUAGE_CODE):
        context = decision_letter_context(decision)
        footer = f"@page {{ @bottom-right {{ content: {page_counter_css()}; }} }}"
        if len(context["lines"]) <= LETTER_ROWS_PER_PART:
            return _letter_part_pdf(_letter_part(context, 0, len(context["lines"]), css=footer))
        parts = list(_letter_parts_pdf(context))
        # The page count is known only now: the pages get their "page x of y" from a document of
        # as many pages with nothing but the footer, laid over them.
        pages = sum(count for _pdf, count in parts)
        footers = render_pdf(render_to_string("letters/page_footers.html", {"pages": range(pages)}), css=footer)
    return join_pdf([pdf for pdf, _count in parts], overlay=footers)


def _letter_part(context: dict, start: int, end: int, *, css: str = "") -> Document:
    """The pages of the annex's rows [start, end), after the letter itself if start is 0."""
    html = render_to_string(
        "letters/decision.html",
        {
            **context, "annex_lines": context["lines"][start:end], "with_letter": start == 0,
            "in_parts": len(context["lines"]) > LETTER_ROWS_PER_PART,
        },
    )
    return render_document(html, css=css)


def _letter_part_pdf(document: Document, pages: list | None = None) -> bytes:
    pages = document.pages if pages is None else pages
    for page in pages:
        # The rows' ids only tell where a page begins (_first_row_on); as PDF names they would add
        # thousands of destinations nobody links to.
        page.anchors.clear()
    return document.copy(pages).write_pdf()


def _first_row_on(page) -> int | None:
    numbers = [int(name.removeprefix("worker-")) for name in page.anchors if name.startswith("worker-")]
    return min(numbers, default=None)


def _letter_parts_pdf(context: dict) -> Iterator[tuple[bytes, int]]:
    """The letter as PDFs of parts of at most LETTER_ROWS_PER_PART rows, each with its page count.
    Each part begins on a page of its own, so the rows of a part's last page, which would leave it
    half empty, go to the next part instead: only the annex's last page is short. Each part's
    layout is let go before the next one's is made."""
    total = len(context["lines"])
    start = 0
    while start < total:
        end = min(start + LETTER_ROWS_PER_PART, total)
        document = _letter_part(context, start, end)
        pages = document.pages
        carried = _first_row_on(pages[-1]) if end < total else None
        if carried is not None and start < carried - 1 < end:
            pages, end = pages[:-1], carried - 1
        yield _letter_part_pdf(document, pages), len(pages)
        del document, pages
        gc.collect()
        start = end


def join_pdf(parts: list[bytes], *, overlay: bytes | None = None) -> bytes:
    """One PDF of the parts' pages in order (with the first part's title, language and outline
    entries of all parts), each page with the overlay's page of the same number drawn over it
    when there is one (the worker notices have none)."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    first = PdfReader(io.BytesIO(parts[0]))
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    if "/Lang" in first.trailer["/Root"]:
        writer.root_object[NameObject("/Lang")] = first.trailer["/Root"]["/Lang"]
    if overlay is not None:
        for page, over in zip(writer.pages, PdfReader(io.BytesIO(overlay)).pages, strict=True):
            page.merge_page(over)
            page.compress_content_streams()  # merging leaves them uncompressed: ten times the bytes
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def decision_letter_language(application: Application) -> str:
    return application.employer.language or settings.LANGUAGE_CODE


def decision_letter_terms(application: Application, rule_set) -> tuple[str, str]:
    """The language a decision's letter is written in (the company's) and the legal basis of the
    rule version as that letter prints it; both are frozen with the decision."""
    language = decision_letter_language(application)
    with translation.override(language):
        legal_basis = format_legal_basis(rule_set) if rule_set is not None else ""
    return language, legal_basis


def decision_letter_filename(application: Application) -> str:
    return f"decision-{application.reference}.pdf"
