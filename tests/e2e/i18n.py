"""The words a page shows, as the portal's own catalogues give them in a language: the tests find
buttons and fields by the text a person reads, in Russian as in English, without hard-coding a
translation (a missing one falls back to the English source, as the page does)."""

from __future__ import annotations

from django.utils import translation


def tr(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def label_of(form_class, field: str, language: str, **form_kwargs) -> str:
    """A form field's label as the page shows it (Django capitalises a model field's verbose name)."""
    with translation.override(language):
        if form_kwargs:
            label = form_class(**form_kwargs).fields[field].label
        else:
            label = form_class.base_fields[field].label
        text = str(label)
        return text[:1].upper() + text[1:]
