"""portal.date_formats writes dates exactly as Django's `date` filter does, in every language."""

import datetime as dt

import pytest
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format as django_date_format

from portal.date_formats import date_format, format_date

MOMENTS = [
    dt.datetime(2021, 1, 2, 0, 5, tzinfo=dt.UTC),
    dt.datetime(2021, 5, 12, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2020, 12, 31, 21, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2021, 7, 9, 23, 30, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", ["SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT"])
def test_dates_are_written_as_django_writes_them(language, name):
    with translation.override(language):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert date_format(local, name) == django_date_format(local, name)
            assert date_format(local.date(), "SHORT_DATE_FORMAT") == django_date_format(local.date(), "SHORT_DATE_FORMAT")


@pytest.mark.parametrize("django_format", ["d.m.Y H:i", "Y-m-d", "d/m/y H:i:s", "j E Y", r"d.m.Y \г.", "m/d/Y P", "100%"])
def test_any_format_gives_what_django_gives(django_format):
    with translation.override("ru"):
        for moment in MOMENTS:
            assert format_date(moment, django_format) == dateformat.format(moment, django_format)


def test_a_year_before_1000_is_padded_as_django_pads_it():
    assert format_date(dt.date(5, 1, 2), "d.m.Y") == dateformat.format(dt.date(5, 1, 2), "d.m.Y") == "02.01.0005"
