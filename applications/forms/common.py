"""Pieces the portal's forms share."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Browsers send <input type=date> and <input type=datetime-local> values in ISO format whatever
# the page's language, and render initial values only when they are given in that format.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


ISO_TIME = "%H:%M"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format=ISO_TIME)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock, with no zone: the form makes it an instant in the zone
    the person names. Django's own field would read it in Moscow time at once (and refuse a
    time Moscow's clocks skipped, though the zone meant is another)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        value = str(value).strip()
        try:
            result = dt.datetime.fromisoformat(value)
        except ValueError:
            result = forms.fields.BaseTemporalField.to_python(self, value)
        if result.tzinfo is not None:
            # An offset typed by hand would disagree with the zone chosen beside it.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return result


def embedded_form_helper() -> FormHelper:
    """The templates write the <form> tag and the buttons, so one page can hold several forms."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class LongSelect(forms.Select):
    """A <select> of a long flat list, written in Python rather than through templates.

    Django renders each option through a template include and escapes through lazy wrappers:
    the 249 countries took about 20 ms, two thirds of the officer queue's filter form, on every
    page. The markup is the same as Django's (tests/applications/test_long_select.py).
    """

    def render(self, name, value, attrs=None, renderer=None):
        wanted = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            # As Django's own select: only the first option of a chosen value is selected.
            selected = option_value in wanted
            if selected:
                wanted.discard(option_value)
            options.append(
                f'<option value="{escape(option_value)}"{" selected" if selected else ""}>{escape(str(label))}</option>'
            )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{"".join(options)}</select>')  # noqa: S308 -- every part escaped above
