"""Evidence files are accepted for what they contain: the type their name promises, no SVG, no
markup in disguise, no office document that expands without bound."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.evidence import check_evidence_file
from actions.models import ProgressUpdate, Status
from tests.roles import action_in, database_state, make_demo_user, signed_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb")
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def office_document(kind="docx", extra=()):
    """A minimal Office Open XML or OpenDocument file, with extra (name, bytes) parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("_rels/.rels", "<Relationships/>")
            archive.writestr(f"{folder}/document.xml", "<document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.pdf", PDF),
        ("photo.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("brief.docx", office_document("docx")),
        ("figures.xlsx", office_document("xlsx")),
        ("slides.pptx", office_document("pptx")),
        ("brief.odt", office_document("odt")),
        ("figures.csv", "action,progress\n6.6,40 %\nacción,éxito\n".encode()),
        ("excel.csv", "acción;progreso\r\n6.6;40\r\n".encode("cp1252")),
    ],
)
def test_files_that_are_what_their_name_says_are_accepted(name, data):
    check_evidence_file(upload(name, data))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("minutes.pdf", HTML, "not a PDF document"),
        ("photo.png", SVG_WITH_SCRIPT, "not a PNG document"),
        ("photo.jpg", PNG, "not a JPG document"),
        ("brief.docx", PDF, "not a DOCX document"),
        ("brief.docx", office_document("xlsx"), "not a DOCX document"),
        ("figures.csv", HTML, "not a CSV text file"),
        ("figures.csv", SVG_WITH_SCRIPT, "not a CSV text file"),
        ("figures.csv", PNG, "not a CSV text file"),
        ("figures.csv", b"a,b\n\x00\x01\x02", "not a CSV text file"),
        ("drawing.svg", SVG_WITH_SCRIPT, "not accepted"),
    ],
)
def test_files_whose_content_differs_from_their_name_are_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_evidence_file(upload(name, data))


def test_an_office_document_that_expands_past_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    bomb = office_document("docx", extra=[("word/media/padding.bin", b"\0" * 6 * 1024 * 1024)])
    assert len(bomb) < 20 * 1024  # small on disk

    with pytest.raises(ValidationError, match="would expand to more than 5.0"):
        check_evidence_file(upload("brief.docx", bomb))


def test_an_office_document_that_lies_about_its_size_is_counted_as_it_expands(settings):
    settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    data = bytearray(office_document("docx", extra=[("word/big.bin", b"\0" * 2 * 1024 * 1024)]))
    # Rewrite the uncompressed size that the central directory gives for the big part (4 bytes
    # at offset 24 of its header, whose file name starts at offset 46).
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    big = archive.getinfo("word/big.bin")
    central = bytes(data).find(b"word/big.bin", bytes(data).find(b"PK\x01\x02")) - 46
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/big.bin").file_size == 1000
    assert big.file_size == 2 * 1024 * 1024

    with pytest.raises(ValidationError):
        check_evidence_file(upload("brief.docx", bytes(data)))


def test_a_damaged_office_document_is_refused_in_plain_words():
    broken = office_document("docx")[:200]
    with pytest.raises(ValidationError, match="damaged or protected|not a DOCX"):
        check_evidence_file(upload("brief.docx", broken))


def test_the_status_form_refuses_a_disguised_file_and_saves_nothing(client, plan, settings):
    action = action_in(plan, "5.2")
    signed_in(client, make_demo_user("embassy_dk"))
    before = database_state()

    response = client.post(
        reverse("actions:update", args=[action.pk]),
        {
            "status": Status.ON_TRACK,
            "progress": "30",
            "narrative": "The first joint workshop took place.",
            "version": str(action.version),
            "evidence_file": upload("minutes.pdf", HTML),
        },
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["evidence_file"]
    assert "not a PDF document" in error
    assert database_state() == before and not ProgressUpdate.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()
