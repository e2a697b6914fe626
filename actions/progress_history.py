"""Each chapter's mean progress at the end of every quarter of a plan's life, read from the
history of its actions: what the dashboard and the reports draw as progress over time.

Each action of the chapters counts, at each quarter's end, with the progress of its latest
history row by then. A change recorded in a past quarter therefore shows in that quarter's point,
whenever it was made. Actions count in the chapter they are in now; a deleted action no longer
counts, in any quarter.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Subquery
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
    `until` (a date), for the chapters named: in one query, each of their actions with its
    progress at every quarter's end read from its latest history row by then (NULL before it
    existed), so the database probes each action's history through its index, never reading a
    history table whole."""
    points = quarters(plan.period_start, min(until, plan.period_end))
    series = {cid: [] for cid in chapter_ids}
    if not points:
        return [], series
    history = Action.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    columns = {
        f"q{index}": Subquery(
            history.filter(history_date__lte=_end_of_day(point.end)).values("progress")[:1]
        )
        for index, point in enumerate(points)
    }
    rows = (
        Action.objects.filter(chapter_id__in=list(chapter_ids))
        .annotate(**columns)
        .values_list("chapter_id", *columns)
    )
    totals = {cid: [[0, 0] for _point in points] for cid in chapter_ids}
    for chapter_id, *values in rows.iterator(chunk_size=2000):
        for total, value in zip(totals[chapter_id], values, strict=True):
            if value is not None:
                total[0] += value
                total[1] += 1
    for cid, per_point in totals.items():
        series[cid] = [round(total / count) if count else None for total, count in per_point]
    return points, series


def _end_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.max))
