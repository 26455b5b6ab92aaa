"""The statistics page's choice of region, among the officer's own regions only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class StatisticsRegionForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=None)

    def __init__(self, *args, region_ids, **kwargs):
        super().__init__(*args, **kwargs)
        # Another region's id is simply not a choice: it is refused at the field, never shown.
        self.fields["region"].queryset = Region.objects.filter(pk__in=region_ids).order_by("number")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "statistics-region"
        self.helper.add_input(Submit("show", _("Show")))

    def chosen_region(self) -> Region | None:
        """The region asked for if it is one of the officer's; otherwise the first of them."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("region"):
            return self.cleaned_data["region"]
        return next(iter(self.fields["region"].queryset), None)
