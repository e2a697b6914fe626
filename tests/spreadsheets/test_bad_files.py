"""Bad files get a clear message and change nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from spreadsheets.models import Import
from tests.roles import action_in, database_state, make_demo_user, signed_in
from tests.spreadsheets.sheets import as_upload, my_sheet, set_cell, upload


@pytest.fixture
def staff(client, plan):
    return signed_in(client, make_demo_user("embassy_dk"))


def refused(client, file):
    before = database_state()
    response = client.post(reverse("spreadsheets:upload"), {"file": file})
    assert response.status_code == 400
    assert database_state() == before
    assert not Import.objects.exists()
    return response.content.decode()


def test_a_file_that_is_not_xlsx_is_refused(staff):
    page = refused(staff, SimpleUploadedFile("actions.csv", b"number,status\n5.2,delayed\n"))
    assert "Upload an Excel workbook (.xlsx)." in page


def test_a_renamed_zip_is_refused(staff):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    page = refused(staff, SimpleUploadedFile("mine.xlsx", data.getvalue()))
    assert "This file is not an Excel workbook, whatever its name says." in page


def test_a_text_file_named_xlsx_is_refused(staff):
    page = refused(staff, SimpleUploadedFile("mine.xlsx", b"<html>hello</html>"))
    assert "This file is not an Excel workbook, whatever its name says." in page


def test_a_cell_holding_a_formula_refuses_the_file(staff, plan):
    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[0], action.pk, "Progress (%)", "=40+10")
    set_cell(workbook.worksheets[0], action.pk, "Narrative", "Computed.")
    page = refused(staff, as_upload(workbook))
    assert "holds a formula" in page


def test_a_file_over_the_size_limit_is_refused(staff, settings):
    settings.SPREADSHEET_MAX_BYTES = 1024
    workbook = my_sheet(staff)
    page = refused(staff, as_upload(workbook))
    assert "a workbook may be at most 1.0\xa0KB" in page


def test_a_50_mb_upload_is_refused_before_it_is_read(staff):
    response = staff.post(
        reverse("spreadsheets:upload"),
        {"file": SimpleUploadedFile("big.xlsx", b"\0" * (50 * 1024 * 1024))},
    )
    assert response.status_code == 413


def test_a_workbook_with_too_many_rows_is_refused(staff, settings):
    settings.SPREADSHEET_MAX_ROWS = 10
    page = refused(staff, as_upload(my_sheet(staff)))
    assert "more than 10 rows" in page


def test_a_sheet_lacking_columns_is_refused_naming_them(staff):
    workbook = Workbook()
    workbook.active.append(["ID", "Number", "Status"])
    workbook.active.append([1, "5.2", "Delayed"])
    page = refused(staff, as_upload(workbook))
    assert "lacks the columns" in page and "“Version”" in page


def test_wrong_types_are_row_errors_in_plain_words(staff, plan):
    action = action_in(plan, "5.2")
    workbook = my_sheet(staff)
    sheet = workbook.worksheets[0]
    set_cell(sheet, action.pk, "Status", "Almost there")
    workbook.worksheets[1].append([999_999, "5.2", "", 1, "soon", "2024-06-30", None])
    before = database_state()

    upload(staff, workbook)

    rows = Import.objects.get().rows
    errors = [error for row in rows for error in row["errors"]]
    assert any(error.startswith("“Almost there” is not a status.") for error in errors)
    assert "There is no milestone with the ID “999999”." in errors
    assert database_state() == before


def test_milestone_dates_that_are_not_dates_are_named(staff, plan):
    from tests.factories import MilestoneFactory

    milestone = MilestoneFactory(action=action_in(plan, "5.2"))
    workbook = my_sheet(staff)
    set_cell(workbook.worksheets[1], milestone.pk, "Due date", "next spring")
    upload(staff, workbook)

    row = Import.objects.get().rows[0]

    assert row["errors"] == ["Due date: “next spring” is not a date (write it as 2025-03-31)."]


def test_a_workbook_damaged_inside_is_refused(staff):
    workbook = io.BytesIO()
    Workbook().save(workbook)
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook.getvalue())) as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(member, content)
    page = refused(staff, SimpleUploadedFile("mine.xlsx", damaged.getvalue()))
    assert "cannot be read as an Excel workbook" in page
