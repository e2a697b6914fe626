"""A plan's figures are computed once and kept, and a change through the services, loadplan or
the administration site is seen at once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import figures, services
from actions.models import Action, Status
from tests.roles import make_demo_user


def counts(plan):
    rows = figures.chapter_figures(plan, timezone.localdate())
    return {row["number"]: row["counts"] for row in rows}


def test_figures_are_read_once_and_then_kept(plan):
    first = counts(plan)
    with CaptureQueriesContext(connection) as queries:
        again = counts(plan)
    assert again == first and len(queries) == 0


def test_a_status_change_through_the_services_is_counted_at_once(plan):
    action = Action.objects.get(chapter__plan=plan, number="6.6")
    before = counts(plan)[6]
    services.update_action_status(
        action=action,
        user=make_demo_user("embassy_dk"),
        status=Status.DELAYED,
        progress=action.progress,
        expected_version=action.version,
    )
    after = counts(plan)[6]
    assert after[Status.DELAYED] == before[Status.DELAYED] + (action.status != Status.DELAYED)
    assert sum(after.values()) == sum(before.values())


def test_a_change_in_the_administration_site_is_counted_at_once(rf, plan):
    from django.contrib.admin.sites import site

    from actions.admin import ActionAdminForm

    action = Action.objects.get(chapter__plan=plan, number="6.6")
    counts(plan)
    action.status, action.progress = Status.COMPLETED, 100
    request = rf.post("/admin/actions/action/")
    request.user = make_demo_user("administrator")
    site._registry[Action].save_model(request, action, ActionAdminForm(instance=action), True)

    assert (
        counts(plan)[6][Status.COMPLETED]
        == Action.objects.filter(
            chapter__plan=plan, chapter__number=6, status=Status.COMPLETED
        ).count()
    )


def test_milestone_counts_follow_the_day(plan):
    today = timezone.localdate()
    kept = figures.milestone_figures(plan, today, 60)
    with CaptureQueriesContext(connection) as queries:
        figures.milestone_figures(plan, today + timedelta(days=1), 60)
    assert len(queries) == 1  # another day is computed afresh
    assert figures.milestone_figures(plan, today, 60) == kept
