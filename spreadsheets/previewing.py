"""What an uploaded workbook would change, row by row, before anything is saved.

Each row with a change or an error becomes a plain dict (kept as JSON on the Import): what it
names, its changes (field, old, new, as shown), its errors in plain words, whether the record
changed since the export (a conflict) and the values to save. Rows the user may not change are
refused by name; the permission is asked again when the changes are saved.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action, Milestone, Status
from plancore import permissions
from plancore.formats import percent
from spreadsheets.sheet_format import status_codes


def preview_rows(user, parsed):
    rows = _action_rows(user, parsed["action"]) + _milestone_rows(user, parsed["milestone"])
    rows = [row for row in rows if row["changes"] or row["errors"]]
    _check_once_each(rows)
    return rows


def _check_once_each(rows):
    """A record changed in two rows would have the second overwrite the first: both are refused,
    as is a changed row that lost its version."""
    first = {}
    for row in rows:
        if not row["changes"]:
            continue
        if row["version"] is None:
            row["conflict"] = False
            row["errors"].append(_("The version is missing. Download the sheet again."))
        key = (row["kind"], row["pk"])
        if key in first:
            row["errors"].append(
                _("%(name)s is also changed in row %(row)s.")
                % {"name": row["name"], "row": first[key]}
            )
        first.setdefault(key, row["row"])


def _row(kind, sheet_row, name="", pk=None, version=None):
    return {
        "kind": kind,
        "row": sheet_row,
        "pk": pk,
        "name": name,
        "version": version,
        "changes": [],
        "errors": [],
        "conflict": False,
        "values": {},
    }


def _action_rows(user, sheet):
    ids = {_whole(row.get("id")) for row in sheet} - {None}
    actions = Action.objects.for_list().in_bulk(ids)
    labels = {value: str(label) for value, label in Status.choices}
    rows = []
    for cells in sheet:
        pk = _whole(cells.get("id"))
        action = actions.get(pk)
        if action is None:
            row = _row("action", cells["row"])
            row["errors"].append(_("There is no action with the ID “%s”.") % cells.get("id"))
            rows.append(row)
            continue
        row = _row("action", cells["row"], str(action), pk, _whole(cells.get("version")))
        status = status_codes().get(str(cells.get("status") or "").strip().casefold())
        progress = _whole(cells.get("progress"))
        narrative = str(cells.get("narrative") or "").strip()
        if status is None:
            row["errors"].append(
                _("“%(value)s” is not a status. Use one of: %(statuses)s.")
                % {"value": cells.get("status") or "", "statuses": ", ".join(labels.values())}
            )
        if progress is None or not 0 <= progress <= 100:
            row["errors"].append(_("Progress is a whole number from 0 to 100."))
        if row["errors"]:
            rows.append(row)
            continue
        if status != action.status:
            row["changes"].append([_("Status"), labels[action.status], labels[status]])
        if progress != action.progress:
            row["changes"].append([_("Progress"), percent(action.progress), percent(progress)])
        if narrative:
            row["changes"].append([_("Narrative"), "", narrative])
        if row["changes"]:
            if not permissions.can_update_action(user, action):
                row["errors"].append(_("You may not update the action %s.") % action)
            elif not narrative:
                row["errors"].append(_("Write a narrative to go with the new status or progress."))
            elif status == Status.COMPLETED and progress != 100:
                row["errors"].append(_("A completed action is at 100% progress."))
            elif row["version"] != action.version:
                row["conflict"] = True
        row["values"] = {"status": status, "progress": progress, "narrative": narrative}
        rows.append(row)
    return rows


def _milestone_rows(user, sheet):
    ids = {_whole(row.get("id")) for row in sheet} - {None}
    milestones = Milestone.objects.select_related("action").in_bulk(ids)
    today = timezone.localdate()
    rows = []
    for cells in sheet:
        pk = _whole(cells.get("id"))
        milestone = milestones.get(pk)
        if milestone is None:
            row = _row("milestone", cells["row"])
            row["errors"].append(_("There is no milestone with the ID “%s”.") % cells.get("id"))
            rows.append(row)
            continue
        row = _row("milestone", cells["row"], str(milestone), pk, _whole(cells.get("version")))
        dates = {}
        for key, label in (
            ("start_date", _("Start date")),
            ("due_date", _("Due date")),
            ("done_on", _("Done on")),
        ):
            value = _date(cells.get(key))
            if value is False or (value is None and key != "done_on"):
                row["errors"].append(
                    _("%(column)s: “%(value)s” is not a date (write it as 2025-03-31).")
                    % {"column": label, "value": cells.get(key) or ""}
                )
                continue
            dates[key] = value
            old = getattr(milestone, key)
            if value != old:
                row["changes"].append([label, _shown(old), _shown(value)])
        if row["errors"]:
            rows.append(row)
            continue
        if row["changes"]:
            row["errors"] = _milestone_errors(user, milestone, dates, today)
            if not row["errors"] and row["version"] != milestone.version:
                row["conflict"] = True
        row["values"] = {key: _shown(value) for key, value in dates.items()}
        rows.append(row)
    return rows


def _milestone_errors(user, milestone, dates, today):
    if not permissions.can_manage_milestones(user, milestone.action):
        return [_("You may not change the milestone %s.") % milestone]
    errors = []
    if dates["due_date"] < dates["start_date"]:
        errors.append(_("The due date is before the start date."))
    if dates["done_on"] is None and milestone.done_on is not None:
        errors.append(_("A milestone marked done cannot be reopened from a spreadsheet."))
    elif dates["done_on"] is not None:
        if dates["done_on"] < dates["start_date"]:
            errors.append(_("A milestone cannot be done before it starts."))
        if dates["done_on"] > today:
            errors.append(_("A milestone cannot be done in the future."))
    return errors


def _whole(value):
    """An integer cell (or text of one), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _date(value):
    """A date cell (or ISO text of one); None when empty; False when not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return False
    return False


def _shown(value):
    return value.isoformat() if value else ""
