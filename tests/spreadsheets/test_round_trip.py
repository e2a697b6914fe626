"""Bulk update: download my actions and milestones, edit offline, preview, confirm."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from spreadsheets.models import Import
from tests.factories import MilestoneFactory
from tests.roles import action_in, database_state, make_demo_user, signed_in
from tests.spreadsheets.sheets import latest_import, my_sheet, set_cell, upload


@pytest.fixture
def staff(client, plan):
    return signed_in(client, make_demo_user("embassy_dk"))


def test_edited_sheet_is_previewed_then_saved_with_history_naming_the_importer(client, plan):
    user = make_demo_user("embassy_dk")
    signed_in(client, user)
    action = action_in(plan, "5.2")
    milestone = MilestoneFactory(action=action, start_date=date(2024, 1, 1))
    workbook = my_sheet(client)
    actions, milestones = workbook.worksheets
    set_cell(actions, action.pk, "Status", "At risk")
    set_cell(actions, action.pk, "Progress (%)", 35)
    set_cell(actions, action.pk, "Narrative", "The second workshop was postponed.")
    set_cell(milestones, milestone.pk, "Due date", date(2024, 9, 30))
    set_cell(milestones, milestone.pk, "Done on", date(2024, 8, 15))

    response = upload(client, workbook)

    sheet = latest_import()
    assert response.status_code == 302
    assert response.url == reverse("spreadsheets:preview", args=[sheet.pk])
    preview = client.get(response.url).content.decode()
    assert "At risk" in preview and "2024-09-30" in preview
    action.refresh_from_db()
    assert action.status != "at_risk"  # nothing saved before the confirmation

    client.post(reverse("spreadsheets:confirm", args=[sheet.pk]))

    action.refresh_from_db()
    milestone.refresh_from_db()
    assert (action.status, action.progress) == ("at_risk", 35)
    assert action.history.first().history_user == user
    update = ProgressUpdate.objects.get(action=action, author=user)
    assert update.narrative == "The second workshop was postponed."
    assert (milestone.due_date, milestone.done_on) == (date(2024, 9, 30), date(2024, 8, 15))
    assert milestone.history.first().history_user == user
    sheet.refresh_from_db()
    assert sheet.state == Import.State.APPLIED


def test_a_row_changed_since_the_export_is_a_conflict_and_nothing_is_saved(staff, plan):
    action, other = action_in(plan, "5.2"), action_in(plan, "3.1")
    workbook = my_sheet(staff)
    Action.objects.filter(pk=action.pk).update(version=action.version + 1)
    set_cell(workbook.worksheets[0], action.pk, "Progress (%)", 50)
    set_cell(workbook.worksheets[0], action.pk, "Narrative", "Halfway.")
    set_cell(workbook.worksheets[0], other.pk, "Progress (%)", 60)
    set_cell(workbook.worksheets[0], other.pk, "Narrative", "More than halfway.")
    upload(staff, workbook)
    sheet = latest_import()
    before = database_state()

    page = staff.get(reverse("spreadsheets:preview", args=[sheet.pk])).content.decode()
    staff.post(reverse("spreadsheets:confirm", args=[sheet.pk]))

    assert "Conflict" in page
    assert [row["conflict"] for row in sheet.rows if row["pk"] == action.pk] == [True]
    assert database_state() == before
    sheet.refresh_from_db()
    assert sheet.state == Import.State.PREVIEWED


def test_a_file_with_one_bad_row_saves_nothing(staff, plan):
    good, bad = action_in(plan, "5.2"), action_in(plan, "3.1")
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[0], good.pk, "Progress (%)", 50)
    set_cell(workbook.worksheets[0], good.pk, "Narrative", "Halfway.")
    set_cell(workbook.worksheets[0], bad.pk, "Progress (%)", "about half")
    upload(staff, workbook)
    sheet = latest_import()
    before = database_state()

    page = staff.get(reverse("spreadsheets:preview", args=[sheet.pk])).content.decode()
    staff.post(reverse("spreadsheets:confirm", args=[sheet.pk]))

    assert "Progress is a whole number from 0 to 100." in page
    assert database_state() == before


def test_a_status_change_without_narrative_is_an_error_in_plain_words(staff, plan):
    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[0], action.pk, "Status", "Delayed")
    upload(staff, workbook)

    row = latest_import().rows[0]

    assert row["errors"] == ["Write a narrative to go with the new status or progress."]


def test_liaison_sheet_holds_only_their_actions_and_no_milestones(client, plan):
    signed_in(client, make_demo_user("liaison_cofepris"))
    workbook = my_sheet(client)
    numbers = {row[1].value for row in workbook.worksheets[0].iter_rows(min_row=2)}
    mine = set(
        Action.objects.filter(responsibilities__institution__code="cofepris").values_list(
            "number", flat=True
        )
    )
    assert numbers == mine
    assert workbook.worksheets[1].max_row == 1


def test_rows_the_importer_may_not_change_are_refused_by_name(client, plan):
    signed_in(client, make_demo_user("embassy_dk"))
    others = action_in(plan, "3.1")
    workbook = my_sheet(client)
    milestone = MilestoneFactory(action=others)
    set_cell(workbook.worksheets[0], others.pk, "Progress (%)", 70)
    set_cell(workbook.worksheets[0], others.pk, "Narrative", "Nearly there.")
    workbook.worksheets[1].append(
        [milestone.pk, "3.1", "", 1, date(2024, 2, 1), date(2024, 6, 30), None]
    )
    signed_in(client, make_demo_user("liaison_cofepris"))
    upload(client, workbook)
    before = database_state()

    sheet = latest_import()
    client.post(reverse("spreadsheets:confirm", args=[sheet.pk]))

    errors = [error for row in sheet.rows for error in row["errors"]]
    assert f"You may not update the action {others}." in errors
    assert f"You may not change the milestone {milestone}." in errors
    assert database_state() == before


def test_only_the_owner_sees_and_confirms_an_upload(client, plan):
    signed_in(client, make_demo_user("embassy_dk"))
    action = action_in(plan, "5.2")
    workbook = my_sheet(client)
    set_cell(workbook.worksheets[0], action.pk, "Progress (%)", 50)
    set_cell(workbook.worksheets[0], action.pk, "Narrative", "Halfway.")
    upload(client, workbook)
    sheet = latest_import()
    signed_in(client, make_demo_user("embassy_mx"))
    before = database_state()

    assert client.get(reverse("spreadsheets:preview", args=[sheet.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:confirm", args=[sheet.pk])).status_code == 404
    assert database_state() == before


def test_officials_may_export_but_not_import(client, plan):
    signed_in(client, make_demo_user("official"))
    before = database_state()

    assert client.get(reverse("spreadsheets:export_actions")).status_code == 200
    assert client.get(reverse("spreadsheets:my_sheet")).status_code == 403
    assert client.get(reverse("spreadsheets:upload")).status_code == 403
    assert client.post(reverse("spreadsheets:upload")).status_code == 403
    assert database_state() == before


def test_a_large_file_is_saved_by_the_task_with_progress_on_the_page(staff, plan, settings):
    settings.SPREADSHEET_TASK_ROWS = 3
    workbook = my_sheet(staff)
    actions = list(Action.objects.order_by("pk")[:4])
    for action in actions:
        set_cell(workbook.worksheets[0], action.pk, "Progress (%)", 55)
        set_cell(workbook.worksheets[0], action.pk, "Narrative", "More than half done.")
    upload(staff, workbook)
    sheet = latest_import()

    staff.post(reverse("spreadsheets:confirm", args=[sheet.pk]))  # tasks run in process

    sheet.refresh_from_db()
    assert sheet.state == Import.State.APPLIED
    assert set(
        Action.objects.filter(pk__in=[a.pk for a in actions]).values_list("progress", flat=True)
    ) == {55}
    progress = staff.get(reverse("spreadsheets:progress", args=[sheet.pk])).json()
    assert (progress["state"], progress["saved"], progress["total"]) == ("applied", 4, 4)


def test_a_queued_import_is_saved_once_even_if_the_task_runs_twice(staff, plan):
    from spreadsheets import services, tasks

    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[0], action.pk, "Progress (%)", 45)
    set_cell(workbook.worksheets[0], action.pk, "Narrative", "Under way.")
    upload(staff, workbook)
    sheet = latest_import()
    services.queue_import(sheet=sheet, user=sheet.owner)

    tasks.apply_import(sheet.pk)
    tasks.apply_import(sheet.pk)

    assert ProgressUpdate.objects.filter(action=action, narrative="Under way.").count() == 1


def test_an_action_changed_between_preview_and_confirmation_fails_the_whole_file(staff, plan):
    action, other = action_in(plan, "5.2"), action_in(plan, "3.1")
    workbook = my_sheet(staff)
    for changed in (other, action):
        set_cell(workbook.worksheets[0], changed.pk, "Progress (%)", 65)
        set_cell(workbook.worksheets[0], changed.pk, "Narrative", "Two thirds done.")
    upload(staff, workbook)
    sheet = latest_import()
    assert not sheet.blocked
    Action.objects.filter(pk=action.pk).update(version=action.version + 1)
    before = database_state()

    response = staff.post(reverse("spreadsheets:confirm", args=[sheet.pk]), follow=True)

    sheet.refresh_from_db()
    assert sheet.state == Import.State.FAILED
    assert "was changed by someone else meanwhile. Nothing was saved." in sheet.error
    assert sheet.error in response.content.decode()
    assert database_state() == before


def test_the_same_action_changed_in_two_rows_is_refused(staff, plan):
    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    sheet = workbook.worksheets[0]
    set_cell(sheet, action.pk, "Progress (%)", 20)
    set_cell(sheet, action.pk, "Narrative", "A fifth.")
    sheet.append([action.pk, "5.2", "", action.version, "On track", 30, "A third."])
    upload(staff, workbook)

    errors = [error for row in latest_import().rows for error in row["errors"]]

    assert errors == [f"{action} is also changed in row {row_number(sheet, action.pk)}."]


def row_number(sheet, pk):
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == pk)


def test_a_large_file_stays_unsaved_and_confirmable_when_the_task_cannot_be_queued(
    staff, plan, settings, monkeypatch
):
    from kombu.exceptions import OperationalError

    from spreadsheets import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    settings.SPREADSHEET_TASK_ROWS = 1
    monkeypatch.setattr(tasks.apply_import, "apply_async", broker_down)
    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[0], action.pk, "Progress (%)", 45)
    set_cell(workbook.worksheets[0], action.pk, "Narrative", "Under way.")
    upload(staff, workbook)
    sheet = latest_import()
    before = database_state()

    response = staff.post(reverse("spreadsheets:confirm", args=[sheet.pk]), follow=True)

    sheet.refresh_from_db()
    assert sheet.state == Import.State.PREVIEWED
    assert "Large files cannot be saved just now." in response.content.decode()
    assert database_state() == before


def test_a_sheet_downloaded_in_spanish_is_read_on_an_english_page(staff, plan):
    action = action_in(plan, "5.2")
    staff.post(reverse("set_language"), {"language": "es", "next": "/"})
    workbook = my_sheet(staff)
    actions = workbook.worksheets[0]
    assert actions.title == "Acciones"
    set_cell(actions, action.pk, "Estado", "Con retraso")
    set_cell(actions, action.pk, "Narrativa", "La misión se pospuso.")
    staff.post(reverse("set_language"), {"language": "en", "next": "/"})

    upload(staff, workbook)

    row = latest_import().rows[0]
    assert (row["values"]["status"], row["errors"]) == ("delayed", [])
