"""The split button of a draft over its region's cap (applications/services/draft_split.py)."""

from django import forms


class DraftSplitForm(forms.Form):
    # The number of parts the page offered: if the draft changed since, the service refuses rather
    # than make a split the employer did not see.
    parts = forms.IntegerField(required=False, min_value=2, widget=forms.HiddenInput)
