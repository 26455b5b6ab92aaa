"""The notice to an approved worker: one printable page saying what they must do, in Russian and
in their own language (docs/design.md, "Notices to workers").

The worker's language follows their citizenship (NOTICE_LANGUAGES; English for every other
one). Those languages are not in settings.LANGUAGES, so the portal never offers them: they are
switched on only while a notice is written (translation.override), and Django reads their
catalogues from LOCALE_PATHS like any other. Every sentence of the notice is a message of the
context NOTICE_CONTEXT, which is all those catalogues hold; scripts/check-translations.py fails
while one of them misses or leaves fuzzy any such message.

A notice reads what the decision kept (the case's particulars, the rules applied, the worker as
named), like the decision letter; only the employer's phone is today's, as it is the number the
worker must call now. Dates and times are numeric and in the zone of arrival, the clock at the
checkpoint: month names would come from Django's catalogues, which fall back to Russian in the
languages they do not cover.
"""

from __future__ import annotations

import datetime as dt
import gc
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import npgettext, pgettext

from applications.letters import join_pdf, render_document
from applications.models import Decision, DecisionWorker
from regions.models import PcrTestTiming

# Written out as a literal in every call below: xgettext reads the context only from a literal.
NOTICE_CONTEXT = "worker notice"

# Citizenship (ISO 3166-1 alpha-2) -> the language of the worker's half of the notice. Uzbek is
# in Latin script, the script of Uzbekistan's official documents since 1995.
NOTICE_LANGUAGES = {"UZ": "uz", "TJ": "tg", "KG": "ky", "KZ": "kk", "AM": "hy"}
FALLBACK_LANGUAGE = "en"
OFFICIAL_LANGUAGE = "ru"
# Every language a notice is written in; the catalogues of NOTICE_LANGUAGES hold only the notice.
ALL_NOTICE_LANGUAGES = (OFFICIAL_LANGUAGE, *NOTICE_LANGUAGES.values(), FALLBACK_LANGUAGE)

# Place names as the decision kept them exist in Russian and in English: readers of a language in
# Cyrillic script get the Russian ones, the others the Latin ones.
_CROSSING_LABEL = {"ru": "ru", "tg": "ru", "ky": "ru", "kk": "ru", "uz": "en", "hy": "en", "en": "en"}

DATE_FORMAT = "%d.%m.%Y"
TIME_FORMAT = "%H:%M"

# Notices laid out in one WeasyPrint document: its whole layout is kept until the PDF is written
# (see letters.LETTER_ROWS_PER_PART), so thousands of notices are laid out in parts of this many
# pages and the parts joined, which keeps memory flat and the time linear in the pages.
NOTICES_PER_PART = 200


def notice_language(citizenship: str) -> str:
    return NOTICE_LANGUAGES.get((citizenship or "").upper(), FALLBACK_LANGUAGE)


@dataclass(frozen=True)
class NoticeFacts:
    """What one case's notices say, whatever the language: read from the decision."""

    reference: str
    employer_name: str
    employer_phone: str
    crossing: dict  # {"ru": ..., "en": ...}
    arrival_at: dt.datetime  # in the zone of arrival
    zone: str
    pcr_timing: str | None  # None: no rules were in force, the notice says nothing of a test
    pcr_hours: int
    isolation_days: int
    isolation_until_result: bool
    isolation_address: str


@dataclass(frozen=True)
class NoticeSide:
    """The notice in one language: what the template prints, already translated."""

    language: str
    title: str
    approved: str
    labels: dict
    heading: str
    steps: list
    closing: list


@dataclass(frozen=True)
class Notice:
    name_latin: str
    name_cyrillic: str
    passport_number: str
    reference: str
    employer_name: str
    employer_phone: str
    sides: tuple


def notice_facts(decision: Decision, employer_phone: str) -> NoticeFacts:
    case = decision.case_particulars
    rules = decision.rule_set_content
    zone = ZoneInfo(case["arrival_zone"])
    return NoticeFacts(
        reference=case["reference"],
        employer_name=decision.company_name,
        employer_phone=employer_phone,
        crossing={"ru": case["crossing"]["label_ru"], "en": case["crossing"]["label_en"]},
        arrival_at=dt.datetime.fromisoformat(case["planned_arrival_at"]).astimezone(zone),
        zone=zone.key,
        pcr_timing=rules["pcr_test_timing"] if rules else None,
        pcr_hours=rules["pcr_max_age_hours"] if rules else 0,
        # The region's period binds the worker; the case's guarantee is the employer's (never shorter).
        isolation_days=rules["isolation_days"] if rules else case["isolation_days"],
        isolation_until_result=bool(rules and rules.get("isolation_until_test_result")),
        isolation_address=case["isolation_address"],
    )


def _at(moment: dt.datetime) -> dict:
    return {"date": moment.strftime(DATE_FORMAT), "time": moment.strftime(TIME_FORMAT)}


def _pcr_step(facts: NoticeFacts) -> str | None:
    hours = facts.pcr_hours
    earliest = _at(facts.arrival_at - dt.timedelta(hours=hours))
    latest = _at(facts.arrival_at + dt.timedelta(hours=hours))
    if facts.pcr_timing == PcrTestTiming.BEFORE_ARRIVAL:
        return npgettext(
            "worker notice",
            "Take a PCR test for COVID-19 no more than %(hours)d hour before arrival, not before %(time)s on "
            "%(date)s, and carry the negative result with you.",
            "Take a PCR test for COVID-19 no more than %(hours)d hours before arrival, not before %(time)s on "
            "%(date)s, and carry the negative result with you.",
            hours,
        ) % {"hours": hours, **earliest}
    if facts.pcr_timing == PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL:
        return npgettext(
            "worker notice",
            "Take a PCR test for COVID-19 no more than %(hours)d hour before arrival, not before %(time)s on "
            "%(date)s. Without one, take the test within %(hours)d hour after arrival.",
            "Take a PCR test for COVID-19 no more than %(hours)d hours before arrival, not before %(time)s on "
            "%(date)s. Without one, take the test within %(hours)d hours after arrival.",
            hours,
        ) % {"hours": hours, **earliest}
    if facts.pcr_timing == PcrTestTiming.AFTER_ARRIVAL:
        return npgettext(
            "worker notice",
            "Take a PCR test for COVID-19 within %(hours)d hour after arrival, by %(time)s on %(date)s.",
            "Take a PCR test for COVID-19 within %(hours)d hours after arrival, by %(time)s on %(date)s.",
            hours,
        ) % {"hours": hours, **latest}
    return None


def _isolation_steps(facts: NoticeFacts, address: str) -> list[str]:
    days = facts.isolation_days
    first = facts.arrival_at.date()
    last = first + dt.timedelta(days=max(days, 1) - 1)
    where = address.strip() or pgettext("worker notice", "the address your employer gives you")
    steps = [
        npgettext(
            "worker notice",
            "Stay in isolation for %(days)d day from the day of arrival, from %(first)s to %(last)s inclusive, at: %(address)s.",
            "Stay in isolation for %(days)d days from the day of arrival, from %(first)s to %(last)s inclusive, at: %(address)s.",
            days,
        )
        % {"days": days, "first": first.strftime(DATE_FORMAT), "last": last.strftime(DATE_FORMAT), "address": where}
    ]
    if facts.isolation_until_result:
        steps.append(
            pgettext("worker notice", "Do not leave isolation before your test result is negative, even after that date.")
        )
    return steps


def notice_side(facts: NoticeFacts, address: str, language: str) -> NoticeSide:
    """The notice's text in `language`, for a worker isolated at `address`."""
    with translation.override(language):
        steps = [
            pgettext("worker notice", "Cross the border at %(checkpoint)s on %(date)s at %(time)s.")
            % {"checkpoint": facts.crossing[_CROSSING_LABEL[language]], **_at(facts.arrival_at)},
        ]
        if (pcr := _pcr_step(facts)) is not None:
            steps.append(pcr)
        steps += _isolation_steps(facts, address)
        return NoticeSide(
            language=language,
            title=pgettext("worker notice", "Notice to the worker"),
            approved=pgettext("worker notice", "Your entry to Russia for work is approved."),
            labels={
                "worker": pgettext("worker notice", "Worker"),
                "passport": pgettext("worker notice", "Passport"),
                "application": pgettext("worker notice", "Application"),
                "employer": pgettext("worker notice", "Employer"),
                "phone": pgettext("worker notice", "Employer's phone"),
            },
            heading=pgettext("worker notice", "What you must do"),
            steps=steps,
            closing=[
                pgettext(
                    "worker notice",
                    "Your employer pays for the test, the transport to the isolation site, the isolation and your "
                    "medical insurance. If anything is unclear, call your employer.",
                ),
                pgettext("worker notice", "Dates and times are local time at the place of arrival (%(zone)s).")
                % {"zone": facts.zone},
                pgettext("worker notice", "Keep this notice with your passport until your isolation ends."),
            ],
        )


def worker_notice(worker: DecisionWorker, facts: NoticeFacts, sides: dict) -> Notice:
    """The notice of one approved worker. `sides` caches each (address, language)'s text: the
    workers of a case share all of it but the address some of them report."""
    address = worker.line.isolation_address or facts.isolation_address
    languages = dict.fromkeys((OFFICIAL_LANGUAGE, notice_language(worker.citizenship)))
    return Notice(
        name_latin=worker.name_latin,
        name_cyrillic=worker.name_cyrillic,
        passport_number=worker.passport_number,
        reference=facts.reference,
        employer_name=facts.employer_name,
        employer_phone=facts.employer_phone or "—",
        sides=tuple(
            sides.get((address, language)) or sides.setdefault((address, language), notice_side(facts, address, language))
            for language in languages
        ),
    )


def _notices_part_pdf(notices: list[Notice]) -> bytes:
    with translation.override(OFFICIAL_LANGUAGE):
        html = render_to_string("letters/worker_notice.html", {"notices": notices})
    return render_document(html).write_pdf()


def render_notices(notices: Iterable[Notice]) -> bytes:
    """One page a notice, in order, laid out NOTICES_PER_PART at a time (at least one notice)."""
    return _joined(list(_parts(notices)))


def _joined(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else join_pdf(parts)


def _parts(notices: Iterable[Notice]) -> Iterator[bytes]:
    batch: list[Notice] = []
    for notice in notices:
        batch.append(notice)
        if len(batch) == NOTICES_PER_PART:
            yield _notices_part_pdf(batch)
            batch = []
            gc.collect()  # let the part's layout go before the next one is made
    if batch:
        yield _notices_part_pdf(batch)


# The border list bundle: what a checkpoint's officers print and hand out. A ZIP of the border
# list (the CSV the list export gives) and one PDF of the listed workers' notices, in the list's
# order. Written to a temporary file that spills to disk past a few MB.
BUNDLE_LIST_NAME = "border-list.csv"
BUNDLE_NOTICES_NAME = "notices.pdf"
# In place of the notices when they are too many to lay out inside the request: why, and where to get them.
BUNDLE_NOTE_NAME = "notices-not-included.txt"


def border_list_bundle(csv_chunks: Iterable[str], notices: Iterable[Notice], *, note: str = ""):
    """The bundle as an open binary file, positioned at its start. With no notices (nobody
    listed, or the notices left out with `note` saying why) it holds the list alone."""
    bundle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(BUNDLE_LIST_NAME, "w") as listed:
            for chunk in csv_chunks:
                listed.write(chunk.encode("utf-8"))
        if note:
            archive.writestr(BUNDLE_NOTE_NAME, note.encode("utf-8"))
        parts = list(_parts(notices))
        if parts:
            archive.writestr(BUNDLE_NOTICES_NAME, _joined(parts))
    bundle.seek(0)
    return bundle
