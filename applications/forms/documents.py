"""The document upload form drawn on the employer's case page."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications.forms.common import embedded_form_helper
from applications.models import DocumentKind, document_max_bytes
from applications.models.document import MEGABYTE

ACCEPTED_FILE_TYPES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


DOCUMENT_FILE_HELP = _("PDF, JPEG or PNG, at most 10 MB; a passport copy or a PCR certificate at most 5 MB.")


def document_size_error(kind: str, uploaded: UploadedFile) -> forms.ValidationError | None:
    """The refusal of a file too large for its kind of document (see DOCUMENT_MAX_BYTES_OF_KIND),
    naming the limit, to show next to the file field. The service checks the same again."""
    limit = document_max_bytes(kind)
    if uploaded.size is not None and uploaded.size <= limit:
        return None
    return forms.ValidationError(
        _("This file is %(size)s; a file for “%(kind)s” may be at most %(limit)d MB."),
        code="file_too_large",
        params={"size": filesizeformat(uploaded.size or 0), "kind": DocumentKind(kind).label, "limit": limit // MEGABYTE},
    )


class DocumentUploadForm(forms.Form):
    """Validates the choice of kind, that a file came and that it is not too large for its kind;
    what the file really is (its content) is checked by the service, whichever door the file
    comes through."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=DOCUMENT_FILE_HELP,
        # A hint for the browser's file picker only: the server checks the content.
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()

    def clean(self):
        cleaned = super().clean()
        kind, uploaded = cleaned.get("kind"), cleaned.get("file")
        if kind and uploaded and (error := document_size_error(kind, uploaded)):
            self.add_error("file", error)
        return cleaned
