"""Each chapter's mean progress at the end of every quarter of a plan's life, read from the
history of its actions: what the dashboard and the reports draw as progress over time.

One query reads the history rows of the plan's actions up to the last moment asked for; the
quarters are then walked in order, each action's latest row at each quarter's end counting (a
deleted action stops counting). A change recorded in a past quarter therefore shows in that
quarter's point, whenever it was made.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action


@dataclass(frozen=True)
class QuarterPoint:
    year: int
    quarter: int
    end: date

    @property
    def label(self):
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}


def quarters(start, until):
    """The quarters from the one holding `start` to the one holding `until`; the last ends at
    `until` when that quarter is still running."""
    points = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while date(year, 3 * quarter - 2, 1) <= until:
        next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        points.append(QuarterPoint(year, quarter, min(next_start - timedelta(days=1), until)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return points


def chapter_progress_by_quarter(*, plan, until, chapter_ids):
    """(points, {chapter_id: [mean progress or None, one per point]}) from the plan's start to
    `until` (a date), for the chapters named."""
    points = quarters(plan.period_start, min(until, plan.period_end))
    if not points:
        return [], {cid: [] for cid in chapter_ids}
    last_moment = _end_of_day(points[-1].end)
    rows = (
        Action.history.filter(chapter_id__in=list(chapter_ids), history_date__lte=last_moment)
        .order_by("history_date", "history_id")
        .values_list("id", "chapter_id", "progress", "history_type", "history_date")
    )
    standing = {}  # action id -> (chapter id, progress), as of the point being walked to
    series = {cid: [] for cid in chapter_ids}
    index = 0
    ends = [_end_of_day(point.end) for point in points]
    for action_id, chapter_id, progress, history_type, moment in rows.iterator(chunk_size=5000):
        while moment > ends[index]:
            _close_point(standing, series)
            index += 1
        if history_type == "-":
            standing.pop(action_id, None)
        else:
            standing[action_id] = (chapter_id, progress)
    while index < len(points):
        _close_point(standing, series)
        index += 1
    return points, series


def _close_point(standing, series):
    totals = {cid: [0, 0] for cid in series}
    for chapter_id, progress in standing.values():
        if chapter_id in totals:
            totals[chapter_id][0] += progress
            totals[chapter_id][1] += 1
    for cid, (total, count) in totals.items():
        series[cid].append(round(total / count) if count else None)


def _end_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.max))
