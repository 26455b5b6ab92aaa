from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .application import Status
from .document import DocumentKind


class StatusChange(models.Model):
    """One change of a case's status: who, when, from, to and why.

    Written only by the services in applications/services.py; the database refuses to update
    or delete a row (trigger in migration 0002), so the history cannot be rewritten.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="history", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    transition = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    message = models.TextField(_("message"), blank=True)
    reply_due = models.DateField(_("reply due by"), null=True, blank=True)
    requested_documents = ArrayField(
        models.CharField(max_length=20, choices=DocumentKind.choices), blank=True, default=list,
        verbose_name=_("documents requested"),
    )
    # A submission's declaration of the employer's guarantees, in the words the employer ticked
    # (applications/declarations.py), in the language they read it in.
    declaration = models.TextField(_("declaration"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["application", "at"], name="status_change_timeline"),
            # Django admin's list of the whole history, in Meta.ordering (millions of rows).
            models.Index(fields=["at", "id"], name="status_change_admin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transition="submit") | models.Q(declaration=""), name="status_change_declaration_on_submit_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_from_status_display() or '—'} → {self.get_to_status_display()}"
