"""Numbers as the reader writes them."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value):
    """1234 as "1,234" in English and "1 234" in Russian; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return number_format(value, force_grouping=True)
