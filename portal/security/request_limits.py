"""A request body is refused with a 413 page before it is read when it is larger than anyone
signed out (or signed in) has a reason to send (issue 16, item 2).

Django itself spools any body to disk, so without this a stranger could make the portal store a
gigabyte. The limits are REQUEST_BODY_MAX_BYTES for a signed-in person (the largest form: an
answer with five 10 MB documents) and ANONYMOUS_REQUEST_BODY_MAX_BYTES for anyone else (sign-in
and sign-up forms are a few kilobytes). The proxy in front refuses the same sizes earlier
(docs/deploy.md, "Request sizes"); this is the guard that holds whatever the proxy does.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import gettext

MEGABYTE = 1024 * 1024
READ_CHUNK = 64 * 1024


# A document sent to the API (docs/api.md): the largest document (10 MB, DOCUMENT_MAX_BYTES in
# applications/models/document.py, which the portal's wiring does not import) and the multipart
# framing around it.
API_DOCUMENT_BODY_MAX_BYTES = 10 * MEGABYTE + 64 * 1024


def _is_api_document_upload(request: HttpRequest) -> bool:
    """A file sent with a key: the API has no session, but its key is checked before the body is
    read (the view refuses a bad key with a 401 and never parses the file)."""
    if request.method != "POST" or not request.path_info.startswith("/api/"):
        return False
    if not request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
        return False
    try:
        return resolve(request.path_info).view_name == "api:application-documents"
    except Resolver404:
        return False


def body_limit_for(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return settings.REQUEST_BODY_MAX_BYTES
    if _is_api_document_upload(request):
        return max(API_DOCUMENT_BODY_MAX_BYTES, settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES)
    return settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    user = getattr(request, "user", None)
    megabytes = limit / MEGABYTE
    if request.path.startswith("/api/"):
        # The API's clients read JSON, never a page (docs/api.md).
        return JsonResponse({"detail": gettext("The request is larger than %(limit)s bytes.") % {"limit": limit}}, status=413)
    return render(
        request,
        "413.html",
        {
            "limit_mb": number_format(int(megabytes) if megabytes.is_integer() else round(megabytes, 2)),
            "signed_in": user is not None and user.is_authenticated,
        },
        status=413,
    )


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        return max(int(raw), 0)
    except (TypeError, ValueError):
        # Django reads such a body as empty; nothing to bound.
        return None


def _is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


class RequestBodyLimitMiddleware:
    """After AuthenticationMiddleware (the limit depends on who asks) and before anything reads
    the body (CSRF reads the form in process_view, which runs after every middleware's call)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request)
        declared = _declared_length(request)
        if declared is not None:
            if declared > limit:
                return too_large(request, limit)
        elif _is_chunked(request) and hasattr(request, "environ"):
            # No length given: the size is known only by reading. Read at most `limit` bytes
            # into a file that moves to disk past FILE_UPLOAD_MAX_MEMORY_SIZE; one byte more
            # and the rest is never read.
            spooled = self._read_bounded(request.environ["wsgi.input"], limit)
            if spooled is None:
                return too_large(request, limit)
            length = spooled.seek(0, 2)
            spooled.seek(0)
            request.META["CONTENT_LENGTH"] = str(length)
            # Django built its stream from the missing length (so it would read nothing); give
            # it the body just read, bounded to its length.
            request._stream = LimitedStream(spooled, length)
            request._read_started = False
        return self.get_response(request)

    @staticmethod
    def _read_bounded(stream, limit: int):
        spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        total = 0
        while True:
            chunk = stream.read(min(READ_CHUNK, limit + 1 - total))
            if not chunk:
                return spooled
            total += len(chunk)
            if total > limit:
                spooled.close()
                return None
            spooled.write(chunk)
