"""What the retention job keeps about itself (applications/services/retention.py).

Both tables are append-only like the history (trigger of migration 0034): a run and a redaction
are facts, never rewritten.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a redacted worker keeps instead of the name: never a Latin name the forms accept.
REDACTED_NAME = "***"
# A redacted passport number is this prefix and the row's id: unique per row, so two redacted
# people never share a person key (citizenship, passport_key), and never what a form or an import
# accepts (A-Z and 0-9 only), so it never matches a new worker or a public check.
REDACTED_PASSPORT_PREFIX = "~"
# Dates the rows must keep (the columns are required): before anyone the portal deals with.
REDACTED_BIRTH_DATE = "1900-01-01"
REDACTED_PASSPORT_EXPIRY = "1900-01-02"


class RetentionRun(models.Model):
    """One run of `manage.py redact_personal_data`: when, the cut-off days and how much of each
    kind it removed. Counts only: the run's record names no one."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), default=timezone.now)
    documents_closed_before = models.DateField(_("documents of cases closed on or before"))
    identities_closed_before = models.DateField(_("workers of cases closed on or before"))
    documents_deleted = models.PositiveIntegerField(_("documents deleted"), default=0)
    workers_redacted = models.PositiveIntegerField(_("registry workers redacted"), default=0)
    decision_workers_redacted = models.PositiveIntegerField(_("workers of decisions redacted"), default=0)
    earlier_permits_deleted = models.PositiveIntegerField(_("earlier permits deleted"), default=0)
    corrections_redacted = models.PositiveIntegerField(_("corrections redacted"), default=0)
    letters_removed = models.PositiveIntegerField(_("decision letters removed"), default=0)
    decisions_not_verified = models.PositiveIntegerField(_("decisions left as they were (record did not verify)"), default=0)

    class Meta:
        verbose_name = _("personal data retention run")
        verbose_name_plural = _("personal data retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class DecisionRedaction(models.Model):
    """The digest of a decision's record after some of its workers were redacted: the chain from
    the digest sealed at the decision (which its letter's code comes from) to the rows as they
    now stand. Written in the redaction's transaction, after the record was checked against the
    previous digest, so the record's integrity can still be checked later."""

    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, related_name="redactions", verbose_name=_("decision")
    )
    record_sha256 = models.CharField(_("SHA-256 of the redacted record"), max_length=64)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("redaction of a decision")
        verbose_name_plural = _("redactions of decisions")
        ordering = ["decision", "at", "pk"]
        indexes = [models.Index(fields=["decision", "-at", "-id"], name="decision_redaction_latest")]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.record_sha256[:12]}"
