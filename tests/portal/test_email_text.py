"""People's words in the portal's e-mails (portal/email_text.py): one short clean line for a name,
clean lines for free text, and every e-mail template puts every such value through them."""

import datetime as dt
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from portal.email_text import LINE_LENGTH, SUBJECT_LENGTH, TEXT_LENGTH, email_line, email_text, render_email

INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def visible(value: str, *, keep_newlines: bool = False) -> bool:
    return not any(unicodedata.category(ch) in INVISIBLE and not (keep_newlines and ch == "\n") for ch in value)


# email_line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ООО «Ромашка»", "ООО «Ромашка»"),
        ("ООО Ромашка\r\nYour account is blocked", "ООО Ромашка Your account is blocked"),
        ("Line\u2028separator\u2029and\x85next\vtab\tform\ffeed", "Line separator and next tab form feed"),
        ("exe.\u202egnp", "exe.gnp"),  # right-to-left override
        ("\u2066isolate\u2069 \u200bzero\u200dwidth\ufeff", "isolate zerowidth"),
        ("nul\x00bell\x07escape\x1b[31m", "nulbellescape[31m"),
        ("  many    spaces\u00a0\u00a0here  ", "many spaces here"),
        (None, ""),
        (42, "42"),
    ],
)
def test_a_line_keeps_the_words_and_loses_breaks_and_invisible_characters(value, expected):
    assert email_line(value) == expected


def test_a_long_line_is_cut_with_an_ellipsis():
    cut = email_line("Компания " * 1000)

    assert len(cut) == LINE_LENGTH
    assert cut.endswith("…") and not cut.endswith(" …")
    assert email_line("a" * 30, 10) == "a" * 9 + "…"
    assert email_line("a" * 10, 10) == "a" * 10


# email_text


def test_free_text_keeps_its_lines_and_loses_invisible_characters():
    value = "First line\r\nsecond\u202e line\u2028third\n\n\n\n\nafter blanks\t tab\x00"

    assert email_text(value) == "First line\nsecond line\nthird\n\nafter blanks tab"


def test_long_free_text_is_cut_with_an_ellipsis():
    cut = email_text("word " * 5000)

    assert len(cut) == TEXT_LENGTH and cut.endswith("…")


# Every e-mail template


LINE = "Evil & Co\r\nFAKE LINE\u202eexe.\u200b" + "x" * 5000
TEXT = "Please send\r\nthe papers & more\u202e" + "y" * 5000


def hostile_context() -> dict:
    """What any e-mail template may name, each person-written value hostile."""
    region = SimpleNamespace(name=LINE)
    application = SimpleNamespace(reference=LINE, region=region, employer=SimpleNamespace(name=LINE))
    change = SimpleNamespace(
        message=TEXT, get_to_status_display="Approved", reply_due=dt.date(2030, 1, 2), requested_documents=[]
    )
    return {
        "user": SimpleNamespace(full_name=LINE, email="a@b.example"),
        "employer": SimpleNamespace(name=LINE),
        "invited_by": LINE,
        "invitation": SimpleNamespace(email="a@b.example"),
        "application": application,
        "change": change,
        "request": SimpleNamespace(message=TEXT, reply_due=dt.date(2030, 1, 2)),
        "requested_documents": ["Passport copy"],
        "link": "https://portal.example/link/",
        "case_path": "https://portal.example/case/",
        "valid_days": 7,
    }


EMAIL_NAMES = sorted(
    path.name.removesuffix("_body.txt") for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*_body.txt")
)


def test_the_templates_are_found():
    assert {"confirm_email", "invitation", "reply_reminder", "status_changed"} <= set(EMAIL_NAMES)


@pytest.mark.parametrize("name", EMAIL_NAMES)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_email_shows_hostile_values_as_short_clean_text(name, language):
    subject, body = render_email(name, hostile_context(), language=language)

    assert visible(subject) and len(subject) <= SUBJECT_LENGTH
    assert visible(body, keep_newlines=True), repr(body[:300])
    assert "x" * (LINE_LENGTH + 1) not in body, "a one-line value is not cut"
    assert "y" * (TEXT_LENGTH + 1) not in body, "free text is not cut"
    assert not any(line.startswith("FAKE LINE") for line in body.splitlines()), "a name broke the line"
    assert "&amp;" not in subject + body, "a plain-text e-mail is HTML-escaped"
