"""A report not yet released by both sides reads DRAFT / BORRADOR on every page; once both have
released it, readers get the same pages without the mark, with no new build."""

import io

import pytest
from django.urls import reverse
from docx import Document

from partners.models import Side
from reporting import services
from reporting.rendering import render_files
from tests.reporting.test_pdf import pdf_text
from tests.reporting.test_views import member, signed_in

pytestmark = pytest.mark.django_db
MARK = "DRAFT / BORRADOR"


@pytest.fixture(scope="module")
def chapter_files(loaded_plan, django_db_blocker):
    """The Spanish 2024 report of chapter 5, drawn up once for the tests that only read it."""
    with django_db_blocker.unblock():
        chapter = loaded_plan.chapters.get(number=5)
        return render_files(
            plan=loaded_plan, kind="chapter", year=2024, chapter=chapter, language="es"
        )


def page_texts(pdf):
    reader = pdf_text(pdf)[0]
    return [page.extract_text() for page in reader.pages]


def test_every_page_of_the_draft_carries_the_mark(chapter_files):
    pages = page_texts(chapter_files.draft_pdf)
    assert len(pages) == chapter_files.pages
    assert all(MARK in text for text in pages)
    assert "Borrador: aún no liberado por ambos gobiernos" in pages[0]


def test_the_clean_file_has_the_same_pages_without_the_mark(chapter_files):
    pages = page_texts(chapter_files.pdf)
    assert len(pages) == chapter_files.pages
    assert not any("DRAFT" in text or "BORRADOR" in text for text in pages)
    assert "Liberado por ambos gobiernos" in pages[0]


def test_the_draft_docx_is_marked_in_its_header_and_the_clean_one_is_not(chapter_files):
    draft = Document(io.BytesIO(chapter_files.draft_docx))
    clean = Document(io.BytesIO(chapter_files.docx))
    assert draft.sections[0].header.paragraphs[0].text == MARK
    assert MARK not in "".join(p.text for p in clean.sections[0].header.paragraphs)
    assert "Borrador: aún no liberado por ambos gobiernos" in [p.text for p in draft.paragraphs]
    assert "Liberado por ambos gobiernos" in [p.text for p in clean.paragraphs]


@pytest.fixture
def embassy_dk(plan):
    return member("embassy-dk", "embassy_staff", "embassy-dk-mx")


def download(client, report, name="reporting:download"):
    return b"".join(client.get(reverse(name, args=[report.pk])).streaming_content)


def test_a_report_is_served_marked_until_both_sides_release_it(client, plan, embassy_dk):
    report = services.request_report(
        plan=plan, kind="chapter", year=2024, chapter=plan.chapters.get(number=5), language="en"
    )
    report.refresh_from_db()
    signed_in(client, embassy_dk)

    assert MARK in pdf_text(download(client, report))[1]
    services.release(report, user=embassy_dk, side=Side.DK)
    assert MARK in pdf_text(download(client, report))[1]
    services.release(report, user=embassy_dk, side=Side.MX)
    released = pdf_text(download(client, report))[1]

    assert MARK not in released and "Released by both governments" in released
    docx = Document(io.BytesIO(download(client, report, "reporting:download_docx")))
    assert MARK not in "".join(p.text for p in docx.sections[0].header.paragraphs)
