"""Who gives a side's assessment, proposes the joint one and agrees it (plancore/permissions.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from assessments.models import JointAssessment
from partners.models import Side
from plancore import permissions
from tests.factories import AssessmentFactory
from tests.roles import make_user

ASSESSING = {
    "embassy_dk": {Side.DK},
    "embassy_mx": {Side.MX},
    "admin_dk": {Side.DK},
    "admin_mx": {Side.MX},
    "liaison_cofepris": set(),
    "liaison_dkma": set(),
    "official": set(),
}


@pytest.mark.parametrize(("name", "sides"), ASSESSING.items())
def test_embassy_staff_and_administrators_assess_for_their_own_side_only(people, name, sides):
    assert permissions.assessment_sides(people[name]) == sides


def test_a_liaison_does_not_assess_even_their_institutions_action(people, action):
    """COFEPRIS's liaison reports on 5.2 and reviews its updates, but does not assess it."""
    liaison = people["liaison_cofepris"]
    assert permissions.can_post_update(liaison, action)
    assert not permissions.can_assess(liaison, Side.MX)


def test_a_superuser_without_a_membership_speaks_for_no_side(plan):
    superuser = make_user(is_superuser=True)
    assert permissions.assessment_sides(superuser) == set()
    assert permissions.administrator_sides(superuser) == set()


def test_everyone_at_the_portal_reads_assessments_and_nobody_else(people):
    assert permissions.can_view_assessments(people["official"])
    assert not permissions.can_view_assessments(make_user())
    assert not permissions.can_view_assessments(AnonymousUser())


def test_the_joint_assessment_is_proposed_only_once_both_sides_have_assessed(people, action):
    dk = AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])
    assert not permissions.can_propose_joint_assessment(
        people["admin_dk"], side_assessments={Side.DK: dk}
    )
    mx = AssessmentFactory(action=action, side=Side.MX, assessed_by=people["embassy_mx"])
    both = {Side.DK: dk, Side.MX: mx}
    assert permissions.can_propose_joint_assessment(people["admin_dk"], side_assessments=both)
    assert not permissions.can_propose_joint_assessment(people["embassy_dk"], side_assessments=both)


@pytest.mark.parametrize(
    ("name", "sides"),
    [
        ("admin_mx", {Side.MX}),
        ("admin_dk", set()),
        ("embassy_mx", set()),
        ("liaison_cofepris", set()),
        ("official", set()),
    ],
)
def test_only_the_other_sides_administrator_agrees_a_proposal(people, action, name, sides):
    joint = JointAssessment(
        action=action,
        year=2025,
        quarter=2,
        completion="limited",
        timeliness="on_time",
        proposed_by=people["admin_dk"],
        proposed_side=Side.DK,
        agreed_dk_by=people["admin_dk"],
        agreed_dk_at="2025-07-01T12:00:00Z",
    )
    assert permissions.agreement_sides(people[name], joint) == sides


def test_nobody_agrees_a_joint_assessment_both_sides_agreed(people, action):
    joint = JointAssessment(action=action, agreed_at="2025-07-02T12:00:00Z")
    assert permissions.agreement_sides(people["admin_mx"], joint) == set()
