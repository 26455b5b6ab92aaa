"""The document upload form drawn on the employer's case page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.common import embedded_form_helper
from applications.models import DocumentKind

ACCEPTED_FILE_TYPES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class DocumentUploadForm(forms.Form):
    """Validates the choice of kind and that a file came; what the file really is (its content
    and size) is checked by the service, whichever door the file comes through."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        # A hint for the browser's file picker only: the server checks the content.
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()
