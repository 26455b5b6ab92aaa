"""The case page's small action forms (take into review, approve, request information, reject,
verify the company), drawn in Python with the markup crispy-forms' Bootstrap 5 pack writes for them.

Through crispy each of these forms took some forty template renders (the form, each field's
wrapper, its label, help text and errors, each widget and each of its attributes): about a third
of the officer's case page. This module writes the same elements with the same ids, classes,
labels, help texts, errors beside their fields (with `aria-invalid` and `aria-describedby`) and
CSRF token, for the layouts these forms use: a flat list of fields, then the submit button.
Anything else (a layout object, a widget not drawn here) goes to crispy as before.

Labels and errors are escaped; help texts are not, as crispy writes them (`|safe`): they are the
portal's own words. tests/applications/test_action_forms_markup.py holds this to crispy's output.
"""

from __future__ import annotations

from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from applications.forms.plain_widgets import _attrs, _input

_DRAWN_WIDGETS = (forms.HiddenInput, forms.CheckboxInput, forms.Textarea, forms.NumberInput, forms.TextInput, forms.CheckboxSelectMultiple)


def _crispy_class(widget: forms.Widget, extra: str) -> None:
    """As crispy's `{% crispy_field field 'class' extra %}`: the widget's class name joins its
    classes (through CRISPY_CLASS_CONVERTERS), then each of `extra`'s."""
    class_name = type(widget).__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in extra.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _widget(field: forms.BoundField) -> str:
    """The widget as `BoundField.as_widget()` draws it, written here instead of by its template."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if isinstance(widget, forms.Textarea):
        # Django's template starts the content on a new line, which a browser drops.
        content = conditional_escape(context["value"]) if context["value"] else ""
        return f'<textarea name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>\n{content}</textarea>'
    return _input(context)


def _errors(field: forms.BoundField, tag: str = "span") -> str:
    if not field.errors:
        return ""
    items = "".join(
        f'<{tag} id="error_{number}_{field.auto_id}"><strong>{conditional_escape(error)}</strong></{tag}>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help_text(field: forms.BoundField) -> str:
    if not field.help_text:
        return ""
    id_attr = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'<div {id_attr}class="form-text">{field.help_text}</div>'


def _label_text(field: forms.BoundField) -> str:
    text = conditional_escape(field.label)
    return f'{text}<span class="asteriskField">*</span>' if field.field.required else str(text)


def _field(field: forms.BoundField) -> str:
    """As bootstrap5/field.html with the default helper (labels and errors shown, errors inline,
    help text below)."""
    widget = field.field.widget
    if field.is_hidden:
        return _widget(field)
    required = " requiredField" if field.field.required else ""
    if isinstance(widget, forms.CheckboxInput):
        _crispy_class(widget, "form-check-input is-invalid" if field.errors else "form-check-input")
        return (
            f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check">{_widget(field)}'
            f'<label for="{field.id_for_label}" class="form-check-label{required}">{_label_text(field)}</label>'
            f"{_errors(field)}{_help_text(field)}</div></div>"
        )
    parts = [f'<div id="div_{field.auto_id}" class="mb-3">']
    if isinstance(widget, forms.CheckboxSelectMultiple):
        if field.label:
            describedby = field.aria_describedby
            describedby_attr = f' aria-describedby="{describedby}"' if describedby else ""
            for_attr = f'for="{field.id_for_label}" ' if field.id_for_label else ""
            parts.append(f'<fieldset{describedby_attr}><legend {for_attr}class="form-label{required} fs-6">{_label_text(field)}</legend>')
        parts.append(_options(field))
        parts.append(_help_text(field))
        if field.label:
            parts.append("</fieldset>")
    else:
        if field.label:
            parts.append(f'<label for="{field.id_for_label}" class="form-label{required}">{_label_text(field)}</label>')
        _crispy_class(widget, "form-control is-invalid" if field.errors else "form-control")
        parts.append(_widget(field))
        parts.append(_errors(field))
        parts.append(_help_text(field))
    parts.append("</div>")
    return "".join(parts)


def _options(field: forms.BoundField) -> str:
    """As bootstrap5/layout/radio_checkbox_select.html: one checkbox per choice, the field's
    errors under the last."""
    invalid = " is-invalid" if field.errors else ""
    # As crispy's `optgroups` filter builds them.
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    parts = ["<div>"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{conditional_escape(group)}</strong>")
        for option_number, option in enumerate(options, start=1):
            last = option_number == len(options) and group_number == len(groups)
            parts.append(
                f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}" '
                f'name="{conditional_escape(field.html_name)}" value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{conditional_escape(option["attrs"].get("id", ""))}" class="form-check-label">{conditional_escape(option["label"])}</label>'
                f'{_errors(field, "p") if last else ""}</div>'
            )
    parts.append("</div>")
    return "".join(parts)


def _default_field_settings(helper) -> bool:
    """Whether a helper (or none) leaves crispy's field template to its defaults, the only ones
    drawn here."""
    if helper is None:
        return True
    return (
        helper.form_show_errors
        and helper.form_show_labels
        and not helper.help_text_inline
        and helper.error_text_inline
        and not helper.form_class
        and not helper.label_class
        and not helper.field_class
        and not helper.field_template
    )


def render_field(field: forms.BoundField) -> SafeString | None:
    """One field, as crispy's `|as_crispy_field` writes it; None for one not drawn here."""
    if not isinstance(field.field.widget, _DRAWN_WIDGETS) or not _default_field_settings(getattr(field.form, "helper", None)):
        return None
    return mark_safe(_field(field))


def _drawable(form: forms.Form) -> list[str] | None:
    """The field names of the form's layout, if it is a flat list of fields drawn here."""
    layout = getattr(getattr(form, "helper", None), "layout", None)
    if not isinstance(layout, Layout) or not all(isinstance(name, str) for name in layout.fields):
        return None
    if any(not isinstance(form.fields[name].widget, _DRAWN_WIDGETS) for name in layout.fields):
        return None
    return list(layout.fields)


def render_action_form(form: forms.Form, csrf_token: str | None) -> SafeString | None:
    """The whole <form>, as `{% crispy form %}` writes it for a CaseActionForm's helper; None for
    a form this module does not draw."""
    names = _drawable(form)
    helper = form.helper
    if (
        names is None
        or len(helper.inputs) != 1
        or helper.inputs[0].flat_attrs
        or len(helper.inputs[0].name.split()) > 1
        or helper.form_method.lower() != "post"
        or not helper.form_tag
        or helper.attrs
        or not _default_field_settings(helper)
        or helper.form_group_wrapper_class
        or helper.form_error_title
        or helper.disable_csrf
        or helper.template
        or form.media._js or form.media._css
    ):
        return None
    parts = [
        format_html('<form action="{}" id="{}" method="post">', helper.form_action, helper.form_id),
    ]
    if csrf_token and csrf_token != "NOTPROVIDED":
        parts.append(format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token))
    if form.non_field_errors():
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in form.non_field_errors())
        parts.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
    parts.extend(_field(form[name]) for name in names)
    button = helper.inputs[0]
    parts.append(
        format_html(
            '<div class="mb-3"><div class=""><input type="{}" name="{}" value="{}" class="{}" id="{}"></div></div>',
            button.input_type, button.name, button.value, button.field_classes, button.id,
        )
    )
    parts.append("</form>")
    return mark_safe("".join(parts))
