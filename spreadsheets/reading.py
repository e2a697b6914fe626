"""An uploaded bulk-update workbook, checked and read into plain rows.

The file is accepted for what it contains: an XLSX (a zip archive of spreadsheet parts, by its
first bytes) within SPREADSHEET_MAX_BYTES that expands to at most
SPREADSHEET_MAX_UNCOMPRESSED_BYTES, with at most SPREADSHEET_MAX_ROWS rows. It is read with
openpyxl in read-only mode; a cell holding a formula refuses the whole file, since what it would
compute is not what the reader saw. Anything wrong with the file as a whole raises a
ValidationError in plain words; what is wrong with a single row is the preview's business.
"""

import zipfile
import zlib
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from actions.evidence import EXPECTED_TYPES
from spreadsheets.sheet_format import REQUIRED as REQUIRED_KEYS
from spreadsheets.sheet_format import column_label, header_keys

SNIFF_BYTES = 8192
# What openpyxl raises for an archive that looks like a workbook but is damaged inside.
DAMAGED = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    OSError,
)


def read_workbook(upload):
    """{"action": [...], "milestone": [...]}: each row a dict of column key → cell value, with
    "row" (its number in the sheet). The first sheet holds actions, the second milestones."""
    _check_file(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except DAMAGED:
        raise _unreadable() from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _unreadable()
        rows = {"action": _read_sheet(sheets[0], "action"), "milestone": []}
        if len(sheets) > 1:
            rows["milestone"] = _read_sheet(sheets[1], "milestone")
    except DAMAGED:
        raise _unreadable() from None
    finally:
        workbook.close()
    if len(rows["action"]) + len(rows["milestone"]) > settings.SPREADSHEET_MAX_ROWS:
        raise _too_many_rows()
    return rows


def _unreadable():
    return ValidationError(
        _("This file cannot be read as an Excel workbook (.xlsx). Download the sheet again."),
        code="unreadable",
    )


def _too_many_rows():
    return ValidationError(
        _("The workbook has more than %(rows)s rows. Split it into smaller files.")
        % {"rows": settings.SPREADSHEET_MAX_ROWS},
        code="too_many_rows",
    )


def _check_file(upload):
    if PurePath(upload.name or "").suffix.lower() != ".xlsx":
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."), code="extension")
    if upload.size > settings.SPREADSHEET_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a workbook may be at most %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.SPREADSHEET_MAX_BYTES),
            },
            code="too_large",
        )
    upload.seek(0)
    found = filetype.guess(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if found is None or found.mime != EXPECTED_TYPES["xlsx"]:
        raise ValidationError(
            _("This file is not an Excel workbook, whatever its name says."),
            code="content_mismatch",
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            claimed = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _unreadable() from None
    finally:
        upload.seek(0)
    if claimed > settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("This workbook would expand to more than %(limit)s when opened.")
            % {"limit": filesizeformat(settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES)},
            code="expands_too_far",
        )


def _read_sheet(sheet, kind):
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None:
        raise _missing(sheet, kind, REQUIRED_KEYS[kind])
    keys = header_keys(kind)
    columns = [keys.get(str(cell.value or "").strip().casefold()) for cell in header]
    missing = REQUIRED_KEYS[kind] - set(columns)
    if missing:
        raise _missing(sheet, kind, missing)
    read = []
    for number, cells in enumerate(rows, start=2):
        if len(read) >= settings.SPREADSHEET_MAX_ROWS:
            raise _too_many_rows()
        row = {}
        for key, cell in zip(columns, cells, strict=False):
            if getattr(cell, "data_type", None) == "f":
                raise ValidationError(
                    _(
                        "Cell %(cell)s on the sheet “%(sheet)s” holds a formula. Type the value "
                        "itself and upload the file again."
                    )
                    % {"cell": cell.coordinate, "sheet": sheet.title},
                    code="formula",
                )
            if key is not None:
                row[key] = cell.value
        if any(value not in (None, "") for value in row.values()):
            row["row"] = number
            read.append(row)
    return read


def _missing(sheet, kind, keys):
    names = ", ".join(f"“{column_label(kind, key)}”" for key in sorted(keys))
    return ValidationError(
        _("The sheet “%(sheet)s” lacks the columns %(columns)s. Download the sheet again.")
        % {"sheet": sheet.title, "columns": names},
        code="missing_columns",
    )
