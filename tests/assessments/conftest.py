import pytest

from partners.models import Membership
from reporting.periods import Period
from tests.roles import action_in, make_demo_user, make_member

Role = Membership.Role
Q2_2025 = Period(2025, 2)


@pytest.fixture
def people(plan):
    """The demo roles, and a plan administrator of each side (Denmark's at the MFA, Mexico's at
    the SRE)."""
    names = ["embassy_dk", "embassy_mx", "liaison_cofepris", "liaison_dkma", "official"]
    users = {name: make_demo_user(name) for name in names}
    users["admin_dk"] = make_member(Role.ADMINISTRATOR, "mfa-dk")
    users["admin_mx"] = make_member(Role.ADMINISTRATOR, "sre")
    return users


@pytest.fixture
def action(plan):
    """5.2: COFEPRIS (Mexico) and the Danish Medicines Agency are responsible."""
    return action_in(plan, "5.2")
