"""`{% action_form form %}` and `{{ field|plain_crispy_field }}`: a case page's action form, or one
field, drawn in Python (applications/forms/plain_forms.py), or by crispy when it is one that
module does not draw."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import render_crispy_form
from django import template

from applications.forms.plain_forms import render_action_form, render_field

register = template.Library()


@register.simple_tag(takes_context=True)
def action_form(context, form):
    drawn = render_action_form(form, context.get("csrf_token"))
    if drawn is None:
        return render_crispy_form(form, form.helper, context.flatten())
    return drawn


@register.filter
def plain_crispy_field(field):
    drawn = render_field(field)
    return as_crispy_field(field) if drawn is None else drawn
