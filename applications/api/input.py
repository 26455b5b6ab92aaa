"""A JSON body made into the data a web form reads, so the API gives the form's own messages.

Refused before any form sees it: a body that is not an object, a field no form has, a value that
is a list or an object. Numbers, true and false become the text a person would type (a checkbox
reads "true" and "false"); null is an empty field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from applications.api.errors import FieldErrors

# No field of the portal's forms takes longer text; a longer value is refused before any parsing.
LONGEST_VALUE = 2000


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        # As text, which a checkbox reads as the value and any other field refuses with its message.
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise TypeError


def form_data(body: Any, *, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise ParseError(_("The body must be a JSON object."))
    allowed = set(allowed)
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, value in body.items():
        if name not in allowed:
            errors[name] = [_("There is no such field.")]
            continue
        try:
            data[name] = _value(value)
        except TypeError:
            errors[name] = [_("Give one value: text, a number, true, false or null.")]
            continue
        if isinstance(data[name], str) and len(data[name]) > LONGEST_VALUE:
            errors[name] = [_("The value is too long.")]
    for name in required:
        if name not in body and name not in errors:
            errors[name] = [_("This field is required.")]
    if errors:
        raise FieldErrors(errors)
    return data


def rows_in_body(body: Any, *, name: str, most: int, refusal: str) -> list:
    """The list a body sends as its only field `name`, of 1 to `most` rows; `refusal` otherwise."""
    if not isinstance(body, Mapping):
        raise ParseError(_("The body must be a JSON object."))
    rows = body.get(name)
    if set(body) != {name} or not isinstance(rows, list) or not 1 <= len(rows) <= most:
        raise FieldErrors({name: [refusal]})
    return rows


def row_errors(number: int, errors: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
    """A row's field errors as the lines of a report of rows."""
    return [{"row": number, "field": name, "message": str(message)} for name, messages in errors.items() for message in messages]


def raise_form_errors(form) -> None:
    """A form's messages as the API's field errors; the form's own (non-field) ones under "non_field_errors"."""
    raise FieldErrors(
        {
            "non_field_errors" if name == NON_FIELD_ERRORS else name: [str(message) for message in messages]
            for name, messages in form.errors.items()
        }
    )
