"""Widgets that write their HTML in Python, for the forms drawn once per worker of a page.

Django draws each widget through a template, and each of its attributes and each option of a
select through one more: the partial approval's 50 rows a page came to about a thousand template
renders, a good share of the case page's time. These widgets write the same markup as Django's own
templates (django/forms/widgets/*.html), escaped the same way, with the same context
(`get_context`), so the bound fields, their ids, errors and aria attributes are unchanged.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> SafeString:
    """As django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return mark_safe(
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


class PlainTextInput(forms.TextInput):
    def _render(self, template_name, context, renderer=None):
        return _input(context["widget"])


class PlainCheckboxInput(forms.CheckboxInput):
    def _render(self, template_name, context, renderer=None):
        return _input(context["widget"])


class PlainRadioSelect(forms.RadioSelect):
    """Each choice drawn alone (`{{ choice.tag }}`, without its label wrapped round) is an input;
    the whole group, or a choice with its label wrapped, is Django's own template."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name == self.option_template_name and not widget.get("wrap_label"):
            return _input(widget)
        return super()._render(template_name, context, renderer)


class PlainSelect(forms.Select):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            drawn = "".join(
                format_html('<option value="{}"{}>{}</option>', str(option["value"]), mark_safe(_attrs(option["attrs"])), option["label"])
                for option in group_choices
            )
            options.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, mark_safe(drawn)) if group_name else drawn)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], mark_safe(_attrs(widget["attrs"])), mark_safe("".join(options)))


class PlainTextarea(forms.Textarea):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        # Django's template starts the content on a new line, which a browser drops.
        content = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{content}</textarea>')
