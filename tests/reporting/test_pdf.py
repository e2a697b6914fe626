"""The PDF read back as text: what a reader of the file finds in it."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from actions import services as action_services
from actions.models import Action
from reporting.rendering import render_pdf
from tests.factories import UserFactory

# Every test reads the plan, if only through `annual_2024`: they run with the other database tests.
pytestmark = pytest.mark.django_db


def pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def annual_2024(loaded_plan, django_db_blocker):
    """The 2024 annual review of the plan as loaded, drawn up once for the tests that only read
    it (WeasyPrint takes seconds per report)."""
    with django_db_blocker.unblock():
        pdf, pages, as_of = render_pdf(plan=loaded_plan, kind="annual", year=2024, language="en")
    reader, text = pdf_text(pdf)
    return pdf, pages, text, reader


def test_the_pdf_is_a_pdf_with_the_counted_pages(annual_2024):
    pdf, pages, _text, reader = annual_2024
    assert pdf.startswith(b"%PDF")
    assert len(reader.pages) == pages > 10


def test_the_cover_names_both_governments_the_plan_and_the_period(annual_2024):
    text = annual_2024[2]
    assert "THE GOVERNMENT OF THE KINGDOM OF DENMARK" in text.upper()
    assert "THE GOVERNMENT OF THE UNITED MEXICAN STATES" in text.upper()
    assert "Joint Strategic Action Plan 2023–2027" in text
    assert "Annual review 2024" in text


def test_every_chapter_and_every_action_number_is_in_the_report(plan, annual_2024):
    text = annual_2024[2]
    for chapter in plan.chapters.filter(number__gte=3):
        assert f"{chapter.number}. {chapter.title}" in text
    for number in Action.objects.in_plan(plan).values_list("number", flat=True):
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), number


def test_the_summary_counts_equal_the_database(plan, annual_2024):
    text = annual_2024[2]
    assert "35 actions" in text
    assert re.search(r"Not started 35\b", text)


def test_contents_and_annexes_are_there(annual_2024):
    text = annual_2024[2]
    for heading in (
        "Contents",
        "Executive summary",
        "Overdue milestones",
        "Annex A: Institutions",
        "Annex B: Agreements",
    ):
        assert heading in text
    assert "SEMARNAT" in text and "COFEPRIS" in text


def test_a_status_change_after_the_period_does_not_change_the_report(plan):
    action = Action.objects.get(number="4.2")
    before = pdf_text(render_pdf(plan=plan, kind="quarterly", year=2024, quarter=2)[0])[1]

    action_services.update_action_status(
        action=action,
        user=UserFactory(),
        status="delayed",
        progress=15,
        expected_version=1,
        at=datetime(2024, 7, 2, tzinfo=UTC),
    )

    after = pdf_text(render_pdf(plan=plan, kind="quarterly", year=2024, quarter=2)[0])[1]
    assert after == before
    later = pdf_text(render_pdf(plan=plan, kind="quarterly", year=2024, quarter=3)[0])[1]
    assert "Delayed 1" in later


def test_the_spanish_report_speaks_spanish_and_reads_the_plans_text_in_spanish(plan):
    text = pdf_text(render_pdf(plan=plan, kind="annual", year=2024, language="es")[0])[1]
    assert "Resumen ejecutivo" in text
    assert "EL GOBIERNO DEL REINO DE DINAMARCA" in text.upper()
    assert "EL GOBIERNO DE LOS ESTADOS UNIDOS MEXICANOS" in text.upper()
    assert "Diálogo político" in text
    assert "Political dialogue" not in text
