"""A plan's figures that are the same for every reader (its actions per chapter and status
with their mean progress, how many open milestones are overdue or due soon), and, through
`cached`, whatever else a page would otherwise compute on every request: the dashboard's shared
sections, an action's history, the filter lists, each person's "what needs me" count.

The database computes them (with the indexes they need), the cache keeps them, and every write
through actions.services, the report builds and releases of reporting.services, loadplan,
synthplan and the administration site drops them all by moving to a new version, at once and
again when its transaction commits. A day's values never outlive the day (overdue depends on
it), nor FIGURES_SECONDS.
"""

import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import get_language

from actions.models import Action, Milestone, Status
from actions.progress_history import chapter_progress_by_quarter

VERSION_KEY = "plan-figures:version"
FIGURES_SECONDS = 300


def forget():
    """Every cached figure is stale from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate():
    """Every cached figure is stale from now on, and again once the current transaction commits
    (so that nothing computed from uncommitted rows is kept)."""
    forget()
    transaction.on_commit(forget)


def cached(name, plan, today, compute):
    """compute(), kept under `name` for the plan (None: every plan), the day and the active
    language (titles, names and labels are read in it) until the figures are dropped. One round
    trip to the cache when it is kept: the value is stored with the version it was computed at
    and read together with the current version."""
    scope = plan.pk if plan is not None else "all"
    key = f"plan-figures:{name}:{scope}:{today.isoformat()}:{get_language()}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    cache.set(key, (version, value), FIGURES_SECONDS)
    return value


def chapter_figures(plan, today):
    """[{pk, number, label, counts {status: n}, total, progress}] for chapters with actions."""

    def compute():
        chapters = list(
            plan.chapters.with_actions()
            .annotate(action_count=Count("actions"), mean=Avg("actions__progress"))
            .order_by("number")
        )
        counts = {chapter.pk: dict.fromkeys(Status.values, 0) for chapter in chapters}
        per_status = (
            Action.objects.filter(chapter__plan=plan)
            .values("chapter_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in per_status:
            if row["chapter_id"] in counts and row["status"] in Status.values:
                counts[row["chapter_id"]][row["status"]] = row["n"]
        return [
            {
                "pk": chapter.pk,
                "number": chapter.number,
                "label": str(chapter),
                "counts": counts[chapter.pk],
                "total": chapter.action_count,
                "progress": None if chapter.mean is None else round(chapter.mean),
            }
            for chapter in chapters
        ]

    return cached("chapters", plan, today, compute)


def milestone_figures(plan, today, due_soon_days):
    """{"overdue": n, "due_soon": n} of the plan's open milestones."""

    def compute():
        due_soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=due_soon_days))
        return Milestone.objects.filter(action__chapter__plan=plan, done_on__isnull=True).aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=due_soon),
        )

    return cached(f"milestones-{due_soon_days}", plan, today, compute)


def progress_over_time(plan, today):
    """{"points": [QuarterPoint], "series": [{"label", "values"}]}: each chapter's mean progress
    at the end of every quarter from the plan's start to today, read from history (2 queries)."""

    def compute():
        chapters = list(plan.chapters.with_actions().order_by("number"))
        points, series = chapter_progress_by_quarter(
            plan=plan, until=today, chapter_ids=[chapter.pk for chapter in chapters]
        )
        return {
            "points": points,
            "series": [
                {"label": str(chapter), "values": series[chapter.pk]} for chapter in chapters
            ],
        }

    return cached("progress-over-time", plan, today, compute)
