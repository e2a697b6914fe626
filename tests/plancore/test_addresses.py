"""Addresses are kept between requests (plancore.addresses) and stay what reverse() gives."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix
from django.urls import reverse as django_reverse

from plancore import addresses


@pytest.fixture(autouse=True)
def _fresh():
    addresses.forget()
    yield
    addresses.forget()
    clear_script_prefix()


def test_an_address_is_what_django_gives():
    for name, args in [("dashboard", []), ("actions:detail", [7]), ("actions:list", None)]:
        assert addresses.reverse(name, args=args) == django_reverse(name, args=args)


def test_an_address_is_computed_once(monkeypatch):
    calls = []
    real = addresses.django_reverse
    monkeypatch.setattr(
        addresses, "django_reverse", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    for _ in range(3):
        addresses.reverse("actions:detail", args=[7])
    addresses.reverse("actions:detail", args=[8])
    assert len(calls) == 2


def test_the_script_prefix_is_part_of_the_address():
    assert addresses.reverse("dashboard") == "/"
    set_script_prefix("/portal/")
    assert addresses.reverse("dashboard") == "/portal/"


def test_another_urlconf_gets_its_own_addresses():
    before = addresses.reverse("dashboard")
    with override_settings(ROOT_URLCONF="bench.urls"):
        assert addresses.reverse("bench_ok") == django_reverse("bench_ok")
    assert addresses.reverse("dashboard") == before


def test_unknown_names_still_fail():
    with pytest.raises(NoReverseMatch):
        addresses.reverse("no-such-page")


def test_arguments_that_are_not_plain_values_are_not_kept(monkeypatch):
    class Pk:
        def __str__(self):
            return "7"

    calls = []
    real = addresses.django_reverse
    monkeypatch.setattr(
        addresses, "django_reverse", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    addresses.reverse("actions:detail", args=[Pk()])
    addresses.reverse("actions:detail", args=[Pk()])
    assert len(calls) == 2


def test_the_url_tag_uses_kept_addresses():
    html = Template(
        "{% url 'actions:detail' 7 %}|{% url 'actions:detail' pk=8 %}|"
        "{% url 'no-such-page' as missing %}[{{ missing }}]|{% url 'dashboard' as home %}{{ home }}"
    ).render(Context({}))
    assert html == "/actions/7/|/actions/8/|[]|/"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-page' %}").render(Context({}))
