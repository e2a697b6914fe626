"""The drawing code's escaping gives Django's text for every kind of value it meets."""

import pytest
from django.utils import html as django_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from plancore import escaping

VALUES = [
    "",
    "plain",
    "<script>alert('x')</script> & \"quoted\"",
    "Secretaría de Salud — «SSA»",
    mark_safe("<b>already safe</b>"),
    gettext_lazy("Search"),
    42,
    None,
    3.5,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_is_djangos(value):
    with override("es"):
        assert escaping.escape(value) == str(django_html.escape(value))
        assert escaping.conditional_escape(value) == str(django_html.conditional_escape(value))


def test_safe_html_is_kept_and_text_is_escaped():
    assert escaping.conditional_escape(mark_safe("<b>")) == "<b>"
    assert escaping.conditional_escape("<b>") == "&lt;b&gt;"
    assert escaping.escape(mark_safe("<b>")) == "&lt;b&gt;"
