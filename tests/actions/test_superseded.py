"""An older update still waiting for review, or returned to be revised, is superseded once a
newer one is jointly approved."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import ProgressUpdate, Review, Status
from partners.models import Side
from tests.roles import action_in, make_demo_user

APPROVED = Review.Decision.APPROVED
State = ProgressUpdate.ReviewState
migration = importlib.import_module("actions.migrations.0006_supersede_older_waiting_updates")


@pytest.fixture
def people(plan):
    return {
        "author": make_demo_user("liaison_cofepris"),
        "cofepris": make_demo_user("liaison_cofepris"),
        "dkma": make_demo_user("liaison_dkma"),
    }


def post(action, author, days_ago, narrative="Progress."):
    return services.submit_update(
        action=action,
        author=author,
        status=Status.ON_TRACK,
        progress=20,
        narrative=narrative,
        at=timezone.now() - timedelta(days=days_ago),
    )


def approve(update, people):
    for reviewer, side in [(people["dkma"], Side.DK), (people["cofepris"], Side.MX)]:
        services.review_update(update=update, reviewer=reviewer, side=side, decision=APPROVED)


def state_of(update):
    update.refresh_from_db()
    return update.review_state


def test_approving_a_newer_update_supersedes_older_waiting_ones(plan, people):
    action = action_in(plan, "5.2")
    older = post(action, people["author"], 20)
    newer = post(action, people["author"], 10)
    approve(newer, people)
    assert state_of(newer) == State.APPROVED
    assert state_of(older) == State.SUPERSEDED


def test_approving_a_newer_update_supersedes_an_older_returned_one_awaiting_revision(plan, people):
    action = action_in(plan, "5.2")
    returned = post(action, people["author"], 20)
    services.review_update(
        update=returned,
        reviewer=people["dkma"],
        side=Side.DK,
        decision=Review.Decision.RETURNED,
        comment="Which clinics?",
    )
    assert state_of(returned) == State.RETURNED
    approve(post(action, people["author"], 10), people)
    assert state_of(returned) == State.SUPERSEDED


def test_superseding_keeps_the_update_and_names_the_approver_in_history(plan, people):
    action = action_in(plan, "5.2")
    older = post(action, people["author"], 20)
    approve(post(action, people["author"], 10), people)
    assert ProgressUpdate.objects.filter(pk=older.pk).exists()
    row = older.history.first()
    assert (row.review_state, row.history_user) == (State.SUPERSEDED, people["cofepris"])


def test_newer_waiting_approved_and_other_actions_updates_are_left_alone(plan, people):
    action = action_in(plan, "5.2")
    approved_before = post(action, people["author"], 30)
    approve(approved_before, people)
    approved = post(action, people["author"], 10)
    newer = post(action, people["author"], 5)
    newer_returned = post(action, people["author"], 4)
    services.review_update(
        update=newer_returned,
        reviewer=people["dkma"],
        side=Side.DK,
        decision=Review.Decision.RETURNED,
        comment="Add the minutes.",
    )
    elsewhere = post(action_in(plan, "3.1"), people["author"], 20)
    approve(approved, people)
    assert state_of(approved_before) == State.APPROVED
    assert state_of(newer) == State.SUBMITTED
    assert state_of(newer_returned) == State.RETURNED
    assert state_of(elsewhere) == State.SUBMITTED


def test_a_superseded_update_leaves_the_review_queue(plan, people):
    action = action_in(plan, "5.2")
    older = post(action, people["author"], 20, narrative="The older one.")
    approve(post(action, people["author"], 10), people)
    client = Client()
    client.force_login(people["dkma"])
    queue = client.get(reverse("actions:review_queue")).context["updates"]
    assert older.pk not in [u.pk for u in queue]
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "a newer update on this action was jointly approved" in page


def test_the_data_migration_supersedes_waiting_updates_older_than_an_approved_one(plan, people):
    action = action_in(plan, "5.2")
    older = post(action, people["author"], 20)
    approved = post(action, people["author"], 10)
    newer = post(action, people["author"], 5)
    # As the rows stood before the rule existed: approved without superseding.
    ProgressUpdate.objects.filter(pk=approved.pk).update(review_state=State.APPROVED)
    history_rows = older.history.count()

    migration.supersede(apps, None)

    assert state_of(older) == State.SUPERSEDED
    assert state_of(newer) == State.SUBMITTED
    assert older.history.count() == history_rows + 1
    assert older.history.first().review_state == State.SUPERSEDED
