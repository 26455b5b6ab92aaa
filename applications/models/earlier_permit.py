import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EarlierPermitKind(models.TextChoices):
    PERMIT = "permit", _("Work permit")
    PATENT = "patent", _("Work patent")


def earlier_permit_scan_path(permit: "WorkerEarlierPermit", filename: str) -> str:
    # Random, like documents: the uploader's file name is data (scan_name), never a path.
    return f"earlier-permits/{permit.worker_id}/{uuid.uuid4().hex}"


class WorkerEarlierPermit(models.Model):
    """A work permit or patent the worker held earlier for this employer, declared in the
    registry: the evidence that a worker brought back has worked here before, where the portal
    has no earlier case of the company on which the worker arrived. Only a declaration with its
    scan counts as evidence."""

    worker = models.ForeignKey(
        "applications.Worker", on_delete=models.CASCADE, related_name="earlier_permits", verbose_name=_("worker")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EarlierPermitKind.choices)
    number = models.CharField(_("number"), max_length=40, help_text=_("Series and number as printed, e.g. 77 № 1234567."))
    issued_on = models.DateField(_("issue date"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued in region")
    )
    scan = models.FileField(_("scan"), upload_to=earlier_permit_scan_path, blank=True)
    scan_name = models.CharField(_("file name"), max_length=255, blank=True)
    scan_content_type = models.CharField(_("type"), max_length=50, blank=True)
    scan_size = models.PositiveIntegerField(_("size, bytes"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("scan uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("scan uploaded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier work permit or patent")
        verbose_name_plural = _("earlier work permits and patents")
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="earlier_permit_number_given"),
            models.CheckConstraint(condition=Q(kind__in=["permit", "patent"]), name="earlier_permit_kind_known"),
            models.UniqueConstraint(fields=["worker", "kind", "number"], name="earlier_permit_once_per_worker"),
            # A scan comes with who uploaded it, when, its type and size; no scan, none of them.
            models.CheckConstraint(
                condition=(Q(scan="") & Q(uploaded_at__isnull=True) & Q(scan_size__isnull=True))
                | (~Q(scan="") & Q(uploaded_at__isnull=False, uploaded_by__isnull=False, scan_size__lte=10 * 1024 * 1024) & ~Q(scan_content_type="")),
                name="earlier_permit_scan_complete",
            ),
        ]
        indexes = [models.Index(fields=["worker", "-issued_on"], name="earlier_permit_worker")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def has_scan(self) -> bool:
        return bool(self.scan)
