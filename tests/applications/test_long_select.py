"""The country lists are written in Python for speed; they must read exactly as Django's own
<select> would: the same options, the chosen one selected, the field's attributes kept."""

import pytest
from django import forms
from django.test.html import parse_html

from applications.forms.common import LongSelect
from regions.countries import country_choices

CHOICES = [("", "Any citizenship"), *country_choices("en")]


@pytest.mark.parametrize("value", ["", "TJ", "XX"])
def test_the_list_is_the_markup_djangos_select_gives(value):
    attrs = {"id": "id_citizenship", "class": "form-select", "aria-describedby": "id_citizenship_error", "required": True}

    ours = LongSelect(choices=CHOICES).render("citizenship", value, attrs)
    django = forms.Select(choices=CHOICES).render("citizenship", value, attrs)

    assert parse_html(ours) == parse_html(django)
    assert ours.count("<option") == len(CHOICES)


def test_names_with_markup_characters_are_escaped():
    html = LongSelect(choices=[("CI", "Côte d'Ivoire & <Test>")]).render("citizenship", "CI", {})

    assert "&lt;Test&gt;" in html and "&amp;" in html and "<Test>" not in html
    assert 'value="CI" selected' in html
