from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being checked")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class WorkerImport(models.Model):
    """A large file of workers imported by a background task, so the request that uploads it
    never waits for thousands of rows to be checked. The rows wait here as the file's reader
    gave them and are emptied once the import is finished: they hold passport data."""

    employer = models.ForeignKey(
        "applications.Employer", on_delete=models.CASCADE, related_name="worker_imports", verbose_name=_("company")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=WorkerImportState.choices, default=WorkerImportState.QUEUED)
    # What the reader gave: [{"number": 2, "data": {...}, "errors": {...}}, ...].
    rows = models.JSONField(_("rows waiting"), default=list, blank=True)
    # The file's column names by field, for the report.
    headers = models.JSONField(_("columns"), default=dict, blank=True)
    ignored_headers = models.JSONField(_("columns left out"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("workers added"), default=0)
    error_row_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # The problems of the first rows with errors only: [{"row": 2, "column": "...", "message": "..."}].
    errors = models.JSONField(_("problems"), default=list, blank=True)
    failure = models.CharField(_("why it was not imported"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker import")
        verbose_name_plural = _("worker imports")
        indexes = [models.Index(fields=["employer", "-created_at"], name="worker_import_by_company")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running"]) | models.Q(finished_at__isnull=False),
                name="worker_import_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.employer_id}, {self.created_at:%d.%m.%Y %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.state in (WorkerImportState.DONE, WorkerImportState.FAILED)

    @property
    def percent_checked(self) -> int:
        return 100 * self.checked_rows // self.total_rows if self.total_rows else 0
