"""What each check says, from its code and parameters, in the language of the reader.

A check is kept as data (code, passed, blocking, params, line_id: regions.rules.Check), never as
text in the language of the moment, so a decision made in Russian reads in English to an English
reader and the other way round. This module is the one place that turns a check into a sentence:
`MESSAGES` maps a message key ("<code>:<variant>") to its gettext template and how each parameter
is shown. The variant is the check's `params["variant"]`, else "passed" or "failed".

Parameters are plain JSON, so they read the same after years in a JSON column:
- a name that differs by language (a region) is kept in both, `{"ru": "Москва", "en": "Moscow"}`,
  as it stood when the check ran (a region renamed later does not rename an old check);
- a date as ISO 8601 ("2021-03-15"), shown in the reader's short date format;
- a country as its ISO 3166-1 alpha-2 code, shown by its name in the reader's language;
- a duration as whole minutes, shown as "71 h 30 min" / "71 ч 30 мин";
- a month as "2021-03", shown as "03.2021"; an amount of roubles as an integer, "12 000 000" (grouped as the
  reader's language groups thousands).

Each message carries an example of its parameters, which the tests render in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from regions.countries import country_name

# How a parameter is shown. Anything not named in a message's `kinds` is shown as it is stored.
DATE, NAME, COUNTRY, MINUTES, MONTH, ROUBLES = "date", "name", "country", "minutes", "month", "roubles"


def names(ru: str, en: str) -> dict[str, str]:
    """A name kept in both languages, as a check's parameter."""
    return {"ru": ru, "en": en}


def _language() -> str:
    return (get_language() or "ru")[:2]


def name_text(value: Any) -> str:
    """A name kept in both languages, in the reader's; a plain string (facts built by hand) as it is."""
    if isinstance(value, Mapping):
        return value.get(_language()) or value.get("ru") or value.get("en") or next(iter(value.values()), "")
    return str(value)


def duration_text(minutes: int) -> str:
    """"71 h 30 min" in English, "71 ч 30 мин" in Russian."""
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _date_text(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _month_text(value: str) -> str:
    year, month = value.split("-")
    return f"{month}.{year}"


def _roubles_text(value: int) -> str:
    """Grouped as the reader's language groups thousands: "12 000 000" (narrow no-break spaces,
    portal/formats/ru) in Russian, "12,000,000" in English."""
    return number_format(value, force_grouping=True)


_FORMATS: dict[str, Callable[[Any], str]] = {
    DATE: _date_text,
    NAME: name_text,
    COUNTRY: country_name,
    MINUTES: duration_text,
    MONTH: _month_text,
    ROUBLES: _roubles_text,
}


def shown(params: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Any]:
    """The parameters as the reader sees them: each formatted by its kind, in the active language."""
    return {key: _FORMATS[kinds[key]](value) if key in kinds else value for key, value in params.items()}


@dataclass(frozen=True)
class Message:
    """One sentence a check can say. `template` is a lazy gettext (or ngettext with the name of
    the parameter that picks the plural form), so it is translated when rendered; `compose`,
    for a sentence built of two messages each with its own plural, renders it instead."""

    template: Any = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    example: Mapping[str, Any] = field(default_factory=dict)
    compose: Callable[[dict[str, Any]], str] | None = None

    def render(self, params: Mapping[str, Any]) -> str:
        values = shown(params, self.kinds)
        if self.compose is not None:
            return self.compose(values)
        return str(self.template % values)


def _isolation_passed(values: dict[str, Any]) -> str:
    # Two numbers, each with its own plural form: the sentence is built of two messages.
    guaranteed = ngettext("Isolation of %(days)d day guaranteed", "Isolation of %(days)d days guaranteed", values["days"]) % values
    required = ngettext("(%(required)d day required).", "(%(required)d days required).", values["required"]) % values
    return f"{guaranteed} {required}"


def _isolation_failed(values: dict[str, Any]) -> str:
    guaranteed = ngettext("Isolation of %(days)d day guaranteed", "Isolation of %(days)d days guaranteed", values["days"]) % values
    required = ngettext(
        "%(region)s requires %(required)d day.", "%(region)s requires %(required)d days.", values["required"]
    ) % values
    return f"{guaranteed}; {required}"


def _quota_failed(values: dict[str, Any]) -> str:
    # Two numbers, each with its own plural form ("lists 1 worker", "2 places"): two messages.
    places = ngettext(
        "Only %(left)d place of the monthly quota of %(quota)d is left for %(month)s",
        "Only %(left)d places of the monthly quota of %(quota)d are left for %(month)s",
        values["left"],
    ) % values
    listed = ngettext("this application lists %(asked)d worker.", "this application lists %(asked)d workers.", values["asked"]) % values
    return f"{places}; {listed}"


# Examples shared by many messages.
_REGION = {"region": names("Москва", "Moscow")}
_WORKER = {"worker": "IVANOV I."}
_R = {"region": NAME}

MESSAGES: dict[str, Message] = {
    "rules.in_force:failed": Message(
        _("%(region)s has no rules in force on %(date)s, so it accepts no applications for that date."),
        {"region": NAME, "date": DATE}, {**_REGION, "date": "2021-03-15"},
    ),
    "arrival.in_future:passed": Message(_("Planned arrival on %(date)s."), {"date": DATE}, {"date": "2021-03-15"}),
    "arrival.in_future:failed": Message(
        _("The planned arrival date %(date)s has passed or is today: choose a later date."), {"date": DATE}, {"date": "2021-03-15"}
    ),
    "employer.figures:failed": Message(
        _("The company has not stated its yearly revenue and average headcount: state them on the company page.")
    ),
    "employer.revenue:passed": Message(
        _("Yearly revenue %(revenue)s ₽ meets the minimum of %(min_revenue)s ₽."),
        {"revenue": ROUBLES, "min_revenue": ROUBLES}, {"revenue": 150_000_000, "min_revenue": 120_000_000},
    ),
    "employer.revenue:failed": Message(
        _("Yearly revenue %(revenue)s ₽ is below the minimum of %(min_revenue)s ₽ for employers that may file."),
        {"revenue": ROUBLES, "min_revenue": ROUBLES}, {"revenue": 1_000_000, "min_revenue": 120_000_000},
    ),
    "employer.headcount:passed": Message(
        _("Average headcount %(headcount)s meets the minimum of %(min_headcount)s."), {}, {"headcount": 50, "min_headcount": 15}
    ),
    "employer.headcount:failed": Message(
        _("Average headcount %(headcount)s is below the minimum of %(min_headcount)s for employers that may file."),
        {}, {"headcount": 5, "min_headcount": 15},
    ),
    "employer.figures_recent:passed": Message(_("The company's figures are for %(year)d."), {}, {"year": 2020}),
    "employer.figures_recent:failed": Message(
        _("The company's figures are for %(year)d, a year that ended more than a year before %(date)s: "
          "ask for the figures of %(expected)d."),
        {"date": DATE}, {"year": 2018, "date": "2021-03-01", "expected": 2020},
    ),
    "workers.listed:passed": Message(
        ngettext_lazy("%(count)d worker listed.", "%(count)d workers listed.", "count"), {}, {"count": 3}
    ),
    "workers.listed:failed": Message(_("No workers are listed yet: add at least one.")),
    "intake.open:passed": Message(_("%(region)s accepts applications."), _R, _REGION),
    "intake.open:failed": Message(
        _("%(region)s has suspended the intake of foreign workers (rules in force from %(date)s)."),
        {"region": NAME, "date": DATE}, {**_REGION, "date": "2021-03-01"},
    ),
    "intake.kind:passed": Message(
        _("%(region)s accepts only returning workers; this application brings workers back."), _R, _REGION
    ),
    "intake.kind:failed": Message(
        _("%(region)s accepts only returning workers (rules in force from %(date)s): new workers cannot be invited there. "
          "If the workers worked for your company before, switch the application to bringing back former workers."),
        {"region": NAME, "date": DATE}, {**_REGION, "date": "2021-03-01"},
    ),
    "workers.max_per_application:passed": Message(
        ngettext_lazy(
            "%(count)d worker, within the limit of %(limit)d per application.",
            "%(count)d workers, within the limit of %(limit)d per application.",
            "count",
        ),
        _R, {**_REGION, "count": 2, "limit": 5},
    ),
    "workers.max_per_application:failed": Message(
        ngettext_lazy(
            "%(count)d worker listed; %(region)s accepts at most %(limit)d per application.",
            "%(count)d workers listed; %(region)s accepts at most %(limit)d per application.",
            "count",
        ),
        _R, {**_REGION, "count": 6, "limit": 5},
    ),
    "activity.closed:missing": Message(
        _("Give the activity (OKVED code) of the work: %(region)s closes some activities to foreign labour."), _R, _REGION
    ),
    "activity.closed:passed": Message(_("Activity %(code)s is open to foreign labour."), {}, {"code": "41.20"}),
    "activity.closed:failed": Message(
        _("Activity %(code)s falls under OKVED %(closed)s, which %(region)s closes to foreign labour."),
        _R, {**_REGION, "code": "47.71", "closed": "47.7"},
    ),
    "guarantee.transport:passed": Message(_("Transport from the border to the isolation site is guaranteed.")),
    "guarantee.transport:failed": Message(_("Guarantee transport from the point of arrival to the isolation site.")),
    "guarantee.charter:passed": Message(_("Charter transport is agreed with the regional headquarters.")),
    "guarantee.charter:failed": Message(_("%(region)s requires charter transport agreed with its headquarters."), _R, _REGION),
    "guarantee.isolation_days:passed": Message(
        kinds=_R, example={**_REGION, "days": 14, "required": 14}, compose=_isolation_passed
    ),
    "guarantee.isolation_days:failed": Message(
        kinds=_R, example={**_REGION, "days": 7, "required": 14}, compose=_isolation_failed
    ),
    "isolation.until_test_result:passed": Message(_("Workers stay isolated until the result of their test on arrival comes.")),
    "guarantee.housing:passed": Message(_("Isolation housing: %(address)s."), {}, {"address": "Moscow, Lenina 1"}),
    "guarantee.housing:failed": Message(_("Give the address where the workers will be isolated.")),
    "guarantee.insurance:passed": Message(_("Medical insurance: %(policy)s."), {}, {"policy": "DMS-123"}),
    "guarantee.insurance:failed": Message(_("Give the medical insurance policy that covers the workers.")),
    "guarantee.vaccination:passed": Message(_("Vaccination is booked for the list.")),
    "guarantee.vaccination:failed": Message(
        _("%(region)s requires the employer to book vaccination for the workers on the list."), _R, _REGION
    ),
    "quota.monthly:passed": Message(
        ngettext_lazy(
            "Monthly quota %(quota)d; %(used)d approved for %(month)s; %(left)d place left.",
            "Monthly quota %(quota)d; %(used)d approved for %(month)s; %(left)d places left.",
            "left",
        ),
        {"month": MONTH}, {"quota": 10, "used": 3, "left": 7, "asked": 2, "month": "2021-03"},
    ),
    "quota.monthly:failed": Message(
        kinds={"month": MONTH}, example={"quota": 10, "used": 9, "left": 1, "asked": 2, "month": "2021-03"}, compose=_quota_failed
    ),
    "worker.citizenship:passed": Message(
        _("%(worker)s: citizenship %(country)s is accepted."), {"country": COUNTRY}, {**_WORKER, "country": "UZ"}
    ),
    "worker.citizenship:failed": Message(
        _("%(worker)s: the region does not accept citizens of %(country)s."), {"country": COUNTRY}, {**_WORKER, "country": "KG"}
    ),
    "worker.passport:passed": Message(_("%(worker)s: passport valid until %(date)s."), {"date": DATE}, {**_WORKER, "date": "2025-01-31"}),
    "worker.passport:failed": Message(
        _("%(worker)s: the passport expires on %(date)s, before or on the arrival date."), {"date": DATE}, {**_WORKER, "date": "2021-03-01"}
    ),
    "worker.pcr_test:after_arrival": Message(
        ngettext_lazy(
            "%(worker)s: a PCR test is to be taken within %(limit)d hour after arrival.",
            "%(worker)s: a PCR test is to be taken within %(limit)d hours after arrival.",
            "limit",
        ),
        _R, {**_WORKER, **_REGION, "limit": 72},
    ),
    "worker.pcr_test:accepted_after_arrival": Message(
        ngettext_lazy(
            "%(worker)s: no PCR test before arrival given; %(region)s accepts one taken within %(limit)d hour after arrival instead.",
            "%(worker)s: no PCR test before arrival given; %(region)s accepts one taken within %(limit)d hours after arrival instead.",
            "limit",
        ),
        _R, {**_WORKER, **_REGION, "limit": 72},
    ),
    "worker.pcr_test:missing": Message(
        ngettext_lazy(
            "%(worker)s: give the date and time of the PCR test (at most %(limit)d hour before arrival).",
            "%(worker)s: give the date and time of the PCR test (at most %(limit)d hours before arrival).",
            "limit",
        ),
        _R, {**_WORKER, **_REGION, "limit": 72},
    ),
    "worker.pcr_test:taken_after_arrival": Message(
        _("%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one taken before it."),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 125},
    ),
    "worker.pcr_test:passed": Message(
        ngettext_lazy(
            "%(worker)s: the PCR test was taken %(age)s before arrival (at most %(limit)d hour).",
            "%(worker)s: the PCR test was taken %(age)s before arrival (at most %(limit)d hours).",
            "limit",
        ),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 4290},
    ),
    "worker.pcr_test:failed": Message(
        ngettext_lazy(
            "The PCR test of %(worker)s was taken %(age)s before arrival; %(region)s accepts at most %(limit)d hour.",
            "The PCR test of %(worker)s was taken %(age)s before arrival; %(region)s accepts at most %(limit)d hours.",
            "limit",
        ),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 5760},
    ),
    "worker.pcr_test_after_arrival:taken_before_arrival": Message(
        _("%(worker)s: the PCR test after arrival was taken %(age)s before the arrival."),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 90},
    ),
    "worker.pcr_test_after_arrival:passed": Message(
        ngettext_lazy(
            "%(worker)s: the PCR test was taken %(age)s after the arrival (at most %(limit)d hour).",
            "%(worker)s: the PCR test was taken %(age)s after the arrival (at most %(limit)d hours).",
            "limit",
        ),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 600},
    ),
    "worker.pcr_test_after_arrival:failed": Message(
        ngettext_lazy(
            "%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one within %(limit)d hour.",
            "%(worker)s: the PCR test was taken %(age)s after the arrival; %(region)s requires one within %(limit)d hours.",
            "limit",
        ),
        {"region": NAME, "age": MINUTES}, {**_WORKER, **_REGION, "limit": 72, "age": 4380},
    ),
    "worker.earlier_work:arrived": Message(
        _("%(worker)s: arrived on case %(reference)s on %(date)s."), {"date": DATE},
        {**_WORKER, "reference": "M-2021-000123", "date": "2020-12-03"},
    ),
    "worker.earlier_work:patent": Message(
        _("%(worker)s: work patent %(number)s of %(date)s, %(region)s."), {"date": DATE, "region": NAME},
        {**_WORKER, **_REGION, "number": "77 No 123456", "date": "2020-02-01"},
    ),
    "worker.earlier_work:permit": Message(
        _("%(worker)s: work permit %(number)s of %(date)s, %(region)s."), {"date": DATE, "region": NAME},
        {**_WORKER, **_REGION, "number": "77 No 123456", "date": "2020-02-01"},
    ),
    "worker.earlier_work:none": Message(
        _(
            "%(worker)s: no earlier work for your company is on record (no arrival on an earlier case of yours, "
            "no work permit or patent declared). Declare the earlier permit or patent with its scan on the worker's "
            "page in your registry, or switch the application to new workers."
        ),
        {}, _WORKER,
    ),
    "worker.earlier_work:patent_without_scan": Message(
        _("%(worker)s: work patent %(number)s is declared without a scan: upload its scan on the worker's page in your registry."),
        {}, {**_WORKER, "number": "77 No 123456"},
    ),
    "worker.earlier_work:permit_without_scan": Message(
        _("%(worker)s: work permit %(number)s is declared without a scan: upload its scan on the worker's page in your registry."),
        {}, {**_WORKER, "number": "77 No 123456"},
    ),
    "kind.advice:new_workers": Message(
        ngettext_lazy(
            "%(count)d of %(total)d workers has not worked for your company before: if they come for the first time, "
            "file them as new workers (switch the application, or move them to an application for new workers).",
            "%(count)d of %(total)d workers have not worked for your company before: if they come for the first time, "
            "file them as new workers (switch the application, or move them to an application for new workers).",
            "count",
        ),
        {}, {"count": 1, "total": 2},
    ),
    "kind.advice:returning_workers": Message(
        _("Every worker on this application has worked for your company before: you may file it as bringing back "
          "returning workers.")
    ),
    "worker.overlap:own_company": Message(
        ngettext_lazy(
            "%(worker)s is also on your application %(reference)s arriving on %(date)s, within %(days)d day of this one: "
            "remove the worker from one of them or withdraw the other application.",
            "%(worker)s is also on your application %(reference)s arriving on %(date)s, within %(days)d days of this one: "
            "remove the worker from one of them or withdraw the other application.",
            "days",
        ),
        {"date": DATE}, {**_WORKER, "reference": "M-2021-000777", "date": "2021-03-20", "days": 14},
    ),
    # Another company's case: its reference only, nothing of its company or its content.
    "worker.overlap:other_company": Message(
        ngettext_lazy(
            "%(worker)s is on application %(reference)s of another company, arriving within %(days)d day of this one: "
            "a person is approved once for the same time. Remove the worker from this application.",
            "%(worker)s is on application %(reference)s of another company, arriving within %(days)d days of this one: "
            "a person is approved once for the same time. Remove the worker from this application.",
            "days",
        ),
        {"date": DATE}, {**_WORKER, "reference": "M-2021-000777", "date": "2021-03-20", "days": 14},
    ),
}


def message_key(code: str, passed: bool, params: Mapping[str, Any]) -> str:
    return f"{code}:{params.get('variant') or ('passed' if passed else 'failed')}"


def render(code: str, passed: bool, params: Mapping[str, Any]) -> str:
    """The sentence a check says, in the active language. A code this portal no longer knows
    reads as its code rather than failing the page that shows it."""
    message = MESSAGES.get(message_key(code, passed, params))
    if message is None:
        return code
    return message.render({key: value for key, value in params.items() if key != "variant"})
