"""Each side gives its own assessment; the joint one holds only once both sides agreed it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from assessments import services
from assessments.models import Assessment, JointAssessment
from partners.models import Side
from tests.assessments.conftest import Q2_2025
from tests.factories import AssessmentFactory


def give(action, user, side, completion="limited", timeliness="on_time", comment=""):
    return services.give_assessment(
        action=action,
        side=side,
        period=Q2_2025,
        user=user,
        completion=completion,
        timeliness=timeliness,
        comment=comment,
    )


def both_sides_assessed(action, people, mx_completion="substantial"):
    give(action, people["embassy_dk"], Side.DK)
    give(action, people["embassy_mx"], Side.MX, completion=mx_completion)


def propose(action, user, side, completion="limited", version=None):
    return services.propose_joint_assessment(
        action=action,
        period=Q2_2025,
        user=user,
        side=side,
        completion=completion,
        timeliness="on_time",
        expected_version=version,
    )


def test_embassy_staff_give_their_sides_assessment(people, action):
    assessment = give(action, people["embassy_dk"], Side.DK, comment="Two dialogues held. ")
    assert (assessment.side, assessment.completion, assessment.comment) == (
        Side.DK,
        "limited",
        "Two dialogues held.",
    )
    assert assessment.history.first().history_user == people["embassy_dk"]


def test_a_second_assessment_of_the_same_period_changes_the_first(people, action):
    give(action, people["embassy_dk"], Side.DK)
    give(action, people["embassy_dk"], Side.DK, completion="substantial")
    assert Assessment.objects.get(action=action, side=Side.DK).completion == "substantial"
    assert Assessment.history.filter(action_id=action.pk).count() == 2


def test_an_unchanged_assessment_writes_no_history(people, action):
    give(action, people["embassy_dk"], Side.DK)
    give(action, people["embassy_dk"], Side.DK)
    assert Assessment.history.filter(action_id=action.pk).count() == 1


@pytest.mark.parametrize(
    ("name", "side"),
    [("embassy_dk", Side.MX), ("admin_mx", Side.DK), ("liaison_cofepris", Side.MX)],
)
def test_nobody_assesses_for_a_side_they_do_not_speak_for(people, action, name, side):
    with pytest.raises(PermissionDenied):
        give(action, people[name], side)
    assert not Assessment.objects.exists()


def test_the_database_keeps_one_assessment_per_side_and_period(people, action):
    AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])
    with pytest.raises(IntegrityError):
        AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])


def test_a_year_and_its_quarter_are_assessed_apart(people, action):
    AssessmentFactory(action=action, side=Side.DK, quarter=None, assessed_by=people["embassy_dk"])
    AssessmentFactory(action=action, side=Side.DK, quarter=4, assessed_by=people["embassy_dk"])
    assert Assessment.objects.filter(action=action).count() == 2


def test_many_rows_are_saved_at_once_and_only_changed_ones_written(people, plan, action):
    other = action.chapter.actions.exclude(pk=action.pk).first()
    give(action, people["embassy_mx"], Side.MX)
    entries = [
        {"action": action, "completion": "limited", "timeliness": "on_time", "comment": ""},
        {"action": other, "completion": "complete", "timeliness": "behind", "comment": "Late."},
    ]
    written = services.give_assessments(
        side=Side.MX, period=Q2_2025, user=people["embassy_mx"], entries=entries
    )
    assert [a.action for a in written] == [other]
    assert Assessment.objects.filter(side=Side.MX).count() == 2


def test_rows_changed_by_someone_else_meanwhile_save_nothing(people, action):
    other = action.chapter.actions.exclude(pk=action.pk).first()
    give(action, people["embassy_mx"], Side.MX)
    entries = [
        {"action": action, "completion": "complete", "timeliness": "on_time", "seen": None},
        {"action": other, "completion": "complete", "timeliness": "on_time", "seen": None},
    ]
    with pytest.raises(services.AssessmentsChanged) as raised:
        services.give_assessments(
            side=Side.MX, period=Q2_2025, user=people["embassy_mx"], entries=entries
        )
    assert set(raised.value.current) == {action.pk}
    assert list(Assessment.objects.values_list("completion", flat=True)) == ["limited"]


def test_one_side_alone_gives_no_joint_assessment(people, action):
    give(action, people["embassy_dk"], Side.DK)
    with pytest.raises(ValidationError):
        propose(action, people["admin_dk"], Side.DK)
    assert not JointAssessment.objects.exists()


def test_a_proposal_is_the_proposers_sides_agreement_only(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    assert joint.agreed_dk_by == people["admin_dk"]
    assert joint.agreed_mx_at is None
    assert not joint.is_agreed


def test_the_other_sides_administrator_agreeing_makes_it_joint(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    joint = services.agree_joint_assessment(
        joint=joint, user=people["admin_mx"], side=Side.MX, expected_version=1
    )
    assert joint.is_agreed
    assert joint.agreed_at == joint.agreed_mx_at
    assert joint.history.first().history_user == people["admin_mx"]


def test_agreeing_again_for_the_same_side_changes_nothing(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    again = services.agree_joint_assessment(
        joint=joint, user=people["admin_dk"], side=Side.DK, expected_version=1
    )
    assert not again.is_agreed
    assert again.version == 1


@pytest.mark.parametrize("name", ["embassy_mx", "liaison_cofepris", "official", "admin_dk"])
def test_only_an_administrator_of_the_other_side_agrees_for_it(people, action, name):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    with pytest.raises(PermissionDenied):
        services.agree_joint_assessment(
            joint=joint, user=people[name], side=Side.MX, expected_version=1
        )
    assert not JointAssessment.objects.get().is_agreed


@pytest.mark.parametrize("name", ["embassy_dk", "liaison_dkma", "official"])
def test_only_a_plan_administrator_proposes_the_joint_assessment(people, action, name):
    both_sides_assessed(action, people)
    with pytest.raises(PermissionDenied):
        propose(action, people[name], Side.DK)
    assert not JointAssessment.objects.exists()


def test_either_side_may_propose_and_the_other_confirms(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_mx"], Side.MX, completion="substantial")
    joint = propose(action, people["admin_dk"], Side.DK, completion="substantial", version=1)
    assert joint.is_agreed
    assert joint.completion == "substantial"


def test_a_change_after_agreement_clears_both_agreements(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    joint = services.agree_joint_assessment(
        joint=joint, user=people["admin_mx"], side=Side.MX, expected_version=1
    )
    changed = propose(action, people["admin_mx"], Side.MX, completion="substantial", version=2)
    assert not changed.is_agreed
    assert (changed.agreed_dk_at, changed.agreed_mx_by) == (None, people["admin_mx"])


def test_agreeing_to_a_value_that_changed_meanwhile_is_refused(people, action):
    both_sides_assessed(action, people)
    joint = propose(action, people["admin_dk"], Side.DK)
    propose(action, people["admin_dk"], Side.DK, completion="substantial", version=1)
    with pytest.raises(services.JointAssessmentChanged):
        services.agree_joint_assessment(
            joint=joint, user=people["admin_mx"], side=Side.MX, expected_version=1
        )
    assert not JointAssessment.objects.get().is_agreed
