"""A plan's figures are computed once and kept, and a change through the services, loadplan or
the administration site is seen at once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import figures, services
from actions.models import Action, Status
from tests.factories import UserFactory
from tests.roles import make_demo_user, signed_in


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


def test_a_change_in_the_administration_site_is_counted_at_once(plan, client):
    admin_client = signed_in(client, UserFactory(is_staff=True, is_superuser=True))
    action = Action.objects.get(chapter__plan=plan, number="6.6")
    before = sum(counts(plan)[6].values())

    response = admin_client.post(
        reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    assert sum(counts(plan)[6].values()) == before - 1


def test_milestone_counts_follow_the_day(plan):
    today = timezone.localdate()
    kept = figures.milestone_figures(plan, today, 60)
    with CaptureQueriesContext(connection) as queries:
        figures.milestone_figures(plan, today + timedelta(days=1), 60)
    assert len(queries) == 1  # another day is computed afresh
    assert figures.milestone_figures(plan, today, 60) == kept
