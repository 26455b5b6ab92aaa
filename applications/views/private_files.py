"""Serving a stored private file (a document, an export) to the one person the caller has
already found allowed: streamed from the storage (the disk or a bucket), never cached by a
shared cache, never sniffed into another type."""

from __future__ import annotations

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from applications.services.documents import EXTENSION_OF_TYPE

logger = logging.getLogger(__name__)


def private_file_response(stored: FieldFile, *, content_type: str, disposition: str, what: str) -> FileResponse:
    """`disposition` is the whole Content-Disposition value: set after construction, as
    FileResponse would otherwise name the file after its random stored name. A file missing
    from the storage is a 404 (and an error in the log naming `what`), not a 500."""
    try:
        opened = stored.open("rb")
    except FileNotFoundError:
        logger.error("%s has no file in storage", what)
        raise Http404 from None
    response = FileResponse(opened, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


UNKNOWN_TYPE = "application/octet-stream"


def uploaded_file_response(stored: FieldFile, *, content_type: str, stem: str, what: str) -> FileResponse:
    """A file someone uploaded (a case's document, a permit scan, figures' evidence), always as
    an attachment named `<stem><extension>`, the extension taken from the type judged from the
    file's content when it was uploaded: never the uploader's name, so a page named `.html` or
    a program named `.exe` or `.hta` is saved as what it really is (`.pdf`, `.jpg`, `.png`)
    and nothing the browser would open or run. A type outside the accepted ones (a row older
    than the content check) is served as opaque bytes, `.bin`."""
    extension = EXTENSION_OF_TYPE.get(content_type)
    if extension is None:
        content_type, extension = UNKNOWN_TYPE, ".bin"
    return private_file_response(
        stored, content_type=content_type, what=what, disposition=content_disposition_header(True, stem + extension)
    )
