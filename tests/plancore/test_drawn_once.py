"""`{% drawn_once %}` draws a fragment once per combination of its values and language."""

from django.template import engines
from django.utils import translation

from plancore.templatetags import portal

TEMPLATE = (
    "{% load i18n portal %}"
    "{% drawn_once a b %}{% translate 'Dashboard' %} {{ a }} {{ b }} {{ other }}"
    "{% url 'dashboard' %}{% enddrawn_once %}"
)


def draw(**context):
    return engines["django"].from_string(TEMPLATE).render(context)


def test_the_same_values_give_the_fragment_as_first_drawn():
    portal.DRAWN_ONCE.clear()
    with translation.override("en"):
        first = draw(a=1, b="x", other="first")
        assert first == "Dashboard 1 x first/"
        # Whatever else the context holds, the kept drawing is given.
        assert draw(a=1, b="x", other="second") == first


def test_other_values_or_another_language_draw_again():
    portal.DRAWN_ONCE.clear()
    with translation.override("en"):
        assert draw(a=1, b="x", other="one") == "Dashboard 1 x one/"
        assert draw(a=2, b="x", other="two") == "Dashboard 2 x two/"
        assert draw(a=1, b="y", other="three") == "Dashboard 1 y three/"
    with translation.override("es"):
        assert draw(a=1, b="x", other="four") == "Panel 1 x four/"


def test_the_oldest_drawings_go_beyond_the_limit(monkeypatch):
    portal.DRAWN_ONCE.clear()
    monkeypatch.setattr(portal, "DRAWN_ONCE_LIMIT", 2)
    with translation.override("en"):
        draw(a=1, b=1, other="")
        draw(a=2, b=2, other="")
        draw(a=3, b=3, other="")
        assert len(portal.DRAWN_ONCE) == 2
        assert draw(a=1, b=1, other="again") == "Dashboard 1 1 again/"
