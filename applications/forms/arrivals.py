"""The arrival report: one small form per approved worker, shown together on one page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.forms.common import date_input, embedded_form_helper
from applications.models import Application, ApplicationWorker
from applications.services.arrivals import ArrivalDates, arrival_dates_errors, isolation_shortfall


class WorkerArrivalForm(forms.Form):
    arrived_on = forms.DateField(label=_("Arrived on"), required=False, widget=date_input())
    isolation_started_on = forms.DateField(label=_("Isolation began on"), required=False, widget=date_input())
    isolation_ended_on = forms.DateField(label=_("Isolation ended on"), required=False, widget=date_input())

    def __init__(self, *args, application: Application, line: ApplicationWorker, today: dt.date | None = None, **kwargs):
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault(
            "initial",
            {
                "arrived_on": line.arrived_on,
                "isolation_started_on": line.isolation_started_on,
                "isolation_ended_on": line.isolation_ended_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.application, self.line, self.today = application, line, today
        self.helper = embedded_form_helper()
        self.helper.layout = Layout(
            Row(
                Column(Field("arrived_on"), css_class="col-md-4"),
                Column(Field("isolation_started_on"), css_class="col-md-4"),
                Column(Field("isolation_ended_on"), css_class="col-md-4"),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = arrival_dates_errors(
            application=self.application,
            arrived_on=cleaned.get("arrived_on"),
            started_on=cleaned.get("isolation_started_on"),
            ended_on=cleaned.get("isolation_ended_on"),
            today=self.today,
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned

    @property
    def dates(self) -> ArrivalDates:
        return (
            self.cleaned_data["arrived_on"],
            self.cleaned_data["isolation_started_on"],
            self.cleaned_data["isolation_ended_on"],
        )

    @property
    def warning(self) -> str | None:
        """A short isolation is recorded, with a warning."""
        _arrived, started, ended = self.dates
        short_by = isolation_shortfall(application=self.application, started_on=started, ended_on=ended)
        if short_by is None:
            return None
        return ngettext(
            "%(worker)s: the isolation lasted %(short)d day less than the %(days)d days guaranteed.",
            "%(worker)s: the isolation lasted %(short)d days less than the %(days)d days guaranteed.",
            short_by,
        ) % {"worker": self.line.worker.display_name, "short": short_by, "days": self.application.isolation_days}


class ArrivalReport:
    """The forms of all approved workers of a case, validated together."""

    def __init__(self, data=None, *, application: Application, lines: Sequence[ApplicationWorker], today: dt.date | None = None):
        self.forms = [WorkerArrivalForm(data, application=application, line=line, today=today) for line in lines]

    def __iter__(self):
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # a list: every form shows its errors

    @property
    def reports(self) -> dict[int, ArrivalDates]:
        return {form.line.pk: form.dates for form in self.forms}

    @property
    def warnings(self) -> list[str]:
        return [warning for form in self.forms if (warning := form.warning)]

    @property
    def error_summary(self) -> str:
        count = sum(1 for form in self.forms if form.errors)
        return ngettext(
            "The dates of %(count)d worker need correcting; see the messages next to the fields.",
            "The dates of %(count)d workers need correcting; see the messages next to the fields.",
            count,
        ) % {"count": count}

