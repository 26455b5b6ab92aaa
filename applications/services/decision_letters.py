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


class LetterRemoved(Exception):
    """The kept letter was emptied by the retention job: it named workers whose personal data is
    no longer kept (applications/services/retention.py). It is never built again."""


def decision_letter_pdf(decision: Decision) -> bytes:
    """The kept letter of the decision, built and kept now if it is the first time. Raises
    LetterRemoved once its workers' personal data was removed."""
    kept = DecisionLetter.objects.filter(decision=decision).first()
    if kept is not None:
        if kept.redacted_at is not None:
            raise LetterRemoved
        return bytes(kept.pdf)
    if decision.workers.filter(redacted_at__isnull=False).exists():
        raise LetterRemoved
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
