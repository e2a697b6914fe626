"""Select widgets drawn in Python.

Django draws a select through one template for the select and one more per option, which costs
tens of milliseconds for a filter form with a few hundred options. These widgets give the same
HTML, escaped the same way, without a template per option. Only the drawing changes: choices,
values and validation stay Django's.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from plancore.escaping import conditional_escape, escape


def _attributes(attrs):
    """` name="value"` for each attribute; True gives the bare name, False or None nothing."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(' {}="{}"', name, value)
                if value is not True
                else format_html(" {}", name),
            )
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class QuickSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        wanted = set(self.format_value(value))
        chosen = False
        parts = [format_html('<select name="{}"{}>', name, _attributes(attrs))]
        for group, choices in self._groups():
            if group is not None:
                parts.append(format_html('<optgroup label="{}">', group))
            for option_value, label in choices:
                text = "" if option_value is None else str(option_value)
                selected = text in wanted and (self.allow_multiple_selected or not chosen)
                chosen = chosen or selected
                parts.append(
                    f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>"
                )
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))

    def _groups(self):
        """(group label or None, [(value, label)]) in the order Django's optgroups gives."""
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                yield option_value, label
            else:
                yield None, [(option_value, label)]


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass
