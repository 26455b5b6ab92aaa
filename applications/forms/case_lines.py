"""The worker lines of a case page: search, filters and page number, from the query string.

Bad input never breaks the page: an unknown filter value is dropped with its message beside the
field, and the list shows every worker.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.plain_widgets import PlainSelect, PlainTextInput
from applications.models import WorkerOutcome
from applications.selectors.case_lines import CHECK_FAILS, CHECK_PASSES

# A search longer than any name or passport number on file can only match nothing.
SEARCH_MAX_LENGTH = 100


class CaseLineFilterForm(forms.Form):
    """Its widgets write their HTML in Python (applications/forms/plain_widgets.py): the form is
    drawn on every case page."""

    q = forms.CharField(
        label=_("Name or passport"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=PlainTextInput(attrs={"type": "search"}),
    )
    check = forms.ChoiceField(
        label=_("Rule check"),
        required=False,
        choices=[("", _("Any result")), (CHECK_PASSES, _("Passes")), (CHECK_FAILS, _("Fails"))],
        widget=PlainSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *WorkerOutcome.choices],
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_lines_%s")
        super().__init__(*args, **kwargs)

    @property
    def filters(self) -> dict[str, str]:
        """The valid filters only: a field in error counts as not given."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name].strip() if name == "q" else data[name] for name in self.fields if data.get(name)}
