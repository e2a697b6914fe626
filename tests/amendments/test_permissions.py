"""Who may propose, approve, reject, withdraw and see amendments; refusals change nothing."""

import pytest
from django.urls import reverse

from amendments.models import Amendment, AmendmentDecision
from plancore import permissions
from tests.amendments.conftest import propose_target_date
from tests.roles import make_demo_user, signed_in

pytestmark = pytest.mark.django_db


def amendment_state():
    return (
        sorted(Amendment.objects.values_list("pk", "state", "decided_at")),
        sorted(AmendmentDecision.objects.values_list("pk", "side", "decision")),
        Amendment.history.count(),
    )


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("embassy_dk", True),
        ("embassy_mx", True),
        ("admin_dk", True),
        ("admin_mx", True),
        ("liaison", False),
        ("official", False),
    ],
)
def test_only_staff_and_administrators_may_propose(people, role, may):
    assert permissions.can_propose_amendment(getattr(people, role)) is may


@pytest.mark.parametrize(
    ("role", "sides"),
    [
        ("admin_dk", {"DK"}),
        ("admin_mx", {"MX"}),
        ("embassy_dk", set()),
        ("embassy_mx", set()),
        ("liaison", set()),
        ("official", set()),
    ],
)
def test_each_administrator_decides_for_their_own_side_only(people, action, role, sides):
    amendment = propose_target_date(action, people.embassy_mx)
    assert permissions.amendment_decision_sides(getattr(people, role), amendment) == sides


def test_a_waiting_amendment_is_seen_by_the_liaisons_of_its_action_only(people, action):
    amendment = propose_target_date(action, people.embassy_mx)
    semarnat = make_demo_user("liaison_semarnat")

    assert permissions.can_see_amendment(people.liaison, amendment)
    assert not permissions.can_see_amendment(semarnat, amendment)
    assert not permissions.can_see_amendment(people.official, amendment)
    assert list(Amendment.objects.filter(permissions.visible_amendments(semarnat))) == []


@pytest.mark.parametrize("role", ["liaison", "official"])
def test_liaisons_and_officials_may_not_propose(client, people, action, role):
    before = amendment_state()
    response = signed_in(client, getattr(people, role)).post(
        reverse("amendments:propose"),
        {
            "kind": "target_date",
            "action": str(action.pk),
            "reason": "Later.",
            "target_date": "2028-06-30",
        },
    )
    assert response.status_code == 403
    assert amendment_state() == before


@pytest.mark.parametrize(
    ("role", "status"), [("liaison", 403), ("embassy_dk", 403), ("official", 404)]
)
@pytest.mark.parametrize("what", ["approve", "reject"])
def test_only_plan_administrators_decide(client, people, action, role, status, what):
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    before = amendment_state()

    response = signed_in(client, getattr(people, role)).post(
        reverse(f"amendments:{what}", args=[amendment.pk]), {"comment": "No."}
    )

    assert response.status_code == status
    assert amendment_state() == before


def test_nobody_approves_for_the_other_side(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    before = amendment_state()

    signed_in(client, people.admin_dk).post(
        reverse("amendments:approve", args=[amendment.pk]), {"side": "MX"}
    )

    assert amendment_state() == before


def test_an_administrator_who_decided_may_not_decide_again(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    url = reverse("amendments:approve", args=[amendment.pk])
    signed_in(client, people.admin_dk).post(url)
    before = amendment_state()

    response = client.post(url)

    assert response.status_code == 403
    assert amendment_state() == before


def test_only_the_proposer_withdraws(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    before = amendment_state()

    response = signed_in(client, people.embassy_dk).post(
        reverse("amendments:withdraw", args=[amendment.pk])
    )

    assert response.status_code == 403
    assert amendment_state() == before


def test_the_same_approval_by_the_right_administrator_is_recorded(client, people, action):
    """The control for the refusals above."""
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    before = amendment_state()

    signed_in(client, people.admin_mx).post(
        reverse("amendments:approve", args=[amendment.pk]), {"side": "MX"}
    )

    assert amendment_state() != before
