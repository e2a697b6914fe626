"""Bulk updates from a spreadsheet: read and preview an upload, then save all of it or none.

Every change is saved through actions.services, so the same rules hold as on the forms and
history names the importer. Views and the Celery task (spreadsheets/tasks.py) call these.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from actions import services as action_services
from actions.models import Action, Milestone
from plancore import permissions
from plancore.languages import shown_language
from spreadsheets.models import Import
from spreadsheets.previewing import preview_rows
from spreadsheets.reading import read_workbook

PROGRESS_EVERY = 50
log = logging.getLogger(__name__)


def preview_import(*, owner, upload):
    """Read the upload and keep what it would change; raise ValidationError for a bad file."""
    if not permissions.can_import_spreadsheet(owner):
        raise PermissionDenied
    rows = preview_rows(owner, read_workbook(upload))
    sheet = Import(
        owner=owner,
        file_name=upload.name[:200],
        rows=rows,
        language=translation.get_language() or "en",
    )
    sheet.full_clean()
    sheet.save()
    return sheet


def check_confirmable(*, sheet, user):
    """Only the owner confirms, once, an import without errors or conflicts."""
    if sheet.owner_id != user.pk:
        raise PermissionDenied
    if sheet.state != Import.State.PREVIEWED:
        raise ValidationError(_("This upload has already been confirmed."))
    if sheet.blocked:
        raise ValidationError(
            _("Correct the rows with errors or conflicts and upload the file again.")
        )
    if not sheet.changes:
        raise ValidationError(_("The file changes nothing."))


def confirm_import(*, sheet, user):
    """Save the changes now or, from SPREADSHEET_TASK_ROWS changed rows on, hand them to the
    task (the page follows its progress)."""
    if len(sheet.changes) < settings.SPREADSHEET_TASK_ROWS:
        return apply_import(sheet_id=sheet.pk, user=user)
    from spreadsheets.tasks import apply_import as apply_import_task

    sheet = queue_import(sheet=sheet, user=user)
    try:
        apply_import_task.apply_async(args=[sheet.pk], retry=False)
    except (KombuOperationalError, ConnectionError):
        log.warning("Import %s not queued: broker unavailable", sheet.pk)
        Import.objects.filter(pk=sheet.pk, state=Import.State.APPLYING).update(
            state=Import.State.PREVIEWED
        )
        raise ValidationError(
            _("Large files cannot be saved just now. Nothing was saved; try again later.")
        ) from None
    return sheet


@transaction.atomic
def queue_import(*, sheet, user):
    """Mark a confirmed import to be saved by the task."""
    sheet = Import.objects.select_for_update().get(pk=sheet.pk)
    check_confirmable(sheet=sheet, user=user)
    sheet.state = Import.State.APPLYING
    sheet.save(update_fields=["state"])
    return sheet


def apply_import(*, sheet_id, user=None):
    """Save every previewed change in one transaction: all rows or none.

    Called with `user` on confirmation, or by the task for an import already queued.
    """
    with transaction.atomic():
        sheet = Import.objects.select_for_update().select_related("owner").get(pk=sheet_id)
        if user is not None:
            check_confirmable(sheet=sheet, user=user)
        elif sheet.state != Import.State.APPLYING:
            return sheet  # saved or refused already: running twice changes nothing
        try:
            with transaction.atomic(), translation.override(sheet.language):
                _apply_rows(sheet)
        except ValidationError as error:
            sheet.state = Import.State.FAILED
            sheet.error = " ".join(error.messages)
        else:
            sheet.state = Import.State.APPLIED
        sheet.finished = timezone.now()
        sheet.save(update_fields=["state", "error", "finished"])
    cache.delete(progress_key(sheet.pk))
    return sheet


def progress_key(sheet_id):
    return f"spreadsheet-import-{sheet_id}"


def progress(sheet):
    """How many of the changed rows are saved so far (while the task runs)."""
    if sheet.state == Import.State.APPLIED:
        return len(sheet.changes)
    return cache.get(progress_key(sheet.pk), 0)


def _apply_rows(sheet):
    changes = sheet.changes
    user = sheet.owner
    actions = Action.objects.for_list().in_bulk(
        [row["pk"] for row in changes if row["kind"] == "action"]
    )
    milestones = Milestone.objects.select_related("action", "responsible").in_bulk(
        [row["pk"] for row in changes if row["kind"] == "milestone"]
    )
    for done, row in enumerate(changes, start=1):
        try:
            if row["kind"] == "action":
                _apply_action(actions.get(row["pk"]), row, user)
            else:
                _apply_milestone(milestones.get(row["pk"]), row, user)
        except action_services.EditConflict:
            raise ValidationError(
                _("Row %(row)s: %(name)s was changed by someone else meanwhile. Nothing was saved.")
                % row
            ) from None
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s: %(name)s: %(errors)s Nothing was saved.")
                % {**row, "errors": " ".join(error.messages)}
            ) from None
        if done % PROGRESS_EVERY == 0:
            cache.set(progress_key(sheet.pk), done, timeout=3600)


def _apply_action(action, row, user):
    if action is None or not permissions.can_update_action(user, action):
        raise ValidationError(_("You may not update this action."))
    values = row["values"]
    action_services.report_progress(
        action=action,
        user=user,
        status=values["status"],
        progress=values["progress"],
        narrative=values["narrative"],
        expected_version=row["version"],
    )


def _apply_milestone(milestone, row, user):
    if milestone is None or not permissions.can_manage_milestones(user, milestone.action):
        raise ValidationError(_("You may not change this milestone."))
    values = {
        key: date.fromisoformat(value) if value else None for key, value in row["values"].items()
    }
    version = row["version"]
    if (values["start_date"], values["due_date"]) != (milestone.start_date, milestone.due_date):
        milestone = action_services.edit_milestone(
            milestone=milestone,
            user=user,
            title=getattr(milestone, f"title_{shown_language(milestone, 'title')}"),
            start_date=values["start_date"],
            due_date=values["due_date"],
            responsible=milestone.responsible,
            expected_version=version,
        )
    elif milestone.version != version:
        raise action_services.EditConflict(milestone)
    if values["done_on"] is not None and values["done_on"] != milestone.done_on:
        action_services.complete_milestone(
            milestone=milestone, user=user, done_on=values["done_on"]
        )
