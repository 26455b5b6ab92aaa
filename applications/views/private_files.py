"""Serving a stored private file (a document, an export) to the one person the caller has
already found allowed: streamed from the storage (the disk or a bucket), never cached by a
shared cache, never sniffed into another type."""

from __future__ import annotations

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

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
