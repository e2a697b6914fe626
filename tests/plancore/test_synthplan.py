import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review
from partners.models import Side
from plancore.models import Chapter, Plan


@pytest.fixture
def synthetic(db):
    call_command(
        "synthplan", actions=40, milestones_per_action=5, updates_per_action=3, verbosity=0
    )
    return Plan.objects.get(slug="synthetic-40")


def test_synthplan_builds_the_requested_size(synthetic):
    actions = Action.objects.in_plan(synthetic)
    assert actions.count() == 40
    assert Milestone.objects.filter(action__in=actions).count() == 200
    assert ProgressUpdate.objects.filter(action__in=actions).count() == 120
    assert Review.objects.filter(update__action__in=actions).count() == 240


def test_synthetic_actions_have_a_lead_on_each_side(synthetic):
    for action in Action.objects.in_plan(synthetic).for_list():
        assert action.lead_on(Side.DK) and action.lead_on(Side.MX)
    assert Responsibility.objects.filter(action__chapter__plan=synthetic).count() == 160


def test_synthetic_history_has_the_real_plans_shape(synthetic):
    for action in Action.objects.in_plan(synthetic)[:5]:
        rows = list(action.history.order_by("history_date"))
        assert len(rows) == 1 + 3
        assert rows[0].status == "not_started"
        assert (rows[-1].status, rows[-1].progress) == (action.status, action.progress)
        assert all(row.history_user_id for row in rows[1:])


def test_synthetic_plan_and_chapters_are_recorded_at_the_signing(synthetic):
    assert synthetic.history.get().history_date.date().isoformat() == "2023-08-09"
    chapter_rows = Chapter.history.filter(plan_id=synthetic.pk)
    assert chapter_rows.count() == synthetic.chapters.count() == 6
    assert {row.history_date.date().isoformat() for row in chapter_rows} == {"2023-08-09"}


def test_synthplan_refuses_to_build_the_same_plan_twice(synthetic):
    with pytest.raises(CommandError, match="exists already"):
        call_command("synthplan", actions=40, verbosity=0)
    assert Action.objects.in_plan(synthetic).count() == 40


def test_synthplan_refuses_a_size_below_one(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("synthplan", actions=0, verbosity=0)
    assert not Plan.objects.exists()


def test_synthetic_actions_list_in_plan_order(synthetic):
    actions = list(Action.objects.in_plan(synthetic).select_related("chapter"))
    assert [(a.chapter.number, a.position) for a in actions] == sorted(
        (a.chapter.number, a.position) for a in actions
    )
    assert all(a.plan_order == a.chapter.order_base + a.position for a in actions)
