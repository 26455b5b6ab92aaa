"""What people wrote, made safe to put in an e-mail the portal sends in its own name, and the one
function that renders the portal's e-mails.

An e-mail carries words the recipient did not choose and may not expect: a company's name, a
colleague's name, an officer's message. A name with line breaks can fake a paragraph of the
portal's own ("Your account is blocked. Call ..."), a bidi override can reverse what a link or
a number looks like, and 5,000 characters can bury the real text. So every such value goes
through a filter here:

- `email_line` for a one-line value (a name): control and format characters (bidi overrides and
  isolates, zero-width characters) are removed, line breaks and tabs become spaces, runs of white
  space one space, and it is cut to a length with "…";
- `email_text` for free text of several lines (an officer's message): the same, line by line,
  keeping line breaks (at most one empty line in a row) and cutting the whole to a length.

Templates load them with `{% load email_text %}` (registered in settings.TEMPLATES).
"""

from __future__ import annotations

import re
import unicodedata

from django import template
from django.template.loader import render_to_string
from django.utils import translation

register = template.Library()

# A company name may be 300 characters long; the start names the company, the rest of a longer
# text can only be a message the portal would seem to send.
LINE_LENGTH = 120
# An officer's message to a company is a few paragraphs; the case page shows it whole.
TEXT_LENGTH = 3000
# A subject longer than this is cut by mail clients anyway.
SUBJECT_LENGTH = 200

ELLIPSIS = "…"

# Every line break Unicode knows (str.splitlines() splits on these), and the tab.
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\t]")
# Cc: control characters; Cf: format characters (bidi embeddings, overrides and isolates, marks,
# zero-width characters); Cs: lone surrogates; Co: private use; Cn: unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _without_invisibles(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)


def cut(text: str, length: int) -> str:
    """At most `length` characters, the last of a longer text being "…"."""
    if len(text) <= length:
        return text
    return text[: max(length - 1, 0)].rstrip() + ELLIPSIS


@register.filter(is_safe=False)
def email_line(value, length: int = LINE_LENGTH) -> str:
    """One short clean line: no control or format characters, no line breaks, cut to `length`."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    text = " ".join(_without_invisibles(text).split())
    return cut(text, int(length))


@register.filter(is_safe=False)
def email_text(value, length: int = TEXT_LENGTH) -> str:
    """Free text of several lines: each line cleaned as `email_line` does (but not cut), at most
    one empty line in a row, the whole cut to `length`."""
    if value is None:
        return ""
    lines = [" ".join(_without_invisibles(line).split()) for line in _BREAKS.sub("\n", str(value).replace("\t", " ")).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return cut(text, int(length))


def render_email(name: str, context: dict, *, language: str) -> tuple[str, str]:
    """The subject and body of `templates/emails/<name>_subject.txt` and `<name>_body.txt`, in
    `language`. The subject is one line whatever the template's white space or the values in it."""
    with translation.override(language):
        subject = email_line(render_to_string(f"emails/{name}_subject.txt", context), SUBJECT_LENGTH)
        body = render_to_string(f"emails/{name}_body.txt", context)
    return subject, body
