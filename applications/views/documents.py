"""Documents of a case: the employer uploads and removes them; both sides open them through one
view that checks who is asking. Files are never served from a public folder."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from applications import selectors
from applications.forms.documents import DocumentUploadForm
from applications.selectors.documents import document_get_for_user, document_of_case
from applications.services.documents import document_delete, document_upload
from applications.views.decorators import employer_required
from applications.views.private_files import uploaded_file_response
from applications.views.refusals import refusal_as_message


def _to_case(application) -> HttpResponse:
    return redirect("applications:application-detail", pk=application.pk)


@employer_required
@require_POST
def document_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        # The form lives on the case page; its errors come back as messages naming the field.
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return _to_case(application)
    with refusal_as_message(request):
        document = document_upload(
            application=application, user=request.user, uploaded_file=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(request, gettext("“%(name)s” is attached to the application.") % {"name": document.original_name})
    return _to_case(application)


@employer_required
@require_POST
def document_delete_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = selectors.application_get_for_employer(user=request.user, pk=pk)
    document = document_of_case(application=application, pk=document_pk)
    with refusal_as_message(request):
        document_delete(document=document, user=request.user)
        messages.success(request, gettext("“%(name)s” is removed from the application.") % {"name": document.original_name})
    return _to_case(application)


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """RFC 6266 with the name percent-encoded as UTF-8, so Cyrillic names survive and nothing in
    a name can break out of the header."""
    return f"{'attachment' if as_attachment else 'inline'}; filename*=UTF-8''{quote(filename, safe='')}"


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = document_get_for_user(user=request.user, pk=pk)
    return uploaded_file_response(
        document.file, content_type=document.content_type, stem=f"document-{document.pk}", what=f"Document {document.pk}"
    )
