"""Never twice, never lost: a mail server that is down loses nothing, and two runs at once send
each e-mail once."""

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection

from notifications import services, tasks
from notifications.models import Delivery, Mode
from tests.factories import MilestoneFactory
from tests.notifications.conftest import told

TODAY = date(2026, 3, 2)


def milestone_due_in_a_week(world):
    due = TODAY + timedelta(7)
    return MilestoneFactory(
        action=world.action, start_date=due - timedelta(30), due_date=due, title="Sampling"
    )


@pytest.fixture
def mail_server_down(settings, unused_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", unused_port, 2


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_loses_nothing_and_the_next_run_sends(
    world, settings, mail_server_down
):
    milestone_due_in_a_week(world)
    with pytest.raises(OSError):
        services.send_reminders(today=TODAY)
    assert Delivery.objects.filter(kind="milestones").exists()
    assert not Delivery.objects.filter(sent_at__isnull=False).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.send_reminders(today=TODAY)
    assert "liaison-dkma" in told(mail.outbox)
    assert not Delivery.objects.filter(kind="milestones", sent_at__isnull=True).exists()


def test_the_task_is_retried_when_the_mail_server_is_down(world, mail_server_down, caplog):
    milestone_due_in_a_week(world)
    # In-process, Celery makes every retry at once, until it gives up.
    tasks.send_reminders.apply(kwargs={"today": TODAY.isoformat()})
    retries = [r for r in caplog.records if "Retry in" in r.getMessage()]
    assert len(retries) == tasks.send_reminders.max_retries
    assert Delivery.objects.filter(kind="milestones", sent_at__isnull=True).exists()


def test_each_person_gets_one_digest_a_day_at_most(world):
    milestone_due_in_a_week(world)
    services.send_reminders(today=TODAY)
    first = Counter(m.to[0] for m in mail.outbox)
    assert first and set(first.values()) == {1}
    # Something new the same day waits for tomorrow's digest.
    due = TODAY + timedelta(1)
    MilestoneFactory(action=world.action, start_date=due, due_date=due, title="Tomorrow")
    mail.outbox.clear()
    services.send_reminders(today=TODAY)
    assert mail.outbox == []
    assert Delivery.objects.filter(kind="milestones", sent_at__isnull=True).exists()
    services.send_reminders(today=TODAY + timedelta(1))
    assert "Tomorrow" in told(mail.outbox)["liaison-dkma"][0].body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_runs_at_once_send_each_email_once(world):
    milestone_due_in_a_week(world)
    services.set_preferences(user=world.liaison_mx, language="en", submitted=Mode.DIGEST)
    start = threading.Barrier(2)
    failures = []

    def run():
        try:
            start.wait(timeout=10)
            services.send_reminders(today=TODAY)
        except Exception as exc:  # reported below, in the test's own thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    sent = Counter(message.to[0] for message in mail.outbox)
    assert sent and set(sent.values()) == {1}
    unsent = Delivery.objects.filter(sent_at__isnull=True)
    assert not unsent.exists()
    assert Delivery.objects.filter(kind="digest").count() == len(sent)
