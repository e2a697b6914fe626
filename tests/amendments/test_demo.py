"""The demo's amendments: one in force whose effect the history shows from its day, one waiting."""

from datetime import date, timedelta

import pytest

from actions.models import Action
from amendments.models import Amendment
from reporting.content import plan_as_of
from reporting.periods import end_of_day


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    """The plan with what `load_demo` adds to it (see tests/plancore/test_demo.py)."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def demo(demo_plan, db):
    return demo_plan


def test_the_demo_has_one_amendment_in_force_and_one_waiting(demo):
    states = dict(Amendment.objects.values_list("kind", "state"))
    assert states == {"target_date": "in_force", "new_action": "proposed"}


def test_the_demos_extended_target_date_was_approved_by_both_sides(demo):
    amendment = Amendment.objects.get(kind="target_date")
    decisions = amendment.decisions.order_by("decided_at")
    assert [(d.side, d.decided_by.username) for d in decisions] == [
        ("DK", "admin"),
        ("MX", "admin-mx"),
    ]
    assert amendment.decided_at == decisions.last().decided_at
    assert amendment.reason


def test_the_demos_history_shows_the_old_target_date_before_the_amendment_and_the_new_after(
    demo,
):
    amendment = Amendment.objects.get(kind="target_date")
    day = amendment.decided_at.date()

    before = plan_as_of(plan=demo, moment=end_of_day(day - timedelta(days=1)))
    after = plan_as_of(plan=demo, moment=end_of_day(day))

    assert before.actions[amendment.action_id].target_date == date(2027, 12, 31)
    assert after.actions[amendment.action_id].target_date == date(2028, 6, 30)
    assert Action.objects.get(pk=amendment.action_id).target_date == date(2028, 6, 30)


def test_the_demos_waiting_amendment_changes_nothing_yet(demo):
    amendment = Amendment.objects.get(kind="new_action")
    assert amendment.decisions.get().side == "DK"
    assert not Action.objects.filter(short_title_en=amendment.title_en).exists()
