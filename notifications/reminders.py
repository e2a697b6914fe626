"""Reminders, found once a day for a given date: milestones due in 30, 7 and 1 days; overdue at
1 and 7 days and then every 30; reviews waiting 7 days (escalated to the side's embassy staff at
14 and to its plan administrators at 28); actions with no update for 90 days.

Each reminder is keyed by the threshold reached, not by the exact day, so a day the task did not
run loses nothing: the next run sends the reminder of the threshold reached by then, once.
"""

from datetime import datetime, time, timedelta

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Status
from notifications.events import Owed, _updates, update_facts
from notifications.models import Kind
from plancore import permissions

DUE_SOON = (1, 7, 30)
OVERDUE_FIRST = (1, 7)
OVERDUE_EVERY = 30
REVIEW_WAITING, REVIEW_TO_STAFF, REVIEW_TO_ADMINISTRATORS = 7, 14, 28
STALE_AFTER = 90


def due_threshold(days_left):
    """The nearest of 30, 7 and 1 days reached (None if due later than in 30 days)."""
    return next((t for t in DUE_SOON if days_left <= t), None)


def overdue_threshold(days_over):
    """1, 7, 37, 67… : the last of them reached (None if not overdue yet)."""
    if days_over < OVERDUE_FIRST[0]:
        return None
    if days_over < OVERDUE_FIRST[1]:
        return OVERDUE_FIRST[0]
    return OVERDUE_FIRST[1] + OVERDUE_EVERY * ((days_over - OVERDUE_FIRST[1]) // OVERDUE_EVERY)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _responsibilities():
    return Prefetch("action__responsibilities", queryset=Responsibility.objects.order_by("pk"))


def milestones(people, today):
    open_milestones = (
        Milestone.objects.filter(done_on__isnull=True, due_date__lte=today + timedelta(30))
        .select_related("action")
        .prefetch_related(_responsibilities())
    )
    for milestone in open_milestones:
        days_left = (milestone.due_date - today).days
        if days_left >= 0:
            state, threshold = "due", due_threshold(days_left)
        else:
            state, threshold = "overdue", overdue_threshold(-days_left)
        facts = {
            "action": milestone.action.number,
            "title": milestone.action.short_title,
            "milestone": milestone.title,
            "due": milestone.due_date.isoformat(),
            "state": state,
            "days": abs(days_left),
            "path": reverse("actions:detail", args=[milestone.action_id]),
        }
        key = f"milestone-{milestone.pk}:{milestone.due_date.isoformat()}:{state}"
        for person in people.responsible_for(milestone.action, milestone.responsible_id):
            yield Owed(person, Kind.MILESTONES, key, threshold, facts)


def reviews(people, today):
    """Updates waiting 7 days or more: to the deciders, then escalated by side."""
    oldest = _start_of(today - timedelta(REVIEW_WAITING - 1))
    waiting = _updates().filter(
        review_state=ProgressUpdate.ReviewState.SUBMITTED, submitted_at__lt=oldest
    )
    for update in waiting:
        waited = (today - timezone.localdate(update.submitted_at)).days
        decided = {review.side for review in update.reviews.all()}
        facts = update_facts(update) | {
            "days": waited,
            "submitted": timezone.localdate(update.submitted_at).isoformat(),
            "review_path": reverse("actions:review_queue"),
        }
        for side in permissions.COUNTRY_SIDES:
            if side in decided:
                continue
            key = f"update-{update.pk}:r{update.revision}:{side}"
            steps = [(REVIEW_WAITING, people.deciders(update, side))]
            if waited >= REVIEW_TO_STAFF:
                steps.append((REVIEW_TO_STAFF, people.staff[side]))
            if waited >= REVIEW_TO_ADMINISTRATORS:
                steps.append((REVIEW_TO_ADMINISTRATORS, people.administrators[side]))
            for threshold, told in steps:
                for person in told - {update.author_id}:
                    yield Owed(person, Kind.REVIEWS, key, threshold, facts | {"side": side})


def stale(people, today):
    """Actions under way with no update for 90 days (counted from the start, if never)."""
    cutoff = today - timedelta(STALE_AFTER)
    actions = (
        Action.objects.exclude(status__in=[Status.COMPLETED, Status.DISCONTINUED])
        .annotate(last_update=Max("updates__submitted_at"))
        .filter(
            Q(last_update__lt=_start_of(cutoff + timedelta(1)))
            | Q(last_update__isnull=True, start_date__lte=cutoff)
        )
        .prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.order_by("pk"))
        )
        .order_by("pk")
    )
    for action in actions:
        last = timezone.localdate(action.last_update) if action.last_update else None
        since = last or action.start_date
        if since is None or since > cutoff:
            continue
        facts = {
            "action": action.number,
            "title": action.short_title,
            "last": last.isoformat() if last else "",
            "days": (today - since).days,
            "path": reverse("actions:detail", args=[action.pk]),
        }
        key = f"action-{action.pk}:{last.isoformat() if last else 'never'}"
        for person in people.responsible_for(action):
            yield Owed(person, Kind.STALE, key, STALE_AFTER, facts)


FINDERS = (milestones, reviews, stale)


def find(people, *, today):
    return [owed for finder in FINDERS for owed in finder(people, today)]
