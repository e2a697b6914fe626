"""How forms draw themselves: the portal's own field template, Django's widget templates.

Every page with a form draws a dozen fields, each through a handful of templates (the field
group, its error list, the widget, its attributes, one more per radio button or checkbox), and
Django's template engine costs a few milliseconds per form for that alone. The renderer therefore
draws the commonest of these templates in Python: the same HTML from the same context that
Django's widgets give the template, escaped the same way. Any other template (and any template
a project overrides under another name) is rendered as usual. tests/plancore/test_form_rendering.py
renders each drawn template both ways and compares them.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from plancore.escaping import conditional_escape, escape

FIELD_TEMPLATE = "forms/field.html"


class PortalFormRenderer(TemplatesSetting):
    """Every `{{ field.as_field_group }}` uses templates/forms/field.html, whatever the form's
    label_suffix: a label reads "Status", not "Status:". It and the usual widget templates are
    drawn in Python (`DRAWN`)."""

    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request=request)
        return draw(context)


def _attrs(attrs):
    """django/forms/widgets/attrs.html: ` name="value"` each; True the bare name, False none."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """django/forms/widgets/input.html (text, number, e-mail, date, checkbox…)."""
    value = widget["value"]
    value = "" if value is None else f' value="{escape(value)}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}' + (
        f"{_attrs(widget['attrs'])}>"
    )


def _input_option(option):
    """django/forms/widgets/input_option.html: one radio button or checkbox, in its label."""
    if not option["wrap_label"]:
        return _input(option)
    id_ = option["attrs"].get("id")
    label_for = f' for="{escape(id_)}"' if id_ else ""
    return f"<label{label_for}>{_input(option)} {conditional_escape(option['label'])}</label>"


def _multiple_input(widget):
    """django/forms/widgets/multiple_input.html (radio.html, checkbox_select.html)."""
    attrs = widget["attrs"]
    id_ = attrs.get("id")
    parts = [
        "<div",
        f' id="{escape(id_)}"' if id_ else "",
        f' class="{escape(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _select(widget):
    """django/forms/widgets/select.html and select_option.html."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        parts.extend(
            f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget):
    """django/forms/widgets/textarea.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _error_list(context):
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_ = f' id="{escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{escape(context["error_class"])}"{id_}>{items}</ul>'


def _field_group(context):
    """templates/forms/field.html: the label (or legend), help, errors and widget of a field."""
    field = context["field"]
    errors = field.errors
    error_class = " field-error" if errors else ""
    label = field.label
    lines = []
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{escape(described)}"' if described else ""
        lines.append(f'<fieldset class="field{error_class}"{described}>')
        if label:
            lines.append(f"  <legend>{conditional_escape(label)}</legend>")
    else:
        lines.append(f'<div class="field{error_class}">')
        if label:
            lines.append(
                f'  <label for="{escape(field.id_for_label)}">{conditional_escape(label)}</label>'
            )
    if field.help_text:
        id_ = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        lines.append(f'<div class="helptext"{id_}>{field.help_text}</div>')
    lines.append(str(errors))
    lines.append(str(field))
    lines.append("</fieldset>" if field.use_fieldset else "</div>")
    return mark_safe("\n".join(lines))


WIDGETS = "django/forms/widgets/"
DRAWN = {
    FIELD_TEMPLATE: _field_group,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
    f"{WIDGETS}textarea.html": lambda context: _textarea(context["widget"]),
    f"{WIDGETS}select.html": lambda context: _select(context["widget"]),
    f"{WIDGETS}radio.html": lambda context: _multiple_input(context["widget"]),
    f"{WIDGETS}checkbox_select.html": lambda context: _multiple_input(context["widget"]),
    f"{WIDGETS}multiple_input.html": lambda context: _multiple_input(context["widget"]),
} | {
    f"{WIDGETS}{name}.html": lambda context: _input(context["widget"])
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
