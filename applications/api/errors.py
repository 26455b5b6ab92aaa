"""Every API error is JSON with a 4xx status: {"detail": "..."} for the request as a whole and
{"errors": {"field": ["message", ...]}} for its fields (the messages of the web forms)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from applications.services.errors import TransitionRefused


class FieldErrors(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(detail=_("Some fields are not right."))
        self.errors = errors


def api_exception_handler(exc, context):
    if isinstance(exc, FieldErrors):
        return Response({"detail": str(exc.detail), "errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationError):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/ address no endpoint answers."""
    return JsonResponse({"detail": _("No such endpoint.")}, status=404)
