from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", pgettext_lazy("export state", "Failed")


class QueueExport(models.Model):
    """A spreadsheet of an officer's filtered queue, built by a background task so the request
    that asks for it never waits; only the officer who asked may download it."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_exports", verbose_name=_("requested by")
    )
    # The queue's filters as a query string, read again by the task with the officer's scope.
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    truncated = models.BooleanField(_("cut at the row limit"), default=False)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue export")
        verbose_name_plural = _("queue exports")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="queue_export_by_officer")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="done") | (models.Q(finished_at__isnull=False) & ~models.Q(file="")),
                name="queue_export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by_id} @ {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def is_ready(self) -> bool:
        return self.state == ExportState.DONE

    @property
    def is_pending(self) -> bool:
        return self.state == ExportState.PENDING

    @property
    def is_failed(self) -> bool:
        return self.state == ExportState.FAILED
