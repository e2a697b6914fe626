"""A report says what the history tables say as of the end of its period, whatever came after."""

from datetime import UTC, date, datetime

from actions import services as action_services
from actions.models import Action, Milestone, Status
from partners.models import Side
from reporting.content import build_content
from reporting.periods import Period
from tests.factories import UserFactory

Q3_2024 = Period(2024, 3)
AFTER_Q3 = datetime(2024, 10, 15, 9, tzinfo=UTC)
IN_Q3 = datetime(2024, 8, 1, 9, tzinfo=UTC)


def annual(plan, year=2024):
    return build_content(plan=plan, kind="annual", period=Period(year))


def block(content, number):
    return next(b for c in content["chapters"] for b in c.actions if b.number == number)


def test_every_action_of_the_plan_is_in_the_annual_review(plan):
    content = annual(plan)
    numbers = [b.number for c in content["chapters"] for b in c.actions]
    assert numbers == list(Action.objects.in_plan(plan).values_list("number", flat=True))
    assert [c.number for c in content["chapters"]] == [3, 4, 5, 6, 7, 8]
    assert content["summary"]["actions"] == 35


def test_leads_of_both_sides_are_named(plan):
    leads = block(annual(plan), "5.2").leads
    assert (leads[Side.DK], leads[Side.MX]) == ("DKMA", "COFEPRIS")


def test_a_status_change_after_the_period_leaves_the_period_unchanged(plan):
    action = Action.objects.get(number="6.6")
    user = UserFactory()
    action_services.update_action_status(
        action=action, user=user, status=Status.ON_TRACK, progress=30, expected_version=1, at=IN_Q3
    )
    before = build_content(plan=plan, kind="quarterly", period=Q3_2024)

    action.refresh_from_db()
    action_services.update_action_status(
        action=action,
        user=user,
        status=Status.DELAYED,
        progress=35,
        expected_version=action.version,
        at=AFTER_Q3,
    )
    after = build_content(plan=plan, kind="quarterly", period=Q3_2024)

    assert (block(after, "6.6").status, block(after, "6.6").progress) == ("on_track", 30)
    assert after["summary"]["status_rows"] == before["summary"]["status_rows"]
    assert block(
        build_content(plan=plan, kind="quarterly", period=Period(2024, 4)), "6.6"
    ).status == ("delayed")


def test_status_counts_equal_the_database_as_of_the_period(plan):
    user = UserFactory()
    for number, status in (("3.1", Status.ON_TRACK), ("3.2", Status.AT_RISK)):
        action = Action.objects.get(number=number)
        action_services.update_action_status(
            action=action, user=user, status=status, progress=20, expected_version=1, at=IN_Q3
        )
    rows = {s: n for s, _label, n in annual(plan)["summary"]["status_rows"]}
    assert rows == {
        "not_started": 33,
        "on_track": 1,
        "at_risk": 1,
        "delayed": 0,
        "completed": 0,
        "ongoing": 0,
        "discontinued": 0,
    }


def test_what_changed_lists_status_moves_and_completed_milestones(plan):
    user = UserFactory()
    action = Action.objects.get(number="7.2")
    action_services.update_action_status(
        action=action, user=user, status=Status.AT_RISK, progress=10, expected_version=1, at=IN_Q3
    )
    milestone = action_services.add_milestone(
        action=action,
        user=user,
        title="Contingency plan agreed",
        start_date=date(2024, 1, 10),
        due_date=date(2024, 9, 1),
        at=datetime(2024, 1, 10, tzinfo=UTC),
    )
    action_services.complete_milestone(
        milestone=milestone, user=user, done_on=date(2024, 8, 20), at=IN_Q3.replace(day=21)
    )

    changes = build_content(plan=plan, kind="quarterly", period=Q3_2024)["changes"]

    assert ("7.2", action.short_title, "Not started", "At risk") in changes["status_moves"]
    assert ("7.2", "Contingency plan agreed", date(2024, 8, 20)) in changes["milestones_completed"]


def test_a_milestone_done_after_the_period_is_overdue_in_that_period(plan):
    user = UserFactory()
    action = Action.objects.get(number="7.1")
    milestone = action_services.add_milestone(
        action=action,
        user=user,
        title="Surveillance workshop",
        start_date=date(2024, 2, 1),
        due_date=date(2024, 6, 30),
        at=datetime(2024, 2, 1, tzinfo=UTC),
    )
    action_services.complete_milestone(
        milestone=milestone, user=user, done_on=date(2024, 7, 10), at=AFTER_Q3
    )

    content = build_content(plan=plan, kind="quarterly", period=Q3_2024)
    overdue = [(a.number, m.title, m.overdue_days) for a, m in content["overdue"]]
    assert ("7.1", "Surveillance workshop", 92) in overdue
    assert Milestone.objects.get(pk=milestone.pk).done_on == date(2024, 7, 10)


def test_only_jointly_approved_narratives_of_the_period_are_shown(plan):
    user, dk, mx = UserFactory(), UserFactory(), UserFactory()
    action = Action.objects.get(number="8.1")
    approved = action_services.submit_update(
        action=action, author=user, status="on_track", progress=20, narrative="First", at=IN_Q3
    )
    for side, reviewer in ((Side.DK, dk), (Side.MX, mx)):
        action_services.review_update(
            update=approved,
            reviewer=reviewer,
            side=side,
            decision="approved",
            at=IN_Q3.replace(day=5),
        )
    action_services.submit_update(
        action=action,
        author=user,
        status="on_track",
        progress=40,
        narrative="Waiting",
        at=IN_Q3.replace(day=9),
    )

    assert (
        block(build_content(plan=plan, kind="quarterly", period=Q3_2024), "8.1").narrative
        == "First"
    )
    assert (
        block(build_content(plan=plan, kind="quarterly", period=Period(2024, 2)), "8.1").narrative
        == ""
    )


def test_chapter_and_institution_reports_hold_only_their_actions(plan):
    from partners.models import Institution

    chapter = plan.chapters.get(number=5)
    content = build_content(plan=plan, kind="chapter", period=Period(2024), chapter=chapter)
    assert [b.number for c in content["chapters"] for b in c.actions] == [
        "5.1",
        "5.2",
        "5.3",
        "5.4",
    ]

    cofepris = Institution.objects.get(code="cofepris")
    content = build_content(
        plan=plan, kind="institution", period=Period(2024), institution=cofepris
    )
    assert [b.number for c in content["chapters"] for b in c.actions] == ["5.2"]
