"""The institutions annex groups the responsible institutions by side and names each as what it
is: cities as local government, C40 as a network, the UN bodies as international organisations."""

from django.utils import timezone

from actions.models import Responsibility
from reporting.content import build_content
from reporting.periods import Period
from tests.factories import CountryFactory, InstitutionFactory, ResponsibilityFactory
from tests.roles import action_in


def annex(plan, year=2024):
    groups = build_content(plan=plan, kind="annual", period=Period(year))["institutions_annex"]
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


def test_an_institution_of_a_third_country_is_annexed_with_the_international_bodies(plan):
    third = InstitutionFactory(
        name="Agency of a third country", country=CountryFactory(code="NO", name="Norway")
    )
    action = action_in(plan, "6.6")
    ResponsibilityFactory(action=action, institution=third, role=Responsibility.Role.PARTNER)

    # The responsibility is recorded today: this year's review reads it.
    assert (
        "Agency of a third country" in annex(plan, year=timezone.localdate().year)["multilateral"]
    )
