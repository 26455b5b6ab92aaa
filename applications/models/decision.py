from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .application import RefusalReason, Status, WorkerOutcome
from .worker import PassportKey, display_name


class Decision(models.Model):
    """The regional authority's decision, frozen with everything it rests on.

    A decision is a legal act: the letter, the border list and the case pages of a decided case
    read what is kept here and in its `workers`, never today's rows of the company, the workers
    or the region's rules, so editing those afterwards changes nothing of what was decided. The
    whole record (applications/decision_record.py) is digested with SHA-256 when it is written;
    the letter's verification code is derived from that digest.

    Append-only: the database refuses to update or delete a row (trigger of migration 0002), and
    the portal's database role may only insert (docs/security.md).
    """

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision", verbose_name=_("application")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20,
        choices=[(s.value, s.label) for s in (Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED)],
    )
    rule_set = models.ForeignKey(
        "regions.RuleSet", on_delete=models.PROTECT, null=True, related_name="decisions", verbose_name=_("rule version applied")
    )
    checks = models.JSONField(_("rule check as it stood"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    # Set before the row is written: the record's digest covers it.
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    # What the decision rests on, as it stood at the moment of the decision.
    rule_set_content = models.JSONField(_("rules applied, as they stood"), null=True, blank=True)
    rule_set_sha256 = models.CharField(_("SHA-256 of the rules applied"), max_length=64, blank=True)
    case_particulars = models.JSONField(_("the application as decided"), default=dict)
    company_name = models.CharField(_("company"), max_length=300, blank=True)
    company_inn = models.CharField(_("INN"), max_length=12, blank=True)
    company_ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, blank=True)
    company_address = models.CharField(_("legal address"), max_length=500, blank=True)
    officer_name = models.CharField(_("officer"), max_length=200, blank=True)
    officer_position = models.CharField(_("officer's position"), max_length=200, blank=True)
    letter_language = models.CharField(_("language of the letter"), max_length=5, blank=True)
    legal_basis = models.TextField(_("legal basis, as printed on the letter"), blank=True)
    case_override_note = models.TextField(_("justification of an approval against a failure of the whole application"), blank=True)
    # Empty only for a decision made before decisions were frozen and not yet migrated.
    record_sha256 = models.CharField(_("SHA-256 of the decision record"), max_length=64, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=19, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["verification_code"], condition=~models.Q(verification_code=""), name="decision_verification_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def rules_effective_from(self) -> dt.date | None:
        """The first day of the rule version the case was decided under, as kept with the decision
        (None when no version was in force)."""
        if not self.rule_set_content or not self.rule_set_content.get("effective_from"):
            return None
        return dt.date.fromisoformat(self.rule_set_content["effective_from"])

    @property
    def company(self) -> CompanyAsDecided:
        """The company as the decision named it."""
        return CompanyAsDecided(
            name=self.company_name, inn=self.company_inn, ogrn=self.company_ogrn, legal_address=self.company_address
        )


@dataclass(frozen=True)
class CompanyAsDecided:
    """A company's identity as kept with a decision; read like an Employer by the case pages."""

    name: str
    inn: str
    ogrn: str
    legal_address: str


class DecisionWorker(models.Model):
    """One worker of a decision, as the authority decided on them: the identity as it stood and
    the outcome. Append-only like the decision; the border list and the letter read these rows."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="workers", verbose_name=_("decision"))
    line = models.OneToOneField(
        "applications.CaseWorker", on_delete=models.PROTECT, related_name="decided", verbose_name=_("worker on the application")
    )
    position = models.PositiveIntegerField(_("number on the letter"))
    surname_latin = models.CharField(_("surname (Latin, as in the passport)"), max_length=100)
    given_names_latin = models.CharField(_("given names (Latin, as in the passport)"), max_length=150)
    surname_cyrillic = models.CharField(_("surname (Cyrillic)"), max_length=100, blank=True)
    given_names_cyrillic = models.CharField(_("given names (Cyrillic)"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    citizenship = models.CharField(_("citizenship"), max_length=2)
    passport_number = models.CharField(_("passport number"), max_length=20)
    passport_expiry = models.DateField(_("passport valid until"))
    # The person's key as decided (see Worker.passport_key): the border list names a person once.
    passport_key = models.GeneratedField(
        expression=PassportKey("passport_number"), output_field=models.TextField(), db_persist=True,
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=WorkerOutcome.choices)
    refusal_reason = models.CharField(_("refusal reason"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_note = models.CharField(_("refusal note"), max_length=500, blank=True)
    override_note = models.TextField(_("justification of an approval against a failing check"), blank=True)
    # Set by the retention job, which replaces the identity above by placeholders and keeps the
    # SHA-256 of the values it removed, salted per row (decision_record.identity_digest): whoever
    # holds the letter can still show that it named this person.
    redacted_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    identity_salt = models.CharField(_("salt of the identity digest"), max_length=36, blank=True, default="")
    identity_sha256 = models.CharField(_("SHA-256 of the removed identity"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("worker of a decision")
        verbose_name_plural = _("workers of decisions")
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="decision_worker_position_unique"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["approved", "refused"]), name="decision_worker_decided_outcome"
            ),
        ]
        # A person's approvals, found by the worker's public check (views/worker_check.py).
        indexes = [models.Index(fields=["citizenship", "passport_key"], name="decision_worker_person")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.surname_latin, self.given_names_latin)

    @property
    def name_latin(self) -> str:
        return f"{self.surname_latin} {self.given_names_latin}"

    @property
    def name_cyrillic(self) -> str:
        return f"{self.surname_cyrillic} {self.given_names_cyrillic}".strip()


class DecisionLetter(models.Model):
    """The decision letter as built once, in the company's language, with its digest: it is
    served as built, never rebuilt (applications/services/decision_letters.py). Append-only."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter", verbose_name=_("decision"))
    language = models.CharField(_("language"), max_length=5)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    # The retention job empties `pdf` once the decision's workers are redacted (it names them);
    # `sha256` stays, so a copy someone holds can still be checked.
    redacted_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self) -> str:
        return f"{self.decision}: {self.sha256[:12]}"
