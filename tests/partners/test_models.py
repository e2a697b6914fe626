from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from partners.models import (
    Agreement,
    AgreementExtension,
    Country,
    Institution,
    Membership,
    Side,
    format_partial_date,
)
from tests.factories import CountryFactory, InstitutionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_agreement(**fields):
    """Agreements have no factory in tests/factories.py yet."""
    fields.setdefault("code", f"agreement-{Agreement.objects.count() + 1}")
    fields.setdefault("title", "Memorandum of understanding on energy cooperation")
    fields.setdefault("kind", Agreement.Kind.MOU)
    return Agreement.objects.create(**fields)


def test_a_user_cannot_hold_two_memberships_at_the_same_institution():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user,
            institution=membership.institution,
            role=Membership.Role.OFFICIAL,
        )


def test_a_user_may_hold_memberships_at_two_institutions():
    user = UserFactory()
    MembershipFactory(user=user)
    MembershipFactory(user=user)

    assert user.memberships.count() == 2


def test_an_institution_cannot_be_its_own_parent():
    institution = InstitutionFactory()
    institution.parent = institution

    with (
        pytest.raises(IntegrityError, match="institution_not_its_own_parent"),
        transaction.atomic(),
    ):
        institution.save()


@pytest.mark.parametrize("code", ["dk", "D1", "D", "Dk"])
def test_a_country_code_must_be_two_capital_letters(code):
    with pytest.raises(IntegrityError, match="country_code_is_iso_alpha2"), transaction.atomic():
        Country.objects.create(code=code, name="Denmark")


def test_an_agreement_cannot_be_its_own_parent():
    agreement = make_agreement()
    agreement.parent = agreement

    with pytest.raises(IntegrityError, match="agreement_not_its_own_parent"), transaction.atomic():
        agreement.save()


def test_an_agreement_cannot_be_extended_twice_on_the_same_date():
    agreement = make_agreement()
    AgreementExtension.objects.create(agreement=agreement, extended_on=date(2020, 5, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementExtension.objects.create(agreement=agreement, extended_on=date(2020, 5, 1))


def test_a_danish_institution_is_on_the_danish_side():
    institution = InstitutionFactory(country=CountryFactory(code="DK"))

    assert institution.side == Side.DK


def test_a_mexican_institution_is_on_the_mexican_side():
    institution = InstitutionFactory(country=CountryFactory(code="MX"))

    assert institution.side == Side.MX


def test_an_institution_without_a_country_is_multilateral():
    institution = InstitutionFactory(country=None)

    assert institution.side == Side.MULTILATERAL


@pytest.fixture
def institutions_on_each_side():
    return {
        Side.DK: InstitutionFactory(country=CountryFactory(code="DK")),
        Side.MX: InstitutionFactory(country=CountryFactory(code="MX")),
        Side.MULTILATERAL: InstitutionFactory(country=None),
    }


@pytest.mark.parametrize("side", [Side.DK, Side.MX, Side.MULTILATERAL])
def test_on_side_returns_only_the_institutions_of_that_side(institutions_on_each_side, side):
    assert list(Institution.objects.on_side(side)) == [institutions_on_each_side[side]]


def test_a_date_known_to_the_year_shows_only_the_year():
    with translation.override("en"):
        assert format_partial_date(date(2013, 1, 1), Agreement.Precision.YEAR) == "2013"


def test_a_date_known_to_the_month_shows_month_and_year():
    with translation.override("en"):
        assert format_partial_date(date(2016, 4, 1), Agreement.Precision.MONTH) == "April 2016"
