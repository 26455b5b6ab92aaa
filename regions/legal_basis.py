"""The legal basis of a rule version, printed from its structured parts (type of act, issuing
body, date, number) in the active language.

Russian official style puts the date before the number ("постановление Губернатора Московской
области от 12.03.2020 № 108-ПГ"); English puts the number first ("resolution of the Governor…
No. 108-ПГ of 12.03.2020"). The date is always dd.mm.yyyy, as acts are cited, so a sentence
around it never meets a "г." of its own.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class ActType(models.TextChoices):
    """The kind of legal act a region's rules come from; the labels read inside a sentence
    ("постановление Губернатора … от 12.03.2020 № 108-ПГ")."""

    ORDER = "order", _("order")
    RESOLUTION = "resolution", _("resolution")
    DECREE = "decree", _("decree")
    DIRECTIVE = "directive", _("directive")
    PROTOCOL = "protocol", pgettext_lazy("type of legal act", "minutes")
    LAW = "law", _("law")


# What the migration and the admin's import recognise at the start of an old free-text basis,
# "Постановление Губернатора … № 12", in any letter case.
ACT_TYPE_WORDS = {
    "приказ": "order",
    "постановление": "resolution",
    "указ": "decree",
    "распоряжение": "directive",
    "протокол": "protocol",
    "закон": "law",
}
_FREE_TEXT = re.compile(r"^\s*(?P<type>\w+)\s+(?P<body>.*?)\s*№\s*(?P<number>\S+)\s*$", re.S)


def parse_legal_basis(text: str) -> dict[str, str]:
    """Splits an old one-line basis into type, body and number where it can.

    "Постановление Губернатора Московской области № 108-ПГ" -> resolution, "Губернатора
    Московской области", "108-ПГ". A bare number ("12-УМ") stays the number; any other text
    (a draft, a description) becomes the body, so it is printed as it was and never after "№".
    """
    text = " ".join(text.split())
    match = _FREE_TEXT.match(text)
    if match and match["type"].lower() in ACT_TYPE_WORDS:
        return {"type": ACT_TYPE_WORDS[match["type"].lower()], "body": match["body"], "number": match["number"]}
    if text and " " not in text:
        return {"type": "", "body": "", "number": text.removeprefix("№")}
    return {"type": "", "body": text, "number": ""}


def format_legal_basis(rule_set) -> str:
    """"постановление Губернатора Московской области от 12.03.2020 № 108-ПГ", or the parts that
    are filled in; "" when none is."""
    act_type = str(ActType(rule_set.legal_basis_type).label) if rule_set.legal_basis_type else ""
    head = " ".join(part for part in (act_type, rule_set.legal_basis_body.strip()) if part)
    date = (
        gettext("of %(date)s") % {"date": rule_set.legal_basis_date.strftime("%d.%m.%Y")} if rule_set.legal_basis_date else ""
    )
    number = gettext("No. %(number)s") % {"number": rule_set.legal_basis_number.strip()} if rule_set.legal_basis_number.strip() else ""
    # Translators: the order of the parts of a legal act's citation; Russian puts the date before the number.
    pattern = gettext("{head} {number} {date}")
    text = pattern.format(head=head, number=number, date=date)
    return " ".join(text.split())
