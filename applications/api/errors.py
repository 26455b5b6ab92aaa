"""Every API error is JSON with a 4xx status: {"detail": "..."} for the request as a whole and
{"errors": {"field": ["message", ...]}} for its fields (the messages of the web forms)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from applications.services.errors import TransitionRefused


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal."""

    detail = serializers.CharField(help_text="What is wrong, in the language of Accept-Language.")


class FieldErrorsSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="The web form's messages by field; non_field_errors for what is about several fields.",
    )


# What each refusal means (docs/api.md, "Errors").
REFUSALS = {
    400: (
        FieldErrorsSerializer,
        "The request is not right: the web form's messages by field, or what is wrong with the request as a whole.",
    ),
    401: (ErrorSerializer, "No usable key: missing, unknown, revoked or expired."),
    403: (ErrorSerializer, "A key of the other kind (a company's key on the border list, or a border key elsewhere)."),
    404: (ErrorSerializer, "No such object for this key (another company's ids look like ids that do not exist)."),
    409: (ErrorSerializer, "The case's state refuses the change; the message says why, as on the page."),
    413: (ErrorSerializer, "The body is larger than the API takes."),
    415: (ErrorSerializer, "The body is not of the type the endpoint reads (JSON, or multipart/form-data for a file)."),
    429: (ErrorSerializer, "Too many requests for this key in a minute; see Retry-After."),
}


def refused_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The schema's responses for these refusals (applications/api/schema.py adds the ones every
    endpoint of its kind may give)."""
    return {code: OpenApiResponse(REFUSALS[code][0], description=REFUSALS[code][1]) for code in codes}


def row_report_responses(report: type[serializers.Serializer], *, ok: int, name: str) -> dict[int, object]:
    """The answers of an endpoint taking a list of rows: the report, and for a 400 the report of
    its refused rows or, when the body is no list at all, the field errors of any other 400."""
    refusal = PolymorphicProxySerializer(
        component_name=name, serializers=[report, FieldErrorsSerializer], resource_type_field_name=None
    )
    return {
        ok: report,
        400: OpenApiResponse(refusal, description="A report naming each refused row, or what is wrong with the body as a whole."),
    }


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
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        # A query refused by field (the border list's cursor and dates): the same shape as a form's.
        errors = {name: [str(message) for message in messages] for name, messages in exc.detail.items()}
        return Response({"detail": _("Some fields are not right."), "errors": errors}, status=exc.status_code)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response


class NoSuchEndpoint(APIView):
    """Any /api/ address no endpoint answers, by any method: a 404 in JSON. A view of REST
    framework, so a PATCH to no endpoint meets no CSRF check (the API reads no session) and
    gets the same answer as a GET."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("No such endpoint."))

    options = http_method_not_allowed


not_found = NoSuchEndpoint.as_view()
