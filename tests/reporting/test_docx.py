"""The editable DOCX holds the same report as the PDF, and opens in Word's library."""

import io
import re

import pytest
from docx import Document

from actions.models import Action
from reporting.docx import docx_versions
from reporting.rendering import report_content
from tests.reporting.test_pdf_language import ENGLISH, phrase

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def annual_2024_docx(loaded_plan, django_db_blocker):
    """The clean DOCX of the 2024 annual review in each language, made once for this module."""
    with django_db_blocker.unblock():
        return {
            language: Document(
                io.BytesIO(
                    docx_versions(
                        report_content(
                            plan=loaded_plan, kind="annual", year=2024, language=language
                        )
                    )[0]
                )
            )
            for language in ("en", "es")
        }


def text_of(document):
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_the_docx_holds_every_action_number(plan, annual_2024_docx):
    text = text_of(annual_2024_docx["en"])
    for number in Action.objects.in_plan(plan).values_list("number", flat=True):
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), number


def test_the_docx_has_the_summary_in_prose_and_its_tables(annual_2024_docx):
    document = annual_2024_docx["en"]
    text = text_of(document)
    assert "On 31 December 2024 the plan had 35 actions in 6 chapters." in text
    assert [cell.text for cell in document.tables[0].rows[0].cells] == ["Status", "Actions"]


def test_the_spanish_docx_has_no_english_heading(annual_2024_docx):
    headings = [
        p.text
        for p in annual_2024_docx["es"].paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert "Resumen ejecutivo" in headings
    found = [words for words in ENGLISH for heading in headings if phrase(heading, words)]
    assert not found, found
