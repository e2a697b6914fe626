"""The institutions annex groups the responsible institutions by side and names each as what it
is: cities as local government, C40 as a network, the UN bodies as international organisations."""

from reporting.content import build_content
from reporting.periods import Period


def annex(plan):
    groups = build_content(plan=plan, kind="annual", period=Period(2024))["institutions_annex"]
    return {group["side"]: {row.name: row.kind_label for row in group["rows"]} for group in groups}


def test_the_annex_has_a_group_for_each_side_and_one_for_international_bodies(plan):
    assert list(annex(plan)) == ["DK", "MX", "multilateral"]


def test_cities_are_local_governments_on_their_own_side(plan):
    groups = annex(plan)
    assert groups["DK"]["Copenhagen"] == "Local government"
    assert groups["MX"]["Mexico City"] == groups["MX"]["Guadalajara"] == "Local government"


def test_international_bodies_are_not_shown_as_ministries(plan):
    international = annex(plan)["multilateral"]
    assert international["C40 Cities Climate Leadership Group"] == "Network or partnership"
    assert "Ministry or secretariat" not in international.values()


def test_ministries_come_first_within_a_side(plan):
    assert next(iter(annex(plan)["MX"].values())) == "Ministry or secretariat"
