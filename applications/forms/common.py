"""Pieces the portal's forms share."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms

# Browsers send <input type=date> and <input type=datetime-local> values in ISO format whatever
# the page's language, and render initial values only when they are given in that format.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def embedded_form_helper() -> FormHelper:
    """The templates write the <form> tag and the buttons, so one page can hold several forms."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
