"""The beat schedules and the thin tasks they run."""

import importlib
from datetime import date, timedelta

from django.apps import apps
from django.core import mail
from django_celery_beat.models import PeriodicTask

from actions import services as actions
from notifications import tasks
from tests.factories import MilestoneFactory
from tests.notifications.conftest import told

schedules = importlib.import_module("notifications.migrations.0002_schedules")


def test_beat_runs_events_every_minute_and_reminders_every_morning(db):
    schedules.create(apps, None)
    schedules.create(apps, None)  # as a migration run again: still one of each
    events = PeriodicTask.objects.get(task="notifications.tasks.notify_events")
    reminders = PeriodicTask.objects.get(task="notifications.tasks.send_reminders")
    assert (events.interval.every, events.interval.period) == (1, "minutes")
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("6", "0")


def test_the_events_task_sends_what_waits(world):
    actions.submit_update(
        action=world.action,
        author=world.liaison_dk,
        status="on_track",
        progress=50,
        narrative="Sampling began.",
    )
    tasks.notify_events.delay()
    assert "liaison-semarnat" in told(mail.outbox)


def test_the_reminders_task_takes_the_date_as_text(world):
    due = date(2026, 3, 9)
    MilestoneFactory(action=world.action, start_date=due - timedelta(30), due_date=due)
    tasks.send_reminders.delay("2026-03-02")
    assert "liaison-dkma" in told(mail.outbox)
