"""The header links of a sortable list (the case list of the employer, the officer's queue)."""

from __future__ import annotations

from collections.abc import Iterable


def sort_links(current: str, columns: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each sortable column: the `o` value its header link sets (a second click reverses
    the order) and its aria-sort state, given `current`, the list's `o` value now.
    templates/includes/_sort_header.html draws the header from it."""
    links = {}
    for key in columns:
        if current == key:
            links[key] = {"next": f"-{key}", "aria_sort": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria_sort": "descending"}
        else:
            links[key] = {"next": key, "aria_sort": "none"}
    return links
