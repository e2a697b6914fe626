"""Reminders as of a fixed date: each threshold once, a second run sends nothing, one digest a
day per person at most."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from actions import services as actions
from notifications import services
from notifications.models import Delivery
from notifications.reminders import due_threshold, overdue_threshold
from tests.factories import MilestoneFactory
from tests.notifications.conftest import told

TODAY = date(2026, 3, 2)


def at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.mark.parametrize(
    ("days_left", "threshold"), [(31, None), (30, 30), (8, 30), (7, 7), (2, 7), (1, 1), (0, 1)]
)
def test_a_milestone_due_soon_reaches_the_nearest_of_30_7_and_1_days(days_left, threshold):
    assert due_threshold(days_left) == threshold


@pytest.mark.parametrize(
    ("days_over", "threshold"),
    [(0, None), (1, 1), (6, 1), (7, 7), (36, 7), (37, 37), (66, 37), (67, 67)],
)
def test_an_overdue_milestone_is_reminded_at_1_and_7_days_and_then_every_30(days_over, threshold):
    assert overdue_threshold(days_over) == threshold


def reminded(kind):
    return set(Delivery.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def milestone(world, days_from_today, **fields):
    due = TODAY + timedelta(days_from_today)
    return MilestoneFactory(
        action=world.action, start_date=due - timedelta(100), due_date=due, **fields
    )


def recent_update(world):
    """An approved update a week ago, so that the action is not stale."""
    update = actions.submit_update(
        action=world.action,
        author=world.staff_dk,
        status="on_track",
        progress=10,
        narrative="Work goes on.",
        at=at(TODAY - timedelta(8)),
    )
    for reviewer, side in ((world.liaison_dk, "DK"), (world.liaison_mx, "MX")):
        actions.review_update(
            update=update,
            reviewer=reviewer,
            side=side,
            decision="approved",
            at=at(TODAY - timedelta(7)),
        )


@pytest.mark.parametrize("days", [30, 7, 1, -1, -7, -37])
def test_a_milestone_at_each_threshold_reminds_the_responsible_liaisons_once(world, days):
    recent_update(world)
    milestone(world, days, title="Joint sampling report")
    first = services.send_reminders(today=TODAY)
    received = told(mail.outbox)
    assert reminded("milestones") == {"liaison-dkma", "liaison-semarnat"}
    assert "Joint sampling report" in received["liaison-dkma"][0].body
    assert first.claimed == Delivery.objects.exclude(kind=Delivery.DIGEST).count() > 0
    mail.outbox.clear()
    again = services.send_reminders(today=TODAY)
    assert mail.outbox == []
    assert again.claimed == 0


def test_the_next_threshold_reminds_again_and_the_same_day_only_in_one_digest(world):
    recent_update(world)
    milestone(world, 7, title="Due in a week")
    milestone(world, 30, title="Due in a month")
    services.send_reminders(today=TODAY)
    assert len(told(mail.outbox)["liaison-dkma"]) == 1
    mail.outbox.clear()
    services.send_reminders(today=TODAY + timedelta(6))
    body = told(mail.outbox)["liaison-dkma"][0].body
    assert "Due in a week" in body and "Due in a month" not in body


def test_a_milestone_done_is_not_reminded(world):
    recent_update(world)
    milestone(world, 1, done_on=TODAY - timedelta(1))
    services.send_reminders(today=TODAY)
    assert reminded("milestones") == set()


def test_a_milestone_of_an_institution_goes_to_that_institutions_liaisons(world):
    recent_update(world)
    milestone(world, 7, responsible=world.semarnat)
    services.send_reminders(today=TODAY)
    assert reminded("milestones") == {"liaison-semarnat"}


def waiting_update(world, days):
    return actions.submit_update(
        action=world.action,
        author=world.liaison_dk,
        status="on_track",
        progress=10,
        narrative="Work goes on.",
        at=at(TODAY - timedelta(days)),
    )


def test_a_review_waiting_7_days_reminds_each_sides_deciders_but_not_the_author(world):
    waiting_update(world, 7)
    services.send_reminders(today=TODAY)
    # Denmark's only liaison wrote it: Denmark's embassy staff and administrators decide.
    assert reminded("reviews") == {"liaison-semarnat", "staff-dk", "admin-dk"}
    assert "liaison-semarnat" in told(mail.outbox)


def test_a_review_waiting_14_days_is_escalated_to_the_embassy_staff_and_28_to_administrators(
    world,
):
    update = waiting_update(world, 14)
    services.send_reminders(today=TODAY)
    assert "staff-mx" in told(mail.outbox) and "admin-mx" not in told(mail.outbox)
    mail.outbox.clear()
    services.send_reminders(today=TODAY + timedelta(14))
    assert "admin-mx" in told(mail.outbox)
    thresholds = Delivery.objects.filter(kind="reviews", key__endswith=":MX").values_list(
        "recipient__username", "threshold"
    )
    assert set(thresholds) == {("liaison-semarnat", 7), ("staff-mx", 14), ("admin-mx", 28)}
    assert update.author.username not in {name for name, _t in thresholds}


def test_an_action_with_no_update_for_90_days_reminds_those_responsible(world):
    actions.submit_update(
        action=world.action,
        author=world.staff_dk,
        status="on_track",
        progress=10,
        narrative="Work goes on.",
        at=at(TODAY - timedelta(91)),
    )
    services.send_reminders(today=TODAY)
    stale = Delivery.objects.filter(kind="stale", key__startswith=f"action-{world.action.pk}:")
    assert {d.recipient.username for d in stale} == {"liaison-dkma", "liaison-semarnat"}


def test_sendreminders_dry_run_records_and_sends_nothing(world, capsys):
    milestone(world, 7)
    call_command("sendreminders", "--today", TODAY.isoformat(), "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert mail.outbox == [] and not Delivery.objects.exists()
    call_command("sendreminders", "--today", TODAY.isoformat())
    assert mail.outbox


def test_sendreminders_refuses_a_date_it_cannot_read(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sendreminders", "--today", "2 March")
