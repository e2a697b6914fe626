"""Turn a report's content into its files, in the report's language: the PDF drawn by WeasyPrint
(kept clean and marked as a draft, reporting/draft.py) and the editable DOCX (reporting/docx.py),
both from one reading of the content."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from reporting.content import build_content
from reporting.docx import docx_versions
from reporting.draft import mark_versions
from reporting.models import Report
from reporting.periods import Period


@dataclass
class ReportFiles:
    pdf: bytes
    draft_pdf: bytes
    docx: bytes
    draft_docx: bytes
    pages: int
    as_of: date


def report_content(
    *, plan, kind, year, quarter=None, chapter=None, institution=None, language="en", today=None
):
    """What the report says, with its title, read in its language."""
    period = Period(year, quarter)
    with translation.override(language):
        content = build_content(
            plan=plan,
            kind=kind,
            period=period,
            chapter=chapter,
            institution=institution,
            today=today,
        )
        content["title"] = f"{Report.Kind(kind).label} {period.label}"
    return content | {"language": language, "generated_on": timezone.localdate()}


def pdf_from_content(content):
    """(pdf_bytes, pages) of the report's pages, without any mark of its state."""
    with translation.override(content["language"]):
        html = render_to_string("reporting/report.html", content)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)


def render_pdf(**report):
    """Return (pdf_bytes, pages, as_of) for the report these arguments describe, unmarked."""
    content = report_content(**report)
    pdf, pages = pdf_from_content(content)
    return pdf, pages, content["as_of"]


def render_files(**report):
    """Every file of one build: the PDF and the DOCX, each clean and marked as a draft."""
    content = report_content(**report)
    pdf, pages = pdf_from_content(content)
    clean, draft = mark_versions(pdf, language=content["language"])
    docx, draft_docx = docx_versions(content)
    return ReportFiles(
        pdf=clean,
        draft_pdf=draft,
        docx=docx,
        draft_docx=draft_docx,
        pages=pages,
        as_of=content["as_of"],
    )
