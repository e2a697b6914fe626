"""Helpers for the spreadsheet tests: read a downloaded workbook, edit it, upload it."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from spreadsheets.models import Import


def downloaded(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def as_upload(workbook, name="mine.xlsx"):
    data = BytesIO()
    workbook.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def row_of(sheet, first_column_value, column=1):
    """The row (its cells) whose cell in `column` holds the value."""
    for row in sheet.iter_rows(min_row=2):
        if row[column - 1].value == first_column_value:
            return row
    raise AssertionError(f"No row with {first_column_value!r}")


def column(sheet, header):
    return next(cell.column for cell in sheet[1] if cell.value == header) - 1


def set_cell(sheet, key_value, header, value):
    row = row_of(sheet, key_value)
    row[column(sheet, header)].value = value


def my_sheet(client):
    return downloaded(client.get(reverse("spreadsheets:my_sheet")))


def upload(client, workbook, name="mine.xlsx"):
    return client.post(reverse("spreadsheets:upload"), {"file": as_upload(workbook, name)})


def latest_import():
    return Import.objects.order_by("-pk").first()
