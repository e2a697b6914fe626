"""Spreadsheets (XLSX) of the action list, its milestones and its updates, in the reader's
language: headers and status labels in the interface language, content in the content language.

Workbooks are written in openpyxl's write-only mode from rows read with values() in batches, so a
sheet of 10,000 rows takes constant memory; a few queries per BATCH rows.
"""

import tempfile

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from actions.exports import batched
from actions.models import Action, Milestone, ProgressUpdate, Status
from plancore import permissions
from plancore.languages import content_language
from spreadsheets.sheet_format import ACTION_COLUMNS, MILESTONE_COLUMNS

BATCH = 500
DATE_FORMAT = "yyyy-mm-dd"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def translated(field):
    """The field in the reader's content language, else in English."""
    return Coalesce(
        NullIf(f"{field}_{content_language()}", Value("")),
        F(f"{field}_en"),
        output_field=CharField(),
    )


class Sheet:
    """One write-only sheet: a bold header row, column widths, dates shown as dates."""

    def __init__(self, workbook, title, columns):
        self.sheet = workbook.create_sheet(title=title[:31])
        for index, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._cell(header, bold=True) for header, _width in columns])

    def _cell(self, value, *, bold=False):
        if isinstance(value, Promise):
            value = str(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"  # text that starts with "=" stays text, never a formula
        if bold:
            cell.font = Font(bold=True)
        elif hasattr(value, "isoformat"):
            cell.number_format = DATE_FORMAT
        return cell

    def append(self, values):
        self.sheet.append([self._cell(value) for value in values])


def save(workbook):
    """The workbook in a temporary file (on disk past a few megabytes), at its start."""
    file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    workbook.save(file)
    file.seek(0)
    return file


def action_columns():
    return [
        (_("Number"), 9),
        (_("Short title"), 50),
        (_("Chapter"), 30),
        (_("Status"), 14),
        (_("Progress (%)"), 12),
        (_("Start date"), 12),
        (_("Target date"), 12),
        (_("Danish lead"), 16),
        (_("Mexican lead"), 16),
        (_("Overdue milestones"), 12),
    ]


def actions_workbook(actions):
    """The actions (a filtered queryset from actions.selectors.filtered_actions), in its order."""
    workbook = Workbook(write_only=True)
    sheet = Sheet(workbook, _("Actions"), action_columns())
    labels = dict(Status.choices)
    rows = actions.values_list(
        "number",
        translated("short_title"),
        translated("chapter__title"),
        "status",
        "progress",
        "start_date",
        "target_date",
        "dk_lead",
        "mx_lead",
        "overdue_milestones",
    ).iterator(chunk_size=BATCH)
    for number, title, chapter, status, *rest in rows:
        sheet.append([number, title, chapter, labels.get(status, status), *rest])
    return save(workbook)


def milestone_columns():
    return [
        (_("Action"), 9),
        (_("Title"), 50),
        (_("Start date"), 12),
        (_("Due date"), 12),
        (_("Done on"), 12),
        (_("Responsible institution"), 20),
    ]


def milestones_workbook(actions):
    """The milestones of the actions, action by action, by due date."""
    workbook = Workbook(write_only=True)
    sheet = Sheet(workbook, _("Milestones"), milestone_columns())
    for batch in batched(actions.values_list("pk", flat=True).iterator(chunk_size=BATCH), BATCH):
        rows = Milestone.objects.filter(action_id__in=batch).values_list(
            "action_id",
            "action__number",
            translated("title"),
            "start_date",
            "due_date",
            "done_on",
            Coalesce(
                NullIf("responsible__acronym", Value("")),
                translated("responsible__name"),
                output_field=CharField(),
            ),
        )
        for row in _by_action(batch, rows.order_by("due_date", "pk")):
            sheet.append(row)
    return save(workbook)


def update_columns():
    return [
        (_("Action"), 9),
        (_("Submitted"), 12),
        (_("Status"), 14),
        (_("Progress (%)"), 12),
        (_("Review"), 14),
        (_("Narrative"), 80),
    ]


def updates_workbook(actions):
    """The progress updates on the actions, action by action, newest first."""
    workbook = Workbook(write_only=True)
    sheet = Sheet(workbook, _("Updates"), update_columns())
    labels = dict(Status.choices)
    states = dict(ProgressUpdate.ReviewState.choices)
    for batch in batched(actions.values_list("pk", flat=True).iterator(chunk_size=BATCH), BATCH):
        rows = ProgressUpdate.objects.filter(action_id__in=batch).values_list(
            "action_id",
            "action__number",
            "submitted_at",
            "status",
            "progress",
            "review_state",
            "narrative",
        )
        for number, submitted, status, progress, state, narrative in _by_action(
            batch, rows.order_by("-submitted_at", "-pk")
        ):
            sheet.append(
                [
                    number,
                    timezone.localtime(submitted).date(),
                    labels.get(status, status),
                    progress,
                    states.get(state, state),
                    narrative,
                ]
            )
    return save(workbook)


def _by_action(action_ids, rows):
    """`rows` (each starting with its action's id, dropped) in the order of `action_ids`."""
    grouped = {}
    for action_id, *row in rows:
        grouped.setdefault(action_id, []).append(row)
    for action_id in action_ids:
        yield from grouped.get(action_id, ())


def editable_workbook(user):
    """ "My actions and milestones": what the user may change, with each row's version, for
    editing offline and uploading (spreadsheets/reading.py reads it back)."""
    workbook = Workbook(write_only=True)
    labels = dict(Status.choices)
    actions = Action.objects.filter(permissions.updatable_actions(user)).order_by(
        "chapter__plan", "chapter__number", "position"
    )
    sheet = Sheet(workbook, _("Actions"), _columns(ACTION_COLUMNS))
    for pk, number, title, version, status, progress in actions.values_list(
        "pk", "number", translated("short_title"), "version", "status", "progress"
    ).iterator(chunk_size=BATCH):
        sheet.append([pk, number, title, version, labels.get(status, status), progress, ""])
    sheet = Sheet(workbook, _("Milestones"), _columns(MILESTONE_COLUMNS))
    if permissions.can_manage_any_milestones(user):
        milestones = Milestone.objects.order_by(
            "action__chapter__plan", "action__chapter__number", "action__position", "due_date", "pk"
        ).values_list(
            "pk",
            "action__number",
            translated("title"),
            "version",
            "start_date",
            "due_date",
            "done_on",
        )
        for row in milestones.iterator(chunk_size=BATCH):
            sheet.append(row)
    return save(workbook)


def _columns(columns):
    return [(str(label), width) for _key, label, width in columns]
