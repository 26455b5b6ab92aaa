from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Status


class Decision(models.Model):
    """The regional authority's decision, with the rule version and the rule check as they stood.

    Kept so that every decision can be explained later, even after the region's rules change.
    Append-only: the database refuses to update or delete a row (see migration 0002).
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
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"
