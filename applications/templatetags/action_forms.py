"""`{% action_form form %}`: a case page's action form drawn in Python (applications/forms/plain_forms.py),
or by crispy when its layout is one that module does not draw."""

from crispy_forms.utils import render_crispy_form
from django import template

from applications.forms.plain_forms import render_action_form

register = template.Library()


@register.simple_tag(takes_context=True)
def action_form(context, form):
    drawn = render_action_form(form, context.get("csrf_token"))
    if drawn is None:
        return render_crispy_form(form, form.helper, context.flatten())
    return drawn
