"""Forms of the employer's pages. They validate and shape what a user typed; the views hand
the cleaned data to applications.services, which persist it (no form.save() here)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.common import ISO_DATETIME_LOCAL, date_input, embedded_form_helper
from applications.models import Application, Worker
from applications.services import DRAFT_FIELDS
from regions.models import Region


class VersionForm(forms.Form):
    """The version of the case the page showed, so a change made meanwhile is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.number} — {obj.name}"


class ApplicationDraftForm(forms.ModelForm):
    """The fields of a draft an employer may change (services.DRAFT_FIELDS)."""

    region = RegionChoiceField(queryset=Region.objects.order_by("number"), label=_("Region of work"))
    # The database refuses more than 60 days; saying so here puts the message next to the field.
    isolation_days = forms.IntegerField(label=_("Isolation days guaranteed"), min_value=0, max_value=60, initial=14)

    class Meta:
        model = Application
        fields = list(DRAFT_FIELDS)
        widgets = {"planned_arrival_date": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class AddWorkerForm(forms.Form):
    """Puts a worker of the company's registry on the case, with the worker's PCR test time."""

    worker = forms.ModelChoiceField(queryset=Worker.objects.none(), label=_("Worker from your registry"))
    pcr_test_taken_at = forms.DateTimeField(
        label=_("PCR test taken at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME_LOCAL),
        help_text=_("Date and time of the sample, Moscow time. Leave empty if the region accepts a test after arrival."),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda worker: f"{worker.display_name} — {worker.passport_number}"


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(VersionForm):
    message = forms.CharField(
        label=_("Your answer to the authority"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you changed or add the information the officer asked for."),
    )
