"""The portal's form renderer draws fields and widgets in Python: the same HTML as the templates
they stand for (templates/forms/field.html and Django's widget and error-list templates),
escaped the same way, for every kind of field the portal's forms use."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from plancore.rendering import DRAWN, FIELD_TEMPLATE, PortalFormRenderer


class TemplatesOnly(TemplatesSetting):
    """The portal's renderer as it would be without drawing anything in Python."""

    field_template_name = FIELD_TEMPLATE


HOSTILE = 'A <b> & "c"'
CHOICES = [("a&b", HOSTILE), ("2", "Two"), ("Group <i>", [("g1", "In a group")])]


class EveryKind(forms.Form):
    text = forms.CharField(label=HOSTILE, help_text="Help with <em>markup</em>", max_length=5)
    number = forms.IntegerField(label="Number", required=False)
    email = forms.EmailField(label="E-mail", required=False)
    day = forms.DateField(
        label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agreed = forms.BooleanField(label="Agreed", required=False)
    status = forms.ChoiceField(label="Status", choices=CHOICES, widget=forms.RadioSelect)
    statuses = forms.MultipleChoiceField(
        label="Statuses",
        choices=CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any"), *CHOICES], required=False)
    comment = forms.CharField(label="Comment", widget=forms.Textarea, required=False)
    secret = forms.CharField(label="", widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)


BOUND = {
    "text": 'far too long <script>alert("x")</script>',
    "number": "not a number",
    "email": "nobody",
    "day": "2026-13-45",
    "agreed": "on",
    "status": "g1",
    "statuses": ["a&b", "g1"],
    "kind": "2",
    "comment": "Line one\n<b>bold</b> & more",
    "hidden": 'x"y',
}


def normalised(html):
    return " ".join(str(html).split()).replace("> <", "><").replace("> ", ">").replace(" <", "<")


def both(form_class, **kwargs):
    """The same form drawn by the portal's renderer and by the templates alone."""
    return (
        form_class(renderer=PortalFormRenderer(), **kwargs),
        form_class(renderer=TemplatesOnly(), **kwargs),
    )


@pytest.mark.parametrize(
    "data", [None, BOUND, {"status": "nothing"}], ids=["empty", "errors", "bad"]
)
def test_every_field_is_drawn_as_its_template_draws_it(data):
    drawn, templated = both(EveryKind, data=data)
    if data is not None:
        assert not drawn.is_valid() and not templated.is_valid()
    for name in EveryKind.base_fields:
        assert normalised(drawn[name].as_field_group()) == normalised(
            templated[name].as_field_group()
        ), name
        assert normalised(drawn[name]) == normalised(templated[name]), name
    assert normalised(drawn.errors) == normalised(templated.errors)
    assert normalised(drawn.render()) == normalised(templated.render())


def test_what_is_typed_is_escaped():
    drawn, _ = both(EveryKind, data=BOUND)
    html = drawn.render()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'value="x&quot;y"' in html
    # Help text is the form's own and may hold markup, as in the template (|safe).
    assert "<em>markup</em>" in html


def test_errors_are_tied_to_their_field():
    drawn, _ = both(EveryKind, data=BOUND)
    group = str(drawn["number"].as_field_group())
    assert 'class="field field-error"' in group
    assert 'id="id_number_error"' in group
    assert "aria-invalid" in group


def test_radio_buttons_and_checkboxes_show_what_was_chosen():
    drawn, _ = both(EveryKind, data=BOUND)
    checked = [line for line in str(drawn["statuses"]).splitlines() if "checked" in line]
    assert len(checked) == 2
    assert 'value="g1"' in str(drawn["status"]).split("checked")[0].rsplit("<input", 1)[1]


def test_every_drawn_template_exists():
    """Each template the renderer draws in Python is a template it would otherwise render, so
    that the comparison above has something to compare with."""
    renderer = TemplatesSetting()
    for name in DRAWN:
        assert renderer.get_template(name) is not None, name


def test_other_templates_are_rendered_as_usual():
    html = PortalFormRenderer().render(
        "django/forms/widgets/select_date.html", {"widget": {"subwidgets": []}}
    )
    assert html.strip() == ""
