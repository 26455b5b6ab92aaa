from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CorrectionKind(models.TextChoices):
    CASE_FIELD = "case_field", _("Detail of the application changed")
    WORKER_FIELD = "worker_field", _("Worker's data changed")
    WORKER_ADDED = "worker_added", _("Worker added")
    WORKER_REMOVED = "worker_removed", _("Worker removed")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    PERMIT_DECLARED = "permit_declared", _("Earlier permit declared")
    PERMIT_SCAN_ADDED = "permit_scan_added", _("Scan of an earlier permit added")


# The kinds that change one field, and so name it.
FIELD_KINDS = (CorrectionKind.CASE_FIELD, CorrectionKind.WORKER_FIELD)


class CaseCorrection(models.Model):
    """One change the employer made to a case while the authority asked for information: a field
    of the case or of a worker (before and after), a worker added or removed, a document added,
    an earlier permit declared or given its scan. The officer reads them with the answer they came with.

    Written by the services, in the transaction of the change, only while the case waits for
    information. Values are stored raw and JSON-safe (a date as ISO text, a choice as its code,
    a related row as its id, an instant with the zone it is read in) and rendered when shown,
    in the reader's language (applications/selectors/corrections.py). Append-only: the database
    refuses UPDATE and DELETE (trigger in this model's migration).
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="corrections", verbose_name=_("application")
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    what = models.CharField(_("what"), max_length=20, choices=CorrectionKind.choices)
    # The registry worker concerned (not the line: a removed worker's line is deleted, and an
    # append-only row cannot be emptied after it). The name as it stood, so the log reads the
    # same whatever the registry says later.
    worker = models.ForeignKey(
        "applications.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("worker")
    )
    worker_name = models.CharField(_("worker"), max_length=300, blank=True)
    field = models.CharField(_("field"), max_length=60, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Set by the retention job when it removed the worker's name and values from this row.
    redacted_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction during a request for information")
        verbose_name_plural = _("corrections during requests for information")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="case_correction_timeline")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(what__in=[kind.value for kind in FIELD_KINDS]) | ~Q(field=""),
                name="case_correction_field_named",
            ),
            models.CheckConstraint(
                condition=~Q(what="worker_field") | Q(worker__isnull=False),
                name="case_correction_worker_field_names_worker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_what_display()} {self.field}".rstrip()
