"""The forms of charters: creating one, inviting a company by its INN, choosing cases to put on it
or take off it, and the officer's decision of several cases at once."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.forms.common import LongSelect, date_input, embedded_form_helper
from applications.forms.employer import RegionChoiceField, _checkpoint_choices_sorted
from applications.models import Application, Charter, TransportKind
from regions.models import Checkpoint, Region


class CheckpointField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Checkpoint) -> str:
        return obj.label


class CharterForm(forms.Form):
    transport_kind = forms.ChoiceField(label=_("Transport"), choices=TransportKind.choices)
    transport_number = forms.CharField(
        label=_("Flight or train number"), max_length=Charter._meta.get_field("transport_number").max_length,
        help_text=_("As on the tickets, e.g. SU 1881."),
    )
    region = RegionChoiceField(
        queryset=Region.objects.order_by("number"), label=_("Region of work"),
        help_text=_("Where the workers will work: that region's authority decides the charter's applications."),
    )
    checkpoint = CheckpointField(
        queryset=Checkpoint.objects.none(), label=_("Border crossing point"), empty_label=_("— choose —"),
        help_text=_("Where the charter arrives; every application on it names this crossing."),
        widget=LongSelect(),
    )
    arrival_date = forms.DateField(
        label=_("Arrival date"), widget=date_input(),
        help_text=_("The local date at the crossing point; every application on the charter plans to arrive that day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = _checkpoint_choices_sorted(Checkpoint.objects.filter(active=True))
        self.helper = embedded_form_helper()


class CharterInviteForm(forms.Form):
    inn = forms.CharField(
        label=_("INN of the company"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("The company must be registered on the portal. It sees the charter once invited and decides whether to join."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return obj.reference


class CharterCasesForm(forms.Form):
    """Some of the company's cases, out of those the page offered."""

    applications = CaseChoiceField(
        queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Applications"),
        error_messages={"required": _("Tick at least one application.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = choices


APPROVE, REJECT = "approve", "reject"


class CharterDecideForm(forms.Form):
    """Decide the ticked cases together: approve them all, or reject them all with one reason.
    Each case's box carries its id; its hidden `version-<id>` the version the officer saw."""

    cases = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), widget=forms.CheckboxSelectMultiple, label=_("Applications"),
        error_messages={
            "required": _("Tick the applications to decide."),
            "invalid_choice": _("A ticked application is no longer in review (another officer may have moved it on). Check the list and tick again."),
        },
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve every worker")), (REJECT, _("Reject"))], initial=APPROVE, widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Required to reject: it goes to each employer with its decision."),
    )

    def __init__(self, *args, decidable: list[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.decidable = {case.pk: case for case in decidable}
        self.fields["cases"].choices = [(case.pk, case.reference) for case in decidable]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", ValidationError(_("Write the reason: it is required to reject."), code="required"))
        versions = {}
        for pk in cleaned.get("cases") or ():
            try:
                versions[pk] = int(self.data.get(f"version-{pk}", ""))
            except ValueError:
                versions[pk] = 0  # no version: treated as a page out of date
        cleaned["versions"] = versions
        return cleaned
