"""On the demo's three years of history: the first run announces none of it, and the daily
reminders give each person one digest, a liaison's only about what their institutions answer for
(the action, or a milestone of it)."""

from collections import Counter

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from actions.models import Action
from notifications import services
from notifications.models import Delivery, Start
from partners.models import Membership


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


def test_the_first_run_announces_none_of_the_demos_history(demo_plan, db):
    Start.objects.all().delete()
    run = services.notify_events()
    assert (run.claimed, run.emails, mail.outbox) == (0, 0, [])
    assert Start.objects.count() == 1


def test_the_first_daily_run_sends_each_person_one_digest_about_their_own_actions(demo_plan, db):
    services.send_reminders()
    digests = Counter(message.to[0] for message in mail.outbox)
    assert digests and set(digests.values()) == {1}

    liaison_of = {}
    for membership in Membership.objects.filter(role=Membership.Role.LIAISON):
        liaison_of.setdefault(membership.user_id, set()).add(membership.institution_id)
    answers_for = {
        user_id: set(
            Action.objects.filter(
                Q(responsibilities__institution__in=institutions)
                | Q(milestones__responsible__in=institutions)
            ).values_list("number", flat=True)
        )
        for user_id, institutions in liaison_of.items()
    }
    reminders = Delivery.objects.filter(recipient_id__in=answers_for).exclude(kind="digest")
    assert reminders.exists()
    for delivery in reminders:
        assert delivery.facts["action"] in answers_for[delivery.recipient_id], delivery

    mail.outbox.clear()
    services.send_reminders(today=timezone.localdate())
    assert mail.outbox == []
