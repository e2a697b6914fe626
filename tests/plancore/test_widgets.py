"""The quick selects draw the same HTML as Django's, escaped the same way."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from plancore.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [("", "—"), ("a&b", "A <b> & “c”"), ("2", "Two"), ("Group", [("g1", "In a group")])]


def normalised(html):
    return "".join(html.split())


@pytest.mark.parametrize(
    ("django_widget", "quick_widget", "value"),
    [
        (forms.Select, QuickSelect, "2"),
        (forms.Select, QuickSelect, None),
        (forms.Select, QuickSelect, "g1"),
        (forms.SelectMultiple, QuickSelectMultiple, ["a&b", "2"]),
        (forms.SelectMultiple, QuickSelectMultiple, []),
    ],
)
def test_quick_selects_draw_what_django_draws(django_widget, quick_widget, value):
    attrs = {"id": "id_status", "aria-describedby": "status_help", "required": True}
    # Django's own templates: the portal's renderer draws a select in Python too.
    expected = django_widget(choices=CHOICES, attrs={"size": 4}).render(
        "status", value, attrs, renderer=TemplatesSetting()
    )
    drawn = quick_widget(choices=CHOICES, attrs={"size": 4}).render("status", value, attrs)
    assert normalised(drawn) == normalised(expected)
    assert "<b>" not in drawn and "&lt;b&gt;" in drawn
