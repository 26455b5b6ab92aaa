"""The decision letter is built once and kept with its digest; it is then served as built.

A letter is an official document: the bytes a company downloaded in 2021 are the bytes anyone
downloads later. Nothing rebuilds a kept letter (the table is append-only, one letter per
decision); when two requests build the first one at once, the second finds the first's and
serves that.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from applications.letters import render_decision_letter
from applications.models import Decision, DecisionLetter


def decision_letter_pdf(decision: Decision) -> bytes:
    """The kept letter of the decision, built and kept now if it is the first time."""
    kept = DecisionLetter.objects.filter(decision=decision).first()
    if kept is not None:
        return bytes(kept.pdf)
    pdf = render_decision_letter(decision)
    try:
        with transaction.atomic():
            DecisionLetter.objects.create(
                decision=decision, language=decision.letter_language, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest()
            )
    except IntegrityError:
        # Another request kept its letter first: that one is the letter.
        return bytes(DecisionLetter.objects.get(decision=decision).pdf)
    return pdf
