"""A plan's figures that are the same for every reader (its actions per chapter and status
with their mean progress, how many open milestones are overdue or due soon), and, through
`cached`, whatever else a page would otherwise compute on every request: the dashboard's shared
sections, an action's history, the filter lists, each person's "what needs me" count.

The database computes them (with the indexes they need), the cache keeps them, and every write
through actions.services, the report builds and releases of reporting.services, loadplan,
synthplan and the administration site drops them all by moving to a new version, at once and
again when its transaction commits. A day's values never outlive the day (overdue depends on
it), nor FIGURES_SECONDS.

Each worker process also keeps the values it read last (`KEPT_HERE`, by key, with their
version), and a request reads the version once, when it first asks for a figure: the figures of
a page then cost one round trip to the cache server in all, and none is unpickled again while
the version stands. A request sees the version it started with, as a page drawn a moment
earlier would; its own writes move it on.
"""

import collections
import pickle
import threading
import time
import uuid
from datetime import timedelta

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import get_language

from actions.models import Action, Milestone, Status
from actions.progress_history import chapter_progress_by_quarter
from plancore.history import save_with_history

VERSION_KEY = "plan-figures:version"
FIGURES_SECONDS = 300


# Values this process read or computed, the least recently read first: key -> (version,
# pickled value, the time it expires).
KEPT_HERE = collections.OrderedDict()
KEPT_HERE_LIMIT = 256
_kept_here_lock = threading.Lock()
# The version a request read, for the rest of that request (only while one is being answered).
_request = Local()


def _open_request(**kwargs):
    _request.active, _request.version = True, None


def _close_request(**kwargs):
    _request.active, _request.version = False, None


request_started.connect(_open_request, dispatch_uid="plan-figures-open")
request_finished.connect(_close_request, dispatch_uid="plan-figures-close")


def forget():
    """Every cached figure is stale from now on."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if getattr(_request, "active", False):
        _request.version = version


def current_version():
    """The figures' version: read from the cache server once per request (every time outside
    one), and started when the cache has none."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if getattr(_request, "active", False):
        _request.version = version
    return version


def invalidate():
    """Every cached figure is stale from now on, and again once the current transaction commits
    (so that nothing computed from uncommitted rows is kept)."""
    forget()
    transaction.on_commit(forget)


def saved(instance, *, user, at=None, reason=None):
    """plancore.history.save_with_history, then drop the figures: for the services whose writes
    change what a figure, a list or someone's "what needs me" shows."""
    save_with_history(instance, user=user, at=at, reason=reason)
    invalidate()
    return instance


def cached(name, plan, today, compute):
    """compute(), kept under `name` for the plan (None: every plan), the day and the active
    language (titles, names and labels are read in it) until the figures are dropped. The value
    is stored with the version it was computed at; no round trip to the cache server when this
    process kept it at the current version, one when another process computed it."""
    scope = plan.pk if plan is not None else "all"
    key = f"plan-figures:{name}:{scope}:{today.isoformat()}:{get_language()}"
    version = current_version()
    with _kept_here_lock:
        here = KEPT_HERE.get(key)
        if here is not None and here[0] == version and here[2] > time.time():
            KEPT_HERE.move_to_end(key)
            return pickle.loads(here[1])
    kept = cache.get(key)
    if kept is not None and len(kept) == 3 and kept[0] == version:
        _version, value, computed_at = kept
    else:
        value, computed_at = compute(), time.time()
        cache.set(key, (version, value, computed_at), FIGURES_SECONDS)
    _keep_here(key, version, value, computed_at)
    return value


def _keep_here(key, version, value, computed_at):
    """Kept in this process until FIGURES_SECONDS after it was computed, as the cache server
    keeps it; pickled as the cache server keeps it, so that each reader gets a copy of its own
    to change."""
    pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _kept_here_lock:
        KEPT_HERE[key] = (version, pickled, computed_at + FIGURES_SECONDS)
        KEPT_HERE.move_to_end(key)
        while len(KEPT_HERE) > KEPT_HERE_LIMIT:
            KEPT_HERE.popitem(last=False)


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
