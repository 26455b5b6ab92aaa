"""Forms of the employer's pages. They validate and shape what a user typed; the views hand
the cleaned data to applications.services, which persist it (no form.save() here)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.forms.common import (
    ISO_DATETIME_LOCAL,
    LocalDateTimeField,
    LongSelect,
    date_input,
    embedded_form_helper,
    time_input,
)
from applications.forms.documents import DOCUMENT_FILE_HELP, document_size_error
from applications.models import Application, DocumentKind, Worker
from applications.services import DRAFT_FIELDS
from regions.models import Checkpoint, Region
from regions.time_zones import NonexistentLocalTime, local_instant, usual_zone, zone_label, zone_names


class VersionForm(forms.Form):
    """The version of the case the page showed, so a change made meanwhile is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = embedded_form_helper()


class SubmitForm(VersionForm):
    """The "check your answers" page's form: the version the page showed and the employer's
    declaration of its guarantees (applications/declarations.py), which must be ticked."""

    declaration = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the declaration to submit: the authority accepts an application only with the employer's guarantees.")
        },
    )

    def __init__(self, *args, declaration_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration_text = declaration_text
        self.fields["declaration"].label = declaration_text


class CaseListFilterForm(forms.Form):
    """The form of `EmployerCaseFilter` (applications/filters/employer.py); its fields come from the filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "case-filter"
        self.helper.attrs = {"role": "search", "aria-label": _("Filter your applications")}
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-md-8"), Column("o", css_class="col-md-4")),
            InlineCheckboxes("status"),
        )
        self.helper.add_input(Submit("apply", _("Show")))


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.number} — {obj.name}"


OTHER_CHECKPOINT = "other"


class _CheckpointChoices(forms.models.ModelChoiceIterator):
    """The checkpoints, then "Other crossing" last, where a search leaves it in view."""

    def __iter__(self):
        yield from super().__iter__()
        yield (OTHER_CHECKPOINT, _("Other crossing (not in the list)"))

    def __len__(self):
        return super().__len__() + 1


class CheckpointChoiceField(forms.ModelChoiceField):
    """A checkpoint of the reference list, or OTHER_CHECKPOINT for a crossing named in words."""

    iterator = _CheckpointChoices

    def label_from_instance(self, obj: Checkpoint) -> str:
        return obj.label

    def to_python(self, value):
        if value == OTHER_CHECKPOINT:
            return OTHER_CHECKPOINT
        return super().to_python(value)


def _checkpoint_choices_sorted(queryset):
    # In the reader's language, so the list reads alphabetically in Russian and in English.
    return queryset.select_related("region").order_by("name_ru" if (get_language() or "ru").startswith("ru") else "name_en", "kind")


# How far ahead a planned arrival may be (the message says "two years").
LATEST_ARRIVAL_AHEAD = dt.timedelta(days=2 * 366)


class ApplicationDraftForm(forms.ModelForm):
    """The fields of a draft an employer may change (services.DRAFT_FIELDS), in three sections.

    `region_fixed` shows the region without letting it change: a submitted case stays with the
    authority it was filed to, even while the employer corrects it.

    The planned arrival is asked as a date and a time on the clocks of the zone of arrival;
    cleaned_data carries it as one instant, `planned_arrival_at`."""

    planned_arrival_date = forms.DateField(
        label=_("Planned arrival date"), widget=date_input(),
        help_text=_("The day the workers cross the border. Passports are checked against this day."),
    )
    planned_arrival_time = forms.TimeField(
        label=_("Planned arrival time"), widget=time_input(),
        help_text=_(
            "Local time at the point of arrival, in the time zone of arrival (for Primorsky Krai, "
            "Vladivostok time, not Moscow time). PCR tests are checked against this moment."
        ),
    )

    region = RegionChoiceField(
        queryset=Region.objects.order_by("number"),
        label=_("Region of work"),
        help_text=_("Where the workers will work. That region's authority decides on the application."),
    )
    # static/js/country-search.js puts a search box before the list (typing "SVO", "Ларс" or a
    # region narrows it) and static/js/checkpoint-choice.js shows the two "other" fields only when
    # "Other crossing" is chosen; without JavaScript the list and the fields work as they are.
    checkpoint = CheckpointChoiceField(
        queryset=Checkpoint.objects.none(),
        label=_("Border crossing point"),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the border crossing point, or “Other crossing” at the end of the list.")},
        help_text=_("The airport, road, rail or sea crossing where the workers enter Russia. The arrival time is read in its region's time."),
        widget=LongSelect(
            attrs={
                "data-country-search": "", "data-search-label": _("Find a crossing point"),
                "data-search-placeholder": _("A name, an airport code or a region"),
                "data-search-status": _("Crossing points in the list:"), "data-search-keep": OTHER_CHECKPOINT,
                "data-other-choice": OTHER_CHECKPOINT, "data-other-fields": "other-crossing",
            }
        ),
    )
    border_region = RegionChoiceField(
        queryset=Region.objects.order_by("number"),
        required=False,
        label=_("Region of the other crossing"),
        help_text=_("Only for another crossing: the region where it is, which sets the clock of the arrival."),
    )
    # The database refuses more than 60 days; saying so here puts the message next to the field.
    isolation_days = forms.IntegerField(
        label=_("Isolation days guaranteed"), min_value=0, max_value=60, initial=14,
        help_text=_("Days of isolation on arrival that you pay for, from 0 to 60. Most regions require 14."),
    )

    class Meta:
        model = Application
        # The arrival is asked as a local date and time (declared above), not as the stored instant.
        fields = [name for name in DRAFT_FIELDS if name != "planned_arrival_at"]
        labels = {"border_crossing_point": _("Name of the other crossing")}
        help_texts = {
            "kind": _("New workers, or people who worked for you before and are coming back."),
            "project_name": _("The project or site the workers are needed for, as your contracts name it."),
            "activity_okved": _("The OKVED code of the work, e.g. 41.20. Some regions close some activities to foreign workers."),
            "border_crossing_point": _("Only for another crossing: its name, e.g. Mamonovo road crossing."),
            "transport_to_isolation": _("You take the workers from the border to the place of isolation."),
            "isolation_address": _("Where the workers stay during the isolation on arrival."),
            "insurance_policy": _("The number of the medical insurance policy that covers the workers."),
            "charter_transport_agreed": _("Some regions ask you to agree charter flights with their headquarters."),
            "vaccination_booked": _("Some regions ask you to book vaccination for everyone on the list."),
        }

    @property
    def required_labels(self) -> list[str]:
        """The labels of the fields saving demands, as the page's note lists them."""
        return [str(field.label) for field in self.fields.values() if field.required and not field.disabled]

    def __init__(self, *args, region_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.planned_arrival_at is not None:
            local = self.instance.planned_arrival_at.astimezone(self.instance.arrival_zone)
            self.initial.setdefault("planned_arrival_date", local.date())
            self.initial.setdefault("planned_arrival_time", local.time().replace(second=0, microsecond=0))
        if region_fixed:
            self.fields["region"].disabled = True
            self.fields["region"].help_text = _("The region cannot change once the application is submitted.")
        # Closed checkpoints are not offered, except the one the case already names.
        open_or_named = Q(active=True)
        if self.instance.checkpoint_id is not None:
            open_or_named |= Q(pk=self.instance.checkpoint_id)
        self.fields["checkpoint"].queryset = _checkpoint_choices_sorted(Checkpoint.objects.filter(open_or_named))
        if self.instance.pk is not None and self.instance.checkpoint_id is None and self.instance.border_crossing_point:
            self.initial["checkpoint"] = OTHER_CHECKPOINT
        self.helper = embedded_form_helper()
        self.helper.layout = Layout(
            Fieldset(_("The work"), "region", "kind", "project_name", "activity_okved", css_class="form-section"),
            Fieldset(
                _("Arrival"), Row(Column("planned_arrival_date", css_class="col-md-6"), Column("planned_arrival_time", css_class="col-md-6")),
                "checkpoint",
                Div("border_crossing_point", "border_region", css_id="other-crossing"),
                css_class="form-section",
            ),
            Fieldset(
                _("Guarantees at the employer's expense"),
                "transport_to_isolation", "isolation_address", "isolation_days", "insurance_policy",
                "charter_transport_agreed", "vaccination_booked",
                css_class="form-section",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        # Repeats the database constraint application_one_crossing_point, with each message next
        # to its field; a checkpoint chosen clears what was typed for another crossing.
        if cleaned.get("checkpoint") == OTHER_CHECKPOINT:
            cleaned["checkpoint"] = None
            if not cleaned.get("border_crossing_point") and "border_crossing_point" not in self.errors:
                self.add_error("border_crossing_point", _("Name the crossing point."))
            if not cleaned.get("border_region") and "border_region" not in self.errors:
                self.add_error("border_region", _("Choose the region where this crossing is."))
        elif cleaned.get("checkpoint") is not None:
            cleaned["border_crossing_point"] = ""
            cleaned["border_region"] = None
        return cleaned

    def clean_planned_arrival_date(self):
        arrival = self.cleaned_data["planned_arrival_date"]
        today = timezone.localdate()
        if arrival <= today:
            raise forms.ValidationError(_("The planned arrival must be a day in the future."), code="arrival_not_in_future")
        # A year mistyped (2205 for 2025) is no plan; year 9999 even broke every page of the case
        # (the overlap window past it is beyond the largest date there is).
        if arrival > today + LATEST_ARRIVAL_AHEAD:
            raise forms.ValidationError(
                _("The planned arrival must be within two years from today: check the year."), code="arrival_too_far"
            )
        return arrival

    def _post_clean(self):
        # After the model's fields are on the instance, so the zone of arrival is the one of the
        # region (and whatever else decides it) just chosen: Application.arrival_zone.
        super()._post_clean()
        day = self.cleaned_data.pop("planned_arrival_date", None)
        time = self.cleaned_data.pop("planned_arrival_time", None)
        if day is None or time is None or "region" not in self.cleaned_data:
            return
        zone = self.instance.arrival_zone
        try:
            # A time the clocks showed twice is read as the later of the two: the test is then
            # counted older, never younger, than it may be.
            self.cleaned_data["planned_arrival_at"] = local_instant(day, time, zone, fold=1)
        except NonexistentLocalTime:
            self.add_error(
                "planned_arrival_time",
                forms.ValidationError(
                    _("%(time)s did not exist in %(zone)s on that day: the clocks were moved forward. Check the time."),
                    code="nonexistent_time", params={"time": time.strftime("%H:%M"), "zone": zone.key},
                ),
            )


PCR_IN_FUTURE = _("The PCR test cannot be in the future: check the date, the time and the time zone.")


class AddWorkerForm(forms.Form):
    """Puts a worker of the company's registry on the case, with the worker's PCR test time."""

    worker = forms.ModelChoiceField(queryset=Worker.objects.none(), label=_("Worker from your registry"))
    pcr_test_taken_at = LocalDateTimeField(
        label=_("PCR test taken at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME_LOCAL),
        help_text=_(
            "Date and time of the sample as printed on the certificate. Leave empty if the region accepts a test after arrival."
        ),
    )
    pcr_test_zone = forms.ChoiceField(
        label=_("Time zone of the PCR test"),
        required=False,
        widget=LongSelect,
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
        help_text=_(
            "Where the sample was taken. By default, the usual time zone of the worker's citizenship "
            "(e.g. Asia/Tashkent for Uzbekistan)."
        ),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["pcr_test_zone"].choices = [
            ("", _("The usual zone of the worker's citizenship")), *((name, zone_label(name, now)) for name in zone_names())
        ]
        self.helper = embedded_form_helper()
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda worker: f"{worker.display_name} — {worker.passport_number}"

    def clean_pcr_test_taken_at(self):
        # No COVID-19 PCR test predates 2020; year 1 in Moscow time would even be stored as a year
        # BC, which the database driver then cannot read back (the case page would fail).
        taken_at = self.cleaned_data["pcr_test_taken_at"]
        if taken_at is not None and taken_at.year < 2020:
            raise forms.ValidationError(_("Give the date of the test, from 2020 on."), code="pcr_before_2020")
        # Days ahead of every zone's today: refused before reading it in a zone (year 9999 in
        # New York is past the largest instant there is).
        if taken_at is not None and taken_at.date() > timezone.now().date() + dt.timedelta(days=1):
            raise forms.ValidationError(PCR_IN_FUTURE, code="pcr_in_future")
        return taken_at

    def clean(self):
        """The test as an instant: the time printed on the certificate, read in its zone."""
        cleaned = super().clean()
        taken, worker = cleaned.get("pcr_test_taken_at"), cleaned.get("worker")
        if taken is None or "pcr_test_zone" not in cleaned:
            cleaned["pcr_test_zone"] = ""
            return cleaned
        zone_name = cleaned["pcr_test_zone"] or (usual_zone(worker.citizenship) if worker else "")
        if not zone_name:
            return cleaned  # the worker field shows its own error
        try:
            # A time the clocks showed twice is read as the earlier: the test counts older.
            instant = local_instant(taken.date(), taken.time(), ZoneInfo(zone_name), fold=0)
        except NonexistentLocalTime:
            self.add_error("pcr_test_taken_at", forms.ValidationError(
                _("%(time)s did not exist in %(zone)s on that day: the clocks were moved forward. Check the time on the certificate."),
                code="nonexistent_time", params={"time": taken.strftime("%H:%M"), "zone": zone_name},
            ))
            return cleaned
        if instant > timezone.now():
            self.add_error("pcr_test_taken_at", forms.ValidationError(PCR_IN_FUTURE, code="pcr_in_future"))
            return cleaned
        cleaned["pcr_test_taken_at"], cleaned["pcr_test_zone"] = instant, zone_name
        return cleaned


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(VersionForm):
    """The answer to a request for information: a message and up to MAX_DOCUMENTS files, each
    with its kind. The files themselves are checked by the documents service when the answer is sent."""

    MAX_DOCUMENTS = 5

    message = forms.CharField(
        label=_("Your answer to the authority"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you changed or add the information the officer asked for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind_choices = [("", _("— choose —")), *DocumentKind.choices]
        rows = []
        for number in range(1, self.MAX_DOCUMENTS + 1):
            self.fields[f"document_{number}_kind"] = forms.ChoiceField(
                label=_("Document %(number)d: what it is") % {"number": number}, choices=kind_choices, required=False
            )
            self.fields[f"document_{number}_file"] = forms.FileField(
                label=_("Document %(number)d: file") % {"number": number}, required=False, help_text=DOCUMENT_FILE_HELP
            )
            rows.append(
                Row(Column(f"document_{number}_kind", css_class="col-md-5"), Column(f"document_{number}_file", css_class="col-md-7"))
            )
        self.helper.layout = Layout(
            "version",
            "message",
            Fieldset(_("Documents (optional, up to %(count)d)") % {"count": self.MAX_DOCUMENTS}, *rows, css_class="form-section"),
        )

    def clean(self):
        cleaned = super().clean()
        for number in range(1, self.MAX_DOCUMENTS + 1):
            kind, uploaded = cleaned.get(f"document_{number}_kind"), cleaned.get(f"document_{number}_file")
            if uploaded and not kind:
                self.add_error(f"document_{number}_kind", _("Say what this document is."))
            elif kind and not uploaded:
                self.add_error(f"document_{number}_file", _("Choose the file, or leave “what it is” empty."))
            elif kind and uploaded and (error := document_size_error(kind, uploaded)):
                self.add_error(f"document_{number}_file", error)
        return cleaned

    def _given(self) -> list[tuple[str, str, UploadedFile]]:
        given = []
        for number in range(1, self.MAX_DOCUMENTS + 1):
            uploaded = self.cleaned_data.get(f"document_{number}_file")
            if uploaded:
                given.append((f"document_{number}_file", self.cleaned_data[f"document_{number}_kind"], uploaded))
        return given

    @property
    def documents(self) -> list[tuple[str, UploadedFile]]:
        """(kind, file) of each document given, in the order of the fields; for a valid form only."""
        return [(kind, uploaded) for _field, kind, uploaded in self._given()]

    def file_field_of(self, index: int) -> str:
        """The field that held `documents[index]`, to show a refusal of that file next to it."""
        return self._given()[index][0]
