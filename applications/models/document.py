import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    GUARANTEE_LETTER = "guarantee_letter", _("Guarantee letter")
    ISOLATION_HOUSING = "isolation_housing", _("Isolation housing")
    INSURANCE_POLICY = "insurance_policy", _("Insurance policy")
    PCR_CERTIFICATE = "pcr_certificate", _("PCR certificate")
    PASSPORT_COPY = "passport_copy", _("Passport copy")
    OTHER = "other", _("Other")


MEGABYTE = 1024 * 1024
# The largest file any document may be (the database refuses more: document_at_most_10_mb).
DOCUMENT_MAX_BYTES = 10 * MEGABYTE
# A passport copy or a PCR certificate is a page or two: 5 MB holds a sharp phone photo or scan
# of it, and less lets a hostile file do less. Other kinds (letters, policies) can run to pages.
DOCUMENT_MAX_BYTES_OF_KIND = {
    DocumentKind.PASSPORT_COPY: 5 * MEGABYTE,
    DocumentKind.PCR_CERTIFICATE: 5 * MEGABYTE,
}


def document_max_bytes(kind: str | None) -> int:
    return DOCUMENT_MAX_BYTES_OF_KIND.get(kind or "", DOCUMENT_MAX_BYTES)


def document_path(document: "Document", filename: str) -> str:
    # The stored name is random: the uploader's file name is kept only as data (original_name),
    # so it can never steer where the file lands.
    return f"documents/{document.application_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_change = models.ForeignKey(
        "applications.StatusChange", on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        verbose_name=_("sent with"), help_text=_("The answer to a request for information this file came with."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__lte=10 * 1024 * 1024), name="document_at_most_10_mb"),
        ]

    def __str__(self) -> str:
        return self.original_name
