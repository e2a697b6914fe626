from datetime import UTC, date, datetime

import pytest

from actions.models import Milestone
from amendments import services
from partners.models import Membership
from tests.roles import action_in, make_demo_user, make_member

Role = Membership.Role
PROPOSED = datetime(2025, 3, 3, 10, tzinfo=UTC)
DK_APPROVED = datetime(2025, 3, 10, 10, tzinfo=UTC)
MX_APPROVED = datetime(2025, 3, 17, 15, tzinfo=UTC)
NEW_TARGET = date(2028, 6, 30)


@pytest.fixture
def people(plan):
    """Who proposes and decides: staff and a plan administrator of each side, a liaison of
    COFEPRIS (responsible for 5.2) and an official."""

    class People:
        embassy_dk = make_demo_user("embassy_dk")
        embassy_mx = make_demo_user("embassy_mx")
        admin_dk = make_demo_user("administrator")
        admin_mx = make_member(Role.ADMINISTRATOR, "sre")
        liaison = make_demo_user("liaison_cofepris")
        official = make_demo_user("official")

    return People


@pytest.fixture
def action(plan):
    return action_in(plan, "5.2")


def propose_target_date(action, proposer, *, at=PROPOSED, target_date=NEW_TARGET):
    return services.propose_amendment(
        proposer=proposer,
        kind="target_date",
        action=action,
        reason="The regulatory reform was postponed by a year.",
        target_date=target_date,
        at=at,
    )


def propose_text(action, proposer, *, at=PROPOSED):
    return services.propose_amendment(
        proposer=proposer,
        kind="text",
        action=action,
        reason="The agencies agreed a narrower scope.",
        text_en="Denmark and Mexico will exchange inspection reports.",
        text_es="Dinamarca y México intercambiarán informes de inspección.",
        at=at,
    )


def approve_both(amendment, people, *, dk_at=DK_APPROVED, mx_at=MX_APPROVED):
    services.approve_amendment(amendment=amendment, user=people.admin_dk, at=dk_at)
    return services.approve_amendment(amendment=amendment, user=people.admin_mx, at=mx_at)


def milestone_of(action):
    return Milestone.objects.create(
        action=action,
        title="Joint inspection",
        start_date=date(2024, 1, 1),
        due_date=date(2025, 6, 1),
    )
