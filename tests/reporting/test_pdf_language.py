"""A report in one language throughout: the Spanish annual review read back has no heading,
label, status or date in English, and the English one nothing in Spanish (the plan's own text
aside, which is the content's business)."""

import re

import pytest

from reporting.rendering import render_pdf
from tests.reporting.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

# The report's fixed words in English, each a whole phrase that the plan's own text never uses.
ENGLISH = [
    "Contents",
    "Executive summary",
    "Overdue milestones",
    "Annex A: Institutions",
    "Annex B: Agreements",
    "What changed in this period",
    "Actions by status",
    "Progress by chapter",
    "Period",
    "As of",
    "Signed",
    "Built on",
    "Danish lead",
    "Mexican lead",
    "Partners",
    "Latest jointly approved update",
    "No jointly approved progress update yet",
    "milestones done",
    "milestones overdue",
    "mean progress",
    "overdue by",
    "Not started",
    "On track",
    "At risk",
    "Delayed",
    "Completed",
    "Ongoing",
    "Discontinued",
    "Annual review",
    "Leads",
    "Partner in",
    "Memorandum of understanding",
    "Milestones in the period",
    "Milestones of the plan",
    "Missed",
    "Mean progress of each chapter by quarter",
    "Danish institutions",
    "Mexican institutions",
    "International bodies and networks",
    "Local government",
    "International organisation",
    "Ministry or secretariat",
    "the plan had",
    "moved during",
    "milestones were completed",
    "on the as-of date",
    "Released by both governments",
    "Draft: not yet released",
]
SPANISH = [
    "Contenido",
    "Resumen ejecutivo",
    "Hitos vencidos",
    "Anexo",
    "Fecha de corte",
    "Firmado",
    "Conforme a lo previsto",
    "Revisión anual",
    "avance promedio",
]
ENGLISH_MONTHS = re.compile(
    r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
)
SPANISH_MONTHS = re.compile(
    r"\b\d{1,2} (?:de )?(?:ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)"
)


@pytest.fixture(scope="module")
def review_2024(loaded_plan, django_db_blocker):
    """The 2024 annual review in each language, drawn up once for this module."""
    with django_db_blocker.unblock():
        return {
            language: pdf_text(
                render_pdf(plan=loaded_plan, kind="annual", year=2024, language=language)[0]
            )[1]
            for language in ("en", "es")
        }


def phrase(text, words):
    return re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", text)


def test_the_spanish_annual_review_has_no_english_heading_or_label(review_2024):
    text = review_2024["es"]
    found = [words for words in ENGLISH if phrase(text, words)]
    assert not found, found


def test_the_spanish_annual_review_writes_dates_and_percentages_in_spanish(review_2024):
    text = review_2024["es"]
    assert "Fecha de corte 31 de diciembre de 2024" in text
    assert SPANISH_MONTHS.search(text)
    assert not ENGLISH_MONTHS.findall(text)
    assert re.search(r"avance promedio \d+ %", text)
    assert not re.search(r"\d%", text)


def test_the_english_annual_review_has_no_spanish_and_writes_percentages_the_english_way(
    review_2024,
):
    text = review_2024["en"]
    found = [words for words in SPANISH if phrase(text, words)]
    assert not found, found
    assert "As of 31 December 2024" in text
    assert re.search(r"mean progress \d+%", text)
    assert not re.search(r"\d %", text)
    assert not SPANISH_MONTHS.findall(text)
