from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _


class DecisionOverride(models.Model):
    """An approval against a blocking failure of the rule check: the worker (or, without a line,
    the whole case), the checks that failed as they stood, and the officer's justification.

    Written with the decision, in its transaction, by the approval's effect
    (applications/transitions.py); append-only like the decision (trigger in its migration). The
    worker's name is kept as it stood, so the record reads the same whatever the registry says later.
    """

    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, related_name="overrides", verbose_name=_("decision")
    )
    line = models.ForeignKey(
        "applications.CaseWorker", on_delete=models.PROTECT, null=True, blank=True, related_name="overrides",
        verbose_name=_("worker on the application"), help_text=_("Empty: the override is of a check of the whole application."),
    )
    worker_name = models.CharField(_("worker"), max_length=300, blank=True)
    failed_checks = models.JSONField(_("failing checks overridden"), default=list)
    justification = models.TextField(_("justification"))

    class Meta:
        verbose_name = _("approval against a failing check")
        verbose_name_plural = _("approvals against a failing check")
        ordering = ["pk"]  # written case first, then the workers in the case page's order
        constraints = [
            # One override per worker and one for the whole case (NULLS NOT DISTINCT: one NULL line).
            models.UniqueConstraint(
                fields=["decision", "line"], nulls_distinct=False, name="decision_override_once_per_worker"
            ),
            # At least a sentence (applications/overrides.py says the same to the officer, in words):
            # 20 characters and two runs of non-space characters.
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length(Trim("justification")), 20), justification__regex=r"\S\s+\S"),
                name="decision_override_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.worker_name or '—'}"
