"""The arrival report: one small form per approved worker, shown together on one page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.arrivals_file import ArrivalRow, read_arrivals_file
from applications.forms.common import ISO_DATETIME_LOCAL, LocalDateTimeField, date_input, embedded_form_helper, time_input
from applications.models import Application, CaseWorker
from applications.models.worker import passport_key
from applications.services.arrivals import ArrivalDates, arrival_dates_errors, isolation_shortfall
from applications.worker_import import ImportFileError
from regions import check_messages
from regions.models import PcrTestTiming, RuleSet
from regions.rules import check_test_after_arrival
from regions.time_zones import NonexistentLocalTime, local_instant


class WorkerArrivalForm(forms.Form):
    """One worker's report. Times are local times at the point of arrival (its zone); the test
    after arrival is asked only where the region's rules want or accept one."""

    arrived_on = forms.DateField(label=_("Arrived on"), required=False, widget=date_input())
    arrived_time = forms.TimeField(
        label=_("Arrival time"), required=False, widget=time_input(),
        help_text=_("Local time at the point of arrival."),
    )
    isolation_started_on = forms.DateField(label=_("Isolation began on"), required=False, widget=date_input())
    isolation_ended_on = forms.DateField(label=_("Isolation ended on"), required=False, widget=date_input())
    arrival_test_taken_at = LocalDateTimeField(
        label=_("PCR test after arrival taken at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME_LOCAL),
        help_text=_("Date and time of the sample as printed on the certificate, local time at the point of arrival."),
    )

    def __init__(
        self, *args, application: Application, line: CaseWorker, today: dt.date | None = None,
        rules: RuleSet | None = None, **kwargs,
    ):
        zone = application.arrival_zone
        arrived = line.arrived_at.astimezone(zone) if line.arrived_at else None
        test = line.arrival_test_taken_at.astimezone(zone).replace(tzinfo=None) if line.arrival_test_taken_at else None
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault(
            "initial",
            {
                "arrived_on": line.arrived_on,
                "arrived_time": arrived.time().replace(second=0, microsecond=0) if arrived else None,
                "isolation_started_on": line.isolation_started_on,
                "isolation_ended_on": line.isolation_ended_on,
                "arrival_test_taken_at": test,
            },
        )
        super().__init__(*args, **kwargs)
        self.application, self.line, self.today, self.rules, self.zone = application, line, today, rules, zone
        self.asks_test_after_arrival = rules is not None and rules.pcr_test_timing != PcrTestTiming.BEFORE_ARRIVAL
        if not self.asks_test_after_arrival:
            del self.fields["arrival_test_taken_at"]
        self.helper = embedded_form_helper()
        self.helper.layout = Layout(
            Row(
                Column(Field("arrived_on"), css_class="col-md-3"),
                Column(Field("arrived_time"), css_class="col-md-3"),
                Column(Field("isolation_started_on"), css_class="col-md-3"),
                Column(Field("isolation_ended_on"), css_class="col-md-3"),
            ),
            *([Row(Column(Field("arrival_test_taken_at"), css_class="col-md-6"))] if self.asks_test_after_arrival else []),
        )

    def _instant(self, field: str, day: dt.date, time: dt.time, *, fold: int) -> dt.datetime | None:
        try:
            return local_instant(day, time, self.zone, fold=fold)
        except NonexistentLocalTime:
            self.add_error(field, forms.ValidationError(
                _("%(time)s did not exist in %(zone)s on that day: the clocks were moved forward. Check the time."),
                code="nonexistent_time", params={"time": time.strftime("%H:%M"), "zone": self.zone.key},
            ))
            return None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        day, time, test = cleaned.get("arrived_on"), cleaned.get("arrived_time"), cleaned.get("arrival_test_taken_at")
        if day is not None and time is None:
            self.add_error("arrived_time", _("Give the time of arrival too, local time at the point of arrival."))
        elif time is not None and day is None:
            self.add_error("arrived_on", _("Give the date of arrival too."))
        # Before 2020 no such case existed; year 1 read in a zone east of UTC is before the
        # smallest instant Python has (a 500 instead of a message).
        if day is not None and day.year < 2020:
            self.add_error("arrived_on", _("Give a date from 2020 on."))
        if test is not None and test.year < 2020:
            self.add_error("arrival_test_taken_at", _("Give a date from 2020 on."))
        if test is not None and test.date() > (self.today or timezone.localdate()) + dt.timedelta(days=1):
            self.add_error("arrival_test_taken_at", _("The PCR test cannot be in the future: check the date, the time and the time zone."))
        if self.errors:
            return cleaned
        # A time the clocks showed twice: the earlier arrival and the later test, so the test
        # after arrival is never counted sooner after it than it may have been.
        cleaned["arrived_at"] = self._instant("arrived_time", day, time, fold=0) if day is not None else None
        cleaned["arrival_test_taken_at"] = self._instant("arrival_test_taken_at", test.date(), test.time(), fold=1) if test else None
        if self.errors:
            return cleaned
        errors = arrival_dates_errors(
            application=self.application,
            arrived_at=cleaned["arrived_at"],
            started_on=cleaned.get("isolation_started_on"),
            ended_on=cleaned.get("isolation_ended_on"),
            test_taken_at=cleaned["arrival_test_taken_at"],
            today=self.today,
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned

    @property
    def dates(self) -> ArrivalDates:
        return ArrivalDates(
            self.cleaned_data["arrived_at"],
            self.cleaned_data["isolation_started_on"],
            self.cleaned_data["isolation_ended_on"],
            self.cleaned_data.get("arrival_test_taken_at"),
        )

    @property
    def warnings(self) -> list[str]:
        """Recorded, with a warning: a short isolation, and a test after arrival later than the
        region allows (the facts are what they were; the officer sees them too)."""
        return self._warnings_for(self.dates)

    @property
    def warnings_shown(self) -> list[str]:
        """The warnings of the report as the page shows it: as typed, or as stored."""
        if self.is_bound:
            return self.warnings if self.is_valid() else []
        line = self.line
        return self._warnings_for(
            ArrivalDates(line.arrived_at, line.isolation_started_on, line.isolation_ended_on, line.arrival_test_taken_at)
        )

    def _warnings_for(self, dates: ArrivalDates) -> list[str]:
        arrived, started, ended, test = dates
        found = []
        short_by = isolation_shortfall(application=self.application, started_on=started, ended_on=ended)
        if short_by is not None:
            found.append(ngettext(
                "%(worker)s: the isolation lasted %(short)d day less than the %(days)d days guaranteed.",
                "%(worker)s: the isolation lasted %(short)d days less than the %(days)d days guaranteed.",
                short_by,
            ) % {"worker": self.line.worker.display_name, "short": short_by, "days": self.application.isolation_days})
        if arrived is not None:
            check = check_test_after_arrival(
                worker_name=self.line.worker.display_name, region_name=check_messages.names(self.application.region.name_ru, self.application.region.name_en),
                arrived_at=arrived, taken_at=test, rules=self.rules, line_id=self.line.pk,
            )
            if check is not None and not check.passed:
                found.append(check.text)
        return found


class ArrivalReport:
    """The forms of all approved workers of a case, validated together."""

    def __init__(
        self, data=None, *, application: Application, lines: Sequence[CaseWorker], today: dt.date | None = None,
        rules: RuleSet | None = None,
    ):
        self.forms = [WorkerArrivalForm(data, application=application, line=line, today=today, rules=rules) for line in lines]

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
        return [warning for form in self.forms for warning in form.warnings]

    @property
    def error_summary(self) -> str:
        count = sum(1 for form in self.forms if form.errors)
        return ngettext(
            "The dates of %(count)d worker need correcting; see the messages next to the fields.",
            "The dates of %(count)d workers need correcting; see the messages next to the fields.",
            count,
        ) % {"count": count}



class ArrivalFileForm(forms.Form):
    """A file of arrivals for many approved workers at once. All or nothing: one row that cannot
    be recorded refuses the whole file, and every such row is listed with its problem. The times
    are read on the clocks of the point of arrival, as the worker-by-worker form reads them; the
    isolation and test dates already reported are kept and checked against the new arrival."""

    file = forms.FileField(
        label=_("File of arrivals (CSV or Excel)"),
        help_text=_("Columns: passport number, arrival date, arrival time (local time at the point of arrival), isolation address."),
    )

    def __init__(
        self, *args, application: Application, lines: Sequence[CaseWorker], today: dt.date | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.application, self.lines, self.today = application, lines, today
        self.row_errors: list[tuple[int, str]] = []
        self.reports: dict[int, ArrivalDates] = {}
        self.addresses: dict[int, str] = {}
        self.helper = embedded_form_helper()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            rows = read_arrivals_file(uploaded)
        except ImportFileError as problem:
            raise forms.ValidationError(problem.message, code="unreadable") from None
        self._check_rows(rows)
        if self.row_errors:
            raise forms.ValidationError(
                ngettext(
                    "Nothing was saved: %(count)d row of the file needs correcting (see the list below).",
                    "Nothing was saved: %(count)d rows of the file need correcting (see the list below).",
                    len({number for number, _message in self.row_errors}),
                ),
                code="rows", params={"count": len({number for number, _message in self.row_errors})},
            )
        return uploaded

    def _check_rows(self, rows: list[ArrivalRow]) -> None:
        by_passport: dict[str, list[CaseWorker]] = {}
        for line in self.lines:
            by_passport.setdefault(passport_key(line.person.passport_number), []).append(line)
        seen: dict[str, int] = {}
        zone = self.application.arrival_zone
        address_limit = CaseWorker._meta.get_field("isolation_address").max_length
        for row in rows:
            problems = list(row.errors)
            matches = by_passport.get(row.passport_key, []) if row.passport_key else []
            if row.passport_key and row.passport_key in seen:
                problems.append(
                    gettext("The passport %(passport)s is also on row %(row)d.") % {"passport": row.passport_as_written, "row": seen[row.passport_key]}
                )
            elif row.passport_key:
                seen[row.passport_key] = row.number
                if not matches:
                    problems.append(
                        gettext("No approved worker of this application has the passport %(passport)s.") % {"passport": row.passport_as_written}
                    )
                elif len(matches) > 1:
                    problems.append(
                        gettext("Several approved workers have the passport %(passport)s: report them on the arrivals page.")
                        % {"passport": row.passport_as_written}
                    )
            if len(row.isolation_address) > address_limit:
                problems.append(gettext("The isolation address is longer than %(characters)d characters.") % {"characters": address_limit})
            arrived_at = None
            if not problems and row.arrived_on.year < 2020:
                problems.append(gettext("Give a date from 2020 on."))
            if not problems:
                try:
                    arrived_at = local_instant(row.arrived_on, row.arrived_time, zone, fold=0)
                except NonexistentLocalTime:
                    problems.append(
                        gettext("%(time)s did not exist in %(zone)s on that day: the clocks were moved forward. Check the time.")
                        % {"time": row.arrived_time.strftime("%H:%M"), "zone": zone.key}
                    )
            if not problems:
                line = matches[0]
                dates = ArrivalDates(arrived_at, line.isolation_started_on, line.isolation_ended_on, line.arrival_test_taken_at)
                errors = arrival_dates_errors(
                    application=self.application, arrived_at=dates.arrived_at, started_on=dates.isolation_started_on,
                    ended_on=dates.isolation_ended_on, test_taken_at=dates.arrival_test_taken_at, today=self.today,
                )
                problems.extend(errors.values())
                self.reports[line.pk] = dates
                self.addresses[line.pk] = row.isolation_address
            self.row_errors.extend((row.number, str(problem)) for problem in problems)
