"""Evidence files are accepted for what they contain, not for what their name says.

A file's type is read from its first bytes (the `filetype` library's signatures) and must be the
type its extension promises: a ".pdf" that is HTML, or a ".png" that is SVG with script, is
refused. Office documents are zip archives; they are opened and their content counted as it is
decompressed, so a small file that would expand past EVIDENCE_MAX_UNCOMPRESSED_BYTES (a zip
bomb) is refused. CSV has no signature: it must be text, and not markup in disguise. SVG is never
accepted: it can carry script.
"""

import zipfile
import zlib
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OOXML = "application/vnd.openxmlformats-officedocument"
OPENDOCUMENT = "application/vnd.oasis.opendocument"
EXPECTED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": f"{OOXML}.wordprocessingml.document",
    "xlsx": f"{OOXML}.spreadsheetml.sheet",
    "pptx": f"{OOXML}.presentationml.presentation",
    "odt": f"{OPENDOCUMENT}.text",
    "ods": f"{OPENDOCUMENT}.spreadsheet",
}
ARCHIVES = {"docx", "xlsx", "pptx", "odt", "ods"}
SNIFF_BYTES = 8192
TEXT_SAMPLE_BYTES = 64 * 1024
CHUNK = 64 * 1024


def check_evidence_file(upload):
    """Raise ValidationError, in words a person understands, unless the file is what it says."""
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    head = _read(upload, SNIFF_BYTES)
    found = filetype.guess(head)
    if extension == "csv":
        _check_text(upload, found)
    elif extension in EXPECTED_TYPES:
        if found is None or found.mime != EXPECTED_TYPES[extension]:
            raise ValidationError(
                _(
                    "This file's content is not a %(kind)s document, whatever its name says. "
                    "Attach the document itself, or a PDF of it."
                )
                % {"kind": extension.upper()},
                code="content_mismatch",
            )
        if extension in ARCHIVES:
            _check_archive(upload, extension)
    else:
        raise ValidationError(_("Files of this kind are not accepted."), code="extension")
    upload.seek(0)


def _read(upload, size):
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def _check_text(upload, found):
    sample = _read(upload, TEXT_SAMPLE_BYTES)
    not_text = ValidationError(
        _("This file is not a CSV text file, whatever its name says."), code="content_mismatch"
    )
    if found is not None or b"\x00" in sample:
        raise not_text
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            raise not_text from None
    if text.lstrip().startswith("<"):
        raise not_text


def _check_archive(upload, extension):
    limit = settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES
    too_large = ValidationError(
        _(
            "This %(kind)s document would expand to more than %(limit)s when opened; it cannot "
            "be accepted. Attach a PDF of it instead."
        )
        % {"kind": extension.upper(), "limit": filesizeformat(limit)},
        code="expands_too_far",
    )
    unreadable = ValidationError(
        _("This %(kind)s document is damaged or protected and cannot be read.")
        % {"kind": extension.upper()},
        code="unreadable",
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > settings.EVIDENCE_MAX_ARCHIVE_MEMBERS:
                raise too_large
            if sum(member.file_size for member in members) > limit:
                raise too_large
            # The sizes above are what the archive claims: count what it really expands to.
            expanded = 0
            for member in members:
                with archive.open(member) as content:
                    while chunk := content.read(CHUNK):
                        expanded += len(chunk)
                        if expanded > limit:
                            raise too_large
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise unreadable from None
    finally:
        upload.seek(0)
