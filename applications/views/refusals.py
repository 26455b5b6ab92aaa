"""A service's refusal shown the same way on every page that does not put it next to a field: its
own words as an error message on the page the view goes to next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpRequest

from applications.services.errors import TransitionRefused


@contextmanager
def refusal_as_message(request: HttpRequest) -> Iterator[None]:
    """Runs the block; when a service in it refuses (TransitionRefused), the rest of the block is
    skipped, the refusal becomes an error message and the view goes on after the block.

    So a view puts what follows success (its message, its redirect) inside the block and what
    follows a refusal after it. A refusal that belongs next to a form field is not for this: the
    view catches it itself and adds it to the form.
    """
    try:
        yield
    except TransitionRefused as exc:
        messages.error(request, exc.message)
