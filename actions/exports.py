"""The action list as CSV, streamed: rows are read in batches and written as they go, so a
download of 10,000 actions takes constant memory and starts at once."""

import csv
from collections import defaultdict
from itertools import islice

from django.utils.translation import gettext as _

from actions.models import Action, Responsibility, Status
from partners.models import Side

BATCH = 500
COLUMNS = (
    "pk",
    "number",
    "short_title",
    "chapter__title",
    "status",
    "progress",
    "start_date",
    "target_date",
    "overdue_milestones",
)


def csv_cell(value):
    """Keep spreadsheet programs from reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def batched(iterable, size):
    """Lists of `size` items from `iterable` (itertools.batched arrives with Python 3.12)."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def header():
    return [
        _("Number"),
        _("Short title"),
        _("Chapter"),
        _("Status"),
        _("Progress (%)"),
        _("Start date"),
        _("Target date"),
        _("Danish lead"),
        _("Mexican lead"),
        _("Partners"),
        _("SDGs"),
        _("Overdue milestones"),
    ]


class _Line:
    """What csv.writer writes to: it hands back each line instead of keeping it."""

    def write(self, line):
        return line


def csv_lines(actions):
    """The CSV's lines for `actions` (a filtered queryset annotated with overdue_milestones),
    in its order: a byte-order mark and the header, then one line per action. Three queries
    per BATCH actions; nothing is held beyond the current batch."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header())  # the mark: spreadsheet programs read UTF-8
    labels = dict(Status.choices)
    rows = actions.values_list(*COLUMNS).iterator(chunk_size=BATCH)
    for batch in batched(rows, BATCH):
        ids = [row[0] for row in batch]
        leads, partners = _responsibilities(ids)
        sdgs = _sdgs(ids)
        for pk, number, title, chapter, status, progress, start, target, overdue in batch:
            yield writer.writerow(
                csv_cell(value)
                for value in (
                    number,
                    title,
                    chapter,
                    labels.get(status, status),
                    progress,
                    start,
                    target,
                    leads.get((pk, Side.DK), ""),
                    leads.get((pk, Side.MX), ""),
                    "; ".join(partners[pk]),
                    ", ".join(sdgs[pk]),
                    overdue,
                )
            )


def _responsibilities(ids):
    leads, partners = {}, defaultdict(list)
    rows = (
        Responsibility.objects.filter(action_id__in=ids)
        .order_by("action_id", "side", "role", "institution__name")
        .values_list("action_id", "side", "role", "institution__acronym", "institution__name")
    )
    for action_id, side, role, acronym, full_name in rows:
        name = acronym or full_name  # as Institution.short_name
        if role == Responsibility.Role.LEAD:
            leads[(action_id, side)] = name
        else:
            partners[action_id].append(name)
    return leads, partners


def _sdgs(ids):
    numbers = defaultdict(list)
    through = Action.sdgs.through.objects.filter(action_id__in=ids).order_by(
        "action_id", "sustainabledevelopmentgoal__number"
    )
    for action_id, number in through.values_list("action_id", "sustainabledevelopmentgoal__number"):
        numbers[action_id].append(str(number))
    return numbers
